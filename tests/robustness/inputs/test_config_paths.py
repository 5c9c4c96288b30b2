"""Paths a configuration names: outside the repository refused unless allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a policy inside, and a secret document beside it (outside)."""
    root = tmp_path / "repo"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(
        "# Private notes\n\nThe secret budget line reads: every child with SEND belongs.\n", "utf-8"
    )
    return root


def test_config_paths_outside_the_repository_are_refused(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "send-align.toml").write_text('paths = ["/etc", "../outside"]\n', "utf-8")
    res = cli("check", "--format", "json", cwd=repo)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2, res.stderr
    assert "'/etc' leads outside the configuration's folder" in errors[0]
    assert "'../outside' leads outside" in errors[1] and "send-align.toml:1:" in errors[1]
    assert "--allow-outside-paths" in errors[0]
    assert "secret" not in res.stdout + res.stderr


def test_links_strategies_and_baseline_outside_are_refused(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "linked").symlink_to(repo.parent / "outside")
    (repo / "send-align.toml").write_text(
        'paths = ["policies", "linked"]\nstrategies = ["../outside"]\nbaseline = "../outside/b.json"\n', "utf-8"
    )
    res = cli("check", cwd=repo)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert [e.split(": ")[2] for e in errors] == ["paths", "strategies", "baseline"], errors
    assert "'linked' leads outside" in errors[0]


def test_allow_outside_paths_reads_them_and_inside_links_are_fine(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "here").symlink_to(repo / "policies")
    (repo / "send-align.toml").write_text('paths = ["here", "../outside"]\n', "utf-8")
    res = cli("check", "--format", "json", "--allow-outside-paths", cwd=repo)
    assert res.code == 0, res.stderr
    shown = [d["path"] for d in json.loads(res.stdout)["documents"]]
    assert any(p.endswith("secret.md") for p in shown) and any(p.endswith("policy.md") for p in shown)
    (repo / "send-align.toml").write_text('paths = ["here"]\n', "utf-8")
    assert cli("check", "--format", "json", cwd=repo).code == 0
