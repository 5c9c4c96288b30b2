"""The check command's report formats, each a pure function of the finished Report (and the aims' titles),
in one registry; beside them, the other commands' outputs (diff, explain, crosswalk, evaluation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from send_align.reporting import CHECK_FORMATS, Format, RenderOptions, Reporter

if TYPE_CHECKING:
    from send_align.report.json_report import StoredJson
    from send_align.results import Report

__all__ = ["Formatter", "RenderOptions", "formatter", "formatters"]

Formatter: TypeAlias = "Reporter[Report]"

_MODULES = {
    Format.TABLE: "table",
    Format.JSON: "json_report",
    Format.MARKDOWN: "markdown",
    Format.CSV: "csv_report",
    Format.JUNIT: "junit",
    Format.SARIF: "sarif",
    Format.HTML: "html",
    Format.GITHUB: "github",
}


def formatter(fmt: Format, stored: StoredJson | None = None) -> Formatter:
    """One format's renderer, importing only its module (the HTML one brings a template engine). The JSON
    report writes the documents whose results the cache gave as it kept them (`stored`)."""
    if stored is not None and fmt is Format.JSON:
        from functools import partial

        from send_align.report import json_report

        return partial(json_report.render, stored=stored)
    from importlib import import_module

    render: Formatter = import_module(f"send_align.report.{_MODULES[fmt]}").render
    return render


def formatters() -> dict[Format, Formatter]:
    """Every format `check` offers, with its renderer."""
    return {fmt: formatter(fmt) for fmt in CHECK_FORMATS}
