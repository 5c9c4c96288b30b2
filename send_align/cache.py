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
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from send_align import __version__
from send_align.cache_rows import document_from_row, document_row, result_from_row, result_row
from send_align.report.json_report import StoredJson
from send_align.results import Document, DocumentResult
from send_align.rows import UNREADABLE, Corrupt, checksum

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


class RunCache:
    """The cache as one check uses it: extracted documents, and the results of documents unchanged since
    they were stored (neither they, the strategies nor the exemptions that apply).

    For a JSON report (`keep_json`), a stored result comes without its evidence, and its document's JSON
    comes as it was stored (`json`): neither is built again, and the JSON report writes it as it is."""

    def __init__(self, path: Path, keep_json: bool = False) -> None:
        self.path = path
        self.keep_json = keep_json
        self.json = StoredJson()
        self._cache: Cache | None = None

    def open(self) -> Cache:
        """This process's connection (opened on first use)."""
        if self._cache is None:
            self._cache = Cache(self.path)
        return self._cache

    def results(self, wanted: Sequence[tuple[str, str]]) -> list[DocumentResult | None]:
        """For each (result key, the document's path as reports show it), its stored result or None."""
        stored = self.open().get_results(list(dict.fromkeys(key for key, _ in wanted)), light=self.keep_json)
        out: list[DocumentResult | None] = []
        for key, path in wanted:
            hit = stored.get(key)
            if hit is None:
                out.append(None)
                continue
            result = replace(hit[0], path=path)
            if hit[1] is not None:
                self.json.add(result, hit[1])
            out.append(result)
        return out

    def keep(self, key: str, result: DocumentResult) -> None:
        """Store a fresh result, and its document's JSON as the JSON report writes it."""
        from send_align.report.json_report import after_path

        stored = replace(result, path="")
        # Encoded as the writer encodes a fresh report, so a cached run's bytes are the same.
        self.open().put_result(key, stored, after_path(stored).encode("utf-8", "backslashreplace"))

    def close(self) -> None:
        """Forget what has not been used for long, and close."""
        if self._cache is not None:
            self._cache.prune()
            self._cache.close()
            self._cache = None
