"""The one writer of command output: standard output, a device in place, or a file replaced atomically.

Every command's output goes through `write`. `-` (or no file) is standard output. A device, pipe or
descriptor named as the output (`/dev/null`, `/dev/stdout`) is written in place. Any other file is written
to a new temporary file in the target's own folder (folders created as needed): an unpredictable name,
created exclusively and never through a link (`tempfile.mkstemp`), renamed over the target only once it is
complete, and removed on any failure (a full disk, an error, an interrupt). So a reader never sees half a
file, a link planted in the folder is never followed, and a failed run leaves the target as it was.

`refuse_inputs` keeps every output off the files a command reads, however the path is spelled (relative,
`a/../a`, a symbolic or hard link): files are compared by device and inode.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from send_align.errors import Problem, SendAlignError
from send_align.escaping import file_name

Pieces = str | bytes | Iterable[str | bytes]
"""Output text, or its pieces in order (a big report is written as it is rendered); bytes are UTF-8."""

STDOUT = "-"
# Paths that name an open descriptor rather than a file: written in place, never replaced.
_DESCRIPTORS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


class PipeClosed(Exception):
    """Standard output's reader went away (`send-align check . | head -1`): the command stops quietly."""


def is_stdout(target: Path | str | None) -> bool:
    return target is None or str(target) == STDOUT


def _encode(piece: str | bytes) -> bytes:
    # Text that still holds an undecodable byte of a file name is written with the byte escaped: never a
    # crash, never a report that is not UTF-8.
    return piece if isinstance(piece, bytes) else piece.encode("utf-8", "backslashreplace")


def _pieces(data: Pieces) -> Iterable[str | bytes]:
    return [data] if isinstance(data, str | bytes) else data


# Pieces are gathered up to this size, then written with one system call.
_CHUNK = 1 << 16


def _write_fd(fd: int, data: Pieces) -> None:
    """Write every piece to a descriptor, checking each write: a pipe whose reader goes away, or a disk that
    fills, can take part of a write without an error; only the next write says why (io's buffered writer
    can lose that error, so it is not used here)."""
    pending = bytearray()
    for piece in _pieces(data):
        chunk = _encode(piece)
        if len(pending) + len(chunk) < _CHUNK:
            pending += chunk
            continue
        _write_all(fd, pending)
        pending.clear()
        if len(chunk) >= _CHUNK:  # a big piece (a whole report) goes as it is, not copied first
            _write_all(fd, chunk)
        else:
            pending += chunk
    _write_all(fd, pending)


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _shown(target: Path | str | None) -> str:
    return "standard output" if is_stdout(target) else file_name(str(target))


# --- before any work ---------------------------------------------------------------------------------


def _identity(path: Path | str) -> tuple[int, int] | None:
    """The regular file a path names (links followed) as (device, inode), or None when there is none (a
    device such as /dev/null is no one's document)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def _stdout_identity() -> tuple[int, int] | None:
    """Standard output's file when it is a regular file (`> report.md`), else None."""
    try:
        st = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def check_target(target: Path | str | None, what: str = "report") -> None:
    """Refuse, before any work, an output that cannot be written: a folder, or a path through a file."""
    if target is None or is_stdout(target):
        return
    path = Path(target)
    shown = _shown(path)
    if path.is_dir():
        raise SendAlignError(f"the {what} output is a folder; name a file", path=shown)
    for parent in path.parents:
        if parent.is_dir():
            break
        if parent.exists() or parent.is_symlink():
            raise SendAlignError(
                f"cannot write the {what} there: {file_name(str(parent))} is not a folder", path=shown
            )


def refuse_inputs(targets: Iterable[tuple[Path | str | None, str]], inputs: Iterable[Path | str]) -> None:
    """Raise when an output would land on a file being read, or two outputs on one file.

    `targets` are (path or None for standard output, what it is: report, baseline ...)."""
    named: list[tuple[tuple[int, int] | str, str, str]] = []
    for target, what in targets:
        ident: tuple[int, int] | str | None
        if target is None or is_stdout(target):
            ident = _stdout_identity()
        elif os.path.lexists(target):
            ident = _identity(target)
        elif os.path.lexists(tidied := os.path.normpath(os.path.abspath(target))):
            # `new/../doc.docx`: the writer makes `new`, then writes onto `doc.docx`
            ident = _identity(tidied)
        else:  # a file still to be made: compared with the other outputs by its full path
            ident = os.path.realpath(target)
        if ident is not None:
            named.append((ident, what, _shown(target)))
    if not named:
        return
    problems: list[Problem] = []
    for i, (ident, what, shown) in enumerate(named):
        for other_ident, other_what, _ in named[:i]:
            if ident == other_ident:
                problems.append(
                    Problem(f"the {what} and the {other_what} would be written to the same file", shown)
                )
    by_identity = {ident: (what, shown) for ident, what, shown in named if isinstance(ident, tuple)}
    if by_identity:
        for item in inputs:
            ident_of_input = _identity(item)
            got = by_identity.pop(ident_of_input, None) if ident_of_input else None
            if got is not None:
                what, shown = got
                problems.append(
                    Problem(
                        f"the {what} would be written over {file_name(str(item))}, which this run reads; "
                        "inputs are never overwritten",
                        shown,
                        hint=f"write the {what} outside the files and folders being checked",
                    )
                )
            if not by_identity:
                break
    if problems:
        raise SendAlignError(problems)


# --- writing -----------------------------------------------------------------------------------------


def write(target: Path | str | None, data: Pieces, what: str = "report") -> None:
    """Write a command's output to `target` (None or `-`: standard output); a failure is one SendAlignError
    naming the target, a reader gone away is PipeClosed."""
    if target is None or is_stdout(target):
        _write_stdout(data, what)
        return
    path = Path(target)
    try:
        if _in_place(path):
            _write_in_place(path, data)
        else:
            write_file(path, data)
    except OSError as exc:
        raise SendAlignError(f"cannot write the {what}: {exc.strerror or exc}", path=_shown(path)) from None


def append(target: Path, text: str, what: str) -> None:
    """Add to the end of a file another program owns (a CI job summary), in place."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            _write_fd(fd, text)
        finally:
            os.close(fd)
    except OSError as exc:
        raise SendAlignError(f"cannot write the {what}: {exc.strerror or exc}", path=_shown(target)) from None


def _write_stdout(data: Pieces, what: str) -> None:
    stream = sys.stdout
    try:
        stream.flush()  # what was printed before goes first
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # a stream in memory (tests, an embedding program)
            binary = getattr(stream, "buffer", None)
            for piece in _pieces(data):
                if binary is not None:
                    binary.write(_encode(piece))
                else:
                    stream.write(piece.decode("utf-8") if isinstance(piece, bytes) else piece)
            stream.flush()
        else:
            _write_fd(fd, data)
    except BrokenPipeError:
        silence_stdout()
        raise PipeClosed from None
    except OSError as exc:
        silence_stdout()
        raise SendAlignError(
            f"cannot write the {what} to standard output: {exc.strerror or exc}",
            hint="write it to a file with -o",
        ) from None


def silence_stdout() -> None:
    """Point standard output at the null device, so what Python still holds for it is dropped at exit
    rather than failing a second time (a closed pipe, a full disk)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def _in_place(path: Path) -> bool:
    """A device, pipe or socket, or a path naming an open descriptor: written where it is."""
    if os.path.abspath(path).startswith(_DESCRIPTORS):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


def _write_in_place(path: Path, data: Pieces) -> None:
    # Appending: a descriptor that is a regular file (`-o /dev/stdout >> log`) is added to, never cut short.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_fd(fd, data)
    finally:
        os.close(fd)


def _new_file_mode(path: Path) -> int:
    """The permissions a report gets: those of the file it replaces, else what the umask allows."""
    try:
        st = os.lstat(path)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, data: Pieces) -> None:
    """Write a regular file atomically (see the module's docstring); OSError on failure, with nothing left
    behind. A link at the target is replaced, never written through."""
    import tempfile

    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = _new_file_mode(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_fd(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
