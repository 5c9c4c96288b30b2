"""The shipped strategies: they validate, carry every contracted aim id, and their examples hold."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from send_align import strategies
from send_align.model import KINDS, RELATIONS
from send_align.rows import checksum
from send_align.strategies import build, builtin_dir, code_stamp, find_files, find_models, load_catalogue
from send_align.validating import check_examples

CONTRACT_IDS = Path(__file__).parent / "data" / "aim_ids.txt"


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return build(find_files([]))


def test_every_shipped_file_validates(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert {f.id for f in catalogue.frameworks} == {"flourish", "area-send", "lfi", "cop", "dfe-ap"}
    assert len(catalogue.aims()) == len({a.id for a in catalogue.aims()})


def test_contract_ids_all_present(catalogue) -> None:  # type: ignore[no-untyped-def]
    wanted = CONTRACT_IDS.read_text().split()
    assert len(wanted) == 65
    have = {a.id for a in catalogue.aims()}
    assert sorted(set(wanted) - have) == []


def test_spec_ids_match_our_copy(shared: Path) -> None:
    spec = set(re.findall(r"^\| ([a-z-]+\.[a-z0-9-]+) \|", (shared / "spec" / "AIMS.md").read_text(), re.M))
    assert spec == set(CONTRACT_IDS.read_text().split())


def test_aims_are_complete(catalogue) -> None:  # type: ignore[no-untyped-def]
    for aim in catalogue.aims():
        assert aim.kind in KINDS
        assert aim.statement and aim.source and aim.rules, aim.id
        assert any(e.counts for e in aim.examples), f"{aim.id} has no example that counts"
        assert any(not e.counts for e in aim.examples), f"{aim.id} has no near miss"
        for link in aim.links:
            assert link.relation in RELATIONS
            assert catalogue.aim(link.target) is not None


def test_the_voice_aims_read_the_childs_voice_with_the_same_rules(catalogue) -> None:  # type: ignore[no-untyped-def]
    """The three aims that read the children's and young people's voice use the shared rules of terms.yaml, so a
    mend to one reaches all three (they had drifted apart when each was written out)."""
    rules = {a.id: {r.id: r for r in a.rules} for a in catalogue.aims() if a.id in VOICE_AIMS}
    area, flourish, lfi = (rules[a] for a in VOICE_AIMS)
    assert area == lfi
    shared = set(area) & set(flourish)
    assert len(shared) == len(area) == 24
    assert all(area[r] == flourish[r] for r in shared)


def test_no_rule_is_written_out_twice() -> None:
    """A rule two aims read in the same words is shared (`rules:` in terms.yaml), not copied: copies drift apart."""
    import yaml

    seen: dict[str, str] = {}
    twice = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        for aim in yaml.safe_load(path.read_text(encoding="utf-8")).get("aims", []):
            for rule in aim["rules"]:
                if "use" in rule:
                    continue
                body = json.dumps({k: v for k, v in rule.items() if k != "id"}, sort_keys=True)
                where = f"{aim['id']}/{rule['id']}"
                if body in seen:
                    twice.append((seen[body], where))
                seen.setdefault(body, where)
    assert twice == []


VOICE_AIMS = ("area-send.priority-1", "flourish.understood", "lfi.principle-5")


def test_examples_hold(catalogue) -> None:  # type: ignore[no-untyped-def]
    n, problems = check_examples(catalogue)
    assert n >= 130
    assert [str(p) for p in problems] == []


def test_overlapping_aims_are_linked(catalogue) -> None:  # type: ignore[no-untyped-def]
    def linked(a: str, b: str) -> bool:
        return any(ln.target == b for ln in catalogue.aim(a).links) or any(
            ln.target == a for ln in catalogue.aim(b).links
        )

    assert linked("lfi.principle-5", "area-send.priority-1")
    assert linked("area-send.priority-4", "cop.preparation-for-adulthood")
    assert linked("area-send.priority-4", "dfe-ap.preparation-for-adulthood")


def test_cache_is_reused_and_invalidated(tmp_path: Path) -> None:
    cache = tmp_path / "c"
    first = load_catalogue([], cache)
    files = list(cache.glob("catalogue-*.json"))
    assert len(files) == 1
    assert load_catalogue([], cache).digest == first.digest
    local = tmp_path / "local"
    local.mkdir()
    (local / "mine.yaml").write_text(LOCAL_FRAMEWORK, encoding="utf-8")
    with_local = load_catalogue([local], cache)
    assert with_local.digest != first.digest
    assert with_local.framework("mine") is not None
    assert len(list(cache.glob("catalogue-*.json"))) == 2


def test_cache_follows_the_code_that_built_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A development checkout edited between releases keeps its version number: its catalogue must still be
    # validated and compiled by the code as it now stands, not read from a file older code wrote.
    cache = tmp_path / "c"
    first = load_catalogue([], cache)
    monkeypatch.setattr(strategies, "code_stamp", lambda: "another build of the code")
    second = load_catalogue([], cache)
    assert second.digest != first.digest
    assert len(list(cache.glob("catalogue-*.json"))) == 2


def test_code_stamp_sees_each_module_but_not_compiled_copies(tmp_path: Path) -> None:
    import os

    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__pycache__").mkdir()
    (pkg / "a.py").write_text("A = 1\n", encoding="utf-8")
    (pkg / "sub" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (pkg / "notes.txt").write_text("not code\n", encoding="utf-8")
    before = code_stamp(pkg)
    assert "a.py" in before and os.path.join("sub", "b.py") in before
    (pkg / "__pycache__" / "a.cpython-311.py").write_text("stale", encoding="utf-8")
    (pkg / "notes.txt").write_text("edited notes\n", encoding="utf-8")
    assert code_stamp(pkg) == before
    (pkg / "sub" / "b.py").write_text("B = 3\n", encoding="utf-8")  # same size: its modification time tells
    os.utime(pkg / "sub" / "b.py", ns=(0, 10**18))
    edited = code_stamp(pkg)
    assert edited != before
    (pkg / "a.py").write_text("A = 10\n", encoding="utf-8")
    os.utime(pkg / "a.py", ns=(0, 10**18))
    assert code_stamp(pkg) != edited  # a different size


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "c"
    cat = load_catalogue([], cache)
    assert load_catalogue([], cache) == cat  # read back from the file exactly as built
    (cache / f"catalogue-{cat.digest}.json").write_bytes(b"not a catalogue")
    assert load_catalogue([], cache) == cat
    assert load_catalogue([], cache) == cat  # and the file was made again


def test_builtin_readings_are_kept_for_a_local_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A council editing its own framework rebuilds the catalogue on every edit: the built-in files, read and
    # validated once, are taken from the cache, and only the council's file is read again.
    from send_align import safeyaml

    cache = tmp_path / "c"
    local = tmp_path / "local"
    local.mkdir()
    (local / "mine.yaml").write_text(LOCAL_FRAMEWORK, encoding="utf-8")
    first = load_catalogue([local], cache)
    stored = sorted(cache.glob("parsed-*.json"))
    assert len(stored) == len(list(builtin_dir().glob("*.yaml")))  # one a built-in file, none for the local one
    read: list[str] = []
    real = safeyaml.load_text
    monkeypatch.setattr(safeyaml, "load_text", lambda text, path, **kw: read.append(path) or real(text, path, **kw))
    (local / "mine.yaml").write_text(LOCAL_FRAMEWORK.replace("Anytown inclusion charter", "Anytown inclusion charter, edited"), encoding="utf-8")
    second = load_catalogue([local], cache)
    assert len(read) == 1 and read[0].endswith("mine.yaml"), read
    assert second.digest != first.digest
    # Built from the stored readings, the catalogue is the one a fresh reading builds.
    assert replace(second, digest="") == replace(build(find_files([local]), find_models([local])), digest="")


def test_a_damaged_or_foreign_stored_reading_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "c"
    fresh = load_catalogue([], cache)
    stored = sorted(cache.glob("parsed-*.json"))
    stored[0].write_bytes(b"{not json")
    # Another file's reading copied in under this name: its checksum is keyed on the other name.
    stored[1].write_bytes(stored[2].read_bytes())
    # A changed byte that leaves valid JSON (a phrase spelt differently) is caught by the checksum.
    target = next(p for p in stored[3:] if b'"phrases":["' in p.read_bytes())
    raw = target.read_bytes()
    at = raw.index(b'"phrases":["') + len(b'"phrases":["')
    target.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :])
    for cat_file in cache.glob("catalogue-*.json"):
        cat_file.unlink()
    assert replace(load_catalogue([], cache), digest="") == replace(fresh, digest="")
    # Both files were written again from a fresh reading.
    for path in (*stored[:2], target):
        data = path.read_bytes()
        assert int.from_bytes(data[:4], "big") == checksum(path.name, data[4:]) and json.loads(data[4:])["data"]


def test_builtin_dir_has_the_five_files() -> None:
    names = sorted(p.name for p in builtin_dir().glob("*.yaml"))
    assert names == [
        "area-send.yaml",
        "cop.yaml",
        "cues.yaml",
        "dfe-ap.yaml",
        "flourish.yaml",
        "lfi.yaml",
        "terms.yaml",
    ]


LOCAL_FRAMEWORK = """\
schema_version: 1
framework:
  id: mine
  title: Anytown inclusion charter
  publisher: Anytown Council
  year: 2025
  version: "1"
  source: Anytown Council, 2025
aims:
  - id: mine.nurture
    title: Nurture groups in every primary school
    kind: commitment
    statement: Every primary school runs a nurture group.
    source: Charter, commitment 1
    rules:
      - id: nurture-group
        phrases: [nurture group, nurture groups]
    links:
      - {relation: intersects-with, aim: cop.need-semh}
    examples:
      counts: [Every school runs a nurture group at lunchtime.]
      not: [The school garden is nurtured by volunteers.]
"""
