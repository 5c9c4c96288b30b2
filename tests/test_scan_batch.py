"""The batch scan's shortcuts give what the plain per-word and per-block work gives."""

from __future__ import annotations

from itertools import accumulate

from send_align.matching.scan import _SPLIT_RE, name_heads, proper_names


def _split(text: str) -> tuple[list[str], list[str], list[int]]:
    pieces = _SPLIT_RE.split(text)
    offsets = list(accumulate(map(len, pieces)))
    return pieces, pieces[1::2], offsets[0:-1:2]


def test_name_heads_are_the_capitalised_heads_as_whole_words() -> None:
    text = (
        "The Youth Panel met. PARTNERSHIP news: the board, O'Board and the SchoolBoard agreed; "
        "the FoRum and our Nurse's rota; the Boardroom; a Standards Officer."
    )
    _, words, starts = _split(text)
    found = [words[i] for i in name_heads(text, words, starts)]
    # A head in capitals throughout, in lower case, inside a longer word or joined by an apostrophe is none.
    assert found == ["Panel", "FoRum", "Standards", "Officer"]


def test_proper_names_from_found_heads_as_from_every_word() -> None:
    text = (
        "We met the Inclusion Commission in May. Ask our Autism Advisory Teacher, or the Parent Carer Forum "
        "visits schools. THE SEND BOARD. Children and Young People's Inclusion & Wellbeing Strategy"
    )
    pieces, words, starts = _split(text)
    heads = name_heads(text, words, starts)
    every = proper_names(pieces, words, 0, len(words))
    assert every == proper_names(pieces, words, 0, len(words), [h for h in heads if h > 0])
    assert [" ".join(words[a : b + 1]) for a, b in every] == [
        "Inclusion Commission",
        "Autism Advisory Teacher",
        "Children and Young People's Inclusion Wellbeing Strategy",
    ]
