"""Run a native parser on untrusted bytes in a child process with bounded memory and time.

A decompression bomb or a pathological file then costs the child, never the run: the child's data
segment is capped (an allocation past it fails and the child dies), so is its CPU time, and the parent
kills it at a wall-clock deadline. Results come back as JSON through a pipe. Where processes cannot be
forked (Windows), the function runs in the calling process without those bounds.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import time
from collections.abc import Callable
from typing import Any

from send_align.errors import SendAlignError


class Exceeded(SendAlignError):
    """The child died or ran out of time: what it read was too big or too costly."""


def _data_in_use() -> int:
    """This process's data segment (what RLIMIT_DATA counts), in bytes; 0 when it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _die_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this child when the process that started it dies (a check stopped by
    SIGTERM or SIGKILL leaves no reader behind)."""
    if os.uname().sysname != "Linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _child(fn: Callable[[Any], Any], arg: Any, memory: int, seconds: int, out: int, parent: int) -> None:
    import resource

    status = 0
    try:
        _die_with_parent(parent)
        used = _data_in_use()
        if used:
            resource.setrlimit(resource.RLIMIT_DATA, (used + memory, used + memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
        try:
            payload: Any = {"ok": fn(arg)}
        except SendAlignError as exc:
            payload = {"error": [exc.problems[0].message, exc.problems[0].hint]}
        except MemoryError:
            payload = {"exceeded": "memory"}
        except Exception as exc:
            payload = {"failed": f"{type(exc).__name__}: {str(exc)[:120]}"}
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # never the parent's clean-up: its files, cache connection and buffers are its own


def isolated(fn: Callable[[Any], Any], arg: Any, *, memory: int, seconds: int, shown: str, kind: str) -> Any:
    """fn(arg), computed in a forked child allowed `memory` more bytes of data and `seconds` of time.

    fn's SendAlignError is raised here again; anything else that goes wrong in the child, a crash
    included, raises Exceeded or SendAlignError naming `shown`."""
    return isolated_all(fn, [arg], memory=memory, seconds=seconds, shown=shown, kind=kind)[0]


def isolated_all(
    fn: Callable[[Any], Any], args: list[Any], *, memory: int, seconds: int, shown: str, kind: str
) -> list[Any]:
    """[fn(arg) for arg in args], each computed in a child of its own, all at once, each bounded as
    `isolated` says; the first failure (in the order of `args`) is raised."""
    if not hasattr(os, "fork"):
        return [fn(arg) for arg in args]
    parent = os.getpid()
    children: dict[int, tuple[int, int]] = {}
    """read end -> (child's index, pid)"""
    for index, arg in enumerate(args):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child(fn, arg, memory, seconds, write_end, parent)
        os.close(write_end)
        children[read_end] = (index, pid)
    chunks: dict[int, list[bytes]] = {fd: [] for fd in children}
    deadline = time.monotonic() + seconds + 5
    timed_out = False
    with selectors.DefaultSelector() as sel:
        for fd in children:
            sel.register(fd, selectors.EVENT_READ)
        open_fds = set(children)
        while open_fds:
            left = deadline - time.monotonic()
            ready = sel.select(left) if left > 0 else []
            if not ready:
                timed_out = True
                break
            for key, _ in ready:
                fd = int(key.fd)
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    sel.unregister(fd)
                    open_fds.discard(fd)
    results: list[Any] = [None] * len(args)
    failures: list[tuple[int, SendAlignError]] = []
    for fd, (index, pid) in children.items():
        os.close(fd)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        try:
            results[index] = _outcome(
                b"".join(chunks[fd]) if not (timed_out or os.WIFSIGNALED(status)) else b"",
                memory,
                seconds,
                shown,
                kind,
            )
        except SendAlignError as exc:
            failures.append((index, exc))
    if failures:
        raise min(failures, key=lambda f: f[0])[1]
    return results


def _outcome(data: bytes, memory: int, seconds: int, shown: str, kind: str) -> Any:
    if not data:
        raise Exceeded(
            f"refused: reading it needed more than {memory // 1048576} MB of memory or {seconds} s "
            "(a decompression bomb or a damaged file?)",
            path=shown,
            hint=f"check the file opens in a {kind} viewer; save a fresh copy and check that",
        )
    payload = json.loads(data)
    if "ok" in payload:
        return payload["ok"]
    if "error" in payload:
        message, hint = payload["error"]
        raise SendAlignError(message, path=shown, hint=hint)
    if "exceeded" in payload:
        raise Exceeded(f"refused: reading it needed more than {memory // 1048576} MB of memory", path=shown)
    raise SendAlignError(
        f"cannot read this {kind} file: it looks corrupt or truncated ({payload['failed']})", path=shown
    )
