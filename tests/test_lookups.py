"""frameworks, show, search, validate and phrases through the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_strategies import LOCAL_FRAMEWORK


def test_frameworks_text_and_json(cli: Callable[..., object]) -> None:
    res = cli("frameworks")
    assert res.code == 0
    for fid in ("flourish", "area-send", "lfi", "cop", "dfe-ap"):
        assert fid in res.stdout
    assert "\x1b[" not in res.stdout  # piped: no colour
    data = cli("frameworks", "--format", "json").json()
    counts = {f["id"]: f["aims"] for f in data}
    assert counts == {"flourish": 12, "area-send": 4, "lfi": 17, "cop": 18, "dfe-ap": 14}


def test_show_framework_is_a_tree_by_kind(cli: Callable[..., object]) -> None:
    res = cli("show", "lfi")
    assert res.code == 0
    out = res.stdout
    assert out.index("workstreams (5)") < out.index("lfi.workstream-1") < out.index("principles (6)")
    assert "└─ lfi.principle-6" in out


def test_show_every_contract_id(cli: Callable[..., object]) -> None:
    ids = (Path(__file__).parent / "data" / "aim_ids.txt").read_text().split()
    for aim_id in ids:
        res = cli("show", aim_id, "--format", "json")
        assert res.code == 0, aim_id
        assert res.json()["id"] == aim_id


def test_show_aim_in_full_with_links_both_ways(cli: Callable[..., object]) -> None:
    out = cli("show", "lfi.principle-5").stdout
    assert "Listening to and incorporating the views of children and young people" in out
    assert "equivalent-to" in out and "area-send.priority-1" in out
    # flourish.understood links to lfi.principle-5, so the reverse link shows here too.
    assert "flourish.understood" in out
    data = cli("show", "lfi.principle-5", "--format", "json").json()
    assert ("equivalent-to", "flourish.understood") in {
        (ln["relation"], ln["aim"]) for ln in data["linked_from"]
    }
    assert data["rules"][0]["phrases"] == ["$voice-mechanisms"]


def test_search_ranks_and_tolerates_forms_and_typos(cli: Callable[..., object]) -> None:
    top = cli("search", "early help", "--format", "json").json()
    assert top[0]["id"] == "flourish.priority-1"
    typo = cli("search", "eraly", "hlep", "--format", "json").json()
    assert typo[0]["id"] == "flourish.priority-1"
    forms = cli("search", "mediating", "--format", "json").json()
    assert forms[0]["id"] in ("dfe-ap.mediation", "cop.resolving-disagreements")
    limited = cli("search", "parents", "-n", "3", "--format", "json").json()
    assert len(limited) == 3


def test_search_text_and_no_match(cli: Callable[..., object]) -> None:
    res = cli("search", "supported", "internships")
    assert res.code == 0 and "preparation-for-adulthood" in res.stdout
    none = cli("search", "zzzzqqq")
    assert none.code == 1 and "no aims match" in none.stdout  # like grep: nothing found


def test_search_within_a_framework(cli: Callable[..., object]) -> None:
    data = cli("search", "parents", "-f", "cop", "--format", "json").json()
    assert data and all(d["framework"] == "cop" for d in data)
    bad = cli("search", "parents", "-f", "nope")
    assert bad.code == 2 and "unknown framework 'nope'" in bad.stderr


def test_validate_shipped_and_local(tmp_path: Path, cli: Callable[..., object]) -> None:
    res = cli("validate")
    assert res.code == 0 and "65 aims" in res.stdout
    local = tmp_path / "mine.yaml"
    local.write_text(LOCAL_FRAMEWORK, encoding="utf-8")
    res = cli("validate", str(local), "--format", "json")
    assert res.code == 0
    assert res.json()["aims"] == 66


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "Every school runs a nurture group at lunchtime.",
            "Every school runs a breakfast club.",
            "mine.nurture: example should count but no rule counts it",
        ),
        # The local aim comes after the 65 built-in ones: the message names its own rule, not the first aim's.
        (
            "The school garden is nurtured by volunteers.",
            "Volunteers help with the nurture groups.",
            "mine.nurture: example should not count but rule nurture-group counts it",
        ),
    ],
)
def test_validate_example_judged_wrongly(
    tmp_path: Path, cli: Callable[..., object], old: str, new: str, message: str
) -> None:
    local = tmp_path / "mine.yaml"
    local.write_text(LOCAL_FRAMEWORK.replace(old, new), encoding="utf-8")
    res = cli("validate", str(local))
    assert res.code == 2
    assert message in res.stderr
    assert res.stderr.count("example should") == 1


def test_validate_proposal(tmp_path: Path, cli: Callable[..., object]) -> None:
    good = tmp_path / "p.yaml"
    good.write_text("proposal:\n  title: T\n  claims:\n    - aim: lfi.workstream-5\n", encoding="utf-8")
    assert cli("validate", str(good)).code == 0
    bad = tmp_path / "q.yaml"
    bad.write_text("proposal:\n  title: T\n  claims:\n    - aim: lfi.workstream-9\n", encoding="utf-8")
    res = cli("validate", str(bad))
    assert res.code == 2 and "q.yaml:4: claim names unknown aim 'lfi.workstream-9'" in res.stderr


def test_local_framework_replaces_builtin(tmp_path: Path, cli: Callable[..., object]) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    replaced = LOCAL_FRAMEWORK.replace("  id: mine\n", "  id: cop\n").replace("mine.nurture", "cop.nurture")
    (folder / "cop.yaml").write_text(replaced, encoding="utf-8")
    # Other frameworks link to cop aims, so replacing cop must report those links, not crash.
    res = cli("frameworks", "--strategies", str(folder))
    assert res.code == 2 and "unknown aim 'cop." in res.stderr


def test_phrases_lists_compiled_phrases(cli: Callable[..., object]) -> None:
    res = cli("phrases", "-f", "cop")
    lines = res.stdout.splitlines()
    assert res.code == 0 and "SENDIASS" in lines and "graduated approach" in lines
    assert lines == sorted(set(lines))
    assert not any(ln.startswith("$") for ln in lines)


def test_version(cli: Callable[..., object]) -> None:
    res = cli("--version")
    assert res.code == 0 and res.stdout.startswith("send-align 0.")


def test_worked_example_in_the_docs_validates(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "writing-strategies.md").read_text(encoding="utf-8")
    block = doc.split("```yaml\nschema_version: 1\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "my-strategies"
    folder.mkdir()
    (folder / "anytown.yaml").write_text("schema_version: 1\n" + block, encoding="utf-8")
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 0, res.stderr
    assert "67 aims" in res.stdout
    assert "anytown.nurture" in cli("show", "cop.need-semh", "--strategies", str(folder)).stdout


def test_search_may_skip_words_of_other_initials_because_a_stem_keeps_its_first_letter() -> None:
    # search stems only the catalogue words that begin as a query term does; that is exact only while
    # every stem keeps its word's first letter.
    from send_align.search import _aim_fields, _words
    from send_align.stemming import stem
    from send_align.strategies import build, find_files

    cat = build(find_files([]))
    words = {w for a in cat.aims() for _, text in _aim_fields(a) for w in _words(text)}
    words |= {"dying", "lying", "skies", "ugly", "yearly", "ies", "s"}
    assert len(words) > 1000
    assert [w for w in words if stem(w)[:1] != w[:1]] == []
