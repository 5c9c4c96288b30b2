"""Judge a document's hits: which count as evidence for which aim, and why the others do not."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import reduce
from itertools import compress, islice
from operator import or_

from send_align.contexts import decide_context
from send_align.genres import FURNITURE_LINES, OPENING_BLOCKS, TITLE_WORDS
from send_align.matching.candidates import (
    BlockCandidates,
    LeadIns,
    Tally,
    ends_lead_in,
    is_name_item,
    is_unmarked_item,
    pointed_lead,
)
from send_align.matching.compile import Matcher, RuleInfo
from send_align.matching.cue_phrases import CUE, STRONG
from send_align.matching.cues import OPENING_QUOTES, CueSet
from send_align.matching.scan import (
    _FIRST_WORD,
    _LAST_WORD,
    BlockScan,
    Hit,
    Match,
    scan_blocks,
)
from send_align.model import OPENING_PARAGRAPHS, REPEAT_BONUS, REPEAT_CAP, STRENGTHS
from send_align.results import Block, DocumentScan, Evidence
from send_align.sentences import SNIPPET_CHARS, snippet

# Evidence is a frozen dataclass: its __init__ sets each of its ten fields through object.__setattr__ (~4 us;
# one is made per kept hit). The judge sets the slots itself, in the fields' order: the same object, ~1 us.
_EVIDENCE_FIELDS = ("rule", "text", "paragraph", "line", "column", "page", "section", "weight", "phrase", "discarded")
assert tuple(f.name for f in dataclasses.fields(Evidence)) == _EVIDENCE_FIELDS, "Evidence changed: see judge.py"
assert not hasattr(Evidence, "__post_init__")
_NEW = object.__new__
(
    _SET_RULE,
    _SET_TEXT,
    _SET_PARAGRAPH,
    _SET_LINE,
    _SET_COLUMN,
    _SET_PAGE,
    _SET_SECTION,
    _SET_WEIGHT,
    _SET_PHRASE,
    _SET_DISCARDED,
) = (getattr(Evidence, name).__set__ for name in _EVIDENCE_FIELDS)


def locate(block: Block, offset: int) -> tuple[int | None, int | None]:
    """Line and column of a character offset inside a block, where the format has lines."""
    if block.line is None:
        return None, None
    nl = block.text.count("\n", 0, offset)
    if nl == 0:
        return block.line, (block.column or 1) + offset
    last = block.text.rfind("\n", 0, offset)
    return block.line + nl, offset - last


# Scoring counts at most this many distinct paragraphs per rule, so a rule with kept evidence in this many
# paragraphs is settled for the document: its later hits are not judged (the work a long document saves).
SETTLED_PARAGRAPHS = REPEAT_CAP
# Discarded hits kept per rule, for `explain`.
MAX_DISCARDED = 10

_Sentence = tuple[int, str, int, list[tuple[int, int]], int, int]
"""A sentence's start, text, the checks its words can cue, where its cue words are, and its words (first,
one past the last)."""


# A sentence that goes on from the one before: "It also says ...", "This means that ...", "They must also ...".
_GOES_ON = re.compile(
    r"\W*(?:it|this|they|these|the\s+(?:code|act|law|guidance|legislation))\s+(?:also\s+|further\s+)?"
    r"(?:says?|states?|means?|requires?|must|should|sets?\s+out|explains?|expects?|adds?|goes\s+on)\b",
    re.I,
)
# ... unless the writer speaks of what it does ("This means we involve parents in every review").
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.I)

# (Guillemets too: a quotation set out under its speaker may open with one, where a testimonial is read by
# `cues.is_attributed_quote`.)
_OPENING_QUOTES = frozenset(OPENING_QUOTES + "«")

# A list item: a block the format calls one, or a line starting with a bullet or a number ("1)", "b.").
_ITEM_START = re.compile(r"\s*(?:[•▪◦●·‣–*-]|\(?(?:\d{1,2}|[a-z])[.)])\s")
# What an item under a reference lead-in ("Useful links:") can say at most: it may support an aim.
PASSING_CAP = STRENGTHS["supporting"]

Frame = tuple[str, str, int]
"""What a list's lead-in says its items are ('findings', 'reference', 'quoted', 'excluded', 'contents', or
'findings-lead' for the lead-in itself), the lead-in's last words, and the list's number in the document (see ListFrames)."""


class ListFrames:
    """Follows a document's blocks in order: which list each item belongs to, and what its lead-in (the
    paragraph ending with a colon just before it) says the items are (`CueSet.lead_in_kind`): findings
    ("the inspection identified these areas for improvement:"), passing mentions ("Useful links:"), others'
    words ("Our parents and carers have told us:"), what is not done ("We do not:") or a document's contents
    ("Contents:", whose items are section titles). A findings lead-in is itself marked, as 'findings-lead'."""

    __slots__ = ("cues", "fresh", "items", "kind", "lead", "lists", "of", "prev")

    def __init__(self, cues: CueSet) -> None:
        self.cues = cues
        self.kind: str | None = None
        self.lead = ""
        self.lists = 0  # lists with a findings, reference or quoted lead-in seen so far: the current one's number
        self.items = 0  # items of the current list filed so far
        self.prev: Block | None = None  # the paragraph before, while a list may yet follow it
        self.fresh = False  # whether the block before was a quoted lead-in ending with its colon
        self.of: dict[int, Frame] = {}
        """Per paragraph (an item, or a findings lead-in itself: 'findings-lead'), the kind, the lead-in's
        text and the list's number."""

    def _start(self, kind: str, text: str) -> None:
        self.kind, self.lead = kind, " ".join(text.split())[-80:]
        self.lists += 1
        self.items = 0
        self.fresh = kind == "quoted" and ends_lead_in(text)

    def see(self, block: Block) -> None:
        text = block.text
        fresh, self.fresh = self.fresh, False
        first = text[:1]
        if first.isspace():
            first = text.lstrip()[:1]
        if (
            block.kind == "list"
            or (first and not first.isupper() and not first.isspace() and _ITEM_START.match(text))
            or (self.kind is not None and is_unmarked_item(block))
        ):
            if self.prev is not None:
                # A paragraph without a colon leads in findings too ("inspectors found that more work needs
                # to be done"), read only when a list follows it; a reference list needs its colon.
                if self.cues.lead_in_kind(self.prev.text, findings_only=True):
                    self._start("findings", self.prev.text)
                self.prev = None
            if self.kind == "contents" and len(text.split()) > TITLE_WORDS:
                # A contents entry is a title: an item holding more is the page's own text, and the contents
                # have ended (a page copied with its bullets on lines of their own runs on as one list).
                self.kind = None
            if self.kind:
                self.of[block.paragraph] = (self.kind, self.lead, self.lists)
                self.items += 1
            if text[-1:] == ":" and (kind := self.cues.lead_in_kind(text)):
                self._start(kind, text)  # a nested list's own lead-in
            return
        if self.kind == "quoted" and block.kind != "heading" and (fresh or text.lstrip()[:1] in _OPENING_QUOTES):
            # A quotation set out as its own paragraph under "Our parents and carers have said:", or the paragraph
            # right after "The SEND Code of Practice says:", quote marks or not.
            self.of[block.paragraph] = (self.kind, self.lead, self.lists)
            return
        if self.kind == "contents" and not self.items and block.kind == "heading":
            # The first entry under "Contents:", a title line standing alone, is read as a heading: the contents
            # go on under it.
            return
        self.kind = None
        before, self.prev = self.prev, None
        if block.kind == "heading":
            # A short lead-in standing alone may be read as a heading ("This report is written in line with
            # the requirements of:"): its colon still says what the list under it is. "Our parents and carers have
            # said:" or "What young people told us", set as a heading: the list or the quotations under it are
            # theirs, colon or not. (A heading is no statement: it is never itself marked as a finding.)
            kind = self.cues.lead_in_kind(text)
            if kind == "quoted" or (kind and ends_lead_in(text)):
                self._start(kind, text)
            return
        if ends_lead_in(text):
            kind = self.cues.lead_in_kind(text)
            if kind is None and (joined := pointed_lead(before, text)) is not None:
                # "These include:" on a line of its own: the paragraph before says what the list is.
                kind = self.cues.lead_in_kind(joined)
            if kind:
                self._start(kind, text)
                if kind == "findings":
                    self.of[block.paragraph] = ("findings-lead", self.lead, self.lists)
        else:
            self.prev = block


def scan_document(
    matcher: Matcher, blocks: Iterable[Block], settle: bool = True, title: str | None = None
) -> DocumentScan:
    """Scan a document's blocks. With `settle`, work that cannot change any score is skipped: a rule with
    evidence in SETTLED_PARAGRAPHS paragraphs, and every rule of an aim already at score 1 (`explain` turns
    this off to show every rule's hits). The title, where the format has one, may decide a context."""
    scan, tally = _scan(matcher, blocks, settle, title)
    # A rule settled on evidence outside the context's paragraphs is right only if the whole document is
    # about the context. Where it is not, the scan is made again, settling on counted evidence alone.
    if (
        tally.guessed
        and isinstance(blocks, Sequence)
        and any(not decide_context(matcher.contexts[name], scan).whole for name in tally.guessed)
    ):
        scan, _ = _scan(matcher, blocks, settle, title, strict=True)
    return scan


def _scan(
    matcher: Matcher, blocks: Iterable[Block], settle: bool, title: str | None, strict: bool = False
) -> tuple[DocumentScan, Tally]:
    tally = Tally(matcher, settle, strict)
    # What the page is, read from its first blocks before any is judged: on a page of inspection writing a
    # finding is set aside wherever it stands (see `_BlockJudge.passing_mention`).
    if isinstance(blocks, Sequence):
        first = blocks[:FINDINGS_PAGE_BLOCKS]
    else:
        blocks = peeked = _Peeked(iter(blocks), FINDINGS_PAGE_BLOCKS)
        first = peeked.head
    tally.findings_page = matcher.cues.findings_page_of(title, first)
    count = 0
    opening: list[Block] = []
    set_aside: dict[int, str] = {}
    leads = LeadIns()
    frames = ListFrames(matcher.cues)

    # The paragraphs a context's share is taken of: not a page number standing alone ("12"), nor an entry of a
    # contents list or glossary, whose mentions do not count either (see `BlockCandidates.candidates`).
    readable = 0
    section_reason = matcher.cues.block_section_reason

    def counted() -> Iterator[Block]:
        nonlocal count, readable
        for block in blocks:
            count += 1
            if _LETTER.search(block.text) and section_reason(block) is None:
                readable += 1
            if count <= OPENING_BLOCKS:
                opening.append(block)  # what a genre reads (see genres.py)
            leads.see(block)
            frames.see(block)
            yield block

    for bs in scan_blocks(matcher, counted()):
        lead = leads.of.pop(bs.block.paragraph, None) if leads.of else None
        short = lead is not None and is_name_item(bs.block.text)
        frame = frames.of.pop(bs.block.paragraph, None) if frames.of else None
        if frame is not None and frame[0] in _NOT_THEIRS:
            set_aside[bs.block.paragraph] = f"{_NOT_THEIRS[frame[0]]} '{frame[1]}'"
        _BlockJudge(matcher, bs, tally, tally.lead_matches_of(matcher, lead), frame, short).run()
    scan = DocumentScan(
        tally.evidence,
        tally.discarded,
        tally.ctx_count,
        tally.ctx_where,
        tally.ctx_sections,
        count,
        title_contexts(matcher, title),
        tuple(opening),
        title,
        set_aside=set_aside,
        readable=readable,
    )
    return scan, tally


_LETTER = re.compile(r"[^\W\d_]")

# What a list's lead-in kind makes of its items, for a paragraph none of whose words are the writer's statement or
# that only mentions in passing (a reference list): the learned model may not rest on it (DocumentScan.set_aside).
_NOT_THEIRS = {
    "quoted": "quoted under",
    "findings": "a finding listed under",
    "excluded": "not done, as its lead-in says:",
    "contents": "a section's title in the contents under",
    "reference": "a passing mention in the list under",
}

# How many first blocks are read for what the page is: a genre's opening of three paragraphs and the short lines
# (menus, breadcrumbs) that may stand before them.
FINDINGS_PAGE_BLOCKS = 3 + FURNITURE_LINES


class _Peeked:
    """A stream of blocks whose first few (`head`) are read ahead and then given again, in order, with the rest."""

    def __init__(self, rest: Iterator[Block], n: int) -> None:
        self.head = list(islice(rest, n))
        self.rest = rest

    def __iter__(self) -> Iterator[Block]:
        yield from self.head
        yield from self.rest


def title_contexts(matcher: Matcher, title: str | None) -> frozenset[str]:
    """The contexts a document's title mentions."""
    if not title or not matcher.contexts:
        return frozenset()
    found: set[str] = set()
    for bs in scan_blocks(matcher, [Block(title, 0)]):
        for r in bs.raw:
            found.update(matcher.context_of[r[0]])
        for p in bs.named:
            found.update(matcher.context_of[p])
    return frozenset(found)


def _missing(info: RuleInfo, g: int) -> str:
    """Why a main phrase did not count: a further group had no word where the rule wants one."""
    written = info.rule.source_phrases[g] if g < len(info.rule.source_phrases) else ()
    sample = ", ".join(written[:5]) + (" …" if len(written) > 5 else "")
    where = "the paragraph" if not info.per_sentence else "the sentence"
    near = info.near[g - 1] if 0 < g <= len(info.near) else None
    if near:
        where += f", within {near} words"
    if info.order:
        where += ", after it" if info.order == 1 else ", before it"
    return f"no word of the rule's group {g} ({sample}) in {where}"


class _BlockJudge(BlockCandidates):
    """One block's rules judged: filters depend only on the sentence and the hit's span, and many rules
    share a hit, so each sentence and each hit is judged once."""

    __slots__ = ("frame", "inline", "negated", "passing", "quotes", "sentences", "spans", "unusable")

    def __init__(
        self,
        matcher: Matcher,
        bs: BlockScan,
        tally: Tally,
        lead: list[Match] | None = None,
        frame: Frame | None = None,
        lead_short: bool = False,
    ) -> None:
        self.matcher, self.bs, self.tally, self.block = matcher, bs, tally, bs.block
        self.age_spans = None
        self.lead, self.lead_short = lead, lead_short
        self.frame = frame  # what the list's lead-in says this item is (see ListFrames)
        self.cues = matcher.cues
        self.sentences: dict[int, _Sentence] = {}
        self.spans: dict[int, tuple[int, int, int, int]] = {}
        self.negated: dict[tuple[int, int, int], str | None] = {}
        self.unusable: str | None = None
        """Why the last group `companions` found missing had no usable word: its words there were negated."""
        self.passing: dict[int, str | None] = {}
        self.inline: dict[tuple[int, int], str | None] = {}
        self.quotes: dict[int, str] = {}

    def run(self) -> None:
        found = self.candidates()
        if self.tally.settled is None or (self.frame is not None and self.frame[0] == "reference"):
            for key, mains, others, from_heading in found:
                self.judge_rule(key, mains, others, from_heading)
            return
        # While rules settle, a rule files the first hit that passes every check, and nothing else (an item of
        # a reference list aside, handled above): rules that judge alike (Matcher.shape_of) share the verdict.
        shape_of = self.matcher.shape_of
        verdicts: dict[tuple[int, bool | str], Hit | None] = {}
        for key, mains, others, from_heading in found:
            shape = shape_of.get(key)
            if shape is None:
                self.judge_rule(key, mains, others, from_heading)
                continue
            alike = (shape, from_heading)
            if alike in verdicts:
                hit = verdicts[alike]
                if hit is not None:
                    self.record(key[0], key[1], hit, None)
            else:
                verdicts[alike] = self.judge_rule(key, mains, others, from_heading)

    def words_of(self, idx: int) -> tuple[int, int, int, int]:
        """A sentence's start and end, and its words (first, one past the last): all a search for a rule's
        further groups needs, without the sentence's cue words (most such searches fail)."""
        span = self.spans.get(idx)
        if span is None:
            bs = self.bs
            base, ws, w0, w1 = bs.base, bs.word_starts, bs.w0, bs.w1
            s0, s1 = bs.sentence_span(idx)
            lo, hi = bisect.bisect_left(ws, s0 + base, w0, w1), bisect.bisect_left(ws, s1 + base, w0, w1)
            span = self.spans[idx] = (s0, s1, lo, hi)
        return span

    def sentence_of(self, idx: int) -> _Sentence:
        sentence = self.sentences.get(idx)
        if sentence is None:
            bs = self.bs
            base, ws = bs.base, bs.word_starts
            s0, s1, lo, hi = self.words_of(idx)
            flags = list(map(self.matcher.flags.__getitem__, bs.words[lo:hi]))
            # (The flags or-ed, and the words with a cue picked out, in C: a sentence has few cue words.)
            cues = reduce(or_, flags, 0)
            marks = (
                [(ws[k] - base, flags[k - lo]) for k in compress(range(lo, hi), map(CUE.__and__, flags))]
                if cues & CUE
                else []
            )
            sentence = self.sentences[idx] = (s0, self.block.text[s0:s1], cues, marks, lo, hi)
        return sentence

    def negation(self, h: Hit) -> str | None:
        # (A sentence already read is looked up here, without a call; most sentences hold no cue word.)
        sentence = self.sentences.get(h[3]) or self.sentence_of(h[3])
        if not sentence[2] & CUE:
            return None
        key = h[1:]  # (start, end, sentence)
        if key not in self.negated:
            s0, text, _, marks, _, _ = sentence
            before = after = 0
            first = -1  # where the first cue word that can reach across "and" stands
            for at, f in marks:
                if at < h.start:
                    before |= f
                    if first < 0 and f & STRONG:
                        first = at - s0
                elif at >= h.end:
                    after |= f
            self.negated[key] = self.cues.negation_reason(
                text, h.start - s0, h.end - s0, before, after, first
            )
        return self.negated[key]

    def passing_mention(self, idx: int, in_headings: bool = False) -> str | None:
        if in_headings and self.block.kind == "heading":
            _, text, cues, _, _, _ = self.sentence_of(idx)
            return self.cues.reference_reason(self.block, text, cues, in_headings=True)
        if idx not in self.passing:
            _, text, cues, _, _, _ = self.sentence_of(idx)
            reason = self.cues.reference_reason(self.block, text, cues)
            if reason is None and idx and _GOES_ON.match(text) and not _FIRST_PERSON.search(text):
                # "The Code says young people should take part in decisions. It also says their parents' views
                # must be taken into account": the second sentence goes on reciting the law the first names.
                s0, s1 = self.bs.sentence_span(idx - 1)
                if self.cues.definition.search(self.block.text[s0:s1]):
                    reason = "a definition or quoted law (going on from the sentence before), not what is done"
            if reason is None and self.frame:
                kind, lead, _ = self.frame
                if kind == "findings":
                    reason = f"a finding listed under '{lead}', not a commitment"
                elif kind == "quoted":
                    reason = f"quoted under '{lead}': the law's or someone else's words, not the writer's statement"
                elif kind == "excluded":
                    reason = f"an item of a list whose lead-in says it is not done ('{lead}')"
                elif kind == "contents":
                    reason = f"a section's title in the contents under '{lead}', not a statement"
                elif kind == "findings-lead" and text.rstrip().endswith(":"):
                    reason = "a lead-in to findings, not a commitment"
            if reason is None and self.tally.findings_page and self.cues.verdict.search(text):
                reason = f"a finding on a page of inspection writing ('{self.tally.findings_page}'), not a commitment"
            self.passing[idx] = reason
        return self.passing[idx]

    def inline_lead(self, hit: Hit) -> str | None:
        """Why a hit after a colon in its own sentence is not evidence, where the words before the colon say, as
        a list's lead-in would, that what follows is a finding or is not done ("we know these areas need
        significant focus: special school places, EHC plan processes, ..."), or None. (Not that it is someone
        else's words: "short breaks have two purposes:" heads the law's wording as a list, the writer's own in
        a sentence.)"""
        s0, text, _, _, _, _ = self.sentences.get(hit[3]) or self.sentence_of(hit[3])
        colon = text.rfind(":", 0, hit.start - s0)
        if colon < 0:
            return None
        key = (hit[3], colon)
        if key not in self.inline:
            lead = text[: colon + 1]
            kind = self.cues.lead_in_kind(lead)
            shown = " ".join(lead.split())[-60:]
            self.inline[key] = (
                f"a finding listed after '{shown}', not a commitment"
                if kind == "findings"
                else f"listed after '{shown}', which says it is not done"
                if kind == "excluded"
                else None
            )
        return self.inline[key]

    def companions(
        self, main: Match, hit: Hit, others: dict[int, list[Match]], info: RuleInfo, first_group: int = 1
    ) -> list[Match] | int:
        """Each further group's first match in the hit's sentence (or the paragraph), or the number of the
        first group that has none: the group needs words of its own, so a match inside the main hit does
        not count; with `near`, it must stand within that many words of the main phrase. Where the group's
        first such word is negated or stopped ("we do not work with health"), the group has no usable word:
        the number is returned and `unusable` says why, for `explain`."""
        bs, sentences = self.bs, self.sentences
        offsets, base, made = bs.offsets, bs.base, bs.made
        _, _, lo, hi = self.spans.get(hit[3]) or self.words_of(hit[3])
        per_sentence, order = info.per_sentence, info.order
        firsts: list[Match] = []
        self.unusable = None
        for g in range(first_group, info.groups):
            near = info.near[g - 1]
            rs = others[g]
            k = bisect.bisect_left(rs, lo, key=_FIRST_WORD) if per_sentence else 0
            stop = hi if per_sentence else bs.w1
            ok, negated = False, None
            n = len(rs)
            while k < n and rs[k][1] < stop:
                r = rs[k]
                after = offsets[2 * r[1]] - base >= hit.end
                if (after or offsets[2 * r[2] + 1] - base <= hit.start) and (
                    (near is None or (r[1] - main[2] if r[1] > main[2] else main[1] - r[2]) <= near)
                    and (order == 0 or (order == 1) == after)
                ):
                    companion = made.get(r) or bs.hit_of(r)
                    # (A sentence already read that holds no cue word negates nothing: no call.)
                    sentence = sentences.get(companion[3])
                    negated = None if sentence is not None and not sentence[2] & CUE else self.negation(companion)
                    if (
                        negated is not None
                        and not after
                        and companion[3] == hit[3]
                        and self.cues.undone(self.block.text, companion.end, hit.start)
                    ):
                        # The denied word and the main phrase sit either side of "without": the two negations
                        # cancel ("No child is placed at the unit without the agreement of parents").
                        negated = None
                    if negated is None:
                        ok = True
                        break
                    negated = f"'{self.block.text[companion.start : companion.end]}' {negated}"
                    break  # the group's nearest word is denied: the sentence is not read for another
                k += 1
            if not ok:
                if info.key in self.matcher.heading_rules and self.heading_holds(info, g):
                    continue  # the group stands in the section's heading
                if self.lead and self.lead_holds(info, g):
                    continue  # the group stands in the list's lead-in
                self.unusable = negated
                return g
            firsts.append(rs[k])
        return firsts

    def exclusion(
        self, others: dict[int, list[Match]], hit: Hit, main: Match, limit: int | None
    ) -> str | None:
        """The rule's `unless` phrase in the hit's sentence (within `limit` words of the main phrase, when
        the rule sets `unless_near`), as a reason, or None."""
        blockers = others.get(-1)
        if blockers:
            _, _, lo, hi = self.words_of(hit.sentence)
            k = bisect.bisect_left(blockers, lo, key=_FIRST_WORD)
            while k < len(blockers) and blockers[k][1] < hi:
                r = blockers[k]
                if main[1] <= r[1] and r[2] <= main[2]:
                    # The phrase's own words ("young inspectors" holds "inspectors"; "their courses" is
                    # "courses", determiners skipped): an exclusion stops what stands beside a hit, not the hit.
                    k += 1
                    continue
                if limit is None or (r[1] - main[2] if r[1] > main[2] else main[1] - r[2]) <= limit:
                    b = self.bs.hit_of(r)
                    where = "in the same sentence" if limit is None else f"within {limit} words"
                    return f"rule exclusion '{self.block.text[b.start : b.end]}' {where}"
                k += 1
        return None

    def judge_rule(
        self,
        key: tuple[int, int],
        mains: list[Match],
        others: dict[int, list[Match]] | None,
        from_heading: bool | str = False,
    ) -> Hit | None:
        """Judge a rule's hits in this block; the hit that settled the block for the rule (the last filed),
        or None."""
        ai, ri = key
        info = self.matcher.rule_info[ai][ri]
        look_in = info.rule.look_in
        if look_in == "headings" and self.block.kind != "heading":
            return None
        if look_in == "opening" and self.block.paragraph > OPENING_PARAGRAPHS:
            return None
        settled = self.tally.settled
        if len(mains) > 1:
            # By first word, the longest first: two stable sorts on C keys (no Python key function).
            mains = sorted(sorted(mains, key=_LAST_WORD, reverse=True), key=_FIRST_WORD)
        seen_sentences: set[int] = set()
        near_missed: set[int] = set()
        bs = self.bs
        made, passing = bs.made, self.passing
        in_headings = look_in != "text"
        # (A sentence's passing-mention verdict, once found, is read here without a call; see passing_mention.)
        cached = not (in_headings and self.block.kind == "heading")
        for main in mains:
            hit = made.get(main) or bs.hit_of(main)
            if hit.sentence in seen_sentences:
                continue
            reason = None
            if others is not None:
                found = self.companions(main, hit, others, info, 2 if from_heading else 1)
                if isinstance(found, int):
                    if settled is None and hit.sentence not in near_missed:
                        # `explain` shows the near miss: a main phrase whose further group was missing.
                        near_missed.add(hit.sentence)
                        missing = _missing(info, found)
                        if self.unusable:
                            missing = f"no usable{missing[2:]}: {self.unusable}"
                        # (What the heading or lead-in would lend, had the rule's `unless` not stood there.)
                        for lent in (from_heading, self.stopped_lending(key, found)):
                            if isinstance(lent, str):
                                missing = f"{missing}; {lent}"
                        self.record(ai, ri, hit, missing)
                    continue
                if others.get(-1):
                    reason = self.exclusion(others, hit, main, info.rule.unless_near)
                if reason is None and isinstance(from_heading, str):
                    reason = from_heading  # (`explain` only: a main phrase the rule's `unless` stops where it stands)
            seen_sentences.add(hit.sentence)
            if reason is None:
                idx = hit[3]
                reason = passing[idx] if cached and idx in passing else self.passing_mention(idx, in_headings)
            if reason is None:
                reason = self.inline_lead(hit)
            if reason is None:
                spans = self.age_spans_of()
                if spans and any(a <= hit.start < b for a, b in spans):
                    reason = "whom an age range extended for SEND covers ('to 19, or 25 for ...'), not what is done"
            if reason is None:
                sentence = self.sentences.get(hit[3])
                if sentence is None or sentence[2] & CUE:  # (no call where the sentence holds no cue word)
                    reason = self.negation(hit)
            if reason and settled is not None:
                continue  # only `explain` shows what was set aside
            if self.record(ai, ri, hit, reason):
                return hit
        return None

    def record(self, ai: int, ri: int, hit: Hit, reason: str | None) -> bool:
        """File a hit as evidence (or as set aside, with its reason); True when the rule needs no more
        hits from this block."""
        block, tally = self.block, self.tally
        rule = self.matcher.rule_info[ai][ri][0]
        s0, sentence, _, _, _, _ = self.sentences.get(hit[3]) or self.sentence_of(hit[3])
        line, column = (None, None) if block.line is None else locate(block, hit.start)
        # An item of a reference list ("Useful links:") is a passing mention: it may support an aim, and the
        # list's items together once, as one mention (two links are not two pieces of evidence).
        frame, capped = self.frame, False
        if frame is not None and frame[0] == "reference" and not reason:
            capped = True
            mention = (frame[2], ai)
            if mention in tally.supported:
                reason = "an item of a list whose lead-in points elsewhere, the list already supporting this aim"
            tally.supported.add(mention)
        quote = self.quotes.get(hit.sentence)
        if quote is None:
            quote = snippet(sentence, hit.start - s0, hit.end - s0)
            if len(sentence) <= SNIPPET_CHARS:
                self.quotes[hit.sentence] = quote  # a short sentence is quoted whole, whatever the hit
        ev = _NEW(Evidence)  # (as Evidence(rule=..., ...) makes it; see _EVIDENCE_FIELDS)
        _SET_RULE(ev, rule.id)
        _SET_TEXT(ev, quote)
        _SET_PARAGRAPH(ev, block.paragraph)
        _SET_LINE(ev, line)
        _SET_COLUMN(ev, column)
        _SET_PAGE(ev, block.page)
        _SET_SECTION(ev, block.section)
        _SET_WEIGHT(ev, min(rule.weight, PASSING_CAP) if capped else rule.weight)
        _SET_PHRASE(ev, block.text[hit.start : hit.end])
        _SET_DISCARDED(ev, reason)
        if reason:
            thrown = tally.discarded.setdefault(ai, [])
            if sum(e.rule == rule.id for e in thrown) < MAX_DISCARDED:
                thrown.append(ev)
            return False
        tally.evidence.setdefault(ai, []).append(ev)
        settled = tally.settled
        if settled is None:
            return False
        context = self.matcher.aims[ai].context
        if context and not (
            block.paragraph in tally.ctx_where[context]
            or (block.section or "") in tally.ctx_sections[context]
        ):
            # Evidence where the context is not mentioned counts only if the whole document turns out to be
            # about it: settling on it is a guess, which the scan checks at the end (see scan_document).
            if tally.strict:
                return True
            tally.guessed.add(context)
        if capped:
            return True  # weaker than the rule: it settles nothing
        paras = tally.paragraphs.get(key := (ai, ri))
        if paras is None:
            paras = tally.paragraphs[key] = set()  # (not `setdefault`, which makes a set every call)
        paras.add(block.paragraph)
        if rule.genre is not None or rule.unless_genre:
            # Whether the document is of the rule's genre (or of one it is set aside in) is decided at the end:
            # its hits settle nothing else.
            if len(paras) >= SETTLED_PARAGRAPHS:
                settled.add((ai, ri))
            return True
        if len(paras) >= rule.spread and rule.weight * (1 + REPEAT_BONUS * (len(paras) - 1)) >= 1.0:
            # A rule at full strength puts the aim's score at 1: nothing later can change it.
            settled.update((ai, rj) for rj in range(len(self.matcher.aims[ai].rules)))
            return True
        if len(paras) >= max(SETTLED_PARAGRAPHS, rule.spread):
            settled.add((ai, ri))
        # Scores count paragraphs: the rule's other sentences here would change nothing.
        return True
