"""What the robustness catalogue's cases share: send-align as its own process with its exit code, CPU time
and peak memory, and the bounds every case must keep. The time bound is on CPU seconds (the process and the
workers it waited for), not the wall clock, so a busy machine does not fail a case that did no extra work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Each run here has no cache (SEND_ALIGN_NO_CACHE), so it builds the whole catalogue first: about 8 s of CPU on
# the 2-core development machine early on 3 December 2026, which left a 10 s bound a margin of under 2 s (three
# cases read 10.1-10.8 s with one other process running); about 1-2 s since the YAML and schema speed-ups of
# that evening. The bound says a hostile input ends; speed is benchmarks/'.
MAX_SECONDS = 30.0
MAX_RSS_MB = 500


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    """CPU seconds, user and system, of the process and every child it waited for."""
    rss_mb: float
    wall: float


def bounded(
    *args: str, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
) -> Run:
    """Run send-align as a process; its own exit code, wall time and peak RSS.

    GNU time measures the process alone when it is installed; otherwise wait4's figure also counts the
    test runner's memory copied into the child before it starts Python, so it can only over-estimate."""
    t0 = time.perf_counter()
    rss_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"send-align-rss-{os.getpid()}-{time.monotonic_ns()}"
    wrapper = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
    proc = subprocess.Popen(
        [*wrapper, sys.executable, "-m", "send_align", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1", **(env or {})},
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(proc.stderr.read())),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"send-align {' '.join(args)} ran over {timeout} s")
        time.sleep(0.02)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_kb = usage.ru_maxrss
    if wrapper:
        rss_kb = int(rss_file.read_text().strip().splitlines()[-1])
        rss_file.unlink()
    return Run(
        proc.returncode,
        out[0].decode("utf-8", "replace"),
        err[0].decode("utf-8", "replace"),
        usage.ru_utime + usage.ru_stime,
        rss_kb / 1024,
        time.perf_counter() - t0,
    )


def assert_clean(run: Run, seconds: float = MAX_SECONDS) -> None:
    if os.environ.get("SEND_ALIGN_ROBUSTNESS_LOG"):
        # For docs/robustness.md: what each case cost on this machine.
        with open(os.environ["SEND_ALIGN_ROBUSTNESS_LOG"], "a", encoding="utf-8") as log:
            log.write(
                f"{os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]}\t{run.seconds:.1f} s CPU"
                f"\t{run.wall:.1f} s wall\t{run.rss_mb:.0f} MB\n"
            )
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-2000:]
    assert run.seconds < seconds, f"took {run.seconds:.1f} s of CPU ({run.wall:.1f} s wall)"
    assert run.rss_mb < MAX_RSS_MB, f"peak RSS {run.rss_mb:.0f} MB"


def report(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads(run.stdout)  # type: ignore[no-any-return]
