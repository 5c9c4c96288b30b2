"""The terminal report's view of several documents: one line each, with its coverage of each framework, its
gaps and its unsupported claims, laid out to the width so that no figure falls off the line."""

from __future__ import annotations

from typing import Any

from send_align.escaping import line as safe
from send_align.model import Catalogue
from send_align.reporting import RenderOptions
from send_align.results import ClaimStatus, DocumentResult, Report, Status

# Below this many columns for its name, a document's name goes on a line of its own above its figures.
NAME_AT_LEAST = 20
GAP = "  "
"""Between a document's name and its figures."""
SEP = " "
"""Between figures: their headers are words, so one space keeps them apart."""


def fit(text: str, width: int) -> str:
    """`text` in at most `width` terminal columns: cut with an ellipsis when it is longer."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return set_cell_size(text, width - 1).rstrip() + "…"


def fit_path(path: str, width: int) -> str:
    """A path in at most `width` columns: its start cut with an ellipsis, so the file's name shows."""
    from rich.cells import cell_len

    if cell_len(path) <= width:
        return path
    end = path[::-1]
    return "…" + fit(end, width)[-2::-1] if width > 1 else "…"


def off_topic(doc: DocumentResult, catalogue: Catalogue) -> tuple[str, int] | None:
    """(context, how many of the document's aims need it) when the document is not about a context (SEND)
    and addresses none of those aims, even in part; else None. Those aims are then said once, not listed."""
    for context in doc.not_about:
        needing = [r for r in doc.aims if (a := catalogue.aim(r.aim)) is not None and a.context == context]
        if needing and not any(r.status in (Status.ADDRESSED, Status.PARTIAL) for r in needing):
            return context, len(needing)
    return None


def _coverage(doc: DocumentResult, framework: str) -> str:
    results = [r for r in doc.aims if r.aim.split(".", 1)[0] == framework]
    applicable = [r for r in results if r.status is not Status.NOT_APPLICABLE]
    if not applicable:
        return "–"
    addressed = sum(r.status is Status.ADDRESSED for r in applicable)
    return f"{round(100 * addressed / len(applicable))}%"


def _figures(doc: DocumentResult, frameworks: list[str], claims: bool) -> list[str]:
    cells = [_coverage(doc, fid) for fid in frameworks]
    cells.append(str(sum(r.status is Status.NOT_ADDRESSED for r in doc.aims)))
    if claims:
        unsupported = sum(c.status is ClaimStatus.UNSUPPORTED for c in doc.claims or ())
        cells.append(str(unsupported) if doc.claims is not None else "")
    return cells


def document_lines(console: Any, report: Report, catalogue: Catalogue, options: RenderOptions) -> None:
    """One line per document (two when the terminal is too narrow for a name beside the figures)."""
    from rich.cells import cell_len
    from rich.text import Text

    frameworks = [f.id for f in report.frameworks]
    claims = any(d.claims is not None for d in report.documents)
    heads = [*frameworks, "gaps", *(["unsupported"] if claims else [])]
    rows = [(d, _figures(d, frameworks, claims)) for d in report.documents]
    widths = [max(len(h), 4, *(len(r[i]) for _, r in rows)) for i, h in enumerate(heads)]
    longest = max([len("document"), *(cell_len(safe(d.path)) for d in report.documents)])
    room = options.width - sum(widths) - len(SEP) * (len(widths) - 1) - len(GAP)
    beside = room >= min(NAME_AT_LEAST, longest)
    name_width = min(room, longest) if beside else 0

    def figures(cells: list[str]) -> str:
        return GAP + SEP.join(c.rjust(w) for c, w in zip(cells, widths, strict=True))

    def pad(name: str) -> str:
        return name + " " * (name_width - cell_len(name))

    n = len(report.documents)
    what = "coverage per framework, gaps" + (", unsupported claims" if claims else "")
    console.print(Text(fit(f"{n} documents, one line each: {what}", options.width), style="bold"))
    console.print(Text(fit("gaps: aims not addressed; --detail lists every aim with its evidence", options.width), style="dim"))
    console.print()
    console.print(Text((pad("document") if beside else "") + figures(heads), style="bold"), no_wrap=True)
    for doc, cells in rows:
        name = fit_path(safe(doc.path), name_width if beside else options.width)
        if not beside:
            console.print(Text(name, style="bold"), no_wrap=True)
        lead = pad(name) if beside else ""
        said = _instead_of_figures(doc, catalogue)
        if said is None:
            console.print(Text((lead + figures(cells)).rstrip()), no_wrap=True)
        else:
            text, style = said
            console.print(Text(lead + GAP + fit(text, options.width - cell_len(lead) - len(GAP)), style=style))


def _instead_of_figures(doc: DocumentResult, catalogue: Catalogue) -> tuple[str, str] | None:
    """What a document's line says in words instead of figures: an error, or that it is not about SEND."""
    if doc.error:
        return f"error: {safe(doc.error.removeprefix(f'{doc.path}: '))}", "red"  # the path is beside it
    hidden = off_topic(doc, catalogue)
    if hidden and not any(r.status in (Status.ADDRESSED, Status.PARTIAL) for r in doc.aims):
        context = hidden[0]
        return f"not about {context.upper()}: no {context.upper()} aim addressed", "yellow"
    return None
