"""Worker processes live and die with the run: a signal to the run stops them, and they never outlive it.

Worker processes inherit the run's stdout and stderr. Left running after the run ends (killed by SIGTERM,
SIGHUP, Ctrl-C or SIGKILL), they hold those pipes open, and a caller waiting for the output hangs.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from send_align.errors import Stopped

# How often a worker without PR_SET_PDEATHSIG checks that the run is still there.
PARENT_POLL_SECONDS = 0.5

STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, n))


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGHUP and SIGINT raise Stopped in the main thread, so the caller can
    end its workers before the process exits (the default action would end the run at once, orphaning
    them). Handlers are restored afterwards; outside the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def end_workers(pool: Any) -> None:
    """Kill a ProcessPoolExecutor's processes now, without waiting for the jobs they are running, then let
    the executor see them gone and fail its futures. Futures are not cancelled first: the executor would
    then try to fail cancelled futures and print a traceback from its own thread."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in processes:
        with suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(5)
    pool.shutdown(wait=True)


def die_with_parent(parent: int) -> None:
    """In a worker: the run's signals are the run's to handle, and the worker ends when the run does.

    Ctrl-C reaches every process of the terminal's foreground group: the worker ignores it and lets the
    run end it. On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG), even by
    SIGKILL; elsewhere a thread checks the parent every PARENT_POLL_SECONDS."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for s in STOP_SIGNALS:
        if s != signal.SIGINT:
            signal.signal(s, signal.SIG_DFL)
    if sys.platform.startswith("linux") and _set_parent_death_signal():
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)
        return
    watcher = threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True)
    watcher.start()


def _set_parent_death_signal() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return int(libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
