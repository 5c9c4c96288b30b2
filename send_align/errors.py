"""The one user-facing error type: what went wrong, where, and what to do about it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class Problem:
    """One problem found in one input, printable as a single line."""

    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def location_text(location: Iterable[Any]) -> str:
    """A schema error's place in a file as people write it: 'aims[2].rules[0].phrases'."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class SendAlignError(Exception):
    """Raised for bad input of any kind; the CLI prints each problem on one line and exits 2."""

    def __init__(
        self,
        problems: list[Problem] | Problem | str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, path, line, hint)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class Stopped(BaseException):
    """The run was told to stop by a signal. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way swallows it."""

    def __init__(self, signum: int) -> None:
        import signal

        super().__init__(signal.Signals(signum).name)
        self.signum = signum
