"""Scan blocks of text against a compiled index: tokenise, find every phrase match, make hits of them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

from send_align.matching.compile import END, UNKNOWN_CHAR, Matcher
from send_align.results import Block
from send_align.sentences import split_sentences

# The same tokens as a capturing split: separators and words alternate, all found at C speed.
# (Written so the engine can skip to a word's first character, and with possessive repeats, which need no
# record of where to backtrack to: the same split, ~15% fewer instructions.)
_SPLIT_RE = re.compile(r"([0-9A-Za-z\u00C0-\u024F][0-9A-Za-z\u00C0-\u024F]*+(?:['’][A-Za-z]++)*+)")

def scan_keys(trie: dict[str, Any], keys: Sequence[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """Every (pattern id, first token, last token) whose key sequence occurs in the token keys.

    A token with no keys (a determiner) is stepped over inside a phrase and starts none."""
    hits: list[tuple[int, int, int]] = []
    n = len(keys)
    get = trie.get
    # A token with several keys can end the same pattern twice.
    seen: set[tuple[int, int, int]] = set()
    for i, first in enumerate(keys):
        for k in first:
            node = get(k)
            if node is None:
                continue
            stack = [(node, i)]
            while stack:
                nd, j = stack.pop()
                ends = nd.get(END)
                if ends and (ends[0], i, j) not in seen:
                    seen.add((ends[0], i, j))
                    hits.append((ends[0], i, j))
                j += 1
                while j < n and not keys[j]:
                    j += 1
                if j < n and len(nd) > (1 if ends else 0):
                    for k2 in keys[j]:
                        child = nd.get(k2)
                        if child is not None:
                            stack.append((child, j))
    return hits


Match = tuple[int, int, int]
"""A pattern's match: (pattern id, first word, last word)."""


class Hit(NamedTuple):
    phrase: int
    """Pattern id."""
    start: int
    end: int
    sentence: int


# A Hit made as the tuple it is: the named tuple's own constructor is a Python function, a frame per hit.
_new_hit = tuple.__new__


_NO_WORDS: frozenset[int] = frozenset()


class BlockScan:
    """A block's pattern matches as (pattern id, first word, last word), ready to be made into hits.

    Blocks are tokenised and scanned in batches (see `scan_blocks`): word indexes and character offsets
    count from the start of the batch; a block's own text starts at `base`, its words are w0 to w1.
    (A plain slotted class: one is made per paragraph, so its construction is on the hot path.)"""

    __slots__ = (
        "_masked_words",
        "_sentence_starts",
        "base",
        "block",
        "line",
        "made",
        "masked",
        "name_words",
        "named",
        "offsets",
        "raw",
        "w0",
        "w1",
        "walked",
        "word_starts",
        "words",
    )

    def __init__(
        self,
        block: Block,
        raw: list[Match],
        words: list[str],
        offsets: list[int],
        word_starts: list[int],
        line: str,
        base: int,
        w0: int,
        w1: int,
        walked: bool,
        masked: list[tuple[int, int]],
        named: list[int] | None = None,
        name_words: frozenset[int] = _NO_WORDS,
    ) -> None:
        self.block = block
        self.raw = raw
        self.words = words
        # Piece k of the batch's word split ends at offsets[k]: word i spans offsets[2i] to offsets[2i+1].
        self.offsets = offsets
        self.word_starts = word_starts
        # One character per word of the batch (see Matcher.codes).
        self.line = line
        self.base = base
        self.w0 = w0
        self.w1 = w1
        # Found by the trie walk (words the automaton's alphabet lacks): `raw` then holds every match.
        self.walked = walked
        # Word spans of mask matches (names and titles).
        self.masked = masked
        # Context patterns matched only inside a proper name (see `proper_names`): what the document is about,
        # though no evidence.
        self.named = named or []
        # Words of posts named by their remit (see `post_names`): a rule's one-word further group is not met there.
        self.name_words = name_words
        # Hits made so far, each once however many rules use it.
        self.made: dict[Match, Hit] = {}
        self._sentence_starts: list[int] | None = None
        self._masked_words: set[int] | None = None

    def hit_of(self, m: Match) -> Hit:
        """The hit of a match, its offsets within the block's text; made once, however many rules use it.
        (The judge's hot path: the match tuple is the key as given, and the sentence starts are read without
        a property call once split.)"""
        made = self.made.get(m)
        if made is None:
            starts = self._sentence_starts
            if starts is None:
                starts = self.sentence_starts
            s = self.offsets[2 * m[1]] - self.base
            made = self.made[m] = _new_hit(
                Hit, (m[0], s, self.offsets[2 * m[2] + 1] - self.base, bisect.bisect_right(starts, s) - 1)
            )
        return made

    @property
    def masked_words(self) -> set[int]:
        """The words inside a mask match of more than one word (a name or title)."""
        inside = self._masked_words
        if inside is None:
            inside = self._masked_words = {t for mi, mj in self.masked if mj > mi for t in range(mi, mj + 1)}
        return inside

    @property
    def sentence_starts(self) -> list[int]:
        starts = self._sentence_starts
        if starts is None:
            starts = self._sentence_starts = split_sentences(self.block.text)
        return starts

    def sentence_span(self, idx: int) -> tuple[int, int]:
        starts = self.sentence_starts
        return starts[idx], starts[idx + 1] if idx + 1 < len(starts) else len(self.block.text)


_BY_POSITION = itemgetter(1, 2, 0)
_PATTERN = itemgetter(0)
_BY_END = itemgetter(2, 1)
_FIRST_WORD = itemgetter(1)
_LAST_WORD = itemgetter(2)


# Blocks are tokenised and run through the automaton this many characters at a time: one call per batch
# rather than per paragraph, with memory bounded for a streamed file.
BATCH_CHARS = 200_000


def scan_block(matcher: Matcher, block: Block) -> BlockScan | None:
    """One block's matches (None when it has none)."""
    return next(scan_blocks(matcher, [block]), None)


def scan_blocks(matcher: Matcher, blocks: Iterable[Block]) -> Iterator[BlockScan]:
    """The matches of each block that has any, in document order."""
    batch: list[Block] = []
    size = 0
    for block in blocks:
        batch.append(block)
        size += len(block.text) + 1
        if size >= BATCH_CHARS:
            yield from _scan_batch(matcher, batch)
            batch, size = [], 0
    if batch:
        yield from _scan_batch(matcher, batch)


_STOP = re.compile(r"[.!?;:•]|\n\s*\n")


def _unbroken(pieces: list[str], first: int, last: int) -> bool:
    """Whether the text between a phrase's words (first to last, in the batch's split) holds no sentence
    stop. Most is white space with at most one line break, which cannot hold one: the expression is searched
    only for the rest. (Most phrases are two words apart by one space.)

    Nor does a phrase run across a comma where a new item of a list opens with its own determiner ("the
    school, the Council and partners" is no "school council"); a phrase that is itself a list keeps its commas
    ("Education, Health and Care", "happy, confident", "strengths, needs")."""
    if last == first + 1:
        separators = pieces[2 * first + 2]
        if separators == " ":
            return True
    else:
        separators = "".join(pieces[2 * first + 2 : 2 * last + 1 : 2])
    if (separators.isspace() and separators.count("\n") < 2) or not _STOP.search(separators):
        return "," not in separators or not any(
            "," in pieces[2 * k + 2] and pieces[2 * k + 3].lower() in _ITEM_OPENERS for k in range(first, last)
        )
    return False


# Words that open a new item of a list after its comma ("the school, the Council and partners"): a phrase whose
# words stand either side of that seam ("school council") is two items, not one thing.
_ITEM_OPENERS = frozenset({"the", "a", "an", "our", "their", "its", "your", "his", "her", "this", "these", "those", "any"})


# The last word of a proper name of a body, a document or a post: "the Inclusion Commission", "the SEND and
# Inclusion Strategy", "the Family Information Form", "our Autism Advisory Teacher". (Not the teams and services
# a page works with: "we work with the Educational Psychology Service" names the help, and lists of partners
# are what joint work is made of.)
NAME_HEADS = {
    "partnership", "partnerships", "board", "boards", "programme", "programmes", "program", "panel",
    "panels", "forum", "forums", "commission", "committee", "network", "networks", "group", "groups",
    "alliance", "project", "projects", "collaborative", "consortium", "form", "standard", "standards",
    "award", "charter", "toolkit", "strategy", "policy", "framework", "practitioner", "practitioners",
    "worker", "workers", "officer", "officers", "adviser", "advisers", "advisor", "advisors", "manager",
    "managers", "coordinator", "coordinators", "consultant", "consultants", "therapist", "therapists",
    "nurse", "nurses", "teacher", "teachers", "psychologist", "psychologists",
}
# Short words a name may hold between its capitalised words ("Children and Young People's Service").
_NAME_JOINS = frozenset({"and", "of", "for", "the", "in", "with", "to", "a", "on"})
# What may stand between two words of a name: spaces on one line, or an ampersand.
_NAME_GAP = re.compile(r"[ \t]+|[ \t]*&[ \t]*|-")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_head(word: str) -> bool:
    """Whether a word may end a proper name: a head (`NAME_HEADS`) capitalised, not in a line of capitals."""
    return word.lower() in NAME_HEADS and not word.isupper() and _capitalised(word)


# Where a capitalised head may stand, as one expression: each head's capital first letter lets the engine skip to
# the few places one may start. (Its words are ASCII, and no other letter of a word lower-cases to ASCII.)
_HEAD_START = re.compile("|".join(f"{h[0].upper()}(?i:{h[1:]})" for h in sorted(NAME_HEADS, reverse=True)))


def name_heads(text: str, words: list[str], word_starts: list[int]) -> list[int]:
    """The words of a batch's text (split into `words` starting at `word_starts`) that may end a proper name
    (`_is_head`), in order. The expression finds a head's letters wherever they stand; each is checked as the
    word that starts there."""
    heads: list[int] = []
    for m in _HEAD_START.finditer(text):
        at = m.start()
        i = bisect.bisect_left(word_starts, at)
        if i < len(word_starts) and word_starts[i] == at and _is_head(words[i]):
            heads.append(i)
    return heads


def proper_names(
    pieces: list[str], words: list[str], w0: int, w1: int, heads: Iterable[int] | None = None
) -> list[tuple[int, int]]:
    """The proper names of bodies, documents and posts among a block's words (w0 to w1), as (first word, last
    word): capitalised words, short joining words between them, ending with a capitalised head (`NAME_HEADS`:
    "Commission", "Officer"). A line in capitals throughout is shouting, not a name; a name followed by what
    the body does (`_does`) is the subject of a statement, its words counting with it. `heads`: the block's
    words after its first that may end a name (`_is_head`), when the caller has found them (see `name_heads`)."""
    names: list[tuple[int, int]] = []
    if heads is None:
        heads = [h for h in range(w0 + 1, w1) if _is_head(words[h])]
    for h in heads:
        first, caps, k = h, 0, h - 1
        while k >= w0 and _NAME_GAP.fullmatch(pieces[2 * k + 2]):
            w = words[k]
            if _capitalised(w):
                first, caps = k, caps + 1
            elif w.lower() not in _NAME_JOINS:
                break
            k -= 1
        if (
            caps >= 1  # (the head itself is capitalised: one capitalised word before it makes a name)
            and not all(w.isupper() for w in words[first : h + 1])
            and not _does(pieces, words, h + 1, w1)
        ):
            names.append((first, h))
    return names


# What a named body or post does, said just after its name ("the Autism Outreach Team visits schools", "a
# practitioner from the NHS Mental Health Support Team visits each site"): the name's words then count with it.
_DOING = {
    "visit", "visits", "work", "works", "support", "supports", "provide", "provides", "offer", "offers",
    "run", "runs", "deliver", "delivers", "help", "helps", "train", "trains", "give", "gives", "see",
    "sees", "assess", "assesses", "advise", "advises", "lead", "leads", "teach", "teaches", "coach",
    "coaches", "plan", "plans", "review", "reviews", "arrange", "arranges", "organise", "organises", "host",
    "hosts", "hold", "holds", "monitor", "monitors", "check", "checks", "identify", "identifies", "develop",
    "develops", "coordinate", "coordinates", "liaise", "liaises", "manage", "manages", "attend", "attends",
    "observe", "observes", "screen", "screens", "come", "comes", "go", "goes", "bring", "brings", "build",
    "builds",
}
# The first word of a post named by its remit ("the Cabinet Member for Schools, Employment and Skills", "the
# Assistant Director for Early Help and Prevention", "our Head of Inclusion"): the words after "for" or "of" name
# the post's portfolio, not what is done. The plural "Members of" is left out: it names a membership ("Members of
# the Parent Carer Forum sit on the board"), not a post.
POST_HEADS = {
    "director", "directors", "member", "holder", "holders", "head", "lead", "leads", "manager",
    "managers", "officer", "officers", "commissioner", "minister", "secretary", "champion", "chair", "leader",
    "spokesperson",
}
_POST_START = re.compile(
    "(?:" + "|".join(f"{h[0].upper()}{h[1:]}" for h in sorted(POST_HEADS, reverse=True)) + r")[ \t]+(?:for|of)[ \t]"
)


def post_names(
    text: str, pieces: list[str], words: list[str], word_starts: list[int]
) -> list[tuple[int, int]]:
    """The posts of a batch named by their remit, as (the word after the post, the remit's last word): a
    capitalised post (`POST_HEADS`), "for" or "of", then capitalised words with short joining words (a comma
    between two capitalised words: "Schools, Employment and Skills"). A post followed by what its holder does
    (`_does`) is the subject of a statement, its words counting with it."""
    found: list[tuple[int, int]] = []
    n = len(words)
    for m in _POST_START.finditer(text):
        at = m.start()
        h = bisect.bisect_left(word_starts, at)
        if h >= n or word_starts[h] != at or h + 2 >= n:
            continue
        last, k = -1, h + 2
        while k < n:
            gap = pieces[2 * k]
            if not (_NAME_GAP.fullmatch(gap) or (gap.strip() == "," and "\n" not in gap and _capitalised(words[k]))):
                break
            w = words[k]
            if _capitalised(w):
                last = k
            elif w.lower() not in _NAME_JOINS:
                break
            k += 1
        # (The batch's next block starts after a line break: a verb there is not the post holder's.)
        if last > h + 1 and ("\n" in pieces[2 * last + 2] or not _does(pieces, words, last + 1, n)):
            found.append((h + 1, last + 1))
    return found


# Words that may stand between the name and its verb ("will", "also", "who", an acronym in brackets).
_BEFORE_DOING = {
    "will", "can", "also", "now", "regularly", "often", "currently", "then", "who", "which", "that", "may",
}


def _does(pieces: list[str], words: list[str], k: int, w1: int) -> bool:
    """Whether a verb of doing (`_DOING`) follows a name ending just before word k, within its clause."""
    if k < w1 and pieces[2 * k].strip() == "(":
        # An aside in brackets ("(MHST)", "(formerly Parent Partnership)") is stepped over.
        end = next((j for j in range(k + 1, min(k + 6, w1)) if ")" in pieces[2 * j]), None)
        if end is None:
            return False
        k = end
        if pieces[2 * k].strip() != ")":
            return False
    for _ in range(3):
        if k >= w1 or _STOP.search(pieces[2 * k]) or "," in pieces[2 * k]:
            return False
        low = words[k].lower()
        if low in _DOING:
            return True
        if low not in _BEFORE_DOING:
            return False
        k += 1
    return False


def _inside_name(r: Match, names: list[tuple[int, int]], words: list[str]) -> bool:
    """Whether a match stands inside a name and ends before its head (the head itself names the kind of body),
    with a word that is not an acronym ("SEND" in "the SEND Policy" still says what the page is about)."""
    _, i, j = r
    for first, head in names:
        if first <= i and j < head:
            return not all(w.isupper() for w in words[i : j + 1])
    return False


def _scan_batch(matcher: Matcher, batch: list[Block]) -> Iterator[BlockScan]:
    # The blocks' texts joined by a line break, which no word spans.
    text = "\n".join([b.text for b in batch])
    pieces = _SPLIT_RE.split(text)
    words = pieces[1::2]
    codes = matcher.codes
    try:
        line = "".join(map(codes.__getitem__, words))
    except KeyError:
        # (Each new word learned where it first stands; a word's hash is kept in the string, so looking up
        # every word costs less than first gathering the distinct ones.)
        for w in words:
            if w not in codes:
                matcher.learn(w)
        try:
            line = "".join(map(codes.__getitem__, words))
        except KeyError:  # the vocabulary was cleared meanwhile: learn the batch again
            for w in words:
                matcher.learn(w)
            line = "".join(map(codes.__getitem__, words))
    # A phrase never runs on past the end of a sentence ("... in schools. The council ..." is no "school
    # council"): a match whose words are parted by a full stop is none. (Two words parted by one space, the
    # most common phrase, need no call; the batch's matches are filtered at once, not block by block, each
    # automaton match once, before it is made a match of each pattern it stands for.)
    walked = UNKNOWN_CHAR in line or matcher.automaton is None
    if walked:
        found = sorted(scan_keys(matcher.trie, [matcher.keys_for(w) for w in words]), key=_BY_END)
        raw = [r for r in found if r[1] == r[2] or _unbroken(pieces, r[1], r[2])]
    else:
        values = matcher.automaton_values
        raw = [
            (p, start, end - 1)
            for idx, start, end in matcher.automaton.find_matches_as_indexes(line, overlapping=True)
            if end - start == 1
            or (end - start == 2 and pieces[2 * start + 2] == " ")
            or _unbroken(pieces, start, end - 1)
            for p in values[idx][1]
        ]
    if not raw:
        return
    offsets = list(accumulate(map(len, pieces)))
    word_starts = offsets[0:-1:2]
    masks = matcher.masks
    # The words that may end a proper name (see `name_heads`), found when a block first needs them.
    heads: list[int] | None = None
    posts: list[tuple[int, int]] | None = None
    # Hand each block its matches; a match across two blocks is none.
    n_raw, k = len(raw), 0
    base = 0
    w0 = 0
    for block in batch:
        end_char = base + len(block.text)
        w1 = bisect.bisect_left(word_starts, end_char, w0)
        # (The matches come by their last word: the block's end found by bisection, its own taken in C.)
        j = bisect.bisect_left(raw, w1, k, key=_LAST_WORD)
        mine = [r for r in raw[k:j] if r[1] >= w0]
        k = j
        named: list[int] = []
        in_posts: frozenset[int] = _NO_WORDS
        if mine and block.kind != "heading":
            # A word inside a proper name ("the Family Information Form", "the Inclusion Commission", "our
            # SEMH Practitioner") names the body or post, not what is done: only a phrase that runs to the name's
            # last word (the kind of body: "SEND Partnership", "Educational Psychologist") counts there. (What
            # the name is about still tells what the document is about: its contexts are kept.)
            if heads is None:
                heads = name_heads(text, words, word_starts)
            lo = bisect.bisect_left(heads, w0 + 1)
            hi = bisect.bisect_left(heads, w1, lo)
            names = proper_names(pieces, words, w0, w1, heads[lo:hi]) if hi > lo else []
            if posts is None:
                posts = post_names(text, pieces, words, word_starts)
            if posts:
                mine_posts = [(a, b) for a, b in posts if w0 <= a and b <= w1]
                names += mine_posts
                # ("the Cabinet Member for Children and Young People presented the report": no child presents.)
                in_posts = frozenset(t for a, b in mine_posts for t in range(a, b) if not words[t].isupper())
            inside = [_inside_name(r, names, words) for r in mine] if names else []
            if any(inside):
                contexts = matcher.context_patterns
                named = [r[0] for r, x in zip(mine, inside, strict=True) if x and r[0] in contexts]
                mine = [r for r, x in zip(mine, inside, strict=True) if not x]
        masked: list[tuple[int, int]] = []
        # (Most blocks hold no mask match: found in C before their matches are walked in Python.)
        if mine and not masks.isdisjoint(map(_PATTERN, mine)):
            masked = [(i, j) for p, i, j in mine if p in masks]
            if masked:
                # A hit strictly inside a longer mask match (a name or title) proves nothing on its own.
                mine = [
                    (p, i, j)
                    for p, i, j in mine
                    if not any(mi <= i and j <= mj and mj - mi > j - i for mi, mj in masked)
                ]
        if mine or named:
            yield BlockScan(
                block, mine, words, offsets, word_starts, line, base, w0, w1, walked, masked, named, in_posts
            )
        if k == n_raw:
            return
        base, w0 = end_char + 1, w1
