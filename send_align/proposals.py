"""Proposal claims judged against what the proposal's own body addresses."""

from __future__ import annotations

from collections.abc import Sequence

from send_align.errors import Problem
from send_align.model import Catalogue
from send_align.results import AimResult, Claim, ClaimResult, ClaimStatus, Status


def unknown_claims(catalogue: Catalogue, claims: Sequence[Claim], path: str) -> list[Problem]:
    return [
        Problem(
            f"claim names unknown aim '{c.aim}'",
            path,
            c.line,
            "see `send-align search` or `send-align show FRAMEWORK` for the ids",
        )
        for c in claims
        if catalogue.aim(c.aim) is None
    ]


def judge_claims(claims: Sequence[Claim], results: dict[str, AimResult]) -> list[ClaimResult]:
    """A claim is supported when the body addresses the aim; the claim's own words never count."""
    out = []
    for claim in claims:
        res = results.get(claim.aim)
        ok = res is not None and res.status is Status.ADDRESSED
        status = ClaimStatus.SUPPORTED if ok else ClaimStatus.UNSUPPORTED
        out.append(ClaimResult(claim.aim, status, claim.how, claim.line))
    return out


def further_alignment(claims: Sequence[Claim], results: Sequence[AimResult]) -> list[str]:
    named = {c.aim for c in claims}
    return [r.aim for r in results if r.status is Status.ADDRESSED and r.aim not in named]
