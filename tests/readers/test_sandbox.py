"""The reader's sandbox: a child process bounded in memory and time that passes errors on and dies
with the check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from send_align.errors import SendAlignError


def _allocate(megabytes: int) -> int:
    hog = bytearray(megabytes * 1024 * 1024)
    return len(hog)


def _spin(_: object) -> None:
    while True:
        pass


def _refuse(_: object) -> None:
    raise SendAlignError("refused: it says no", hint="ask again")


def test_sandbox_bounds_memory_and_time_and_passes_errors_on() -> None:
    import time

    from send_align.extract.sandbox import Exceeded, isolated

    limits: dict[str, Any] = {"shown": "x.pdf", "kind": "PDF"}
    assert isolated(_allocate, 16, memory=64 << 20, seconds=10, **limits) == 16 << 20
    with pytest.raises(Exceeded, match=r"x\.pdf: refused: reading it needed more than 64 MB"):
        isolated(_allocate, 512, memory=64 << 20, seconds=10, **limits)
    started = time.monotonic()
    with pytest.raises(Exceeded):
        isolated(_spin, None, memory=64 << 20, seconds=1, **limits)
    assert time.monotonic() - started < 8
    with pytest.raises(SendAlignError, match=r"x\.pdf: refused: it says no \(ask again\)"):
        isolated(_refuse, None, memory=64 << 20, seconds=10, **limits)


def test_reader_children_die_with_the_check(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "from send_align.extract.sandbox import isolated\n"
        "from tests.readers.test_sandbox import _spin\n"
        "isolated(_spin, None, memory=64 << 20, seconds=60, shown='x.pdf', kind='PDF')\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2])
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    if not children.exists():
        parent.kill()
        pytest.skip("no /proc children list on this system")
    deadline = time.monotonic() + 20
    pids: list[int] = []
    while not pids and time.monotonic() < deadline:
        pids = [int(p) for p in children.read_text().split()]
        time.sleep(0.05)
    assert pids, "the reader's child never started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and Path(f"/proc/{pids[0]}").exists():
        state = (
            Path(f"/proc/{pids[0]}/stat").read_text().split()[2]
            if Path(f"/proc/{pids[0]}/stat").exists()
            else "X"
        )
        if state in ("Z", "X"):
            break
        time.sleep(0.05)
    stat = Path(f"/proc/{pids[0]}/stat")
    alive = stat.exists() and stat.read_text().split()[2] not in ("Z", "X")
    if alive:
        os.kill(pids[0], signal.SIGKILL)  # the orphan this test made, so it does not spin on
    assert not alive
