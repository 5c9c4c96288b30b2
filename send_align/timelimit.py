"""A limit on the processor time one document's reading and checking may take.

A runaway (a text some expression meets at exponential cost, a file built to be slow) then stops as that
document's error, one line naming it, while the run goes on with the others, where it would otherwise hold
the whole run (and a CI job) until killed.

The limit counts the process's own processor time (ITIMER_PROF), not the wall clock: a loaded machine or a
parallel run does not trip it, and waiting for a sandboxed reader's child (which has its own bounds, see
`extract.sandbox`) does not count. It is checked by a signal, so it applies in a process's main thread on
platforms with interval timers (Linux, macOS); elsewhere (Windows, a library caller's thread) documents run
without it. The regular-expression engine checks for signals as it runs, so a runaway match is stopped too.
A limit that falls inside an import (a reader's libraries are imported with the first document that needs
them) waits for the import to finish, so no module is left half-made for the documents after.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from send_align.files import file_size

DEFAULT_SECONDS = 120.0
"""Per document, and as much again for every further `PER_BYTES` of its file: typical documents take well
under 2 s, a 150 MB text file about 40 s on the development machine."""
PER_BYTES = 10 * 1024 * 1024


class OverTime(BaseException):
    """A document's time ran out. Not an Exception, so that a reader's `except Exception` (which turns a
    library's failure into "cannot read this file") does not catch it and misname the cause."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def budget(seconds: float | None, size: int) -> float | None:
    """The processor seconds a file of `size` bytes may take: `seconds` for each started `PER_BYTES`.
    None (or 0) for no limit."""
    if not seconds:
        return None
    return seconds * max(1, math.ceil(size / PER_BYTES))


class _Timer:
    """The process's one SIGPROF handler, installed on first use and left in place: restoring the previous
    handler while a signal is pending would make Python print a "race condition" warning on stderr. Unarmed,
    it passes the signal on to whatever handler was there before (a profiler's), or ignores it."""

    def __init__(self) -> None:
        self.installed = False
        self.previous: Any = None
        self.armed: float | None = None
        self.holding = 0
        self.pending = False

    def install(self) -> None:
        if not self.installed:
            self.previous = signal.signal(signal.SIGPROF, self._expired)
            self.installed = True

    def _expired(self, signum: int, frame: Any) -> None:
        if self.armed is None:
            if callable(self.previous):
                self.previous(signum, frame)
            return
        if self.holding:
            self.pending = True
            return
        if _importing(frame):
            # A module stopped half-way through its import is left broken for every later document (a C
            # extension cannot initialise twice): try again once the import is done.
            signal.setitimer(signal.ITIMER_PROF, RETRY_SECONDS)
            return
        # Raised where the signal lands, which may be a finaliser or a weak reference's callback: Python prints
        # and drops an exception raised there. The timer is armed again, so a stop lost that way comes back.
        signal.setitimer(signal.ITIMER_PROF, RETRY_SECONDS)
        raise OverTime(self.armed)


RETRY_SECONDS = 0.05
"""When the limit falls inside an import, how much more processor time before it is tried again."""


def _importing(frame: Any) -> bool:
    """Whether the interrupted code is running inside an import (Python's own import machinery is on the stack)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


_TIMER = _Timer()


def available() -> bool:
    return hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise OverTime in the block once the process has spent `seconds` of processor time in it (None or 0:
    no limit). Outside the main thread, or without interval timers, the block runs without a limit."""
    if not seconds or not available() or threading.current_thread() is not threading.main_thread():
        yield
        return
    if _TIMER.armed is not None:  # nested: the outer limit stands
        yield
        return
    _TIMER.install()
    _TIMER.armed = seconds
    _TIMER.pending = False
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        _TIMER.armed = None
        _TIMER.pending = False


@contextmanager
def held() -> Iterator[None]:
    """Run the block whole: a limit reached inside it stops the document only when the block is done (a cache
    write is never cut off half-way)."""
    _TIMER.holding += 1
    try:
        yield
    finally:
        _TIMER.holding -= 1
    if not _TIMER.holding and _TIMER.pending and _TIMER.armed is not None:
        _TIMER.pending = False
        raise OverTime(_TIMER.armed)


@contextmanager
def limited(seconds: float | None, paths: Sequence[Path], shown: str) -> Iterator[None]:
    """Read and check a document (`shown`: its file is `paths[0]`; a comparison reads two) within the time its
    files' size allows (`budget`): over it, a SendAlignError naming the document, which a check reports as that
    document's error."""
    from send_align.errors import SendAlignError

    allowed = budget(seconds, sum(file_size(p) for p in paths))
    try:
        with time_limit(allowed):
            yield
    except OverTime as exc:
        raise SendAlignError(
            f"stopped after {exc.seconds:g} s of processor time: reading and checking it took too long",
            path=shown,
            hint="a file this slow may be built to be; if it is an ordinary document, raise the limit with "
            "--time-limit SECONDS (0: none) and please report it",
        ) from None
