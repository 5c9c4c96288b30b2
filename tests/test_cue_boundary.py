"""Kinds of cue sharing one word boundary (`cue_phrases.grouped`): where every kind's cues start at a word
boundary, the boundary is tested once, before the named groups. The search must find what the kinds, each
with its own boundary, find: same place, same text, same kind."""

from __future__ import annotations

import pytest

from send_align.matching.cue_phrases import CuePattern, alternation, grouped
from send_align.strategies import build, find_files
from tests.test_cue_keys import ORDINARY, sentences_for


@pytest.fixture(scope="module")
def lists() -> dict[str, tuple[str, ...]]:
    return dict(build(find_files([])).cues)


def each_with_its_own(lists: dict[str, tuple[str, ...]], prefix: str) -> str:
    """The kinds under `prefix` as named groups, each its own alternation (its own word boundary)."""
    return "|".join(
        f"(?P<{key.split('.', 1)[1]}>{alternation(lists[key], key)[0]})"
        for key in sorted(lists)
        if key.startswith(prefix + ".") and lists[key]
    )


def test_kinds_that_start_at_a_word_boundary_test_it_once() -> None:
    rx, triggers = grouped(
        {"before.negation": ("not", "no longer"), "before.history": ("previously",), "after.x": ("never",)},
        "before",
    )
    assert rx.startswith(r"\b(?:(?P<history>") and rx.count(r"\b") == 1
    assert "(?P<negation>" in rx and "never" not in rx
    assert {w for _, w in triggers} == {"not", "no", "previously"}
    found = CuePattern(rx).search("The club was previously run by volunteers, not by staff.")
    assert found is not None and (found.group(0), found.lastgroup) == ("previously", "history")
    # Not inside a word: "another" holds "not", "anyone" no cue.
    assert CuePattern(rx).search("Another club for anyone.") is None


def test_a_kind_with_a_cue_that_starts_otherwise_keeps_its_own_boundaries() -> None:
    # A cue starting with a gap ("...2 said") has no word boundary of its own to share.
    lists = {"before.negation": ("not",), "before.voice": ("...2 said",)}
    rx, _ = grouped(lists, "before")
    assert rx == each_with_its_own(lists, "before")
    found = CuePattern(rx).search("Two parents said it was not enough")
    assert found is not None and found.lastgroup == "voice"


@pytest.mark.parametrize("prefix", ["before", "near", "after"])
def test_shipped_kinds_find_what_each_with_its_own_boundary_finds(
    lists: dict[str, tuple[str, ...]], prefix: str
) -> None:
    ours, theirs = CuePattern(grouped(lists, prefix)[0]), CuePattern(each_with_its_own(lists, prefix))
    texts = [
        s
        for key, phrases in lists.items()
        if key.startswith(prefix + ".")
        for p in phrases
        for s in list(sentences_for(p))[:6]
    ]
    texts += [*ORDINARY, "a non-statutory plan", "cannot, won't; we're not-for-profit", "41%of pupils"]
    texts += [f"{a} {b}" for a, b in zip(texts[::5], texts[2::5], strict=False)]
    tried = 0
    for text in texts:
        for start in (0, 3, 7):
            got, want = ours.search(text, start), theirs.search(text, start)
            assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup)), text
            tried += 1
    assert tried > 150
