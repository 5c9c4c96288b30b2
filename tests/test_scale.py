"""Checking at scale: parallel runs equal serial ones byte for byte, and the cache of extracted text and
results is invalidated exactly when it must be and is safe to share between runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from send_align.errors import SendAlignError
from tests.conftest import NON_SEND_TXT, SEND_POLICY_MD, make_docx
from tests.test_check import PROPOSAL
from tests.test_strategies import LOCAL_FRAMEWORK

NURTURE = "Hilltop SEND policy\n\nEvery pupil with SEND can join our nurture group at lunchtime.\n\n" + (
    "Pupils with special educational needs have SEN support plans reviewed each term.\n"
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A small document library in several formats, big enough to be split between workers."""
    lib = tmp_path / "library"
    for n in range(12):
        folder = lib / f"school{n:02d}"
        folder.mkdir(parents=True)
        (folder / "send.md").write_text(SEND_POLICY_MD.replace("Hilltop", f"School {n}"), "utf-8")
        (folder / "verges.txt").write_text(NON_SEND_TXT, "utf-8")
    make_docx(
        lib / "school00" / "policy.docx", [("Heading 1", "SEND"), ("Normal", "We identify needs early.")]
    )
    (lib / "school01" / "base.yaml").write_text(PROPOSAL, "utf-8")
    (lib / "school02" / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    return lib


def run(cache: Path | None, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEND_ALIGN_CACHE_DIR": str(cache) if cache else ""}
    if cache is None:
        env["SEND_ALIGN_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "send_align", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.parametrize("fmt", ["json", "markdown", "sarif"])
def test_parallel_and_serial_reports_are_byte_identical(library: Path, fmt: str) -> None:
    serial = run(None, str(library), "--format", fmt, "-j", "1")
    parallel = run(None, str(library), "--format", fmt, "-j", "3")
    assert serial.returncode == parallel.returncode == 2  # the broken PDF, reported by both
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr
    assert "broken.pdf" in serial.stderr and serial.stdout.count("school") > 20


def test_warm_run_equals_cold_run_in_every_format(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for fmt in ("json", "table", "html", "csv"):
        cold = run(None, str(library), "--format", fmt)
        first = run(cache, str(library), "--format", fmt)
        warm = run(cache, str(library), "--format", fmt)
        assert cold.stdout == first.stdout == warm.stdout, fmt
    db = sqlite3.connect(str(cache / "check.sqlite3"))
    # Keyed by content: the twelve identical verges.txt files share one entry (12 + 1 + docx + proposal).
    assert db.execute("SELECT count(*) FROM results").fetchone()[0] == 15
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 15


def _result_rows(cache: Path) -> int:
    db = sqlite3.connect(str(cache / "check.sqlite3"))
    try:
        return int(db.execute("SELECT count(*) FROM results").fetchone()[0])
    finally:
        db.close()


def test_changed_document_is_checked_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    doc = tmp_path / "docs" / "policy.txt"
    doc.parent.mkdir()
    doc.write_text(NON_SEND_TXT, "utf-8")
    before = run(cache, str(doc.parent), "--format", "json", "--require", "lfi.principle-6")
    assert before.returncode == 1
    doc.write_text(NURTURE + "\nThe parent carer forum co-produced this policy with families.\n", "utf-8")
    after = run(cache, str(doc.parent), "--format", "json", "--require", "lfi.principle-6")
    assert after.returncode == 0, after.stdout[-500:]


def test_changed_strategy_invalidates_results_but_not_extracted_text(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = tmp_path / "docs"
    docs.mkdir()
    make_docx(docs / "policy.docx", [("Normal", NURTURE)])
    local = tmp_path / "local"
    local.mkdir()
    (local / "mine.yaml").write_text(LOCAL_FRAMEWORK, "utf-8")
    args = (
        str(docs),
        "--strategies",
        str(local),
        "-f",
        "mine",
        "--require",
        "mine.nurture",
        "--format",
        "json",
    )
    assert run(cache, *args).returncode == 0
    assert _result_rows(cache) == 1
    # The rule now needs a word the document lacks: the cached result must not be used.
    (local / "mine.yaml").write_text(
        LOCAL_FRAMEWORK.replace("phrases: [nurture group, nurture groups]", "phrases: [nurture room]"),
        "utf-8",
    )
    assert run(cache, *args).returncode == 1
    assert _result_rows(cache) == 2
    db = sqlite3.connect(str(cache / "check.sqlite3"))
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # the text was read once


def test_config_exemptions_are_part_of_the_result_key(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    args = ("docs", "--require", "cop.vision", "--format", "json")
    assert run(cache, *args, cwd=tmp_path).returncode == 1
    (tmp_path / "send-align.toml").write_text(
        '[[not-applicable]]\naim = "cop.vision"\nreason = "a school policy; the vision is the council\'s"\n',
        "utf-8",
    )
    assert run(cache, *args, cwd=tmp_path).returncode == 0


def test_two_runs_sharing_the_cache_at_once(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "SEND_ALIGN_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "send_align", "check", str(library), "--format", "json", "-j", "2"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [2, 2, 2]
    assert outs[0][0] == outs[1][0] == outs[2][0]
    assert all("Traceback" not in err for _, err in outs)
    assert run(None, str(library), "--format", "json").stdout == outs[0][0]


def test_corrupt_or_unwritable_cache_is_only_a_miss(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "check.sqlite3").write_bytes(b"this is not a database" * 100)
    res = run(cache, str(library), "--format", "json")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stdout == run(None, str(library), "--format", "json").stdout


def test_no_cache_writes_nothing(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "SEND_ALIGN_CACHE_DIR": str(cache)}
    subprocess.run(
        [sys.executable, "-m", "send_align", "check", str(library), "--no-cache", "-o", os.devnull],
        env=env,
        timeout=300,
        check=False,
    )
    assert not (cache / "check.sqlite3").exists()


def test_output_to_a_device_is_written_in_place(library: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    res = cli("check", str(library / "school03"), "--format", "json", "-o", os.devnull)
    assert res.code == 0 and res.stdout == ""
    assert not Path("/dev/.null.tmp").exists()


def test_same_bytes_under_another_suffix_are_another_document(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "# SEND policy\n\n<!-- send-align: not-applicable cop.vision -- the council's vision -->\n\nWe identify SEN early.\n"
    (docs / "a.md").write_text(text, "utf-8")
    first = run(cache, str(docs / "a.md"), "--format", "json", "--require", "cop.vision")
    assert first.returncode == 0
    (docs / "a.txt").write_text(text, "utf-8")  # as text, the comment is just words: no exemption
    second = run(cache, str(docs / "a.txt"), "--format", "json", "--require", "cop.vision")
    assert second.returncode == 1


def test_a_rerun_writes_nothing_and_old_entries_are_touched_then_pruned(
    library: Path, tmp_path: Path
) -> None:
    """Last use is recorded only when a day old (a re-run is read-only), and entries unused for
    MAX_AGE_DAYS are dropped."""
    from send_align.cache import MAX_AGE_DAYS

    cache = tmp_path / "cache"
    assert run(cache, str(library), "--format", "json").returncode == 2
    db = cache / "check.sqlite3"

    def used() -> list[float]:
        with sqlite3.connect(db) as con:
            return [u for (u,) in con.execute("SELECT used FROM results ORDER BY key")]

    first = used()
    assert len(first) == 15  # every distinct readable document
    assert run(cache, str(library), "--format", "json").returncode == 2
    assert used() == first  # nothing written
    with sqlite3.connect(db) as con:
        con.execute("UPDATE results SET used = used - 2 * 86400")
        con.execute(
            "INSERT INTO results (key, used, crc, light_crc, json_crc, light, json, blob) VALUES ('gone', 0, 0, 0, 0, x'00', x'00', x'00')"
        )
    assert run(cache, str(library), "--format", "json").returncode == 2
    after = used()
    assert len(after) == 15 and min(after) >= max(first)  # touched again; "gone" pruned
    assert MAX_AGE_DAYS * 86400 > 2 * 86400


def test_a_run_defers_full_collections_and_restores_the_collector(library: Path) -> None:
    """Results are kept until the report, so full collections are put off during a run (they would walk
    every kept result again and again); the caller's collector settings come back afterwards, even when
    the run fails."""
    import gc

    from send_align.engine import run_check
    from send_align.options import CheckOptions
    from send_align.strategies import build, find_files

    catalogue = build(find_files([]))
    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()
    gc.callbacks.append(lambda phase, info: seen.append(gc.get_threshold()) if phase == "start" else None)
    try:
        report, _ = run_check(catalogue, CheckOptions(paths=(library,), jobs=1))
        gc.collect()
    finally:
        gc.callbacks.pop()
    assert report.documents
    assert gc.get_threshold() == before
    assert seen and seen[0][2] > before[2]  # the first collection ran inside the check, thresholds raised
    with pytest.raises(SendAlignError):
        run_check(catalogue, CheckOptions(frameworks=("no-such-framework",), paths=(library,), jobs=1))
    assert gc.get_threshold() == before


def test_results_made_by_other_code_are_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache keys carry a digest of the package's code: a development checkout changed between releases
    (same version number) must not be answered with results the old code made."""
    import shutil

    import send_align.cache as cache_module

    copy = tmp_path / "send_align"
    shutil.copytree(Path(cache_module.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "__file__", str(copy / "cache.py"))
    digest = cache_module.source_digest.__wrapped__
    whole, extract = digest(), digest("extract")
    with (copy / "matching" / "judge.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    assert digest() != whole
    assert digest("extract") == extract  # extracted text is kept when only the matcher changed
    with (copy / "extract" / "text.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    assert digest("extract") != extract
