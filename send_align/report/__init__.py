"""Report formats: each a pure function of the finished Report (and the aims' titles), in one registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from send_align.cache import StoredJson
    from send_align.model import Catalogue
    from send_align.results import Report


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    JUNIT = "junit"
    SARIF = "sarif"
    HTML = "html"
    GITHUB = "github"


@dataclass(frozen=True)
class RenderOptions:
    colour: bool = False
    width: int = 100
    evidence_per_aim: int = 1


Formatter = Callable[["Report", "Catalogue", RenderOptions], "str | Iterable[str | bytes]"]
"""A format's output: the text, or its pieces in order (written as they come, for big reports); a piece
may be UTF-8 bytes (JSON kept by the cache)."""


_MODULES = {
    OutputFormat.TABLE: "table",
    OutputFormat.JSON: "json_report",
    OutputFormat.MARKDOWN: "markdown",
    OutputFormat.CSV: "csv_report",
    OutputFormat.JUNIT: "junit",
    OutputFormat.SARIF: "sarif",
    OutputFormat.HTML: "html",
    OutputFormat.GITHUB: "github",
}


def formatter(fmt: OutputFormat, stored: StoredJson | None = None) -> Formatter:
    """One format's renderer, importing only its module (the HTML one brings a template engine). The JSON
    report writes the documents whose results the cache gave as it kept them (`stored`)."""
    if stored is not None and fmt is OutputFormat.JSON:
        from functools import partial

        from send_align.report import json_report

        return partial(json_report.render, stored=stored)
    from importlib import import_module

    render: Formatter = import_module(f"send_align.report.{_MODULES[fmt]}").render
    return render


def formatters() -> dict[OutputFormat, Formatter]:
    return {fmt: formatter(fmt) for fmt in OutputFormat}
