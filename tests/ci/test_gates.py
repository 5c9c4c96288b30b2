"""Gates per path pattern and per document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.test_check import report_of


def test_gate_per_path_pattern_judges_each_matching_document(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        '[[gates]]\npaths = ["proposals/**"]\nrequire-any = ["dfe-ap.*"]\n'
        '[[gates]]\npaths = ["policies/*.md"]\nrequire = ["cop.vision"]\n',
        "utf-8",
    )
    res = cli("check", "policies", "proposals", "--format", "json", cwd=repo)
    data = report_of(res)
    kinds = {(f["kind"], f["path"]) for f in data["gate"]["failures"]}
    assert ("require", "policies/send.md") in kinds
    assert res.code == 1
    # The proposal adds specialist places (dfe-ap.specialist-capacity), so its require-any gate holds.
    assert not any(f["kind"] == "require-any" for f in data["gate"]["failures"])
    (repo / "send-align.toml").write_text(
        '[[gates]]\npaths = ["proposals/"]\nrequire-any = ["flourish.priority-4"]\n', "utf-8"
    )
    res = cli("check", "policies", "proposals", "--format", "json", cwd=repo)
    failures = report_of(res)["gate"]["failures"]
    assert res.code == 1
    assert [(f["kind"], f["path"]) for f in failures if f["kind"] != "claim"] == [
        ("require-any", "proposals/base.yaml")
    ]


def test_per_document_applies_require_to_each_document(repo: Path, cli: Callable, tmp_path: Path) -> None:  # type: ignore[type-arg]
    (repo / "policies" / "verges.md").write_text(
        "Verges are cut twice a year to keep junctions safe.\n", "utf-8"
    )
    args = ("check", "policies", "--require", "cop.early-identification", "--format", "json")
    assert cli(*args, cwd=repo).code == 0  # the set addresses it
    res = cli(*args, "--per-document", cwd=repo)
    assert res.code == 1
    failures = report_of(res)["gate"]["failures"]
    assert [f["path"] for f in failures] == ["policies/verges.md"]


def test_per_document_fail_under(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    res = cli(
        "check", "policies", "-f", "cop", "--fail-under", "10", "--per-document", "--format", "json", cwd=repo
    )
    assert res.code == 0
    res = cli(
        "check", "policies", "-f", "cop", "--fail-under", "95", "--per-document", "--format", "json", cwd=repo
    )
    assert res.code == 1
    (failure,) = report_of(res)["gate"]["failures"]
    assert failure["kind"] == "fail-under" and failure["path"] == "policies/send.md"
    assert 0 < failure["value"] < 95
