"""Command-line mistakes end as the usage error and exit 2; escape sequences in a document never
reach the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.catalogue.support import assert_clean, bounded


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--frobnicate", "x"], "No such option"),
        (["check", "x.md", "-f", "nope"], "unknown framework 'nope'"),
        (["check", "x.md", "--require", "lfi.nope"], "matches no aim id"),
        (["check", "x.md", "--jobs", "0"], "Invalid value"),
        (["check", "x.md", "--fail-under", "abc"], "not a percentage"),
        (["check", "x.md", "--format", "pdf"], "Invalid value"),
        (["check", "x.md", "-o", "x.md"], "inputs are never overwritten"),
        (["check", "x.md", "-o", "x.md/out.json"], "x.md is not a folder"),
        (["check", "x.md", "--config", "a.toml", "--no-config"], "contradict"),
        (["explain", "x.md", "no.such-aim"], "unknown aim id"),
        (["diff", "x.md"], "two files"),
        (["show", "nope"], "nope"),
    ],
)
def test_command_line_mistakes(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text(SEND_POLICY_MD, "utf-8")
    (tmp_path / "a.toml").write_text("", "utf-8")
    run = bounded(*args, cwd=tmp_path)
    assert run.code == 2
    assert message in run.stderr
    assert_clean(run)
    assert (tmp_path / "x.md").read_text("utf-8") == SEND_POLICY_MD


# --- output safety ------------------------------------------------------------------------------------


def test_terminal_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "esc\x1b[31mred.txt"
    path.write_text(
        "SEND POLICY\n\nWe identify special educational needs early \x1b]0;pwned\x07 and review SEN support \x1b[2J.\n",
        "utf-8",
    )
    for fmt in ("table",):
        run = bounded("check", str(tmp_path), "--format", fmt, "--evidence", "3", env={"FORCE_COLOR": "1"})
        assert_clean(run)
        bad = [seq for seq in ("\x1b]0;", "\x1b[2J", "\x07", "\x1b[31mred") if seq in run.stdout]
        assert not bad, bad
