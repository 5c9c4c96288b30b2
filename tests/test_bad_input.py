"""Broken strategy files and look-ups: one clear line per problem, file and line, exit 2, no traceback."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_strategies import LOCAL_FRAMEWORK


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def assert_clean_failure(res, *needles: str) -> list[str]:  # type: ignore[no-untyped-def]
    assert res.code == 2, (res.code, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert lines and all(ln.startswith("error: ") for ln in lines), res.stderr
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr)
    return lines


CASES = {
    "yaml-syntax": ("framework: [unclosed\n", ["bad.yaml:", "YAML syntax error"]),
    "wrong-type": (LOCAL_FRAMEWORK.replace("year: 2025", "year: soon"), ["bad.yaml:6:", "framework.year"]),
    "missing-field": (
        LOCAL_FRAMEWORK.replace("    statement: Every primary school runs a nurture group.\n", ""),
        ["bad.yaml:", "aims[0]", "'statement' is a required property"],
    ),
    "unknown-relation": (
        LOCAL_FRAMEWORK.replace("intersects-with", "sort-of-like"),
        ["bad.yaml:", "aims[0].links[0].relation"],
    ),
    "unknown-link": (
        LOCAL_FRAMEWORK.replace("cop.need-semh", "cop.no-such-aim"),
        ["bad.yaml:", "unknown aim 'cop.no-such-aim'"],
    ),
    "duplicate-key": (
        LOCAL_FRAMEWORK.replace("  year: 2025\n", "  year: 2025\n  year: 2026\n"),
        ["bad.yaml:7:", "duplicate key 'year'"],
    ),
    "unknown-term": (
        LOCAL_FRAMEWORK.replace("[nurture group, nurture groups]", "[$no-such-list]"),
        ["bad.yaml:", "unknown term list $no-such-list"],
    ),
    "alias": ("a: &x [1, 2]\nb: *x\n", ["bad.yaml:", "anchors"]),
    "tagged-empty": (
        LOCAL_FRAMEWORK.replace("year: 2025", "year: !!int ''"),
        ["bad.yaml:6:", "cannot read the value '': not a valid int"],
    ),
    "not-a-mapping": ("- just\n- a list\n", ["bad.yaml:1:", "expected a mapping"]),
    "bad-id": (
        LOCAL_FRAMEWORK.replace("id: mine.nurture", "id: other.nurture"),
        ["must start with the framework id 'mine.'"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_strategy_file(case: str, tmp_path: Path, cli: Callable[..., object]) -> None:
    text, needles = CASES[case]
    folder = tmp_path / "strategies"
    write(folder, "bad.yaml", text)
    for command in (["frameworks"], ["validate"], ["show", "lfi"]):
        res = cli(*command, "--strategies", str(folder))
        assert_clean_failure(res, *needles)


def test_every_problem_reported_at_once(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    broken = LOCAL_FRAMEWORK.replace("year: 2025", "year: soon").replace("cop.need-semh", "cop.missing")
    write(folder, "one.yaml", broken)
    write(folder, "two.yaml", "framework: [oops\n")
    res = cli("validate", "--strategies", str(folder))
    lines = assert_clean_failure(res)
    assert any("one.yaml" in ln and "framework.year" in ln for ln in lines)
    assert any("two.yaml" in ln for ln in lines)


def test_duplicate_aim_id_across_files(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(folder, "a.yaml", LOCAL_FRAMEWORK)
    # A second framework that repeats the first one's aim id (and so also breaks the id prefix rule).
    write(folder, "b.yaml", LOCAL_FRAMEWORK.replace("  id: mine\n", "  id: mine2\n"))
    res = cli("validate", "--strategies", str(folder))
    assert_clean_failure(
        res, "b.yaml:", "duplicate aim id 'mine.nurture'", "must start with the framework id"
    )


def test_duplicate_framework_id_across_local_files(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(folder, "a.yaml", LOCAL_FRAMEWORK)
    write(folder, "b.yaml", LOCAL_FRAMEWORK)
    res = cli("frameworks", "--strategies", str(folder))
    assert_clean_failure(res, "framework.id: 'mine' is already defined")


GENRE = """genres:
  our-page:
    description: The page is one of ours.
    context: ours
    names: [our offer]
contexts:
  ours:
    description: The document is about our offer.
    phrases: [our offer]
"""


def test_a_genre_or_context_defined_twice_is_an_error(tmp_path: Path, cli: Callable[..., object]) -> None:
    # The later definition would silently replace the earlier one: both are named, as for term lists.
    folder = tmp_path / "strategies"
    write(folder, "a.yaml", GENRE)
    write(folder, "b.yaml", GENRE)
    res = cli("validate", "--strategies", str(folder))
    lines = assert_clean_failure(res)
    assert any("b.yaml:" in ln and "genres.our-page: genre already defined in" in ln and "a.yaml" in ln for ln in lines)
    assert any("b.yaml:" in ln and "contexts.ours: context already defined in" in ln for ln in lines)


def test_a_local_file_may_replace_a_built_in_genre(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(folder, "ours.yaml", GENRE.replace("our-page:", "family-information:"))
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 0, res.stderr  # type: ignore[attr-defined]


def test_alias_bomb_is_refused_quickly(tmp_path: Path, run_cmd: Callable[..., object]) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    )
    folder = tmp_path / "strategies"
    write(folder, "bomb.yaml", bomb)
    assert len(bomb) < 1000
    start = time.monotonic()
    res = run_cmd("validate", "--strategies", str(folder), timeout=30)
    assert time.monotonic() - start < 20
    assert_clean_failure(res, "bomb.yaml:1:", "anchors (&name) are not allowed")


def test_huge_file_is_refused_without_reading(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    folder.mkdir()
    big = folder / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    res = cli("frameworks", "--strategies", str(folder))
    assert_clean_failure(res, "big.yaml", "over the 5 MB limit")


def test_binary_file_is_refused(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(folder, "noise.yaml", bytes(range(256)) * 20)
    res = cli("frameworks", "--strategies", str(folder))
    assert_clean_failure(res, "noise.yaml", "binary file")


def test_latin1_file_is_refused_with_a_hint(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(
        folder,
        "latin.yaml",
        LOCAL_FRAMEWORK.replace("Anytown Council, 2025", "Café £ 2025").encode("latin-1"),
    )
    res = cli("frameworks", "--strategies", str(folder))
    assert_clean_failure(res, "latin.yaml", "not valid UTF-8", "save the file as UTF-8")


def test_missing_strategies_folder(tmp_path: Path, cli: Callable[..., object]) -> None:
    res = cli("frameworks", "--strategies", str(tmp_path / "nowhere"))
    assert_clean_failure(res, "no such strategies folder")


@pytest.mark.parametrize("ident", ["nope", "lfi.principle-99", "LFI"])
def test_unknown_id_for_show(ident: str, cli: Callable[..., object]) -> None:
    res = cli("show", ident)
    lines = assert_clean_failure(res, f"unknown framework or aim id '{ident}'")
    assert len(lines) == 1


def test_show_suggests_close_ids(cli: Callable[..., object]) -> None:
    res = cli("show", "lfi.principle-7")
    assert_clean_failure(res, "did you mean", "lfi.principle-")


def test_bad_format_option(cli: Callable[..., object]) -> None:
    assert_clean_failure(cli("frameworks", "--format", "xml"), "unknown format 'xml'")


def test_real_process_never_prints_a_traceback(tmp_path: Path, run_cmd: Callable[..., object]) -> None:
    folder = tmp_path / "strategies"
    write(folder, "bad.yaml", "framework: {id: 3}\naims: 7\n")
    res = run_cmd("show", "lfi", "--strategies", str(folder))
    assert_clean_failure(res, "bad.yaml:")
