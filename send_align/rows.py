"""What the caches keep: compact JSON rows, checksummed, and checked field by field when read back.

A cache folder can be written by whoever shares it or restores it in CI, so what is read back is data,
never code (JSON, not pickles), its checksum must match, and every field must have the type this code
writes: anything else is `Corrupt`, which callers treat as a miss.
"""

from __future__ import annotations

import json
import zlib
from typing import Any


class Corrupt(ValueError):
    """A stored value that is not what this code writes."""


UNREADABLE = (ValueError, TypeError, KeyError, IndexError, RecursionError)
"""Any of these while decoding a row (UnicodeDecodeError and JSONDecodeError are ValueErrors) means the row
is not one this code wrote."""


def checksum(key: str, data: bytes) -> int:
    """CRC-32 of an entry's key and bytes: a damaged entry, or one moved under another key, never matches.

    A CRC, not a cryptographic digest: it guards against damage (a torn write, a bad disk, a truncated
    restore) at 2 GB/s, where BLAKE2 runs at a third of that and would add a tenth to a warm run. No digest
    without a secret could stop someone who can write the file from writing a matching one; what they
    write is only ever data, checked like any other."""
    return zlib.crc32(data, zlib.crc32(key.encode("utf-8", "surrogatepass")))


def dumps(value: object) -> bytes:
    # Lone surrogates (an undecodable byte a reader kept) survive: json.loads decodes bytes with
    # surrogatepass.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def loads(data: bytes) -> Any:
    return json.loads(data)


def text(value: object) -> str:
    if type(value) is not str:
        raise Corrupt
    return value


def maybe_text(value: object) -> str | None:
    if value is not None and type(value) is not str:
        raise Corrupt
    return value


def integer(value: object) -> int:
    if type(value) is not int:
        raise Corrupt
    return value


def maybe_integer(value: object) -> int | None:
    if value is not None and type(value) is not int:
        raise Corrupt
    return value


def number(value: object) -> float:
    if type(value) is not int and type(value) is not float:
        raise Corrupt
    return value


def flag(value: object) -> bool:
    if type(value) is not bool:
        raise Corrupt
    return value


def array(value: object) -> list[Any]:
    if type(value) is not list:
        raise Corrupt
    return value
