"""Cue expressions are searched in lower-cased text with a case-sensitive twin: they must find exactly what
the expression in any case finds, and hand back the text as it was written."""

from __future__ import annotations

import re

import pytest

from send_align.matching.cue_phrases import alternation, compile_pattern

CUES = ("no longer", "not [yet|always] in place", "stop*", "*n't", "withdrawn", "limited !to", "set_out|dealt_with in")
EXPRESSION, _ = alternation(CUES, "test")

TEXTS = [
    "The Service Is NO LONGER offered to families.",
    "Short breaks are Not Yet In Place across the county.",
    "The group STOPPED meeting; parents WON’T be consulted again.",
    "Places are LIMITED across the county, LIMITED to eight in one school.",
    "This is Dealt With In the annex – see page 4 “for details”.",
    "Café Étoile’s offer was WITHDRAWN in 2021.",  # Latin-1 letters and typographic punctuation
    "İt is no longer stopped",  # a dotted capital I: lower-casing changes its length
    "The ſervice was ſtopped and is no longer run",  # a long s matches "s" in any case
    "nothing here at all",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_way_of_searching_finds_what_the_expression_in_any_case_finds(text: str) -> None:
    plain = re.compile(EXPRESSION, re.I)
    cue = compile_pattern(EXPRESSION, "test")

    def spans(found: re.Match[str] | None) -> tuple[int, int, str] | None:
        return None if found is None else (found.start(), found.end(), found.group(0))

    assert spans(cue.search(text)) == spans(plain.search(text))
    assert spans(cue.search(text, 5)) == spans(plain.search(text, 5))
    assert spans(cue.match(text)) == spans(plain.match(text))
    assert [spans(m) for m in cue.finditer(text)] == [spans(m) for m in plain.finditer(text)]
    assert [spans(m) for m in cue.finditer(text, 3, len(text) - 3)] == [
        spans(m) for m in plain.finditer(text, 3, len(text) - 3)
    ]
    assert cue.sub(" ", text) == plain.sub(" ", text)


def test_a_match_quotes_the_text_as_written() -> None:
    cue = compile_pattern(EXPRESSION, "test")
    found = cue.search("We were told the Service Is NO LONGER offered.")
    assert found is not None and found.group(0) == "NO LONGER"
    assert cue.sub("_", "It is No Longer run") == "It is _ run"


def test_a_long_s_is_found_as_an_s_in_any_case() -> None:
    # Lower-casing leaves "ſ" as it is, while matching in any case takes it for "s": such text is searched the
    # plain way, or the cue would be missed.
    cue = compile_pattern(alternation(["stop*"], "test")[0], "test")
    found = cue.search("The club was ſtopped")
    assert found is not None and found.group(0) == "ſtopped"


def test_a_compiled_cue_survives_the_matcher_cache() -> None:
    import pickle

    cue = compile_pattern(EXPRESSION, "test")
    again = pickle.loads(pickle.dumps(cue))
    found = again.search("It is NO LONGER run")
    assert found is not None and found.group(0) == "NO LONGER"
