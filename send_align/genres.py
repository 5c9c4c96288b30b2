"""What a whole document is (a genre, such as information written for families): decided once per document
from its title, its opening blocks and whom it speaks to (see `model.Genre`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from send_align.contexts import ContextVerdict, decide_context
from send_align.model import Context, Genre
from send_align.results import Block, BlockKind, DocumentScan
from send_align.sentences import snippet, split_sentences

# A document's first blocks, kept by the scan for genres to read (`Genre.reach` is at most this).
OPENING_BLOCKS = 50
QUOTE_CHARS = 300
# An opening line of at most this many words can be a page's title (plain text has no headings).
TITLE_WORDS = 15
# How many headings and short lines (menus, breadcrumbs, links) a page's opening may hold besides its paragraphs.
FURNITURE_LINES = 8


@dataclass(frozen=True)
class GenreVerdict:
    """Whether a document is of a genre, why, and the line that shows it (for a rule's evidence)."""

    name: str
    holds: bool
    why: str
    quote: str = ""
    phrase: str = ""
    block: Block | None = None


@lru_cache(maxsize=4096)
def _phrase_keys(phrase: str) -> tuple[tuple[str, ...], ...]:
    """The key sequences of a phrase, as the matcher compiles it; here `=your` (a word the matcher skips,
    written exact) is kept: whom a page speaks to is in its determiners ("your child")."""
    from send_align.matching.phrases import SKIP, phrase_variants

    chunks = phrase.split()
    if not any(c.startswith("=") and c[1:].lower() in SKIP for c in chunks):
        return tuple(phrase_variants(phrase))
    keys: list[str] = []
    for c in chunks:
        if c.startswith("=") and c[1:].lower() in SKIP:
            keys.append("~" + c[1:].lower())
        else:
            first = phrase_variants(c)
            keys.extend(first[0] if first else ())
    return (tuple(keys),)


@lru_cache(maxsize=65536)
def _word_keys(surface: str) -> frozenset[str]:
    """Every key a document word can match, as the matcher's phrases are written (see `phrase_variants`)."""
    from send_align.matching.phrases import SKIP
    from send_align.stemming import stem

    low = surface.lower().replace("’", "'")
    if low in SKIP:
        return frozenset({"~" + low})  # only an exact `=your` finds it; any other phrase steps over it
    bare = low[:-2] if low.endswith("'s") else low
    keys = {stem(low), "~" + bare}
    if surface != low:
        form = surface.replace("’", "'")
        form = form[:-2] if form.endswith("'s") else form
        keys.add("=" + form)
        if len(form) > 2 and form.endswith("s"):
            keys.add("=" + form[:-1])
    return frozenset(keys)


@lru_cache(maxsize=1)
def _skip_keys() -> frozenset[str]:
    from send_align.matching.phrases import SKIP

    return frozenset("~" + w for w in SKIP)


# A short form in brackets after the name it stands for ("Special Educational Needs (SEN) Policy"): two or more
# capitals, read as no words, so that a genre's name runs on across it.
_SHORT_FORM = re.compile(r"\(\s*(?=[A-Za-z&]*[A-Z][A-Za-z&]*[A-Z])[A-Za-z&]{2,8}\s*\)")


class _Words:
    """A text's words (determiners and bracketed short forms left out) with where each stands, for phrase
    look-ups."""

    def __init__(self, text: str) -> None:
        from send_align.matching.phrases import TOKEN_RE

        skip_keys = _skip_keys()
        self.text = text
        self.spans: list[tuple[int, int]] = []
        self.keys: list[frozenset[str]] = []
        self.skip: list[bool] = []
        shorts = [m.span() for m in _SHORT_FORM.finditer(text)] if "(" in text else []
        for m in TOKEN_RE.finditer(text):
            if shorts and any(a <= m.start() < b for a, b in shorts):
                continue
            keys = _word_keys(m.group())
            self.spans.append(m.span())
            self.keys.append(keys)
            self.skip.append(len(keys) == 1 and next(iter(keys)) in skip_keys)
        self.words = len(self.keys) - sum(self.skip)
        self.present: frozenset[str] = frozenset().union(*self.keys)

    def find(self, phrases: Sequence[str]) -> tuple[str, int, int] | None:
        """The first phrase found (in the order given) with its character span, or None. Skipped words
        (determiners) inside a phrase are stepped over, as the matcher does. Only the phrases whose every word
        the text holds are tried."""
        keys, skip, n, present = self.keys, self.skip, len(self.keys), self.present
        by_first = _by_first_key(tuple(phrases))
        tried = sorted(
            {entry for key in present for entry in by_first.get(key, ()) if all(k in present for k in entry[1])}
        )
        for _, variant in tried:
            for i in range(n):
                if variant[0] not in keys[i]:
                    continue
                j = i + 1
                for key in variant[1:]:
                    while j < n and skip[j] and key not in keys[j]:
                        j += 1
                    if j >= n or key not in keys[j]:
                        break
                    j += 1
                else:
                    start, end = self.spans[i][0], self.spans[j - 1][1]
                    return self.text[start:end], start, end
        return None


@lru_cache(maxsize=512)
def _by_first_key(phrases: tuple[str, ...]) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """A phrase list's key sequences by their first key, each with its place in the list (phrase, then
    variant): `find` tries only those whose first word a text holds, in the list's order."""
    out: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    order = 0
    for phrase in phrases:
        for variant in _phrase_keys(phrase):
            out.setdefault(variant[0], []).append((order, variant))
            order += 1
    return out


@lru_cache(maxsize=256)
def _words(text: str) -> _Words:
    """A text's words, read once however many genres look at the same title and opening."""
    return _Words(text)


# Words in brackets in a title (a short form, "Special educational needs (SEN)", or an aside, "SEND (inc. speech
# and language)") are no part of the name it is; "&" stands for "and".
_BRACKETED = re.compile(r"\([^()]*\)")


def whole_title(phrases: Sequence[str], text: str) -> str | None:
    """The phrase of `phrases` that is the whole of `text` (a title or heading), determiners, a bracketed short
    form and "&" for "and" allowed, or None."""
    if not phrases or len(text) > 200:
        return None
    words = _words(_BRACKETED.sub(" ", text.replace("&", " and ")))
    # The longest name first: "Special Educational Needs and Disabilities" is all of a title that "Special
    # Educational Needs" begins.
    found = words.find(_longest_first(tuple(phrases)))
    if not found:
        return None
    _, start, end = found
    outside = [
        i for i, (s, e) in enumerate(words.spans) if (e <= start or s >= end) and not words.skip[i]
    ]
    return None if outside else found[0]


@lru_cache(maxsize=64)
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(phrases, key=lambda p: -len(p.split())))


def spares_in(phrases: Sequence[str], text: str) -> bool:
    """Whether a hit's quoted sentence holds one of a genre's `spares` phrases (see `Genre.spares`)."""
    return _words(text).find(phrases) is not None


def _quote(text: str, start: int) -> str:
    """The sentence of a block that holds a hit, white space folded, at most QUOTE_CHARS."""
    starts = split_sentences(text)
    k = bisect.bisect_right(starts, start) - 1
    s0, s1 = starts[k], starts[k + 1] if k + 1 < len(starts) else len(text)
    return snippet(text[s0:s1], start - s0, start - s0, QUOTE_CHARS)


def genre_of(
    genre: Genre,
    scan: DocumentScan,
    contexts: Mapping[str, Context],
    known: Mapping[str, ContextVerdict] | None = None,
) -> GenreVerdict:
    """`decide_genre` for a scanned document; whether it is in the genre's context as a whole is that
    context's own verdict (from `known`, the verdicts already decided, else decided here)."""
    if scan.proposal:
        # A genre says what a page is (information for families, a provision described as it runs); a proposal is
        # a plan, judged by what it proposes ("A nurture base at Oakfield" names a base that does not exist yet).
        return GenreVerdict(genre.name, False, "a proposal is judged by what it proposes, not as a page")
    whole = None
    if genre.context:
        ctx = contexts.get(genre.context)
        verdict = (known or {}).get(genre.context) or (decide_context(ctx, scan) if ctx else None)
        whole = verdict.whole if verdict else False
    return decide_genre(genre, scan.title, scan.opening, scan.paragraphs, whole)


def opening_window(opening: Sequence[Block], paragraphs: int) -> Sequence[Block]:
    """A page's opening: its first blocks up to and including its `paragraphs`-th paragraph (a block ending
    as a sentence does, or longer than a title). Headings and short lines without a full stop before it (a
    site's menu, a breadcrumb, the page's own title on its sixth line) are read too, up to FURNITURE_LINES of
    them."""
    seen = 0
    for i, block in enumerate(opening[: paragraphs + FURNITURE_LINES]):
        text = block.text.rstrip()
        if block.kind != BlockKind.HEADING and ((text and text[-1] in ".!?") or len(text.split()) > TITLE_WORDS):
            seen += 1
            if seen >= paragraphs:
                return opening[: i + 1]
    return opening[: paragraphs + FURNITURE_LINES]


def decide_genre(
    genre: Genre, title: str | None, opening: Sequence[Block], paragraphs: int, in_context: bool | None
) -> GenreVerdict:
    """Decide once per document whether it is of `genre`, from its title, its first blocks (`opening`, as
    the scan kept them), how many paragraphs it has, and whether it is in the genre's context as a whole
    (None when the genre names none)."""
    name = genre.name
    if genre.context and not in_context:
        return GenreVerdict(name, False, f"the document is not about {genre.context.upper()} as a whole")
    head: list[tuple[str, Block | None]] = []
    if title and not (opening and opening[0].text.strip() == title.strip()):
        head.append((title, None))
    window = opening_window(opening, genre.opening)
    head.extend((b.text, b) for b in window)
    words = [(text, block, _words(text)) for text, block in head]
    # What the page is, against: the title and the first block only (a page on assessments may well speak of
    # a decision or a policy in its second paragraph).
    for _, block, w in words[: 2 if len(head) > len(window) else 1]:
        found = w.find(genre.against)
        if found:
            where = "title" if block is None else "opening"
            return GenreVerdict(name, False, f"its {where} shows it is something else ('{found[0]}')")
    # What the page names itself: in its title, its first block, and the headings and short lines of its
    # opening (a name in passing in a later paragraph, "supported by educational psychologists", does not say
    # what the page is).
    lead = opening[0] if opening else None
    for text, block, w in words:
        if block not in (None, lead) and block.kind != BlockKind.HEADING and w.words > TITLE_WORDS:
            continue
        found = w.find(genre.names)
        # A line that names the genre and, beside it, something else ("Cabinet report: capital programme for
        # resource bases") is that something else: a name in it proves nothing.
        if found and not w.find(genre.against):
            where = "title" if block is None else "opening"
            return GenreVerdict(
                name, True, f"its {where} names what it is ('{found[0]}')", _quote(text, found[1]), found[0], block
            )
    # Or the whole of its title, or of a heading in its opening, is a name of the genre ("Special Educational
    # Needs" heading a school's page).
    for text, block, _ in words:
        if block is not None and block is not lead and block.kind != BlockKind.HEADING:
            continue
        if block is lead and block is not None and len(text.split()) > TITLE_WORDS:
            continue
        title_name = whole_title(genre.titles, text)
        if title_name:
            where = "title" if block is None else "opening"
            return GenreVerdict(
                name, True, f"its {where} is the name '{title_name}'", _quote(text, 0), title_name, block
            )
    need = 1 if paragraphs <= genre.short_document else genre.min_addressed
    seen: set[int] = set()
    first: tuple[str, int, Block] | None = None
    for block in opening[: genre.reach]:
        if block.kind == BlockKind.HEADING or block.paragraph in seen:
            continue
        found = _words(block.text).find(genre.addressed)
        if found:
            seen.add(block.paragraph)
            if first is None:
                first = (found[0], found[1], block)
            if len(seen) >= need:
                phrase, start, at = first
                return GenreVerdict(
                    name,
                    True,
                    f"it speaks to its reader ('{phrase}') in {len(seen)} paragraph{'s' if len(seen) > 1 else ''}",
                    _quote(at.text, start),
                    phrase,
                    at,
                )
    return GenreVerdict(
        name,
        False,
        f"neither its title nor its opening names it, and it speaks to its reader in {len(seen)} of its "
        f"first paragraphs ({need} needed)",
    )
