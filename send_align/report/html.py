"""One self-contained HTML page to circulate before sign-off: inline CSS and SVG, no scripts, no network.

A Jinja2 template with autoescaping, so every piece of document text is escaped by construction; every printed
value first goes through escaping.prose, so a file name or quote cannot reorder the page with bidirectional
controls.

The page reads from the top down: a header (date, versions, documents, gate), a table of contents, one
summary card per document, coverage by framework, the heat map (each cell a link to what it stands for),
the crosswalk, then each document's detail on its own printed page: its aims, and its evidence quoted once
with every aim and rule the quote serves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from send_align.crosswalk import SYMBOL, build_crosswalk
from send_align.escaping import prose
from send_align.model import Aim, Catalogue, Framework
from send_align.options import Gates
from send_align.report.common import by_framework, title_of, where
from send_align.reporting import RenderOptions
from send_align.results import AimResult, ClaimStatus, DocumentResult, GateFailure, Report, Status
from send_align.scoring import best_status

LABEL = {
    Status.ADDRESSED: ("●", "addressed"),
    Status.PARTIAL: ("◐", "partly addressed"),
    Status.NOT_ADDRESSED: ("○", "not addressed"),
    Status.NOT_APPLICABLE: ("–", "not applicable"),
}
RELATION_WORDS = {
    "equivalent-to": "equivalent to",
    "subset-of": "part of",
    "superset-of": "includes",
    "intersects-with": "overlaps with",
}
# Quotes shown per aim: the page is for reading before sign-off, not every hit.
QUOTES_PER_AIM = 3


@dataclass
class Cell:
    status: str
    symbol: str
    label: str
    score: float
    target: str = ""
    """The id of what the cell stands for in the document's detail (its evidence, its gap)."""


@dataclass
class Row:
    aim: Aim
    cells: list[Cell | None]
    """One per document; None where the document could not be read."""


@dataclass
class Section:
    framework: Framework
    coverage: Any
    rows: list[Row] = field(default_factory=list)


def _shown(value: Any) -> Any:
    """Every value the page prints: control characters and bidirectional overrides shown, not obeyed (the
    autoescaping then makes it inert HTML)."""
    return prose(value) if type(value) is str else value


@cache
def _environment() -> Any:
    import jinja2

    folder = Path(__file__).resolve().parent.parent / "templates"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template(name: str) -> Any:
    """A template of the package's own, with the page's escaping (the annotated view uses it too)."""
    return _environment().get_template(name)


def report_date() -> str:
    """The date the page gives: SOURCE_DATE_EPOCH when set (reproducible builds, golden files), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return date.today().isoformat()


def anchor(doc_index: int, aim_id: str) -> str:
    """The id of an aim's entry in one document's detail (documents counted from 1)."""
    return f"d{doc_index}-{aim_id}"


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    documents = [_document_view(i, d, catalogue) for i, d in enumerate(report.documents, 1)]
    sections = []
    for cov in report.frameworks:
        fw = catalogue.framework(cov.id)
        if fw is None:
            continue
        section = Section(fw, cov)
        for aim in fw.aims:
            cells = [
                _cell(view["results"].get(aim.id), anchor(view["index"], aim.id))
                if view["error"] is None
                else None
                for view in documents
            ]
            section.rows.append(Row(aim, cells))
        sections.append(section)
    total_addressed = sum(c.addressed for c in report.frameworks)
    total = sum(c.total for c in report.frameworks)
    return str(
        template("report.html.j2").render(
            report=report,
            date=report_date(),
            gates=gate_words(options.gates, report),
            sections=sections,
            documents=documents,
            failures=[_failure(f, documents) for f in report.failures],
            baselined=[_failure(f, documents) for f in report.baselined],
            crosswalk=_crosswalk(report, catalogue),
            overall=round(100 * total_addressed / total, 1) if total else 0.0,
            total_addressed=total_addressed,
            total=total,
            legend=[LABEL[s] + (s.value,) for s in Status],
        )
    )


def gate_words(gates: Gates | None, report: Report) -> list[str]:
    """The gates a run applied, in words, for the header; a proposal's unsupported claim always fails."""
    words: list[str] = []
    if gates is not None:
        each = " in each document" if gates.per_document else ""
        if gates.fail_under is not None:
            words.append(f"coverage at least {gates.fail_under:g}%{each}")
        for fid, pct in gates.fail_under_framework.items():
            words.append(f"{fid} coverage at least {pct:g}%{each}")
        if gates.require:
            words.append("required" + each + ": " + ", ".join(gates.require))
        for g in gates.by_path:
            rules = [f"coverage at least {g.fail_under:g}%"] if g.fail_under is not None else []
            rules += [f"required: {', '.join(g.require)}"] if g.require else []
            rules += [f"one of: {', '.join(g.require_any)}"] if g.require_any else []
            words.append(f"documents matching {g.describe()}: " + "; ".join(rules))
    if any(d.claims for d in report.documents if d.error is None):
        words.append("every claim of a proposal supported by its text")
    return words if report.gates_set else []


def _failure(failure: GateFailure, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """A gate failure as the gate box shows it: the document it is about named first (once), linked to the
    document's detail; then the failure itself."""
    target = next((d["id"] for d in documents if d["path"] == failure.path), None) if failure.path else None
    return {"path": failure.path, "target": target, "message": failure.detail}


def _cell(res: AimResult | None, target: str) -> Cell | None:
    if res is None:
        return None
    symbol, label = LABEL[res.status]
    return Cell(res.status.value, symbol, label, res.score, target)


def _cell_for(status: Status | None) -> Cell | None:
    if status is None:
        return None
    symbol, label = LABEL[status]
    return Cell(status.value, symbol, label, 0.0)


def _crosswalk(report: Report, catalogue: Catalogue) -> list[dict[str, Any]]:
    shown_ids = {c.id for c in report.frameworks}
    best = best_status([d for d in report.documents if d.error is None])
    groups = []
    cw = build_crosswalk(catalogue)
    for nfw in cw.national:
        if nfw.id not in shown_ids and not any(f.id in shown_ids for f in cw.local):
            continue
        rows = []
        for aim in nfw.aims:
            pairs = [p for p in cw.locals_for(aim.id) if p.local.framework in shown_ids]
            if not pairs:
                continue
            rows.append(
                {
                    "aim": aim,
                    "own": _cell_for(best.get(aim.id)),
                    "locals": [
                        {
                            "aim": p.local,
                            "relation": RELATION_WORDS[p.relation],
                            "symbol": SYMBOL[p.relation],
                            "cell": _cell_for(best.get(p.local.id)),
                        }
                        for p in pairs
                    ],
                    "met": sum(best.get(p.local.id) is Status.ADDRESSED for p in pairs),
                }
            )
        if rows:
            groups.append({"framework": nfw, "rows": rows})
    return groups


def _document_view(index: int, doc: DocumentResult, catalogue: Catalogue) -> dict[str, Any]:
    """One document's card and detail. Evidence is quoted once: a sentence that serves several aims (or
    several rules of one aim) is one quote naming each of them."""
    quotes: dict[tuple[int, str], dict[str, Any]] = {}
    frameworks = []
    for fid, results in by_framework(doc).items():
        fw = catalogue.framework(fid)
        items = []
        for r in results:
            symbol, label = LABEL[r.status]
            item: dict[str, Any] = {
                "id": r.aim,
                "anchor": anchor(index, r.aim),
                "title": title_of(catalogue, r.aim),
                "status": r.status.value,
                "symbol": symbol,
                "label": label,
                "score": r.score,
                "reason": r.reason,
                "quotes": [],
            }
            if r.status in (Status.ADDRESSED, Status.PARTIAL):
                for e in r.evidence[:QUOTES_PER_AIM]:
                    quote = quotes.get((e.paragraph, e.text))
                    if quote is None:
                        quote = {
                            "anchor": f"d{index}-q{len(quotes) + 1}",
                            "number": len(quotes) + 1,
                            "text": e.text,
                            "where": where(e),
                            "serves": [],
                        }
                        quotes[(e.paragraph, e.text)] = quote
                    served = next((s for s in quote["serves"] if s["aim"] == r.aim), None)
                    if served is None:
                        served = {"aim": r.aim, "title": item["title"], "rules": [], "anchor": item["anchor"]}
                        quote["serves"].append(served)
                    if e.rule not in served["rules"]:
                        served["rules"].append(e.rule)
                    if quote not in item["quotes"]:
                        item["quotes"].append(quote)
            items.append(item)
        applicable = [i for i in items if i["status"] != Status.NOT_APPLICABLE]
        frameworks.append(
            {
                "id": fid,
                "title": fw.title if fw else fid,
                "met": [i for i in items if i["status"] in (Status.ADDRESSED, Status.PARTIAL)],
                "gaps": [i for i in items if i["status"] == Status.NOT_ADDRESSED],
                "exempt": [i for i in items if i["status"] == Status.NOT_APPLICABLE],
                "addressed": sum(i["status"] == Status.ADDRESSED for i in items),
                "partial": sum(i["status"] == Status.PARTIAL for i in items),
                "applicable": len(applicable),
            }
        )
    claims = (
        [
            {"aim": c.aim, "title": title_of(catalogue, c.aim), "status": c.status.value, "how": c.how}
            for c in doc.claims
        ]
        if doc.claims is not None
        else None
    )
    return {
        "index": index,
        "id": f"doc-{index}",
        "path": doc.path,
        "title": doc.title,
        "format": doc.format,
        "error": doc.error,
        "notes": list(doc.notes),
        "results": {r.aim: r for r in doc.aims},
        "claims": claims,
        "unsupported": sum(c.status == ClaimStatus.UNSUPPORTED for c in doc.claims or ()),
        "further": [{"aim": a, "title": title_of(catalogue, a)} for a in doc.further],
        "frameworks": frameworks,
        "gap_count": sum(len(f["gaps"]) for f in frameworks),
        "quotes": list(quotes.values()),
        "annotated": _annotated(doc, catalogue),
    }


# Longer documents are not embedded: the page would grow past what a reader opens (`annotate` shows them).
MAX_EMBEDDED_PARAGRAPHS = 2000


def _annotated(doc: DocumentResult, catalogue: Catalogue) -> list[dict[str, Any]] | None:
    """The document's own text with its evidence marked, read again from its file; None when it cannot be
    read again (moved, changed into something unreadable) or is too long to embed."""
    if doc.error is not None:
        return None
    from send_align.errors import SendAlignError
    from send_align.extract import extract
    from send_align.report.annotated import gather, paragraphs

    try:
        document = extract(Path(doc.path), doc.path)
    except (SendAlignError, OSError, ValueError):
        return None
    if len(document.blocks) > MAX_EMBEDDED_PARAGRAPHS:
        return None
    return paragraphs(gather(catalogue, document, doc))
