"""Hostile folders: link loops, unreadable files, ten thousand files, names a shell would read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.catalogue.support import assert_clean, bounded, report


def test_symlinks_loops_and_links_outside_the_folder(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Pupils with SEND: password hunter2 is the key to the SEN support register.", "utf-8")
    (good / "outside.txt").symlink_to(secret)
    (good / "loop").symlink_to(good)
    (good / "dangling.txt").symlink_to(good / "missing.txt")
    (good / "sub").mkdir()
    (good / "sub" / "inside.md").symlink_to(good / "policy.md")
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    data = report(run)
    assert "hunter2" not in run.stdout
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert "outside the folder" in skipped["outside.txt"]
    assert "not followed" in skipped["loop"]
    assert "broken" in skipped["dangling.txt"]
    assert "the same file as" in skipped["inside.md"]  # a link within the folder: checked once
    assert {Path(d["path"]).name for d in data["documents"]} == {"policy.md"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported_and_the_rest_checked(good: Path) -> None:
    bad = good / "locked.md"
    bad.write_text("secret", "utf-8")
    bad.chmod(0)
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    assert run.code == 2 and "locked.md" in run.stderr and "Permission denied" in run.stderr
    assert any(d["path"].endswith("policy.md") and "error" not in d for d in report(run)["documents"])


def test_ten_thousand_tiny_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for n in range(10_000):
        sub = folder / f"d{n // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{n:05d}.txt").write_text(
            f"Note {n}: pupils with SEND meet the SENCo each term.\n", "utf-8"
        )
    run = bounded("check", str(folder), "--format", "json", "-o", os.devnull, timeout=600)
    # Measured on a 2-core machine; see docs/robustness.md. Memory is the hard bound here; the time bound only
    # says the run ends (the same code read 42-67 s of CPU on one machine in one day).
    assert_clean(run, seconds=180)
    assert run.code == 0


def test_file_names_with_spaces_unicode_and_shell_metacharacters(good: Path) -> None:
    names = ["a file with spaces.md", "café – naïve.md", "$(touch pwned);`id`|&>x.md", "-rf.md", "--help.md"]
    for name in names:
        (good / name).write_text(SEND_POLICY_MD, "utf-8")
    run = bounded("check", str(good), "--format", "json", cwd=good)
    assert_clean(run)
    shown = {Path(d["path"]).name for d in report(run)["documents"]}
    assert set(names) <= shown
    assert not (good / "pwned").exists() and not (good / "x.md").exists()
    # A file named like an option is still a file when given after `--`.
    single = bounded("check", "--format", "json", "--", "--help.md", cwd=good)
    assert single.code == 0 and report(single)["documents"][0]["path"] == "--help.md"
