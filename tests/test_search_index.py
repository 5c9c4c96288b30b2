"""search's index: kept in a file beside the catalogue's cache, read back exactly, rebuilt when it is damaged,
forged or for another catalogue, and changed with the strategy files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from send_align.model import Catalogue
from send_align.rows import checksum, dumps
from send_align.search import Index, _key, build_index, decode_index, encode_index, load_index, search
from send_align.strategies import load_catalogue
from tests.test_strategies import LOCAL_FRAMEWORK

QUERIES = [
    "early help",
    "parents",
    "eraly hlep",
    "mediating",
    "Co-Production of plans",
    "preparing for adulthood",
    "zzzzqqq",
    "nurture groups",
    "supported internships",
]


def _fields(index: Index) -> tuple[object, ...]:
    return (index.aim_ids, index.frameworks, index.words, index.postings, index.others, index.texts)


def _results(cat: Catalogue, index: Index | None) -> list[list[tuple[float, str]]]:
    return [
        [(score, aim.id) for score, aim in search(cat, q, 100, frameworks, index)]
        for q in QUERIES
        for frameworks in ([], ["cop"], ["lfi", "mine"])
    ]


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "anytown.yaml").write_text(LOCAL_FRAMEWORK, encoding="utf-8")
    return folder


def test_the_index_is_written_once_and_read_back_exactly(tmp_path: Path, local: Path) -> None:
    cache = tmp_path / "c"
    for folders in ([], [local]):
        cat = load_catalogue(folders, cache)
        built = load_index(cat, cache)
        file = cache / f"search-{cat.digest}.json"
        written = file.stat().st_mtime_ns
        read = load_index(cat, cache)
        assert file.stat().st_mtime_ns == written  # read, not made again
        assert _fields(read) == _fields(built) == _fields(build_index(cat))
        assert _results(cat, read) == _results(cat, None)
    assert len(list(cache.glob("search-*.json"))) == 2


def test_a_damaged_stale_or_forged_index_file_is_rebuilt_silently(tmp_path: Path, local: Path) -> None:
    cache = tmp_path / "c"
    cat = load_catalogue([], cache)
    mine = load_catalogue([local], cache)
    load_index(mine, cache)
    file = cache / f"search-{cat.digest}.json"
    good = encode_index(build_index(cat), _key(cat))
    truncated = good[: len(good) // 2]
    flipped = good[:100] + bytes([good[100] ^ 1]) + good[101:]
    stale = (cache / f"search-{mine.digest}.json").read_bytes()  # another catalogue's index
    # Passes the checksum, but not what this code writes: texts for fewer fields than the aims have.
    payload = dumps([[a.id for a in cat.aims()], ["cop"], {}]) + b"\0\0\0one field"
    forged = checksum(_key(cat), payload).to_bytes(4, "big") + payload
    for bad in (b"", b"junk", truncated, flipped, stale, forged):
        file.write_bytes(bad)
        assert decode_index(bad, _key(cat), cat) is None
        assert _results(cat, load_index(cat, cache)) == _results(cat, None)
        assert file.read_bytes() == good  # made again


def test_the_index_of_another_version_of_the_code_is_not_read(tmp_path: Path) -> None:
    cat = load_catalogue([], tmp_path)
    data = encode_index(build_index(cat), _key(cat))
    assert decode_index(data, _key(cat), cat) is not None
    assert decode_index(data, _key(cat).replace(cat.digest, "0" * len(cat.digest)), cat) is None
    assert decode_index(data, _key(cat) + "0", cat) is None


def test_a_changed_strategies_file_changes_what_search_finds(cli: Callable[..., object], local: Path) -> None:
    first = cli("search", "nurture", "--strategies", str(local), "--format", "json")
    assert first.code == 0 and first.json()[0]["id"] == "mine.nurture"
    assert cli("search", "lunchbox", "--strategies", str(local)).code == 1
    yaml = local / "anytown.yaml"
    yaml.write_text(LOCAL_FRAMEWORK.replace("nurture group", "lunchbox club"), encoding="utf-8")
    second = cli("search", "lunchbox", "--strategies", str(local), "--format", "json")
    assert second.code == 0 and [h["id"] for h in second.json()] == ["mine.nurture"]
    again = cli("search", "nurture", "--strategies", str(local), "--format", "json")
    assert "mine.nurture" in [h["id"] for h in again.json()]  # still in its title and statement
    assert again.json() != first.json()
