"""SARIF 2.1.0 for code scanning: a rule per aim; a result per gate failure and unsupported claim, located."""

from __future__ import annotations

import json
from typing import Any

from send_align.escaping import uri
from send_align.model import Catalogue
from send_align.reporting import RenderOptions
from send_align.results import GateKind, Report, Status

COVERAGE_RULE = "send-align.coverage"


def _location(path: str, line: int | None) -> dict[str, Any]:
    # SARIF wants a URI reference: `#`, `%`, spaces and non-ASCII letters in a file name are percent-encoded.
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(path)}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    shown = [fw.id for fw in catalogue.frameworks if any(c.id == fw.id for c in report.frameworks)]
    aims = [a for fid in shown for a in catalogue.framework(fid).aims]  # type: ignore[union-attr]
    rules: list[dict[str, Any]] = [
        {
            "id": a.id,
            "name": a.id.replace(".", "/"),
            "shortDescription": {"text": a.title},
            "fullDescription": {"text": a.statement},
            "help": {"text": f"{a.statement}\nSource: {a.source}"},
            "properties": {"framework": a.framework, "kind": a.kind},
        }
        for a in aims
    ]
    rules.append(
        {
            "id": COVERAGE_RULE,
            "name": "coverage",
            "shortDescription": {"text": "Coverage gate"},
            "fullDescription": {"text": "The share of applicable aims addressed must reach --fail-under."},
        }
    )
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    baseline_used = bool(report.baselined)
    for f, accepted in [*((f, False) for f in report.failures), *((f, True) for f in report.baselined)]:
        rule_id = f.aim if f.aim in index else COVERAGE_RULE
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": "note" if accepted else "error",
            # A result located in its document says the failure without naming the document again.
            "message": {"text": f.detail if f.path else f.message},
        }
        if baseline_used:
            # Code scanning shows which failures the repository's baseline already accepts.
            result["baselineState"] = "unchanged" if accepted else "new"
        if f.kind is GateKind.CLAIM and f.path:
            doc = next((d for d in report.documents if d.path == f.path), None)
            claim = next((c for c in (doc.claims or ()) if c.aim == f.aim), None) if doc else None
            result["locations"] = [_location(f.path, claim.line if claim else None)]
        elif f.path:
            result["locations"] = [_location(f.path, None)]
        elif f.kind is GateKind.REQUIRE:
            # The gap belongs to the whole set; point at each document that was checked for it.
            result["locations"] = [_location(d.path, None) for d in report.documents if not d.error][:10]
        results.append(result)
    for doc in report.documents:
        for r in doc.aims:
            if r.status is Status.NOT_APPLICABLE and r.aim in index:
                # Exemptions are part of the record: SARIF's own kind for a rule that does not apply.
                results.append(
                    {
                        "ruleId": r.aim,
                        "ruleIndex": index[r.aim],
                        "kind": "notApplicable",
                        "level": "none",
                        "message": {"text": f"{r.aim} is not applicable: {r.reason}"},
                        "locations": [_location(doc.path, None)],
                    }
                )
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "send-align", "version": report.version, "rules": rules}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
