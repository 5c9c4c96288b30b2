"""Word forms: British spelling, then the Snowball (Porter2) stem, except where Porter2 folds unrelated words."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

_US_UK = (
    ("behavior", "behaviour"),
    ("center", "centre"),
    ("counselor", "counsellor"),
    ("counseling", "counselling"),
    ("program", "programme"),
    ("color", "colour"),
    ("favor", "favour"),
    ("labor", "labour"),
    ("enrollment", "enrolment"),
    ("fulfill", "fulfil"),
    ("judgment", "judgement"),
    ("pediatric", "paediatric"),
    ("modeling", "modelling"),
    ("traveling", "travelling"),
    ("license", "licence"),
    ("neighbor", "neighbour"),
    ("honor", "honour"),
    ("practicing", "practising"),
    ("catalog", "catalogue"),
    ("dialog", "dialogue"),
)
# Words Porter2 reduces onto an unrelated word ("independence" onto "independent", "locality" onto "local",
# "informal" onto "information"); each keeps its own form, so it matches only itself.
_KEEP_FORM = frozenset(
    [
        "independence",
        "independent",
        "independently",
        "locality",
        "localities",
        "locally",
        "informal",
        "informally",
        "friendly",
        "positive",
        "position",
        "positions",
        "practical",
        "practically",
        "severe",
        "several",
        "severely",
        "identity",
        "identities",
        "identical",
        "national",
        "nationally",
        "nation",
        "personal",
        "personally",
        "personality",
        "careful",
        "carefully",
        "responsible",
        "responsibility",
        "responsibilities",
        "response",
        "responses",
        "reasonable",
        "reasonably",
        "design",
        "designs",
        "designed",
        "designing",
        "designated",
        "designation",
        "author",
        "authors",
        "authority",
        "authorities",
        "individuality",
        "account",
        "accounts",
        "accountability",
        "accountable",
        "medication",
        "general",
        "generally",
        "university",
        "universities",
        "universal",
        "universally",
        "organ",
        "organs",
        "consultant",
        "consultants",
        "generous",
        "gene",
    ]
)
_IZE = re.compile(r"^([a-z]{3,})(i|y)z(e|es|ed|ing|ation|ations|er|ers)$")


_UK_OF = dict(_US_UK)
_US_PREFIX = re.compile("|".join(sorted(_UK_OF, key=len, reverse=True)))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The matching form of a lower-case word: British spelling, then its Snowball stem."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    m = _US_PREFIX.match(word)
    if m and not word.startswith(_UK_OF[m.group(0)]):
        word = _UK_OF[m.group(0)] + word[m.end() :]
    if "z" in word:
        word = _IZE.sub(r"\1\2s\3", word)
    if word in _KEEP_FORM:
        return word
    return str(_STEMMER.stemWord(word))
