"""The terminal report: coverage per framework, then each document's aims with the best evidence."""

from __future__ import annotations

import io
from typing import Any

from send_align.escaping import line as safe
from send_align.model import Catalogue
from send_align.report.common import where as _where
from send_align.reporting import RenderOptions
from send_align.results import AimResult, ClaimStatus, DocumentResult, Evidence, Report, Status

MARK = {
    Status.ADDRESSED: ("✔", "green"),
    Status.PARTIAL: ("◐", "yellow"),
    Status.NOT_ADDRESSED: ("✘", "red"),
    Status.NOT_APPLICABLE: ("–", "dim"),
}


def where(ev: Evidence) -> str:
    return safe(_where(ev))


def bar(pct: float, width: int = 20) -> str:
    filled = round(pct / 100 * width)
    return "█" * filled + "░" * (width - filled)


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    from rich.console import Console

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=max(60, options.width),
        color_system="standard" if options.colour else None,
        force_terminal=options.colour,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(_summary(report, options))
    for doc in report.documents:
        _document(console, doc, catalogue, options)
    _skipped_and_gate(console, report)
    return buf.getvalue()


def _summary(report: Report, options: RenderOptions) -> Any:
    from rich.table import Table

    summary = Table(title="Coverage by framework", title_justify="left", show_edge=False, pad_edge=False)
    summary.add_column("framework", no_wrap=True)
    summary.add_column("addressed", justify="right")
    summary.add_column("partial", justify="right")
    summary.add_column("coverage", justify="right", no_wrap=True)
    summary.add_column("", no_wrap=True)
    for c in report.frameworks:
        summary.add_row(
            c.id,
            f"{c.addressed}/{c.total}",
            str(c.partial),
            f"{c.coverage:.1f}%",
            bar(c.coverage, 16 if options.width < 90 else 24),
        )
    return summary


def _document(console: Any, doc: DocumentResult, catalogue: Catalogue, options: RenderOptions) -> None:
    from rich.text import Text

    console.print()
    head = Text(safe(doc.path), style="bold")
    if doc.title:
        head.append(f"  {safe(doc.title)[:70]}", style="dim")
    console.print(head)
    if doc.error:
        console.print(Text(f"  error: {safe(doc.error)}", style="red"))
        return
    for note in doc.notes:
        console.print(Text(f"  note: {safe(note)}", style="yellow"))
    by_fw: dict[str, list[AimResult]] = {}
    for res in doc.aims:
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
    line.append(f"  {safe(aim.title) if aim else ''}", style="dim")
    if res.status in (Status.ADDRESSED, Status.PARTIAL):
        line.append(f"  {res.score:.2f}")
    console.print(line, overflow="ellipsis", no_wrap=True)
    for ev in res.evidence[: options.evidence_per_aim]:
        quote = safe(ev.text)
        limit = max(30, options.width - 12)
        if len(quote) > limit:
            quote = quote[: limit - 1] + "…"
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
            console.print(Text(f"  {safe(path)}: {safe(why)}", style="dim"), overflow="fold")
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
