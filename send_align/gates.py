"""Gates against the finished results: coverage floors, required aims, supported claims."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
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
    """Every gate failure, in order: each document's own gates, the set's coverage floors and required
    aims, then unsupported claims. `rel_of` gives documents' paths as path gates match them."""
    all_ids = [a.id for f in frameworks for a in f.aims]
    failures: list[GateFailure] = []
    if gates.per_document:
        for d in docs:
            failures += _document_gates(d, frameworks, all_ids, gates.require, gates.fail_under, "")
    failures += _path_gates(gates, frameworks, all_ids, docs, rel_of or {})
    set_gates = replace(gates, fail_under=None, require=()) if gates.per_document else gates
    failures += _set_gates(set_gates, all_ids, docs, covs)
    for d in docs:
        for claim in d.claims or ():
            if claim.status is ClaimStatus.UNSUPPORTED:
                failures.append(
                    _of_document(
                        d.path,
                        GateKind.CLAIM,
                        f"claim {claim.aim} is not supported by the proposal's body",
                        aim=claim.aim,
                    )
                )
    return failures


def any_gate(gates: Gates, docs: Sequence[DocumentResult]) -> bool:
    """Whether the run applies any gate: one the options set, or the claims of a proposal it read."""
    set_by_options = (
        gates.fail_under is not None or gates.fail_under_framework or gates.require or gates.by_path
    )
    return bool(set_by_options) or any(d.claims for d in docs if d.error is None)


def _of_document(
    path: str, kind: GateKind, detail: str, *, aim: str | None = None, value: float | None = None
) -> GateFailure:
    """A failure about one document: its message names the document once, first; its detail does not."""
    return GateFailure(kind=kind, message=f"{path}: {detail}", detail=detail, aim=aim, path=path, value=value)


def _path_gates(
    gates: Gates,
    frameworks: Sequence[Framework],
    all_ids: Sequence[str],
    docs: Sequence[DocumentResult],
    rel_of: dict[str, str],
) -> list[GateFailure]:
    """The configuration's gates for documents whose paths match a pattern."""
    failures: list[GateFailure] = []
    for pg in gates.by_path:
        for d in docs:
            if not path_matches(pg.patterns, rel_of.get(d.path, d.path)):
                continue
            why = f" (gate for {pg.describe()})"
            failures += _document_gates(d, frameworks, all_ids, pg.require, pg.fail_under, why)
            if pg.require_any:
                ids = [i for i in all_ids if any(fnmatch.fnmatchcase(i, p) for p in pg.require_any)]
                by_id = {r.aim: r.status for r in d.aims}
                if not any(by_id.get(i) is Status.ADDRESSED for i in ids):
                    failures.append(
                        _of_document(
                            d.path,
                            GateKind.REQUIRE_ANY,
                            f"addresses none of {', '.join(pg.require_any)}{why}",
                        )
                    )
    return failures


def _set_gates(
    gates: Gates, all_ids: Sequence[str], docs: Sequence[DocumentResult], covs: Sequence[FrameworkCoverage]
) -> list[GateFailure]:
    """The document set judged as a whole: its coverage, each framework's, and the aims it must address."""
    failures: list[GateFailure] = []
    if gates.fail_under is not None:
        pct = _percent(covs)
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
        if c is not None and c.coverage < limit:
            failures.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"{fid} coverage {c.coverage:.1f}% is under {limit:g}%",
                    framework=fid,
                    value=c.coverage,
                )
            )
    for aim_id in _unmet(all_ids, gates.require, best_status(docs)):
        failures.append(
            GateFailure(kind=GateKind.REQUIRE, message=f"required aim {aim_id} is not addressed", aim=aim_id)
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
        pct = _percent(coverage(frameworks, [d]))
        if pct < fail_under:
            out.append(
                _of_document(
                    d.path,
                    GateKind.FAIL_UNDER,
                    f"coverage {pct:.1f}% is under {fail_under:g}%{why}",
                    value=round(pct, 1),
                )
            )
    for aim_id in _unmet(all_ids, require, {r.aim: r.status for r in d.aims}):
        out.append(
            _of_document(d.path, GateKind.REQUIRE, f"required aim {aim_id} is not addressed{why}", aim=aim_id)
        )
    return out


def _percent(covs: Sequence[FrameworkCoverage]) -> float:
    """The share of applicable aims addressed, across the frameworks, as a percentage."""
    addressed = sum(c.addressed for c in covs)
    total = sum(c.total for c in covs)
    return 100 * addressed / total if total else 0.0


def _unmet(all_ids: Sequence[str], patterns: Sequence[str], status_of: dict[str, Status]) -> Iterator[str]:
    """The aims the patterns name (in pattern order) that are neither addressed nor exempt."""
    for pattern in patterns:
        for aim_id in (i for i in all_ids if fnmatch.fnmatchcase(i, pattern)):
            if status_of.get(aim_id) not in (Status.ADDRESSED, Status.NOT_APPLICABLE):
                yield aim_id
