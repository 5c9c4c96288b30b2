"""Cue expressions are searched in lower-cased text with a case-sensitive twin: they must find exactly what
the expression in any case finds, and hand back the text as it was written."""

from __future__ import annotations

import re

import pytest

from send_align.matching.cue_phrases import alternation, compile_breaks, compile_pattern, inner_words

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


BREAKS = ("but", "however", "so that", "so we", "which", "and")


def full_scan_end(pattern: str, text: str) -> int:
    end = 0
    for m in re.finditer(pattern, text, re.I):
        end = m.end()
    return end


@pytest.mark.parametrize("filler", [0, 3, 11, 40])
def test_a_long_sentence_is_searched_near_the_hit_with_the_same_last_break(filler: int) -> None:
    breaks_ = compile_breaks(BREAKS, ";:", "test")
    # "so that" parted across the window's first word: the break must still be found where a whole search
    # finds it, and a break far back is the answer only where the window holds none.
    head = "We plan And review our offer with Families " * 12
    for tail in (
        "so that " + "children are heard " * filler,
        "SO\n  THAT " + "children are heard " * filler,
        "; " + "children are heard " * filler,
        "children are heard " * filler,
        "so that " + "pupils and " * filler + "a b c d e f g h i j k",  # "that" twelve words from the end
        "so that a b c d e f g h i j k",
    ):
        text = head + tail
        expected = full_scan_end(breaks_.pattern, text)
        end, sure = breaks_.last_end(text, 12)
        if sure:
            assert end == expected
        else:
            # No break in the window: its start is returned, after every break there is.
            assert expected <= end and len(text[end:].split()) >= 12
            assert breaks_.last_end(text) == (expected, True)


def test_breaks_that_could_run_across_any_word_are_searched_whole() -> None:
    assert inner_words(("so that", "set_out|dealt_with in")) == {"that", "out", "with", "in"}
    assert inner_words(("but ...2 then",)) is None
    assert inner_words(("[so] that",)) is None
    text = "We plan and review " * 40 + "but then children are heard and seen every week"
    gap = compile_breaks(("but ...2 then",), ";:", "test")
    assert gap.last_end(text, 5) == (full_scan_end(gap.pattern, text), True)


def test_the_window_is_searched_and_not_the_whole_sentence() -> None:
    breaks_ = compile_breaks(BREAKS, ";:", "test")
    text = "; " + "children are heard " * 40
    # No break in the last twelve words: the answer is the window's start, not sure (the whole search finds
    # the semicolon at the start).
    end, sure = breaks_.last_end(text, 12)
    assert not sure and len(text[end:].split()) == 12
    assert breaks_.last_end(text) == (1, True)


def test_a_gap_runs_to_twenty_words_and_a_bad_one_is_refused() -> None:
    from send_align.errors import SendAlignError
    from send_align.matching.cue_phrases import compile_cue

    rx, _ = compile_cue("code ...12 principles")
    assert re.search(rx, "the code of practice describes at some length the principles", re.I)
    with pytest.raises(SendAlignError, match="not a gap"):
        compile_cue("code ...30 principles")
