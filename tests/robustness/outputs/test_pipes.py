"""A closed pipe exits quietly with the broken-pipe status; a full standard output is one clear
error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.outputs.support import assert_clean, run

COMMANDS = [
    ["check", "LIB", "--require", "lfi.*"],  # the gate fails: still never 1
    ["check", "LIB", "--format", "json"],
    ["frameworks"],
    ["show", "lfi"],
    ["search", "early", "help"],
    ["phrases"],
    ["explain", "LIB/policy.md", "cop.senco"],
    ["crosswalk"],
]


def with_lib(args: list[str], good: Path) -> list[str]:
    return [a.replace("LIB", str(good)) for a in args]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_closed_pipe_exits_quietly_with_the_broken_pipe_status(good: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before anything is written
    try:
        r = run(*with_lib(args, good), stdout=write_end)
    finally:
        os.close(write_end)
    assert r.code == 141, r.stderr
    assert r.err == b""


def test_head_closing_a_long_report_early(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        (folder / f"school-{n}.md").write_text(SEND_POLICY_MD.replace("Hilltop", f"School {n}"), "utf-8")
    # --detail: the per-aim report of 40 documents is far longer than a pipe holds (one line each is not).
    script = '"$0" -m send_align check "$1" --detail --require "lfi.*" | head -1; echo "${PIPESTATUS[0]}" >&2'
    done = subprocess.run(
        ["bash", "-c", script, sys.executable, str(folder)],
        capture_output=True,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1"},
        timeout=120,
    )
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr.decode().strip() == "141"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_full_standard_output_is_one_clear_error(good: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        r = run(*with_lib(args, good), stdout=full.fileno())
    assert r.code == 2, r.stderr
    assert_clean(r)
    assert r.stderr.count("\n") == 1 and "to standard output: No space left on device" in r.stderr
