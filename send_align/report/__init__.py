"""Report formats: each a pure function of the finished Report (and the aims' titles), in one registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


Formatter = Callable[["Report", "Catalogue", RenderOptions], "str | Iterable[str]"]
"""A format's output: the text, or its pieces in order (written as they come, for big reports)."""


def formatters() -> dict[OutputFormat, Formatter]:
    from send_align.report import csv_report, github, html, json_report, junit, markdown, sarif, table

    return {
        OutputFormat.TABLE: table.render,
        OutputFormat.JSON: json_report.render,
        OutputFormat.MARKDOWN: markdown.render,
        OutputFormat.CSV: csv_report.render,
        OutputFormat.JUNIT: junit.render,
        OutputFormat.SARIF: sarif.render,
        OutputFormat.HTML: html.render,
        OutputFormat.GITHUB: github.render,
    }
