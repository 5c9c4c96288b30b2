"""The baseline: old gaps accepted, new ones and falling coverage fail, a bad baseline is bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_check import report_of


def test_baseline_accepts_old_gaps_and_fails_on_new_ones(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    gate = ("--require", "cop.vision", "--require", "cop.choice-and-control", "--format", "json")
    res = cli("check", "policies", *gate, "--baseline", str(base), "--update-baseline", cwd=repo)
    assert res.code == 0
    assert "2 accepted gate failures" in res.stderr
    accepted = json.loads(base.read_text("utf-8"))["accepted"]
    assert {a["aim"] for a in accepted} == {"cop.vision", "cop.choice-and-control"}
    # The same gaps: passes, and the report says what the baseline accepted.
    res = cli("check", "policies", *gate, "--baseline", str(base), cwd=repo)
    assert res.code == 0
    data = report_of(res)
    assert data["gate"]["passed"] and len(data["gate"]["baselined"]) == 2
    # A new gap fails.
    res = cli(
        "check",
        "policies",
        *gate,
        "--require",
        "cop.preparation-for-adulthood",
        "--baseline",
        str(base),
        cwd=repo,
    )
    assert res.code == 1
    assert [f["aim"] for f in report_of(res)["gate"]["failures"]] == ["cop.preparation-for-adulthood"]
    # Byte-identical baseline when nothing changed.
    before = base.read_bytes()
    cli("check", "policies", *gate, "--baseline", str(base), "--update-baseline", cwd=repo)
    assert base.read_bytes() == before


def test_baseline_coverage_may_not_fall(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    cli(
        "check",
        "policies",
        "-f",
        "cop",
        "--fail-under",
        "99",
        "--baseline",
        str(base),
        "--update-baseline",
        cwd=repo,
    )
    assert (
        cli("check", "policies", "-f", "cop", "--fail-under", "99", "--baseline", str(base), cwd=repo).code
        == 0
    )
    # Coverage falls: the accepted failure no longer covers it.
    (repo / "policies" / "send.md").write_text("# SEND policy\n\nWe identify needs early.\n", "utf-8")
    res = cli("check", "policies", "-f", "cop", "--fail-under", "99", "--baseline", str(base), cwd=repo)
    assert res.code == 1


@pytest.mark.parametrize(
    "content", ["not json", '{"schema_version": "9", "accepted": []}', '{"accepted": [1]}']
)
def test_bad_baseline_is_bad_input(repo: Path, cli: Callable, content: str) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    base.write_text(content, "utf-8")
    res = cli("check", "policies", "--baseline", str(base), cwd=repo)
    assert res.code == 2 and "baseline" in res.stderr
    missing = cli("check", "policies", "--baseline", str(repo / "nope.json"), cwd=repo)
    assert missing.code == 2 and "--update-baseline" in missing.stderr
