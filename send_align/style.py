"""Minimal ANSI styling for the look-up commands, which must start faster than importing rich allows."""

from __future__ import annotations

from send_align.escaping import line, prose

CODES = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}


class Styler:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *styles: str) -> str:
        text = line(text)
        if not self.colour or not styles:
            return text
        return "\x1b[" + ";".join(CODES[s] for s in styles) + "m" + text + "\x1b[0m"


def wrap(text: str, width: int, indent: str) -> str:
    import textwrap

    return (
        "\n".join(
            textwrap.wrap(
                prose(text),
                width=max(40, width),
                initial_indent=indent,
                subsequent_indent=indent,
            )
        )
        + "\n"
    )
