"""The caches hold data, never code, and a damaged entry is only a miss."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.outputs.support import assert_clean, run


def cached_env(cache: Path) -> dict[str, str]:
    return {"SEND_ALIGN_CACHE_DIR": str(cache), "SEND_ALIGN_NO_CACHE": ""}


@pytest.fixture
def library(good: Path) -> Path:
    """Documents in three readers' formats and a proposal, so every kind of cache entry is made."""
    from tests.conftest import make_docx

    make_docx(good / "plan.docx", [("h1", "Inclusion plan"), ("p", SEND_POLICY_MD.split("\n\n", 2)[2])])
    (good / "notes.txt").write_text("Notes\n\nWe review SEN support each term with parents.\n", "utf-8")
    (good / "proposal.yaml").write_text(
        "proposal:\n  title: More nurture groups\n  claims:\n    - aim: cop.early-identification\n"
        "      how: Screening in reception.\n  sections:\n    - heading: Plan\n      text: We will identify"
        " needs early through screening, starting from strengths.\n",
        "utf-8",
    )
    return good


VARIANTS = [
    ["--format", "json"],
    ["--format", "table", "--evidence", "3"],
    ["--format", "json", "-f", "lfi", "--require", "lfi.*"],
    ["--format", "markdown", "-f", "cop"],
]
CHECKS = {"blob": "crc", "light": "light_crc", "json": "json_crc"}


def entries(db: Path) -> list[tuple[str, str, str]]:
    """(table, key, column) of every stored blob."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        found = []
        for table in ("documents", "results"):
            columns = [c[1] for c in con.execute(f"PRAGMA table_info({table})") if c[2] == "BLOB"]
            for (key,) in con.execute(f"SELECT key FROM {table}"):
                found += [(table, key, column) for column in columns]
        return found
    finally:
        con.close()


def damage(db: Path, rng: object, how_many: int) -> None:
    """Flip a few bytes of some stored entries, leaving their checksums as they were."""
    import random
    import sqlite3

    assert isinstance(rng, random.Random)
    con = sqlite3.connect(db)
    for table, key, column in rng.sample(entries(db), how_many):
        (blob,) = con.execute(f"SELECT {column} FROM {table} WHERE key = ?", (key,)).fetchone()
        data = bytearray(blob)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
        con.execute(f"UPDATE {table} SET {column} = ? WHERE key = ?", (bytes(data), key))
    con.commit()
    con.close()


def test_a_damaged_cache_never_gives_a_wrong_report_or_a_crash(library: Path, tmp_path: Path) -> None:
    import random
    import shutil

    expected = [run("check", library, "--no-config", *v) for v in VARIANTS]
    assert all(e.code in (0, 1) and e.err == b"" for e in expected), [e.stderr for e in expected]
    assert len(json.loads(expected[0].out)["documents"]) == 4
    cache = tmp_path / "cache"
    for v in VARIANTS:  # every kind of entry: light and whole results, documents (-f changes the key)
        assert run("check", library, "--no-config", *v, env=cached_env(cache)).code in (0, 1)
    pristine = tmp_path / "pristine"
    shutil.copytree(cache, pristine)
    db = cache / "check.sqlite3"
    rng = random.Random(11)
    for round_ in range(18):
        shutil.rmtree(cache)
        shutil.copytree(pristine, cache)
        where = round_ % 3
        if where == 0:  # bytes of stored entries
            damage(db, rng, rng.randint(1, 6))
        elif where == 1:  # bytes anywhere in the database file past its header
            raw = bytearray(db.read_bytes())
            for _ in range(rng.randint(1, 40)):
                raw[rng.randrange(100, len(raw))] ^= rng.randint(1, 255)
            db.write_bytes(bytes(raw))
        else:  # the catalogue's cache file
            (catalogue,) = cache.glob("catalogue-*")
            raw = bytearray(catalogue.read_bytes())
            for _ in range(rng.randint(1, 8)):
                raw[rng.randrange(len(raw))] ^= rng.randint(1, 255)
            catalogue.write_bytes(bytes(raw))
        n = rng.randrange(len(VARIANTS))
        got = run("check", library, "--no-config", *VARIANTS[n], env=cached_env(cache))
        assert_clean(got)
        assert (got.code, got.out) == (expected[n].code, expected[n].out), (round_, VARIANTS[n])
        got.out.decode("utf-8")


def all_entries_check_out(db: Path) -> bool:
    import sqlite3

    from send_align.rows import checksum

    con = sqlite3.connect(db)
    try:
        for table in ("documents", "results"):
            names = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
            for row in con.execute(f"SELECT * FROM {table}"):
                values = dict(zip(names, row, strict=True))
                for column, check in CHECKS.items():
                    if column in values and checksum(values["key"], values[column]) != values[check]:
                        return False
        return True
    finally:
        con.close()


def test_damaged_entries_are_dropped_and_made_again(library: Path, tmp_path: Path) -> None:
    import random

    cache = tmp_path / "cache"
    expected = []
    for v in VARIANTS:
        expected.append(run("check", library, "--no-config", *v, env=cached_env(cache)))
    db = cache / "check.sqlite3"
    every = entries(db)
    damage(db, random.Random(4), len(every))
    assert not all_entries_check_out(db)
    for v, want in zip(VARIANTS, expected, strict=True):
        got = run("check", library, "--no-config", *v, env=cached_env(cache))
        assert (got.code, got.out) == (want.code, want.out)
    assert all_entries_check_out(db) and len(entries(db)) == len(every)


def test_code_planted_in_the_cache_is_never_run(library: Path, tmp_path: Path) -> None:
    """A pickle that runs a command when loaded, planted in every entry and every cache file, with
    checksums recomputed as an attacker who knows the layout would: it is not data, so it is a miss."""
    import pickle
    import sqlite3
    import zlib

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    evil = pickle.dumps(Payload())
    cache = tmp_path / "cache"
    clean = [run("check", library, "--no-config", *v) for v in VARIANTS[:2]]
    for v in VARIANTS[:2]:
        run("check", library, "--no-config", *v, env=cached_env(cache))
    shown = run("show", "lfi", env=cached_env(cache))
    con = sqlite3.connect(cache / "check.sqlite3")
    for table in ("documents", "results"):
        names = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
        for (key,) in con.execute(f"SELECT key FROM {table}").fetchall():
            forged = {c: evil for c in names if c in CHECKS}
            forged |= {
                CHECKS[c]: zlib.crc32(evil, zlib.crc32(key.encode())) for c in forged if CHECKS[c] in names
            }
            sets = ", ".join(f"{c} = ?" for c in forged)
            con.execute(f"UPDATE {table} SET {sets} WHERE key = ?", (*forged.values(), key))
    con.commit()
    con.close()
    for catalogue in cache.glob("catalogue-*"):
        catalogue.write_bytes(
            zlib.crc32(evil, zlib.crc32(catalogue.stem[10:].encode())).to_bytes(4, "big") + evil
        )
    for v, want in zip(VARIANTS[:2], clean, strict=True):
        got = run("check", library, "--no-config", *v, env=cached_env(cache))
        assert (got.code, got.out) == (want.code, want.out)
    assert run("show", "lfi", env=cached_env(cache)).out == shown.out
    assert not marker.exists(), "a pickle from the cache was loaded"
