"""The matcher's automaton holds, for every pattern of several words, each way of writing it: every key
character choice for each word, and each word after the first with or without a skipped determiner before it,
in the order of those choices (the order the automaton's values are read in)."""

from __future__ import annotations

from itertools import product

from send_align.matching import compile_matcher
from send_align.matching.compile import SKIP_CHAR, Matcher
from send_align.strategies import build, find_files, find_models


def _texts_word_by_word(matcher: Matcher) -> list[tuple[int, tuple[int, ...]]]:
    """The automaton's values made the plain way: a gap tried before each word in turn."""
    found: dict[str, list[int]] = {}
    for keys, pid in matcher.patterns.items():
        if pid in matcher.simple:
            continue
        for combo in product(*(matcher.options[k] for k in keys)):
            for gaps in product(("", SKIP_CHAR), repeat=len(combo) - 1):
                text = combo[0]
                for gap, char in zip(gaps, combo[1:], strict=True):
                    text += gap + char
                found.setdefault(text, []).append(pid)
    return [(len(text), tuple(pids)) for text, pids in found.items()]


def test_the_built_in_automaton_holds_every_way_of_writing_each_pattern() -> None:
    cat = build(find_files([]), find_models([]))
    matcher = compile_matcher(cat, cat.aims())
    expected = _texts_word_by_word(matcher)
    assert len(expected) > 10_000  # (several-word patterns with their gaps)
    assert any(n >= 5 for n, _ in expected)  # (three words or more, so gaps combine)
    assert matcher.automaton_values == expected
