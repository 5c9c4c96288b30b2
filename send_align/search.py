"""`search`: aims ranked by how well their title, statement and phrases match a query's words.

The words of every aim, their stems and which aims hold each stem make an index, built once per catalogue and
kept in a file beside the catalogue's cache: lowering, splitting and stemming the catalogue's ~2,300 words
took most of a look-up's own time. The file is data, checked like the catalogue's (send_align.rows): one that
is damaged, for another catalogue or from other code is built again and replaced, silently.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.model import Aim, Catalogue
from send_align.rows import UNREADABLE, array, checksum, dumps, loads


@dataclass(frozen=True)
class Found:
    """What a search found: the query as given, and the aims with their scores, best first."""

    query: str
    hits: list[tuple[float, Aim]]


_WORD = re.compile(r"[A-Za-z0-9]+")

# An aim's fields, each with its weight: the id and title, the statement, the phrases of its rules.
_WEIGHTS = (3.0, 1.5, 1.0)


def _aim_fields(aim: Aim) -> list[tuple[float, str]]:
    # Shared term lists repeat the same phrases across an aim's rules: each is searched once.
    phrases = " ; ".join(dict.fromkeys(p for r in aim.rules for g in r.groups for p in g))
    return list(zip(_WEIGHTS, (f"{aim.id} {aim.title}", aim.statement, phrases), strict=True))


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


class Index:
    """The catalogue's words for search. A field is numbered 3 x its aim's place in `Catalogue.aims()` + its
    place in `_aim_fields`. Words and stems are ASCII letters and digits (`_words`), so the two tables are
    text, one entry a line, found with `str.find`: reading a file of them back is a UTF-8 decode, where
    decoding the same as JSON objects took more than all the rest of a search. (A plain class: making a
    dataclass costs a look-up about 1.5 ms.)"""

    __slots__ = ("aim_ids", "frameworks", "others", "postings", "texts", "words")

    def __init__(
        self,
        *,
        aim_ids: list[str],
        frameworks: list[str],
        words: str,
        postings: str,
        others: dict[str, dict[str, list[int]]],
        texts: list[str],
    ) -> None:
        self.aim_ids = aim_ids
        self.frameworks = frameworks
        self.words = words
        """A line for every word of every field, in sorted order: the word, its stem, and the frameworks
        whose aims hold it as a number (bit n for `frameworks[n]`), separated by spaces; a newline before
        the first."""
        self.postings = postings
        """A line for every stem: the stem, then the fields holding a word of that stem beginning with the
        stem's first letter; a newline before the first."""
        self.others = others
        """Fields holding a word whose stem begins with another letter, by stem and the word's first letter.
        Stemming keeps a word's first letter, so this is empty for every word known so far; it keeps the
        search exact if a word ever does not."""
        self.texts = texts
        """Each field's words in a row, one space between, for a query of several words found as a
        phrase."""

    def word(self, word: str) -> tuple[str, int] | None:
        """A word's stem and its frameworks' bits, or None when no field holds it."""
        line = _line(self.words, word)
        if line is None:
            return None
        stem, _, bits = line.partition(" ")
        return stem, _number(bits)

    def vocabulary(self, wanted_bits: int | None) -> dict[str, str]:
        """Every word (of the wanted frameworks' aims, or of all) with its stem, in sorted order."""
        found = {}
        for line in self.words.split("\n"):
            word, _, rest = line.partition(" ")
            stem, _, bits = rest.partition(" ")
            if stem and (wanted_bits is None or _number(bits) & wanted_bits):
                found[word] = stem
        return found

    def fields(self, stem: str, initials: set[str]) -> set[int]:
        """The fields holding a word of this stem whose first letter is one of `initials` (which holds the
        stem's own first letter)."""
        found = {_number(n) for n in (_line(self.postings, stem) or "").split()}
        for initial, numbers in self.others.get(stem, {}).items():
            if initial in initials:
                found.update(numbers)
        return found


def _line(table: str, key: str) -> str | None:
    """What follows `key` and a space on its line of the table, or None when no line starts with it."""
    at = table.find(f"\n{key} ")
    if at < 0:
        return None
    start = at + len(key) + 2
    end = table.find("\n", start)
    return table[start : end if end >= 0 else len(table)]


def _number(text: str) -> int:
    # A table is only as this module wrote it, or forged to pass the checksum: never a crash over it.
    return int(text) if text.isascii() and text.isdigit() else -1


def build_index(cat: Catalogue) -> Index:
    from send_align.stemming import stem

    aims = cat.aims()
    frameworks = list(dict.fromkeys(a.framework for a in aims))
    bit = {fid: 1 << n for n, fid in enumerate(frameworks)}
    masks: dict[str, int] = {}
    postings: dict[str, list[int]] = {}
    others: dict[str, dict[str, list[int]]] = {}
    texts = []
    for n, aim in enumerate(aims):
        for k, (_, text) in enumerate(_aim_fields(aim)):
            field = 3 * n + k
            tokens = _words(text)
            texts.append(" ".join(tokens))
            for word in dict.fromkeys(tokens):
                masks[word] = masks.get(word, 0) | bit[aim.framework]
                st = stem(word)
                if st[:1] == word[:1]:
                    numbers = postings.setdefault(st, [])
                else:
                    numbers = others.setdefault(st, {}).setdefault(word[:1], [])
                if not numbers or numbers[-1] != field:  # two words of one stem in a field
                    numbers.append(field)
    return Index(
        aim_ids=[a.id for a in aims],
        frameworks=frameworks,
        words="".join(f"\n{w} {stem(w)} {masks[w]}" for w in sorted(masks)),
        postings="".join(f"\n{st} {' '.join(map(str, numbers))}" for st, numbers in postings.items()),
        others=others,
        texts=texts,
    )


# Bumped when the index file changes shape. The file's key also holds the code that makes the index (this
# module and stemming), so a development checkout's index is never taken for another's.
_INDEX_FORMAT = "1"
_HEADER = 4  # bytes of CRC-32 before the rest
_SECTIONS = "\0"  # between the parts of the file: no part holds one (JSON writes it as an escape)


def _key(cat: Catalogue) -> str:
    here = Path(__file__)
    try:
        code = zlib.crc32(here.with_name("stemming.py").read_bytes(), zlib.crc32(here.read_bytes()))
    except OSError:
        code = 0  # installed without its sources: the catalogue's digest holds the tool's version
    return f"{cat.digest}:{_INDEX_FORMAT}:{code:08x}"


def encode_index(index: Index, key: str) -> bytes:
    """The file's bytes: a CRC-32, then the ids and the few irregular stems as JSON, the two tables, and the
    fields' texts a line each."""
    head = dumps([index.aim_ids, index.frameworks, index.others]).decode("utf-8", "surrogatepass")
    parts = [head, index.words, index.postings, "\n".join(index.texts)]
    payload = _SECTIONS.join(parts).encode("utf-8", "surrogatepass")
    return checksum(key, payload).to_bytes(_HEADER, "big") + payload


def decode_index(data: bytes, key: str, cat: Catalogue) -> Index | None:
    """The index a file holds, or None when it is damaged, not one this code wrote, or for another
    catalogue."""
    payload = data[_HEADER:]
    if len(data) < _HEADER or int.from_bytes(data[:_HEADER], "big") != checksum(key, payload):
        return None
    try:
        head, *tables = payload.split(_SECTIONS.encode())
        words, postings, joined = (t.decode("utf-8", "surrogatepass") for t in tables)
        aim_ids, frameworks, others = array(loads(head))
        texts = joined.split("\n")
        if (
            aim_ids != [a.id for a in cat.aims()]
            or len(texts) != 3 * len(aim_ids)
            or not set(map(type, array(frameworks))) <= {str}
            or type(others) is not dict
            or not all(type(by_initial) is dict for by_initial in others.values())
            or not all(set(map(type, array(n))) <= {int} for b in others.values() for n in b.values())
        ):
            return None
        return Index(
            aim_ids=aim_ids, frameworks=frameworks, words=words, postings=postings, others=others, texts=texts
        )
    except UNREADABLE:
        return None


def load_index(cat: Catalogue, cache_dir: Path | None) -> Index:
    """The catalogue's search index, from its file beside the catalogue's cache when it checks out; built
    (and the file written) when it does not."""
    if cache_dir is None or not cat.digest:
        return build_index(cat)
    key = _key(cat)
    file = cache_dir / f"search-{cat.digest}.json"
    try:
        index = decode_index(file.read_bytes(), key, cat)
    except OSError:
        index = None
    if index is not None:
        return index
    index = build_index(cat)
    from send_align.output import write_file

    # Written like the catalogue's cache (a temporary file renamed when complete), so two runs sharing the
    # cache never see half a file; an unwritable cache only costs speed.
    with contextlib.suppress(OSError):
        write_file(file, encode_index(index, key))
    return index


def search(
    cat: Catalogue, query: str, limit: int, framework_ids: list[str], index: Index | None = None
) -> list[tuple[float, Aim]]:
    """Aims ranked by how well their title, statement and phrases match the query's words."""
    words = _words(query)
    if not words:
        raise SendAlignError("search needs at least one word")
    if index is None:
        index = build_index(cat)
    aims = cat.aims()
    chosen = [n for n, a in enumerate(aims) if not framework_ids or a.framework in framework_ids]
    wanted_bits = None
    if framework_ids:
        wanted_bits = sum(1 << n for n, fid in enumerate(index.frameworks) if fid in framework_ids)
    vocabulary: dict[str, str] | None = None  # read from the index for a word it lacks
    # A word found nowhere is taken as a typo of the nearest known word.
    terms = []
    for w in words:
        known = index.word(w)
        if known is not None and (wanted_bits is None or known[1] & wanted_bits):
            terms.append(known[0])
            continue
        from send_align.stemming import stem

        if vocabulary is None:
            vocabulary = index.vocabulary(wanted_bits)
        st = stem(w)
        if any(t[:1] == st[:1] and vocabulary[t] == st for t in vocabulary):
            terms.append(st)
        else:
            import difflib

            close = difflib.get_close_matches(w, sorted(vocabulary), n=1, cutoff=0.75)
            if close:
                terms.append(vocabulary[close[0]])
    if not terms:
        return []
    # A field holds a term when it holds a word of that stem beginning as a query term does (a stem keeps its
    # word's first letter, so in practice: any word of that stem).
    initials = {t[:1] for t in terms}
    holding = {t: index.fields(t, initials) for t in terms}
    phrase = " ".join(words)
    results = []
    for n in chosen:
        score = 0.0
        matched = set()
        for k, weight in enumerate(_WEIGHTS):
            field = 3 * n + k
            got = [t for t in terms if field in holding[t]]
            matched.update(got)
            score += weight * len(got) / len(terms)
            if len(words) > 1 and phrase in index.texts[field]:
                score += weight
        if matched:
            score *= len(matched) / len(terms)
            results.append((score, aims[n]))
    results.sort(key=lambda x: (-x[0], x[1].id))
    return results[:limit]
