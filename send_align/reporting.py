"""Output formats: one enum for every command, the Reporter every renderer is, and how a command picks one.

Each command offers its formats as a registry, `{Format: Reporter}`, and `choose` turns the `--format` given
into one of them (or the one error every command gives); what the reporter renders goes to the one writer,
`output.write`. Light on purpose: the look-ups import this at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from send_align.errors import SendAlignError
from send_align.output import Pieces

if TYPE_CHECKING:
    from send_align.model import Catalogue
    from send_align.options import Gates


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    JUNIT = "junit"
    SARIF = "sarif"
    HTML = "html"
    GITHUB = "github"
    TEXT = "text"


# The formats `check` offers; the other commands offer text and some of these.
CHECK_FORMATS = (
    Format.TABLE,
    Format.JSON,
    Format.MARKDOWN,
    Format.CSV,
    Format.JUNIT,
    Format.SARIF,
    Format.HTML,
    Format.GITHUB,
)


# `text` and `table` name the same thing, plain text for a terminal: every command takes either.
ALIKE = {Format.TEXT: Format.TABLE, Format.TABLE: Format.TEXT}


@dataclass(frozen=True, kw_only=True)
class RenderOptions:
    colour: bool = False
    width: int = 100
    evidence_per_aim: int = 1
    detail: bool = False
    """The terminal report: each document's aims in full, even for several documents."""
    gates: Gates | None = None
    """The gates the run applied, for reports that name them (the HTML report's header)."""


T_contra = TypeVar("T_contra", contravariant=True)
T = TypeVar("T")


class Reporter(Protocol[T_contra]):
    """Renders what a command found, reading only: it writes nothing and decides nothing. What it returns
    (the text, or its pieces in order) goes to the one writer, `output.write`."""

    def __call__(self, value: T_contra, catalogue: Catalogue, options: RenderOptions, /) -> Pieces: ...


def choose(fmt: str, reporters: Mapping[Format, Reporter[T]]) -> Reporter[T]:
    """The reporter of a format the command offers; SendAlignError naming the ones it does."""
    try:
        wanted = Format(fmt)
    except ValueError:
        chosen = None
    else:
        chosen = reporters.get(wanted) or reporters.get(ALIKE.get(wanted, wanted))
    if chosen is None:
        offered = [f.value for f in reporters]
        either = offered[0] if len(offered) == 1 else ", ".join(offered[:-1]) + " or " + offered[-1]
        raise SendAlignError(f"unknown format '{fmt}' for this command", hint=f"use {either}")
    return chosen


def json_text(data: Any) -> str:
    """JSON as the commands print it: indented, UTF-8 as it is, one newline at the end."""
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_json(data: Callable[[T, Catalogue], Any]) -> Reporter[T]:
    """A reporter writing what `data` makes of the value as JSON."""

    def render(value: T, catalogue: Catalogue, options: RenderOptions, /) -> str:
        return json_text(data(value, catalogue))

    return render


# What `-o FILE` writes when no format is given, by the file's extension (compared without case).
FORMAT_BY_EXTENSION = {
    **{".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"},
    **{".sarif": "sarif", ".xml": "junit", ".csv": "csv", ".txt": "table"},
}


def format_of_file(target: Path | None) -> str | None:
    """The format a report file's name asks for (`report.html`: html; `x.sarif.json`: sarif), or None for
    standard output and a name whose extension says nothing."""
    if target is None or str(target) == "-":
        return None
    name = target.name.lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    return FORMAT_BY_EXTENSION.get(Path(name).suffix)
