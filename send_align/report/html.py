"""One self-contained HTML page to circulate before sign-off: inline CSS and SVG, no scripts, no network.

A Jinja2 template with autoescaping, so every piece of document text is escaped by construction; every printed
value first goes through escaping.prose, so a file name or quote cannot reorder the page with bidirectional
controls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from send_align.crosswalk import SYMBOL, build_crosswalk
from send_align.escaping import prose
from send_align.model import Aim, Catalogue
from send_align.report.common import by_framework, where
from send_align.reporting import RenderOptions
from send_align.results import AimResult, DocumentResult, Report, Status
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


@dataclass
class Cell:
    status: str
    symbol: str
    label: str
    score: float


@dataclass
class Row:
    aim: Aim
    cells: list[Cell | None]
    """One per document; None where the document could not be read."""


@dataclass
class Section:
    id: str
    title: str
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


def _cell(res: AimResult | None) -> Cell | None:
    return None if res is None else _cell_for(res.status, res.score)


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    readable = [d for d in report.documents if d.error is None]
    by_doc = [{r.aim: r for r in d.aims} for d in report.documents]
    sections = []
    for cov in report.frameworks:
        fw = catalogue.framework(cov.id)
        if fw is None:
            continue
        section = Section(fw.id, fw.title, cov)
        for aim in fw.aims:
            cells = [
                _cell(results.get(aim.id)) if doc.error is None else None
                for doc, results in zip(report.documents, by_doc, strict=True)
            ]
            section.rows.append(Row(aim, cells))
        sections.append(section)
    shown_ids = {c.id for c in report.frameworks}
    best = best_status(readable)
    crosswalk = []
    cw = build_crosswalk(catalogue)
    for nfw in cw.national:
        if nfw.id not in shown_ids and not any(f.id in shown_ids for f in cw.local):
            continue
        rows = []
        for aim in nfw.aims:
            pairs = [p for p in cw.locals_for(aim.id) if p.local.framework in shown_ids]
            if not pairs:
                continue
            met = [p for p in pairs if best.get(p.local.id) is Status.ADDRESSED]
            own = best.get(aim.id)
            rows.append(
                {
                    "aim": aim,
                    "own": _cell_for(own),
                    "locals": [
                        {
                            "aim": p.local,
                            "relation": RELATION_WORDS[p.relation],
                            "symbol": SYMBOL[p.relation],
                            "cell": _cell_for(best.get(p.local.id)),
                        }
                        for p in pairs
                    ],
                    "met": len(met),
                }
            )
        if rows:
            crosswalk.append({"framework": nfw, "rows": rows})
    documents = [_document_view(d, catalogue) for d in report.documents]
    total_addressed = sum(c.addressed for c in report.frameworks)
    total = sum(c.total for c in report.frameworks)
    return str(
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            sections=sections,
            documents=documents,
            crosswalk=crosswalk,
            overall=round(100 * total_addressed / total, 1) if total else 0.0,
            total_addressed=total_addressed,
            total=total,
            legend=[LABEL[s] + (s.value,) for s in Status],
        )
    )


def _cell_for(status: Status | None, score: float = 0.0) -> Cell | None:
    if status is None:
        return None
    symbol, label = LABEL[status]
    return Cell(status.value, symbol, label, score)


def _document_view(doc: DocumentResult, catalogue: Catalogue) -> dict[str, Any]:
    frameworks = []
    for fid, results in by_framework(doc).items():
        fw = catalogue.framework(fid)
        items = []
        for r in results:
            aim = catalogue.aim(r.aim)
            symbol, label = LABEL[r.status]
            items.append(
                {
                    "id": r.aim,
                    "title": aim.title if aim else r.aim,
                    "status": r.status.value,
                    "symbol": symbol,
                    "label": label,
                    "score": r.score,
                    "reason": r.reason,
                    "evidence": [{"text": e.text, "where": where(e), "rule": e.rule} for e in r.evidence[:3]],
                }
            )
        frameworks.append(
            {
                "id": fid,
                "title": fw.title if fw else fid,
                "aims": items,
                "gaps": [i for i in items if i["status"] in ("not-addressed", "partial")],
                "exempt": [i for i in items if i["status"] == "not-applicable"],
                "addressed": sum(i["status"] == "addressed" for i in items),
            }
        )
    return {
        "path": doc.path,
        "title": doc.title,
        "format": doc.format,
        "error": doc.error,
        "notes": list(doc.notes),
        "claims": [
            {"aim": c.aim, "title": _title(catalogue, c.aim), "status": c.status, "how": c.how}
            for c in (doc.claims or ())
        ]
        if doc.claims is not None
        else None,
        "further": [{"aim": a, "title": _title(catalogue, a)} for a in doc.further],
        "frameworks": frameworks,
    }


def _title(catalogue: Catalogue, aim_id: str) -> str:
    aim = catalogue.aim(aim_id)
    return aim.title if aim else aim_id
