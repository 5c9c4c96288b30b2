"""Cues grouped by their first letter (`cue_phrases.alternation`): one alternative per letter, so that the
engine skips, on a word's first character, every group but one. The grouped expression must find exactly the
match the cues tried one by one, in their order, find: same place, same text, same kind of cue."""

from __future__ import annotations

import re

import pytest

from send_align.matching.cue_phrases import CuePattern, alternation, compile_cue, grouped
from send_align.strategies import build, find_files
from tests.test_cue_keys import ORDINARY, sentences_for


@pytest.fixture(scope="module")
def lists() -> dict[str, tuple[str, ...]]:
    return dict(build(find_files([])).cues)


def one_by_one(phrases: tuple[str, ...] | list[str]) -> str:
    """The cues as an alternation of their own expressions, in order, nothing shared or grouped."""
    return "|".join(f"(?:{compile_cue(p)[0]})" for p in phrases)


def test_cues_with_one_first_letter_stand_together() -> None:
    rx, triggers = alternation(["is|are defined as", "it is the law", "*n't", "all schools must"], "x")
    # "it" joins "is" (both start with i), ahead of "are"; a cue with a partial first word keeps its place,
    # after the groups before it and before those after it.
    assert rx.index("(?:it)") < rx.index("(?:are)") < rx.index(r"\w*n") < rx.index("(?:all)")
    # The words the cues are filed under are as the cues were written.
    assert ("word", "law") in triggers and ("end", "n't") in triggers


def test_grouping_finds_what_the_cues_one_by_one_find() -> None:
    cues = ["is|are defined as", "it is the law", "are ...2 required", "*n't", "all|any schools must"]
    grouped_rx = re.compile(alternation(cues, "x")[0], re.I)
    plain_rx = re.compile(one_by_one(cues), re.I)
    for text in [
        "The duty is defined as a plan.",
        "Schools ARE legally required to publish it, and all schools must.",
        "It is the law that councils aren't free to refuse.",
        "Any schools must; Are Defined As; it is the LAW.",
        "Nothing of the kind here.",
    ]:
        got, want = grouped_rx.search(text), plain_rx.search(text)
        assert (got and (got.span(), got.group(0))) == (want and (want.span(), want.group(0))), text
        assert [m.span() for m in grouped_rx.finditer(text)] == [m.span() for m in plain_rx.finditer(text)]


def test_every_shipped_list_matches_as_its_cues_one_by_one(lists: dict[str, tuple[str, ...]]) -> None:
    """Each shipped list against sentences written for each of its cues, and for two at once (a sentence
    where an earlier cue and a later one with the same first letter both stand)."""
    tried = 0
    for key, phrases in sorted(lists.items()):
        if not phrases:
            continue
        ours = CuePattern(alternation(phrases, key)[0])
        theirs = CuePattern(one_by_one(phrases))
        texts = [s for p in phrases for s in list(sentences_for(p))[:8]] + ORDINARY
        texts += [f"{a} {b}" for a, b in zip(texts[::7], texts[3::7], strict=False)]
        for text in texts:
            for how in ("search", "match"):
                got, want = getattr(ours, how)(text), getattr(theirs, how)(text)
                assert (got and got.span()) == (want and want.span()), (key, how, text)
                tried += 1
    assert tried > 4000


def test_the_kind_of_cue_found_is_the_same(lists: dict[str, tuple[str, ...]]) -> None:
    """The cues before and after a hit name their kind (negation, scope, history ...) by the group matched."""
    for prefix in ("before", "after"):
        rx, _ = grouped(lists, prefix)
        ours = CuePattern(rx)
        parts = [
            f"(?P<{key.split('.', 1)[1]}>{one_by_one(lists[key])})"
            for key in sorted(lists)
            if key.startswith(prefix + ".") and lists[key]
        ]
        theirs = CuePattern("|".join(parts))
        for key in sorted(lists):
            if not key.startswith(prefix + "."):
                continue
            for phrase in lists[key]:
                for text in list(sentences_for(phrase))[:8]:
                    got, want = ours.search(text), theirs.search(text)
                    assert got is not None and want is not None, (key, phrase, text)
                    assert (got.span(), got.lastgroup) == (want.span(), want.lastgroup), (key, phrase, text)
