"""Reading small data files (strategies, proposals, config) with a size cap and strict decoding."""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path

from send_align.errors import SendAlignError

MAX_BYTES = 5 * 1024 * 1024


def file_size(path: Path) -> int:
    """The file's size in bytes; 0 when it cannot be read (the reader then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file or a folder is, from its mode; None for those two."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def require_regular(path: Path, shown: str) -> int:
    """The size of a regular file; SendAlignError for anything else. A named pipe or a device is never
    opened (opening a pipe blocks until a writer comes; /dev/zero never ends)."""
    st = path.stat()
    kind = special_kind(st.st_mode)
    if kind is not None or stat.S_ISDIR(st.st_mode):
        raise SendAlignError(
            f"not a regular file ({kind or 'a folder'})",
            path=shown,
            hint="name a file saved on disk",
        )
    return st.st_size


def read_bytes_capped(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Read a file, refusing one over the size limit before reading it all."""
    try:
        size = require_regular(path, str(path))
        if size > limit:
            raise SendAlignError(
                f"file is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit for data files",
                path=str(path),
                hint="strategy, proposal and config files are small; is this the right file?",
            )
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise SendAlignError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None


def decode_text(raw: bytes, path: str) -> str:
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SendAlignError("this is a binary file, not YAML or JSON text", path=path)
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SendAlignError(
            f"not valid UTF-8 text (byte {exc.start})", path=path, hint="save the file as UTF-8"
        ) from None


# Python refuses to turn more digits than this into an int (a guard against slow conversions).
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_HUGE_NUMBER = re.compile(r"(?<![0-9_])[0-9][0-9_]{" + str(_MAX_DIGITS) + ",}")


def huge_number(text: str, path: str) -> SendAlignError:
    """The error for a number too long to read (ValueError from int()), naming the line it is on."""
    m = _HUGE_NUMBER.search(text)
    return too_many_digits(path, text.count("\n", 0, m.start()) + 1 if m else None)


def too_many_digits(path: str, line: int | None) -> SendAlignError:
    return SendAlignError(
        f"a number with more than {_MAX_DIGITS} digits",
        path=path,
        line=line,
        hint="numbers in send-align files are small, such as percentages and years",
    )
