"""Signals: the run's worker processes die with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


@pytest.fixture(scope="module")
def busy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough documents to keep two workers busy for several seconds."""
    docs = tmp_path_factory.mktemp("busy") / "docs"
    docs.mkdir()
    body = (SEND_POLICY_MD + "\n") * 300
    for i in range(100):
        (docs / f"d{i:03d}.md").write_text(body, "utf-8")
    return docs


def _children(pid: int) -> list[int]:
    import os

    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process tables from /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP", "SIGINT to the group", "SIGKILL"])
def test_workers_die_with_the_run(how: str, busy_folder: Path) -> None:
    import os
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "send_align", "check", str(busy_folder), "-j", "2", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1"},
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert len(workers) == 2, "the run never started its two workers"
        time.sleep(0.5)  # well into the work
        signum = getattr(signal, how.split()[0])
        if how.endswith("group"):
            os.killpg(proc.pid, signum)  # what Ctrl-C in a terminal does
        else:
            os.kill(proc.pid, signum)
        # The caller waiting for the output is not left hanging: nothing holds the pipes any more.
        _, err = proc.communicate(timeout=30)
        if signum == signal.SIGKILL:
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.returncode == 128 + signum
            assert err.decode() == f"interrupted ({signal.Signals(signum).name})\n"
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _running(w)], "workers outlived the run"
    finally:
        proc.kill()
        proc.wait()
        for pid in workers:  # only our own workers, should they have outlived the run
            try:
                if _running(pid) and b"send_align" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
