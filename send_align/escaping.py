"""Text from documents, file names and strategy files made safe for the channel it is printed on.

One helper per channel, used by every command:

- `line`: a terminal or a log (stderr, the table, the look-ups, a CI log). One line: newlines, control
  characters, escape sequences (ESC, OSC, BEL), bidirectional controls (right-to-left override ...), line
  separators and bytes of a file name that are not UTF-8 are shown as visible escapes (`\\n`, `\\x1b`,
  `\\u202e`, `\\xe9`), never obeyed.
- `prose`: the same for running text (quotes, statements, notes) where a line break is only a space.
- `markdown`: one line, whitespace folded, then Markdown and HTML syntax escaped (no table broken, no link or image made).
- `github_data`, `github_property`: a GitHub Actions workflow command's message and properties: `line`,
  then GitHub's own escaping, so no text can start a command of its own.
- `xml`: characters XML 1.0 forbids removed (the XML writer escapes the rest).
- `csv_cell`: a cell a spreadsheet would run as a formula is prefixed with `'`.
- `uri`: a path as a percent-encoded URI reference (SARIF).
- `file_name`: a path as found on disk, as text: bytes that are not UTF-8 shown as `\\xNN`.

Data formats (JSON, SARIF, CSV, JUnit) keep values exactly as found, within what their syntax allows: a
program reads them, and their own encoders escape what needs escaping.
"""

from __future__ import annotations

import os
import re

# Patterns are compiled on first use (re keeps them), not at import: look-ups start in milliseconds.
# C0 and C1 controls and DEL, the bidirectional controls (ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI,
# FSI, PDI), the Unicode line and paragraph separators, and surrogates (undecodable bytes of file names).
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: str) -> str:
    """One line for a terminal or a log: every control, escape, bidirectional and undecodable character
    shown as a visible escape."""
    if text.isprintable():  # none of them (all are unprintable), as for almost every string
        return text
    return re.sub(_UNSAFE, _shown, text)


_BREAKS = "[\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]"


def prose(text: str) -> str:
    """Running text for a terminal, a log or a page: each line break or tab a space, then `line`."""
    return text if text.isprintable() else line(re.sub(_BREAKS, " ", text))


_MARKDOWN_SPECIAL = r"([\\`*_{}\[\]()#+!|<>~])"


def markdown(text: str) -> str:
    """Text made inert in Markdown: one line, no table broken, no link, image or HTML injected."""
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", line(" ".join(text.split())))


def github_data(text: str) -> str:
    """A workflow command's message: one line whatever the text holds."""
    return line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (file=, title=)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_XML_ILLEGAL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def xml(text: str) -> str:
    """Text with the characters XML 1.0 forbids removed (escaping is left to the XML writer)."""
    return re.sub(_XML_ILLEGAL, "", text)


def csv_cell(value: object) -> str:
    """A cell as text; one starting with = + - @ or a control character is prefixed with ' so a spreadsheet
    shows it rather than running it."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r\n":
        return "'" + text
    return text


def uri(path: str) -> str:
    """A relative or absolute path as a URI reference: every character outside RFC 3986's unreserved set
    percent-encoded as UTF-8 (`#`, `?`, `%`, spaces, `:` and non-ASCII letters included), `/` kept."""
    from urllib.parse import quote

    return quote(path.replace(os.sep, "/") if os.sep != "/" else path, safe="/")


def file_name(path: str) -> str:
    """A path as the operating system gave it, as text: bytes that are not UTF-8 (kept by Python as lone
    surrogates) shown as `\\xNN`, so every format can print it."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:  # lone surrogates
        pass
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate no file system produced
        return line(path)
