"""The terminal report. Several documents: one line each (table_lines.py), then the set's coverage by
framework and the gate verdict last. One document, or `--detail`: each document's aims with their best
evidence. Nothing runs off the line: a long title or quote is cut with an ellipsis, never a score."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from send_align.escaping import line as safe
from send_align.model import Catalogue
from send_align.report.common import where as common_where
from send_align.report.table_lines import document_lines, fit, off_topic
from send_align.reporting import RenderOptions
from send_align.results import AimResult, ClaimStatus, DocumentResult, Evidence, Report, Status

MARK = {
    Status.ADDRESSED: ("✔", "green"),
    Status.PARTIAL: ("◐", "yellow"),
    Status.NOT_ADDRESSED: ("✘", "red"),
    Status.NOT_APPLICABLE: ("–", "dim"),
}


def where(ev: Evidence) -> str:
    """Where evidence stands, as report.common.where says it, with a long section name cut with an ellipsis."""
    return safe(common_where(ev, lambda section: fit(safe(section), 60)))


def bar(pct: float, width: int = 20) -> str:
    filled = round(pct / 100 * width)
    return "█" * filled + "░" * (width - filled)


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    from rich.console import Console

    buf = io.StringIO()
    width = max(MIN_WIDTH, options.width)
    options = replace(options, width=width)
    console = Console(
        file=buf,
        width=width,
        color_system="standard" if options.colour else None,
        force_terminal=options.colour,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    if options.detail or len(report.documents) <= 1:
        console.print(_summary(report, options, "Coverage by framework"))
        for doc in report.documents:
            _document(console, doc, catalogue, options)
    else:
        document_lines(console, report, catalogue, options)
        console.print()
        together = f"Coverage by framework, the {len(report.documents)} documents together"
        console.print(_summary(report, options, together))
    _skipped_and_gate(console, report)
    return buf.getvalue()


# Narrower than this, a terminal report would be mostly cut: it is laid out for this width and the terminal
# wraps it.
MIN_WIDTH = 40


def _summary(report: Report, options: RenderOptions, title: str) -> Any:
    from rich.table import Table

    summary = Table(
        title=fit(title, options.width), title_justify="left", show_edge=False, pad_edge=False
    )
    summary.add_column("framework", no_wrap=True)
    summary.add_column("addressed", justify="right", no_wrap=True)
    summary.add_column("partial", justify="right", no_wrap=True)
    summary.add_column("coverage", justify="right", no_wrap=True)
    # The bar takes what the figures leave (they take 45 columns with the rules between them), up to 24.
    bar_width = min(24, options.width - 46)
    if bar_width >= 8:
        summary.add_column("", no_wrap=True)
    for c in report.frameworks:
        cells = [c.id, f"{c.addressed}/{c.total}", str(c.partial), f"{c.coverage:.1f}%"]
        summary.add_row(*cells, *([bar(c.coverage, bar_width)] if bar_width >= 8 else []))
    return summary


def _document(console: Any, doc: DocumentResult, catalogue: Catalogue, options: RenderOptions) -> None:
    from rich.text import Text

    console.print()
    head = Text(safe(doc.path), style="bold")
    if doc.title:
        head.append(f"  {safe(doc.title)}", style="dim")
    console.print(head, no_wrap=True, overflow="ellipsis")
    if doc.error:
        console.print(Text(f"  error: {safe(doc.error)}", style="red"))
        return
    for note in doc.notes:
        console.print(Text(f"  note: {safe(note)}", style="yellow"))
    hidden = off_topic(doc, catalogue)
    if hidden:
        context, n = hidden
        console.print(
            Text(f"  not about {context.upper()}: none of the {n} aims that need it is addressed", style="yellow")
        )
    by_fw: dict[str, list[AimResult]] = {}
    for res in doc.aims:
        aim = catalogue.aim(res.aim)
        if hidden and aim is not None and aim.context == hidden[0]:
            continue  # said once above, not one cross each
        by_fw.setdefault(res.aim.split(".", 1)[0], []).append(res)
    for fid, results in by_fw.items():
        got = sum(r.status is Status.ADDRESSED for r in results)
        console.print(Text(f"  {fid}: {got}/{len(results)} addressed", style="cyan"))
        for res in results:
            _aim(console, res, catalogue, options)
    if doc.claims is not None:
        console.print(Text("  claims:", style="cyan"))
        for claim in doc.claims:
            ok = claim.status is ClaimStatus.SUPPORTED
            console.print(
                Text(f"    {'✔' if ok else '✘'} {claim.aim} {claim.status}", style="green" if ok else "red")
            )
        if doc.further:
            console.print(
                Text("  also addresses (unclaimed): " + ", ".join(doc.further), style="dim"),
                overflow="fold",
            )


def _aim(console: Any, res: AimResult, catalogue: Catalogue, options: RenderOptions) -> None:
    """One aim's line, its best evidence and, when it does not apply, why."""
    from rich.text import Text

    aim = catalogue.aim(res.aim)
    mark, colour = MARK[res.status]
    line = Text(f"    {mark} ", style=colour)
    line.append(f"{res.aim}", style="bold" if res.status is Status.ADDRESSED else "")
    score = f"  {res.score:.2f}" if res.status in (Status.ADDRESSED, Status.PARTIAL) else ""
    # The title gives way to the score: it is cut with an ellipsis so that the score always shows.
    room = options.width - line.cell_len - len(score) - 2
    if aim and room >= 2:
        line.append(f"  {fit(safe(aim.title), room)}", style="dim")
    line.append(score)
    console.print(line, overflow="ellipsis", no_wrap=True)
    for ev in res.evidence[: options.evidence_per_aim]:
        quote = fit(safe(ev.text), max(30, options.width - 12))
        console.print(Text(f"        “{quote}”", style="italic"), overflow="fold")
        console.print(
            Text(f"        {where(ev)} · rule {ev.rule}", style="dim"),
            overflow="ellipsis",
            no_wrap=True,
        )
    if res.status is Status.NOT_APPLICABLE:
        console.print(Text(f"        {safe(res.reason)}", style="dim"))


def _skipped_and_gate(console: Any, report: Report) -> None:
    from rich.text import Text

    if report.skipped:
        console.print()
        console.print(Text(f"skipped {len(report.skipped)} file(s):", style="dim"))
        for path, why in report.skipped[:20]:
            console.print(Text(f"  {safe(path)}: {safe(why)}", style="dim"), overflow="ellipsis", no_wrap=True)
        if len(report.skipped) > 20:
            console.print(Text(f"  … and {len(report.skipped) - 20} more", style="dim"))
    if report.input_problems:
        return  # the errors on stderr say what could not be read; a gate verdict on the rest would mislead
    console.print()
    if report.failures:
        console.print(Text("gate failed:", style="bold red"))
        for f in report.failures:
            console.print(Text(f"  {safe(f.message)}", style="red"), overflow="fold")
    elif report.gates_set:
        console.print(Text("gate passed", style="green"))
    else:
        console.print(Text("no gates set", style="dim"))
