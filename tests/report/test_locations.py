"""Where a quote comes from, in every format that prints it: a long section name is cut with an ellipsis,
never silently, and JSON keeps it whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADING = "How the school works with parents and carers of pupils with special educational needs in every year"
POLICY = (
    f"# Hilltop Primary School\n\n## {HEADING}\n\nWe involve parents and carers in every decision about their "
    "child's support, and the SENCO meets each family termly to review the plan together.\n"
)


def test_a_long_section_name_is_cut_with_an_ellipsis(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    data = cli("check", "policy.md", "--format", "json", cwd=tmp_path).json()
    sections = {e["section"] for a in data["documents"][0]["aims"] for e in a.get("evidence", [])}
    assert sections == {HEADING}  # the report's data keeps the name whole
    shown = HEADING[:59].rstrip() + "…"
    for fmt in ("markdown", "junit"):
        res = cli("check", "policy.md", "--format", fmt, cwd=tmp_path)
        assert res.code in (0, 1), res.stderr
        assert f"“{shown}”" in res.stdout, fmt
        assert HEADING not in res.stdout, fmt
