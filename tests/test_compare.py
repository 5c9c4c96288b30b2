"""`diff` (two files, or one at two git revisions) and `crosswalk`, through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

OLD = """# Hilltop SEND policy

We aim to identify special educational needs as early as possible, and SEN support follows the graduated
approach: assess, plan, do, review.

Pupils with SEND share their views at every review.
"""

NEW = """# Hilltop SEND policy

SEN support for pupils with special educational needs follows the graduated approach: assess, plan, do, review.

Pupils with SEND share their views at every review, and we meet parents each term to agree outcomes; the
parent carer forum co-produced this policy.
"""


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, "utf-8")
    new.write_text(NEW, "utf-8")
    return old, new


def test_diff_lists_gained_and_lost_with_evidence(versions: tuple[Path, Path], cli: Callable) -> None:  # type: ignore[type-arg]
    old, new = versions
    res = cli("diff", str(old), str(new), "--format", "json")
    assert res.code == 0, res.stderr
    data = json.loads(res.stdout)
    change = {c["aim"]: c for c in data["changes"]}
    lost = change["cop.early-identification"]
    assert lost["change"] == "lost" and lost["old"]["status"] == "addressed"
    assert "as early as possible" in lost["old_evidence"][0]["text"]
    gained = change["lfi.principle-6"]
    assert gained["change"] == "gained" and "parent carer forum" in gained["new_evidence"][0]["text"]
    text = cli("diff", str(old), str(new)).stdout
    assert "Lost (no longer addressed)" in text and "- cop.early-identification" in text
    assert "+ lfi.principle-6" in text
    md = cli("diff", str(old), str(new), "--format", "markdown").stdout
    assert "## Gained" in md and "`lfi.principle-6`" in md


def test_diff_fail_on_loss(versions: tuple[Path, Path], cli: Callable) -> None:  # type: ignore[type-arg]
    old, new = versions
    assert cli("diff", str(old), str(new), "--fail-on-loss").code == 1
    assert cli("diff", str(new), str(new), "--fail-on-loss").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["only-one.md"], "two files"),
        (["a.md", "b.md", "c.md"], "two files"),
        (["missing.md", "missing2.md"], "no such file"),
        (["--format", "html", "a.md", "b.md"], "unknown format"),
    ],
)
def test_diff_usage_errors(cli: Callable, args: list[str], message: str) -> None:  # type: ignore[type-arg]
    res = cli("diff", *args)
    assert res.code == 2 and message in res.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_between_git_revisions(tmp_path: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(tmp_path), *args],
            check=True,
            capture_output=True,
            env={
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@e",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@e",
                "HOME": str(tmp_path),
                "PATH": "/usr/bin:/bin",
            },
        )

    git("init", "-q")
    (tmp_path / "policies").mkdir()
    doc = tmp_path / "policies" / "send.md"
    doc.write_text(OLD, "utf-8")
    git("add", ".")
    git("commit", "-qm", "first")
    doc.write_text(NEW, "utf-8")
    git("commit", "-qam", "second")
    res = cli("diff", "--rev", "HEAD~1..HEAD", str(doc), "--format", "json")
    assert res.code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["old"].endswith("send.md@HEAD~1") and data["new"].endswith("send.md@HEAD")
    assert {"cop.early-identification", "lfi.principle-6"} <= {c["aim"] for c in data["changes"]}
    # A.. compares a revision with the working copy.
    doc.write_text(OLD, "utf-8")
    res = cli("diff", "--rev", "HEAD..", str(doc), "--format", "json")
    assert {c["aim"] for c in json.loads(res.stdout)["changes"]} >= {"cop.early-identification"}
    bad = cli("diff", "--rev", "nosuchrev..HEAD", str(doc))
    assert bad.code == 2 and "git cannot read it at nosuchrev" in bad.stderr
    assert cli("diff", "--rev", "HEAD", str(doc), str(doc)).code == 2


def test_crosswalk_matrix_and_text(cli: Callable) -> None:  # type: ignore[type-arg]
    res = cli("crosswalk", "--format", "csv")
    assert res.code == 0
    assert res.stdout.startswith("\ufeff")  # without it Excel reads ⊂ ⊃ ∩ in the system's code page
    rows = list(csv.reader(io.StringIO(res.stdout.removeprefix("\ufeff"))))
    header = rows[0]
    assert header[0] == "local aim" and all(h.split(".")[0] in ("cop", "dfe-ap") for h in header[1:])
    row = next(r for r in rows if r[0] == "lfi.aim-early-identification")
    assert row[header.index("cop.early-identification")] == "="
    text = cli("crosswalk", "lfi").stdout
    assert "cop.early-identification" in text and "= lfi.aim-early-identification" in text
    assert "area-send" not in text.split("\n", 1)[0]
    data = json.loads(cli("crosswalk", "cop", "--format", "json").stdout)
    assert data["national"] == ["cop"] and all(link["national"].startswith("cop.") for link in data["links"])
    assert cli("crosswalk", "nope").code == 2


def test_crosswalk_text_cuts_long_lines_with_an_ellipsis(run_cmd: Callable) -> None:  # type: ignore[type-arg]
    wide = run_cmd("crosswalk", env={"COLUMNS": "200"})
    narrow = run_cmd("crosswalk", env={"COLUMNS": "50"})
    assert wide.code == narrow.code == 0
    long_lines = [ln for ln in wide.stdout.splitlines() if 50 < len(ln) <= 200]
    assert long_lines  # titles that do not fit 50 columns
    narrow_lines = narrow.stdout.splitlines()
    body = [ln for ln in narrow_lines[1:] if not ln.startswith("Local aim is:")]  # heading and legend: whole
    assert max(len(ln) for ln in body) <= 50
    for ln in long_lines[1:-1]:
        # Each long line is there, cut where it reached the width and marked as cut.
        assert any(n.endswith("…") and ln.startswith(n[:-1]) for n in body), ln
