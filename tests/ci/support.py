"""What the CI tests share: a short SEND policy and an aim's status in a JSON report."""

from __future__ import annotations

POLICY = """# Hilltop SEND policy

We aim to identify needs as early as possible, starting from each child's strengths.
SEN support follows the graduated approach: assess, plan, do, review.
We meet parents each term to agree their child's outcomes; the parent carer forum helped write this policy.
Pupils share their views at every review, and our school council helped choose the new reading books.
"""


def aim_status(report: dict, path_end: str, aim: str) -> dict:  # type: ignore[type-arg]
    doc = next(d for d in report["documents"] if d["path"].endswith(path_end))
    return next(a for a in doc["aims"] if a["id"] == aim)  # type: ignore[no-any-return]
