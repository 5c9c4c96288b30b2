"""The cue lists' keys: a text is searched for a cue list only where it holds one of the words every match of
one of its cues holds (`cue_keys`). A pre-test that must never pass over a text a cue matches: for every cue in
the shipped lists, sentences written to match it are generated, and the pre-test must pass each of them."""

from __future__ import annotations

import itertools
import pickle
import re
from collections.abc import Iterator

import pytest

from send_align.matching.cue_phrases import (
    MAX_KEYS,
    CuePattern,
    SentenceCues,
    alternation,
    cue_keys,
    keys_of,
)
from send_align.matching.cues import CueSet
from send_align.strategies import build, find_files

FILLER = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


@pytest.fixture(scope="module")
def lists() -> dict[str, tuple[str, ...]]:
    return dict(build(find_files([])).cues)


def _word_choices(spec: str) -> list[str]:
    """Texts an alternation of words (`a|b_c|stop*|*n't`) matches, each alternative written out."""
    out = []
    for alt in spec.split("|"):
        words = []
        for w in alt.split("_"):
            core = w.strip("*")
            words.append(("do" if w.startswith("*") else "") + core + ("ped" if w.endswith("*") else ""))
        out.append(" ".join(words))
    return out


def _token_choices(raw: str, longest_gap: bool) -> list[str]:
    """What each token of a cue phrase may be written as ('' for a word left out)."""
    if m := re.fullmatch(r"\.\.\.(\d+)", raw):
        n = int(m.group(1))
        return [" ".join(FILLER[: (n if longest_gap else 0)])]
    if raw == "#":
        return ["42"]
    if raw == "#%":
        return ["42%", "7.5 %"]
    if re.fullmatch(r"[:;,–—|-]+", raw):
        return [c for c in raw if c != "|"]
    if raw.startswith("!"):
        return [""]
    if raw.startswith("[") and raw.endswith("]"):
        return ["", *_word_choices(raw[1:-1])]
    return _word_choices(raw)


def sentences_for(phrase: str) -> Iterator[str]:
    """Sentences written to match a cue phrase: every alternative of every token in turn (round robin), gaps
    empty and full, apostrophes straight and curly, in lower, title and upper case."""
    raws = phrase.split()
    anchored = raws[0] == "^"
    raws = raws[1:] if anchored else raws
    for longest_gap in (False, True):
        choices = [_token_choices(raw, longest_gap) for raw in raws]
        for i in range(max(map(len, choices))):
            words = [c[i % len(c)] for c in choices]
            body = " ".join(w for w in words if w)
            body = re.sub(r" ([:;,])", r"\1", body)  # "Glossary: ..." as well as "Glossary : ..."
            for text in (body, body.replace("'", "’"), body.title(), body.upper()):
                yield (f"• {text} and then more words follow." if anchored else f"So {text} and more words follow.")


def _all_cues(lists: dict[str, tuple[str, ...]]) -> Iterator[tuple[str, str]]:
    for key, phrases in sorted(lists.items()):
        if key.startswith("breaks."):
            continue  # clause breaks are searched for every break, keys or none
        for phrase in phrases:
            yield key, phrase


def test_every_shipped_cue_passes_its_own_pretest(lists: dict[str, tuple[str, ...]]) -> None:
    tried = 0
    for key, phrase in _all_cues(lists):
        keys = cue_keys(phrase, key)
        pattern = CuePattern(alternation([phrase], key)[0], keys)
        plain = CuePattern(alternation([phrase], key)[0])
        for sentence in sentences_for(phrase):
            found = (pattern.match if phrase.startswith("^") else pattern.search)(sentence)
            expected = (plain.match if phrase.startswith("^") else plain.search)(sentence)
            # (The generator writes sentences the cue matches; a cue it cannot write for would pass unseen.)
            assert expected is not None, (key, phrase, sentence)
            assert keys is None or any(k in sentence.lower() for k in keys), (key, phrase, sentence)
            assert found is not None and found.span() == expected.span(), (key, phrase, sentence)
            tried += 1
    assert tried > 2000


def test_cue_keys_are_a_required_word() -> None:
    assert cue_keys("^ ...4 member|members|councillor ...5 referred|asked") in (
        frozenset({"member", "members", "councillor"}),
        frozenset({"referred", "asked"}),
    )
    # Each alternative's longest word, an apostrophe written either way; an optional word is never a key.
    assert cue_keys("[sadly] have_been_withdrawn|can't") == frozenset({"withdrawn", "can't", "can’t"})
    assert cue_keys("#% of") == frozenset({"%"})
    # A common word is a key only where the cue has nothing rarer; a single letter or digit never is.
    assert cue_keys("there is|are no longer") == frozenset({"longer"})
    assert cue_keys("# i") is None
    assert keys_of(["see also", "# i"], "x") is None
    assert keys_of(["see also", "useful links"], "x") == frozenset({"also", "useful"})  # the longer word


ORDINARY = [
    "Our outreach team visits each mainstream primary school twice a term to coach teaching assistants.",
    "Children with speech and language needs get weekly sessions with a therapist in class.",
    "We will open twenty new specialist places for autistic pupils in September.",
    "The short breaks offer now includes Saturday clubs for disabled teenagers.",
    "Every family can ask the local offer team for a named key worker.",
    "Parents can book a drop-in appointment at the library on Tuesday mornings.",
]


@pytest.mark.parametrize(
    "part",
    ["debate.start", "debate.anywhere", "method.start", "method.anywhere", "reference.anywhere"],
)
def test_ordinary_sentences_skip_the_sentence_cues(lists: dict[str, tuple[str, ...]], part: str) -> None:
    attr, where = part.split(".")
    pattern: CuePattern = getattr(getattr(CueSet.build(lists), attr), where)
    assert pattern.keys is not None
    passed = [s for s in ORDINARY if any(k in s.lower() for k in pattern.keys)]
    assert len(passed) <= 1, (part, passed)
    assert not any(pattern.search(s) for s in ORDINARY)


def test_many_keys_are_not_tested() -> None:
    """A list whose keys are many is searched for directly (testing each key costs what the search does)."""
    few = SentenceCues(["see also", "useful links"], "x")
    many = SentenceCues([f"word{n:02d}x ...2 again" for n in range(MAX_KEYS + 1)], "x")
    assert few.anywhere.keys == ("also", "useful") and many.anywhere.keys is None
    # A key that holds another is left out.
    pattern = CuePattern(alternation(["inspector|inspectors"], "x")[0], {"inspector", "inspectors"})
    assert pattern.keys == ("inspector",)


def test_keys_agree_with_the_search_on_odd_text(lists: dict[str, tuple[str, ...]]) -> None:
    """Text the lower-cased search cannot read (a long s, a dotted capital I) is searched the plain way."""
    cues = CueSet.build(lists)
    assert cues.debate.search("Members aſked about transport.") is not None
    assert cues.method.search("İnspectors spoke with leaders.") is not None
    # A key in the text but no cue: the full search still says no.
    assert cues.debate.search("The committee is large and meets in the town hall.") is None


def test_keys_survive_pickling() -> None:
    pattern = CuePattern(alternation(["see also"], "x")[0], frozenset({"also"}))
    again = pickle.loads(pickle.dumps(pattern))
    assert again.keys == ("also",) and again.search("Please see also the annex.") is not None
    assert again.search("Please see the annex.") is None


def test_generator_covers_every_alternative() -> None:
    written = list(itertools.islice(sentences_for("^ ...2 chair|governor [also] asked|queried"), 100))
    assert any("chair" in s for s in written) and any("GOVERNOR" in s for s in written)
    assert any("alpha bravo" in s for s in written) and any("also" in s for s in written)
