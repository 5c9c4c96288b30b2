"""No output ever lands on a file being read (documents, configuration, strategies, baseline) or
on another output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.outputs.support import assert_clean, hostile_strategy, run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "spelling",
    [
        "lib/policy.md",
        "./lib/../lib/policy.md",
        "link.md",
        "hard.md",
        "linked-folder/policy.md",
        "lib/sub/deep.md",
    ],
)
@pytest.mark.parametrize("option", ["-o", "--baseline"])
def test_no_output_lands_on_a_document_being_read(good: Path, spelling: str, option: str) -> None:
    root = good.parent
    (good / "sub").mkdir()
    (good / "sub" / "deep.md").write_text(SEND_POLICY_MD.replace("Hilltop", "Deep"), "utf-8")
    (root / "link.md").symlink_to(good / "policy.md")
    os.link(good / "policy.md", root / "hard.md")
    (root / "linked-folder").symlink_to(good)
    before = snapshot(root)
    extra = ["--update-baseline"] if option == "--baseline" else []
    r = run("check", "lib", "--no-config", "--require", "lfi.*", option, spelling, *extra, cwd=root)
    assert r.code == 2, r.stderr
    assert_clean(r)
    assert len(r.stderr.splitlines()) == 1 and "inputs are never overwritten" in r.stderr
    assert snapshot(root) == before  # nothing written, no temporary file left


def test_outputs_never_land_on_the_configuration_strategies_baseline_or_each_other(good: Path) -> None:
    root = good.parent
    (root / "send-align.toml").write_text('paths = ["lib"]\n', "utf-8")
    strategies = hostile_strategy(root / "strategies")
    first = run("check", "--update-baseline", "--baseline", "base.json", "--require", "lfi.*", cwd=root)
    assert first.code == 0, first.stderr
    before = snapshot(root)
    for args in (
        ["-o", "send-align.toml"],
        ["-o", "strategies/evil.yaml", "--strategies", str(strategies)],
        ["-o", "base.json", "--baseline", "base.json"],
        ["-o", "new.json", "--baseline", "./new.json", "--update-baseline"],
    ):
        r = run("check", *args, cwd=root)
        assert r.code == 2, (args, r.stderr)
        assert_clean(r)
        assert "never overwritten" in r.stderr or "the same file" in r.stderr, r.stderr
        assert snapshot(root) == before, args


def test_standard_output_redirected_onto_a_document_is_refused(good: Path) -> None:
    policy = good / "policy.md"
    with policy.open("ab") as appended:  # `>> lib/policy.md`: the shell has not cut it short
        r = run("check", good, stdout=appended.fileno())
    assert r.code == 2 and "standard output" in r.stderr and "never overwritten" in r.stderr
    assert policy.read_text("utf-8") == SEND_POLICY_MD
