"""`search`: aims ranked by how well their title, statement and phrases match a query's words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from send_align.errors import SendAlignError
from send_align.model import Aim, Catalogue


@dataclass(frozen=True)
class Found:
    """What a search found: the query as given, and the aims with their scores, best first."""

    query: str
    hits: list[tuple[float, Aim]]


_WORD = re.compile(r"[A-Za-z0-9]+")


def _aim_fields(aim: Aim) -> list[tuple[float, str]]:
    # Shared term lists repeat the same phrases across an aim's rules: each is searched once.
    phrases = " ; ".join(dict.fromkeys(p for r in aim.rules for g in r.groups for p in g))
    return [(3.0, f"{aim.id} {aim.title}"), (1.5, aim.statement), (1.0, phrases)]


# Every ASCII character _WORD does not take, as a space: ASCII text split on them gives _WORD's words.
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not _WORD.fullmatch(c)})


# The only two characters outside [A-Za-z0-9] whose lower case holds one of them (the Kelvin sign lowers to
# "k", the dotted capital I to "i" and a combining dot): as separators, they stay separators once lowered.
_LOWERS_TO_ASCII = str.maketrans({"\u212a": " ", "\u0130": " "})


def _words(text: str) -> list[str]:
    """The text's words in lower case. ASCII text is lowered whole and split (the same words, in half the
    time of the pattern); other text is lowered whole too, once the two characters whose lower case would
    make letters the pattern would not have taken are made spaces."""
    if text.isascii():
        return text.lower().translate(_NOT_WORD).split()
    return _WORD.findall(text.translate(_LOWERS_TO_ASCII).lower())


def search(cat: Catalogue, query: str, limit: int, framework_ids: list[str]) -> list[tuple[float, Aim]]:
    """Aims ranked by how well their title, statement and phrases match the query's words."""
    from send_align.stemming import stem

    words = _words(query)
    if not words:
        raise SendAlignError("search needs at least one word")
    aims = [a for a in cat.aims() if not framework_ids or a.framework in framework_ids]
    fielded = []
    vocabulary: set[str] = set()
    for aim in aims:
        fields = []
        for weight, text in _aim_fields(aim):
            tokens = _words(text)
            distinct = set(tokens)
            vocabulary.update(distinct)
            # The words in a row, for a query of several words to be found as a phrase.
            fields.append((weight, distinct, " ".join(tokens) if len(words) > 1 else ""))
        fielded.append((aim, fields))
    # A word found nowhere is taken as a typo of the nearest known word.
    wanted = []
    for w in words:
        if w in vocabulary:
            wanted.append(w)
            continue
        st = stem(w)
        if any(t[:1] == st[:1] and stem(t) == st for t in vocabulary):
            wanted.append(w)
        else:
            import difflib

            close = difflib.get_close_matches(w, sorted(vocabulary), n=1, cutoff=0.75)
            if close:
                wanted.append(close[0])
    terms = [stem(w) for w in wanted]
    # Only words that begin as a term does can stem to it (a stem keeps its word's first letter): the
    # catalogue's other words are never stemmed, which is most of a look-up's time.
    initials = {t[:1] for t in terms}
    indexed = [
        (aim, [(weight, {stem(t) for t in distinct if t[:1] in initials}, text) for weight, distinct, text in fields])
        for aim, fields in fielded
    ]
    if not terms:
        return []
    phrase = " ".join(words)
    results = []
    for aim, fields in indexed:
        score = 0.0
        matched = set()
        for weight, stems, text in fields:
            got = [t for t in terms if t in stems]
            matched.update(got)
            score += weight * len(got) / len(terms)
            if len(words) > 1 and phrase in text:
                score += weight
        if matched:
            score *= len(matched) / len(terms)
            results.append((score, aim))
    results.sort(key=lambda x: (-x[0], x[1].id))
    return results[:limit]
