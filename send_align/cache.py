"""An embedded cache of extracted text and results, so re-checking an unchanged repository is nearly free.

One sqlite3 file in the user's cache folder. Extracted documents are keyed by the file's content hash and
the reader's version (a changed strategy keeps them); results by the content hash, the catalogue's digest
(any strategy change), the frameworks shown and the exemptions that apply. Two runs may share the file:
it uses write-ahead logging and a busy timeout, and a cache that cannot be used is simply not used.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sqlite3
import time
from pathlib import Path
from typing import Any

from send_align import __version__

# Bumped when what a document's blocks are changes for a reason outside this package's code (which keys carry
# a digest of), such as a reader library's behaviour.
EXTRACT_VERSION = "2"
# The file's layout; an older one is dropped and rebuilt.
LAYOUT = 4
# Last use is indexed: pruning then reads the index, not every stored report.
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, blob BLOB NOT NULL, used REAL NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, blob BLOB NOT NULL, light BLOB NOT NULL, json BLOB NOT NULL, used REAL NOT NULL
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


class Cache:
    """Get and put pickled values; every failure (locked, corrupt, read-only) degrades to a miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.touched: dict[str, list[str]] = {}
        """Keys read this run whose last use is old: it is recorded in one transaction when the cache
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
        except (sqlite3.Error, OSError):
            self.db = None

    def close(self) -> None:
        if self.db is not None and self.touched:
            now = time.time()
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("BEGIN")
                for table, keys in self.touched.items():
                    self.db.executemany(
                        f"UPDATE {table} SET used = ? WHERE key = ?", [(now, k) for k in keys]
                    )
                self.db.execute("COMMIT")
            self.touched = {}
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def _get(self, table: str, key: str) -> Any:
        if self.db is None:
            return None
        try:
            row = self.db.execute(f"SELECT blob, used FROM {table} WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if row[1] < self.stale_before:
                self.touched.setdefault(table, []).append(key)
            return pickle.loads(row[0])
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def _put(self, table: str, key: str, value: Any) -> None:
        if self.db is None:
            return
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.db.execute(
                f"INSERT OR REPLACE INTO {table} (key, blob, used) VALUES (?, ?, ?)", (key, blob, time.time())
            )
        except (sqlite3.Error, pickle.PicklingError, TypeError, RecursionError):
            pass

    @staticmethod
    def light(result: Any) -> Any:
        """A result with its aims' evidence dropped (statuses, scores and reasons kept)."""
        from dataclasses import replace

        return replace(result, aims=tuple(replace(a, evidence=(), discarded=()) for a in result.aims))

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

    def get_document(self, key: str) -> Any:
        return self._get("documents", key)

    def put_document(self, key: str, document: Any) -> None:
        self._put("documents", key, document)

    def get_results(self, keys: list[str], light: bool) -> dict[str, tuple[Any, bytes | None]]:
        """Results for many keys in few queries: each whole, or (`light`) without evidence and with the
        document's JSON."""
        out: dict[str, tuple[Any, bytes | None]] = {}
        if self.db is None:
            return out
        columns = "key, light, json, used" if light else "key, blob, NULL, used"
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob, text, used in self.db.execute(
                    f"SELECT {columns} FROM results WHERE key IN ({marks})", chunk
                ):
                    try:
                        out[key] = (pickle.loads(blob), text)
                    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
                        continue
                    if used < self.stale_before:
                        self.touched.setdefault("results", []).append(key)
        except sqlite3.Error:
            return out
        return out

    def put_result(self, key: str, result: Any, light: Any, json_text: bytes) -> None:
        if self.db is None:
            return
        with contextlib.suppress(sqlite3.Error, pickle.PicklingError, TypeError, RecursionError):
            self.db.execute(
                "INSERT OR REPLACE INTO results (key, blob, light, json, used) VALUES (?, ?, ?, ?, ?)",
                (
                    key,
                    pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
                    pickle.dumps(light, protocol=pickle.HIGHEST_PROTOCOL),
                    json_text,
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
        except sqlite3.Error:
            pass
