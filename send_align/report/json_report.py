"""The JSON report of CONTRACTS.md §2 (schemas/report.schema.json): deterministic, no timestamps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from send_align.model import Catalogue
from send_align.reporting import RenderOptions
from send_align.results import AimResult, DocumentResult, Evidence, GateFailure, Report

MAX_EVIDENCE = 5


def evidence_json(ev: Evidence) -> dict[str, Any]:
    return {
        "line": ev.line,
        "column": ev.column,
        "page": ev.page,
        "section": ev.section,
        "text": ev.text,
        "rule": ev.rule,
        "paragraph": ev.paragraph,
        "matched": ev.phrase,
    }


def aim_json(res: AimResult) -> dict[str, Any]:
    return {
        "id": res.aim,
        "status": res.status.value,
        "score": res.score,
        "evidence": [evidence_json(e) for e in res.evidence[:MAX_EVIDENCE]],
        "evidence_total": len(res.evidence),
        "reason": res.reason,
    }


def document_json(doc: DocumentResult) -> dict[str, Any]:
    out: dict[str, Any] = {"path": doc.path, "format": doc.format, "title": doc.title}
    if doc.error is not None:
        out["error"] = doc.error
    if doc.notes:
        out["notes"] = list(doc.notes)
    out["aims"] = [aim_json(r) for r in doc.aims]
    if doc.claims is not None:
        out["claims"] = [{"aim": c.aim, "status": c.status, "how": c.how, "line": c.line} for c in doc.claims]
        out["further_alignment"] = list(doc.further)
    return out


def _summary_json(report: Report) -> dict[str, Any]:
    return {
        "frameworks": [
            {
                "id": c.id,
                "title": c.title,
                "addressed": c.addressed,
                "partial": c.partial,
                "total": c.total,
                "coverage": c.coverage,
            }
            for c in report.frameworks
        ],
        "gate": {
            "passed": report.gate_passed,
            "set": report.gates_set,
            "failures": [_failure(f) for f in report.failures],
            "baselined": [_failure(f) for f in report.baselined],
        },
        "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
    }


def _failure(f: GateFailure) -> dict[str, object]:
    return {
        "kind": f.kind,
        "message": f.message,
        "aim": f.aim,
        "path": f.path,
        "framework": f.framework,
        "value": f.value,
    }


class StoredJson:
    """Documents' JSON as the cache kept it, for the very results the cache gave (matched by identity, each
    result held so its identity stays its own): the JSON report writes it in place of rendering them."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[DocumentResult, bytes]] = {}

    def add(self, result: DocumentResult, data: bytes) -> None:
        self._by_id[id(result)] = (result, data)

    def get(self, result: DocumentResult) -> bytes | None:
        """The document's JSON after its path (UTF-8), when the cache gave this result."""
        hit = self._by_id.get(id(result))
        return hit[1] if hit is not None and hit[0] is result else None


def document_line(doc: DocumentResult, stored: StoredJson | None = None) -> str | bytes:
    """One document's JSON on one line: as the cache kept it (UTF-8 bytes) when the cache gave the result."""
    head = '{"path": ' + _compact(doc.path)
    kept = stored.get(doc) if stored is not None else None
    if kept is not None:
        return head.encode("utf-8") + kept
    return head + after_path(doc)


def after_path(doc: DocumentResult) -> str:
    """The document's compact JSON after its path: what the cache keeps, the path being spliced in."""
    text = _compact(document_json(doc))
    head = '{"path": ' + _compact(doc.path)
    assert text.startswith(head)
    return text[len(head) :]


def _compact(value: Any) -> str:
    # Without `indent` the json module encodes in C, many times faster than its pretty printer.
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_chunks(report: Report, stored: StoredJson | None = None) -> Iterator[str | bytes]:
    """The report in pieces, a document at a time, so a report on thousands of documents is never held
    whole in memory: top-level keys one per line, each document and framework on a line of its own.
    Documents whose results the cache gave are written as it kept them (`stored`)."""
    yield '{\n  "schema_version": "1",\n'
    yield f'  "tool": {_compact({"name": "send-align", "version": report.version})},\n'
    yield '  "documents": ['
    for i, doc in enumerate(report.documents):
        sep = ("," if i else "") + "\n    "
        line = document_line(doc, stored)
        yield sep.encode("utf-8") + line if isinstance(line, bytes) else sep + line
    yield "\n  ]" if report.documents else "]"
    for key, value in _summary_json(report).items():
        if isinstance(value, list) and value:
            yield f',\n  "{key}": [' + ",".join("\n    " + _compact(v) for v in value) + "\n  ]"
        else:
            yield f',\n  "{key}": {_compact(value)}'
    yield "\n}\n"


def render(
    report: Report, catalogue: Catalogue, options: RenderOptions, stored: StoredJson | None = None
) -> Iterator[str | bytes]:
    return render_chunks(report, stored)
