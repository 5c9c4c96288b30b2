"""Gates against the finished results: coverage floors, required aims, supported claims."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import replace

from send_align.model import Framework
from send_align.options import Gates
from send_align.paths import path_matches
from send_align.results import ClaimStatus, DocumentResult, FrameworkCoverage, GateFailure, GateKind, Status
from send_align.scoring import best_status, coverage


def evaluate_gates(
    gates: Gates,
    frameworks: Sequence[Framework],
    docs: Sequence[DocumentResult],
    covs: Sequence[FrameworkCoverage],
    rel_of: dict[str, str] | None = None,
) -> list[GateFailure]:
    failures: list[GateFailure] = []
    all_ids = [a.id for f in frameworks for a in f.aims]
    if gates.per_document:
        for d in docs:
            failures += _document_gates(d, frameworks, all_ids, gates.require, gates.fail_under, "")
        set_gates = replace(gates, fail_under=None, require=())
    else:
        set_gates = gates
    for pg in gates.by_path:
        for d in docs:
            if path_matches(pg.patterns, (rel_of or {}).get(d.path, d.path)):
                failures += _document_gates(
                    d, frameworks, all_ids, pg.require, pg.fail_under, f" (gate for {pg.describe()})"
                )
                if pg.require_any:
                    ids = [i for i in all_ids if any(fnmatch.fnmatchcase(i, p) for p in pg.require_any)]
                    by_id = {r.aim: r.status for r in d.aims}
                    if not any(by_id.get(i) is Status.ADDRESSED for i in ids):
                        failures.append(
                            GateFailure(
                                kind=GateKind.REQUIRE_ANY,
                                message=f"{d.path} addresses none of {', '.join(pg.require_any)}"
                                f" (gate for {pg.describe()})",
                                path=d.path,
                            )
                        )
    gates = set_gates
    if gates.fail_under is not None:
        addressed = sum(c.addressed for c in covs)
        total = sum(c.total for c in covs)
        pct = 100 * addressed / total if total else 0.0
        if pct < gates.fail_under:
            failures.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"coverage {pct:.1f}% is under {gates.fail_under:g}%",
                    value=round(pct, 1),
                )
            )
    for fid, limit in sorted(gates.fail_under_framework.items()):
        c = next((c for c in covs if c.id == fid), None)
        if c is None:
            continue
        if c.coverage < limit:
            failures.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"{fid} coverage {c.coverage:.1f}% is under {limit:g}%",
                    framework=fid,
                    value=c.coverage,
                )
            )
    best = best_status(docs)
    for pattern in gates.require:
        ids = [i for i in all_ids if fnmatch.fnmatchcase(i, pattern)]
        for aim_id in ids:
            if best.get(aim_id) is not Status.ADDRESSED and best.get(aim_id) is not Status.NOT_APPLICABLE:
                failures.append(
                    GateFailure(
                        kind=GateKind.REQUIRE, message=f"required aim {aim_id} is not addressed", aim=aim_id
                    )
                )
    for d in docs:
        for claim in d.claims or ():
            if claim.status is ClaimStatus.UNSUPPORTED:
                failures.append(
                    GateFailure(
                        kind=GateKind.CLAIM,
                        message=f"claim {claim.aim} is not supported by the proposal's body",
                        aim=claim.aim,
                        path=d.path,
                    )
                )
    return failures


def _document_gates(
    d: DocumentResult,
    frameworks: Sequence[Framework],
    all_ids: Sequence[str],
    require: Sequence[str],
    fail_under: float | None,
    why: str,
) -> list[GateFailure]:
    """One document judged on its own: its coverage and the aims it must address."""
    out: list[GateFailure] = []
    if fail_under is not None:
        covs = coverage(frameworks, [d])
        addressed = sum(c.addressed for c in covs)
        total = sum(c.total for c in covs)
        pct = 100 * addressed / total if total else 0.0
        if pct < fail_under:
            out.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"{d.path}: coverage {pct:.1f}% is under {fail_under:g}%{why}",
                    path=d.path,
                    value=round(pct, 1),
                )
            )
    by_id = {r.aim: r.status for r in d.aims}
    for pattern in require:
        for aim_id in (i for i in all_ids if fnmatch.fnmatchcase(i, pattern)):
            if by_id.get(aim_id) not in (Status.ADDRESSED, Status.NOT_APPLICABLE):
                out.append(
                    GateFailure(
                        kind=GateKind.REQUIRE,
                        message=f"{d.path} does not address required aim {aim_id}{why}",
                        aim=aim_id,
                        path=d.path,
                    )
                )
    return out
