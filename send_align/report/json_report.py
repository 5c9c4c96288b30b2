"""The JSON report of CONTRACTS.md §2 (schemas/report.schema.json): deterministic, no timestamps."""

from __future__ import annotations

import json
from typing import Any

from send_align.model import Catalogue
from send_align.report import RenderOptions
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
    out["aims"] = [aim_json(r) for r in doc.aims]
    if doc.claims is not None:
        out["claims"] = [{"aim": c.aim, "status": c.status, "how": c.how, "line": c.line} for c in doc.claims]
        out["further_alignment"] = list(doc.further)
    return out


def report_json(report: Report) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "tool": {"name": "send-align", "version": report.version},
        "documents": [document_json(d) for d in report.documents],
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


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
