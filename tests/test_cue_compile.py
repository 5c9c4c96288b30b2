"""What a cue list costs to compile: the expression in any case is compiled only when a search needs it, a cue is
compiled once per process, and an expression that cannot compile is still refused when the matcher is built."""

from __future__ import annotations

import re

import pytest

from send_align.errors import SendAlignError
from send_align.matching.cue_phrases import CuePattern, compile_cue, compile_pattern


def test_the_expression_in_any_case_waits_for_a_match() -> None:
    rx = r"\b(?:(?:not\s+yet)|(?:no\s+longer))\b"
    cue = CuePattern(rx)
    assert cue._plain is None  # (no search has needed it)
    m = cue.search("Plans are being drawn up but are NOT yet agreed.")
    # A match in the lower-cased text is made again in the text as written, by the expression in any case.
    assert m is not None and m.group() == "NOT yet" and cue._plain is not None
    # A text with no match leaves a fresh pattern's expression in any case uncompiled.
    fresh = CuePattern(rx)
    assert fresh.search("Every pupil has a plan.") is None and fresh._plain is None


def test_it_finds_what_the_expression_in_any_case_finds() -> None:
    rx = r"\b(?:(?:not\s+yet)|(?:no\s+longer))\b"
    cue, plain = CuePattern(rx), re.compile(rx, re.I)
    for text in ["no longer offered", "It is Not Yet open", "nothing", "İstanbul is not yet", "ſo no longer"]:
        got, want = cue.search(text), plain.search(text)
        assert (got and got.span()) == (want and want.span()), text


def test_an_expression_beyond_latin_letters_is_compiled_at_once() -> None:
    # (Letters that lower-casing and matching in any case treat differently: no folded twin to search with.)
    cue = CuePattern("\\bśląsk\\b")
    assert cue.folded is None and cue._plain is not None
    assert cue.search("ŚLĄSK region") is not None


def test_a_bad_expression_is_refused_when_built() -> None:
    with pytest.raises(SendAlignError, match="do not compile"):
        compile_pattern(r"\b(?:unclosed", "sentence.test")


def test_a_cue_is_compiled_once() -> None:
    compile_cue.cache_clear()
    first = compile_cue("no longer", "before.negation")
    assert compile_cue("no longer", "before.negation") is first
    assert compile_cue.cache_info().hits == 1
