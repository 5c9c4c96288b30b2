"""An embedded cache of extracted text and results, so re-checking an unchanged repository is nearly free.

One sqlite3 file in the user's cache folder. Extracted documents are keyed by the file's content hash and
the reader's version (a changed strategy keeps them); results by the content hash, the catalogue's digest
(any strategy change), the frameworks shown and the exemptions that apply. Two runs may share the file:
it uses write-ahead logging and a busy timeout, and a cache that cannot be used is simply not used.

Entries are data, never code (send_align.rows): compact JSON rows, and a document's JSON report as UTF-8
bytes, each with a CRC-32 of its key and bytes beside it. Anything read back that does not match its
checksum, does not decode, or holds a value of the wrong type is a miss, and the entry is dropped.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sqlite3
import time
from collections.abc import Callable, Sequence
from itertools import islice, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from send_align import __version__
from send_align.results import (
    Block,
    BlockKind,
    Claim,
    ClaimResult,
    ClaimStatus,
    Document,
    DocumentResult,
    Exemption,
    Status,
    aim_result,
    evidence,
)
from send_align.rows import (
    UNREADABLE,
    Corrupt,
    array,
    checksum,
    dumps,
    loads,
    maybe_integer,
    maybe_text,
    text,
)

# Bumped when what a document's blocks are changes for a reason outside this package's code (which keys carry
# a digest of), such as a reader library's behaviour.
EXTRACT_VERSION = "2"
# The file's layout; an older one (layout 4 and before held pickles) is dropped and rebuilt.
LAYOUT = 5
# Each blob has its checksum beside it (not inside it, so the largest, the JSON, is never copied to be
# checked). Small columns come first and the whole result last: sqlite reaches a column by walking the
# overflow pages of every big one before it, so a warm JSON run (light and json) never reads the whole
# results. Last use is indexed: pruning then reads the index, not every stored report.
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY, used REAL NOT NULL, crc INTEGER NOT NULL, blob BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, used REAL NOT NULL, crc INTEGER NOT NULL, light_crc INTEGER NOT NULL,
    json_crc INTEGER NOT NULL, light BLOB NOT NULL, json BLOB NOT NULL, blob BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_used ON documents (used);
CREATE INDEX IF NOT EXISTS results_used ON results (used);
"""
MAX_AGE_DAYS = 60
# An entry's last use is recorded again only when older than this: a re-run writes nothing.
TOUCH_AFTER_SECONDS = 86400
HASH_CHUNK = 1 << 20


def content_hash(path: Path, limit: int) -> str | None:
    """BLAKE2b of the file's bytes (up to `limit`), or None when it cannot be read (the reader says why)."""
    h = hashlib.blake2b(digest_size=20)
    try:
        with path.open("rb") as fh:
            read = 0
            while chunk := fh.read(HASH_CHUNK):
                h.update(chunk)
                read += len(chunk)
                if read > limit:
                    return None
    except OSError:
        return None
    return h.hexdigest()


@functools.cache
def source_digest(folder: str = "") -> str:
    """A digest of the package's own code (or one sub-package's), so results made by other code, say a
    development checkout between releases, are never taken for this code's."""
    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    try:
        for path in sorted((root / folder).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    except OSError:
        return __version__
    return h.hexdigest()


# --- values to JSON rows and back --------------------------------------------------------------------
# Many values of one class are stored as columns (a list per field): each column's types are checked in C
# (the set of the types it holds) and the values are rebuilt by map() in C, so a warm run over thousands
# of documents pays for checking about what it would pay for unpickling.

Types = frozenset[object]
Fields = tuple[tuple[str, Types], ...]
_NONE = type(None)
_TEXT: Types = frozenset([str])
_INT: Types = frozenset([int])
_NUMBER: Types = frozenset([int, float])
_MAYBE_TEXT: Types = frozenset([str, _NONE])
_MAYBE_INT: Types = frozenset([int, _NONE])

_EVIDENCE: Fields = (
    ("rule", _TEXT),
    ("text", _TEXT),
    ("paragraph", _INT),
    ("line", _MAYBE_INT),
    ("column", _MAYBE_INT),
    ("page", _MAYBE_INT),
    ("section", _MAYBE_TEXT),
    ("weight", _NUMBER),
    ("phrase", _TEXT),
    ("discarded", _MAYBE_TEXT),
)
_BLOCK: Fields = (
    ("text", _TEXT),
    ("paragraph", _INT),
    ("line", _MAYBE_INT),
    ("column", _MAYBE_INT),
    ("page", _MAYBE_INT),
    ("section", _MAYBE_TEXT),
    ("kind", _TEXT),
)
# Kinds by their stored names (an unknown name is a KeyError: not a row this code wrote).
_BLOCK_KIND = {k.value: k for k in BlockKind}
_BLOCK_KIND_COLUMN = [name for name, _ in _BLOCK].index("kind")
_CLAIM_STATUS = {k.value: k for k in ClaimStatus}
# A row's statuses: one letter per aim.
_LETTER = {Status.ADDRESSED: "a", Status.PARTIAL: "p", Status.NOT_ADDRESSED: "n", Status.NOT_APPLICABLE: "x"}
_BY_LETTER = {letter: status for status, letter in _LETTER.items()}


def _column(values: object, types: Types) -> list[Any]:
    if type(values) is not list or not set(map(type, values)) <= types:
        raise Corrupt
    return values


def _to_columns(items: Sequence[Any], fields: Fields) -> list[list[Any]]:
    return [list(map(attrgetter(name), items)) for name, _ in fields]


def _from_columns(
    make: Any, columns: object, fields: Fields, convert: dict[int, Callable[[Any], Any]] | None = None
) -> list[Any]:
    """Values rebuilt by `make` (called with one value of each column, in order) from checked columns; a
    column may be converted first (`convert`: by its index)."""
    cols = array(columns)
    if len(cols) != len(fields):
        raise Corrupt
    checked: list[Any] = [_column(col, types) for col, (_, types) in zip(cols, fields, strict=True)]
    if len({len(col) for col in checked}) > 1:
        raise Corrupt
    for i, fn in (convert or {}).items():
        checked[i] = map(fn, checked[i])
    return list(map(make, *checked))


@functools.lru_cache(maxsize=16)
def _ids(joined: str) -> tuple[str, ...]:
    """A row's aim ids (one string, space-separated): every document of a run shares them."""
    return tuple(joined.split(" ")) if joined else ()


def result_row(result: DocumentResult, light: bool = False) -> bytes:
    """A result as JSON, its path left out. `light`: each aim's status and score only, for a JSON report
    whose documents come from their stored JSON and need only statuses for coverage and gates."""
    aims = result.aims
    row: list[Any] = [
        result.format,
        " ".join(a.aim for a in aims),
        "".join(_LETTER[a.status] for a in aims),
        [a.score for a in aims],
    ]
    if light:
        row += [None, None, None]
    else:
        found = [e for a in aims for e in (*a.evidence, *a.discarded)]
        counts = [n for a in aims for n in (len(a.evidence), len(a.discarded))]
        row += [[a.reason for a in aims], counts, _to_columns(found, _EVIDENCE)]
    claims = None if result.claims is None else [[c.aim, c.status, c.how, c.line] for c in result.claims]
    return dumps([*row, claims, list(result.further), result.error, result.title])


def result_from_row(data: bytes) -> DocumentResult:
    """The result a row holds (its path empty); Corrupt (or another ValueError, TypeError ...) when it is
    not one this code wrote."""
    fmt, joined, letters, scores, reasons, counts, evidence_columns, claim_rows, further, error, title = array(
        loads(data)
    )
    ids = _ids(text(joined))
    statuses = list(map(_BY_LETTER.__getitem__, text(letters)))
    if not len(ids) == len(statuses) == len(_column(scores, _NUMBER)):
        raise Corrupt
    if reasons is None:  # a light row
        none = repeat(())
        aims = list(map(aim_result, ids, statuses, scores, none, none, repeat("")))
    else:
        found = _from_columns(evidence, evidence_columns, _EVIDENCE)
        sizes = _column(counts, _INT)
        if len(sizes) != 2 * len(ids) or (sizes and min(sizes) < 0) or sum(sizes) != len(found):
            raise Corrupt
        pieces = iter(found)  # each aim's evidence, then its discarded hits
        kept, thrown = [], []
        for n_kept, n_thrown in zip(sizes[::2], sizes[1::2], strict=True):
            kept.append(tuple(islice(pieces, n_kept)))
            thrown.append(tuple(islice(pieces, n_thrown)))
        if len(_column(reasons, _TEXT)) != len(ids):
            raise Corrupt
        aims = list(map(aim_result, ids, statuses, scores, kept, thrown, reasons))
    claims = None
    if claim_rows is not None:
        claims = []
        for aim, status, how, line in array(claim_rows):
            claims.append(ClaimResult(text(aim), _CLAIM_STATUS[status], text(how), maybe_integer(line)))
    return DocumentResult(
        path="",
        format=text(fmt),
        aims=tuple(aims),
        claims=None if claims is None else tuple(claims),
        further=tuple(_column(further, _TEXT)),
        error=maybe_text(error),
        title=maybe_text(title),
    )


def document_row(document: Document) -> bytes:
    """An extracted document as JSON (path left out)."""
    claims = None if document.claims is None else [[c.aim, c.how, c.line] for c in document.claims]
    exemptions = [[e.aim, e.reason, e.line] for e in document.exemptions]
    blocks = _to_columns(document.blocks, _BLOCK)
    return dumps([document.format, blocks, document.title, claims, exemptions, document.pages])


def document_from_row(data: bytes) -> Document:
    fmt, blocks, title, claim_rows, exemption_rows, pages = array(loads(data))
    claims = None
    if claim_rows is not None:
        claims = tuple(
            Claim(text(aim), text(how), maybe_integer(line)) for aim, how, line in array(claim_rows)
        )
    exemptions = tuple(
        Exemption(text(aim), text(reason), maybe_integer(line)) for aim, reason, line in array(exemption_rows)
    )
    return Document(
        path="",
        format=text(fmt),
        blocks=tuple(_from_columns(Block, blocks, _BLOCK, {_BLOCK_KIND_COLUMN: _BLOCK_KIND.__getitem__})),
        title=maybe_text(title),
        claims=claims,
        exemptions=exemptions,
        pages=maybe_integer(pages),
    )


# A damaged database file can make sqlite fail with an error message that is not UTF-8 (UnicodeDecodeError,
# a ValueError) as well as with its own errors.
_DATABASE = (sqlite3.Error, ValueError, OverflowError)


class Cache:
    """Get and put checked JSON rows; every failure (locked, corrupt, read-only) degrades to a miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.touched: dict[str, list[str]] = {}
        """Keys read this run whose last use is old: it is recorded in one transaction when the cache
        closes."""
        self.dropped: dict[str, set[str]] = {}
        """Keys whose entries did not check out and were not written again: deleted when the cache
        closes."""
        self.stale_before = time.time() - TOUCH_AFTER_SECONDS
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != LAYOUT:
                db.executescript(
                    f"BEGIN IMMEDIATE; DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS results; {SCHEMA}"
                    f"PRAGMA user_version = {LAYOUT}; COMMIT;"
                )
            db.executescript(SCHEMA)
            self.db = db
        except (*_DATABASE, OSError):
            self.db = None

    def close(self) -> None:
        if self.db is not None and (self.touched or self.dropped):
            now = time.time()
            with contextlib.suppress(*_DATABASE):
                self.db.execute("BEGIN")
                for table, keys in self.touched.items():
                    self.db.executemany(
                        f"UPDATE {table} SET used = ? WHERE key = ?", [(now, k) for k in keys]
                    )
                for table, dropped in self.dropped.items():
                    self.db.executemany(f"DELETE FROM {table} WHERE key = ?", [(k,) for k in sorted(dropped)])
                self.db.execute("COMMIT")
            self.touched = {}
            self.dropped = {}
        if self.db is not None:
            with contextlib.suppress(*_DATABASE):
                self.db.close()
            self.db = None

    def _seen(self, table: str, key: str, used: object) -> None:
        if not isinstance(used, float) or used < self.stale_before:
            self.touched.setdefault(table, []).append(key)

    def _drop(self, table: str, key: str) -> None:
        self.dropped.setdefault(table, set()).add(key)

    @staticmethod
    def document_key(digest: str) -> str:
        return f"{digest}:{EXTRACT_VERSION}:{__version__}:{source_digest('extract')}"

    @staticmethod
    def result_key(digest: str, catalogue_digest: str, frameworks: list[str], exemptions: str) -> str:
        h = hashlib.blake2b(digest_size=16)
        for part in (
            digest,
            catalogue_digest,
            EXTRACT_VERSION,
            __version__,
            source_digest(),
            ",".join(frameworks),
            exemptions,
        ):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def get_document(self, key: str) -> Document | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT blob, crc, used FROM documents WHERE key = ?", (key,)).fetchone()
        except _DATABASE:
            return None
        if row is None:
            return None
        blob, crc, used = row
        try:
            if type(blob) is not bytes or checksum(key, blob) != crc:
                raise Corrupt
            document = document_from_row(blob)
        except UNREADABLE:
            self._drop("documents", key)
            return None
        self._seen("documents", key, used)
        return document

    def put_document(self, key: str, document: Document) -> None:
        if self.db is None:
            return
        with contextlib.suppress(*_DATABASE, TypeError, RecursionError):
            blob = document_row(document)
            self.dropped.get("documents", set()).discard(key)
            self.db.execute(
                "INSERT OR REPLACE INTO documents (key, blob, crc, used) VALUES (?, ?, ?, ?)",
                (key, blob, checksum(key, blob), time.time()),
            )

    def get_results(self, keys: list[str], light: bool) -> dict[str, tuple[DocumentResult, bytes | None]]:
        """Results for many keys in few queries: each whole, or (`light`) without evidence and with the
        document's JSON."""
        out: dict[str, tuple[DocumentResult, bytes | None]] = {}
        if self.db is None:
            return out
        columns = "key, light, light_crc, json, json_crc, used" if light else "key, blob, crc, NULL, 0, used"
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob, crc, text, text_crc, used in self.db.execute(
                    f"SELECT {columns} FROM results WHERE key IN ({marks})", chunk
                ):
                    try:
                        if type(blob) is not bytes or checksum(key, blob) != crc:
                            raise Corrupt
                        if light and (type(text) is not bytes or checksum(key, text) != text_crc):
                            raise Corrupt
                        out[key] = (result_from_row(blob), text)
                    except UNREADABLE:
                        self._drop("results", key)
                        continue
                    self._seen("results", key, used)
        except _DATABASE:
            return out
        return out

    def put_result(self, key: str, result: DocumentResult, json_text: bytes) -> None:
        if self.db is None:
            return
        with contextlib.suppress(*_DATABASE, TypeError, RecursionError):
            blob, light = result_row(result), result_row(result, light=True)
            self.dropped.get("results", set()).discard(key)
            self.db.execute(
                "INSERT OR REPLACE INTO results (key, blob, light, json, crc, light_crc, json_crc, used) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    blob,
                    light,
                    json_text,
                    checksum(key, blob),
                    checksum(key, light),
                    checksum(key, json_text),
                    time.time(),
                ),
            )

    def prune(self) -> None:
        """Forget entries unused for MAX_AGE_DAYS."""
        if self.db is None:
            return
        cutoff = time.time() - MAX_AGE_DAYS * 86400
        try:
            for table in ("documents", "results"):
                self.db.execute(f"DELETE FROM {table} WHERE used < ?", (cutoff,))
        except _DATABASE:
            pass
