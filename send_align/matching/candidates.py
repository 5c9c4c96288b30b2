"""Which rules a block may count for: the rules whose main phrases it holds, each further group's matches
(gathered once per block for the rules that share them), and what the section's heading lends a rule; and
the document's tally these are counted into. The judge (judge.py) decides on each candidate's hits."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import reduce
from itertools import chain
from operator import or_

from send_align.matching.compile import Matcher, RuleInfo
from send_align.matching.cues import _POINTS_BACK, CueSet, age_extension_spans, points_back
from send_align.matching.scan import _BY_POSITION, _SPLIT_RE, BlockScan, Match
from send_align.results import Block, Evidence
from send_align.sentences import split_sentences


class Tally:
    """What a document's scan has found so far."""

    __slots__ = (
        "ctx_count",
        "ctx_lists",
        "ctx_sections",
        "ctx_where",
        "discarded",
        "evidence",
        "findings_page",
        "guessed",
        "heading_keys",
        "heading_patterns",
        "lead_block",
        "lead_matches",
        "lead_text",
        "lead_words",
        "paragraphs",
        "settled",
        "strict",
        "supported",
    )

    def __init__(self, matcher: Matcher, settle: bool, strict: bool = False) -> None:
        self.evidence: dict[int, list[Evidence]] = {}
        self.discarded: dict[int, list[Evidence]] = {}
        self.ctx_count: dict[str, int] = dict.fromkeys(matcher.contexts, 0)
        self.ctx_where: dict[str, set[int]] = {name: set() for name in matcher.contexts}
        self.ctx_sections: dict[str, set[str]] = {name: set() for name in matcher.contexts}
        # The lists (by their lead-in's paragraph) whose items already counted a mention of each context.
        self.ctx_lists: set[tuple[str, int]] = set()
        # Per section heading, the matches it holds, and the rules whose main phrase it holds.
        self.heading_patterns: dict[str, list[Match]] = {}
        self.heading_keys: dict[str, set[tuple[int, int]]] = {}
        self.paragraphs: dict[tuple[int, int], set[int]] = {}
        # Rules whose later hits can change no score; None when every hit is judged (`explain`).
        self.settled: set[tuple[int, int]] | None = set() if settle else None
        # Contexts for which a rule was settled on evidence where the context is not mentioned; with
        # `strict`, such evidence never settles a rule.
        self.guessed: set[str] = set()
        self.strict = strict
        # The line that shows the page is inspection writing (`CueSet.findings_page_of`), or None.
        self.findings_page: str | None = None
        # The lead-in of the list being read ("To support pupils with SEND we will:"), and its matches.
        self.lead_block: Block | None = None
        self.lead_matches: list[Match] | None = None
        self.lead_text = ""  # the lead-in's sentence that introduces the list (see `lead_sentence`)
        self.lead_words = 0  # the number of words of the lead-in's sentence (see `lead_sentence`)
        # The aims a reference list's items already support, as (the list's number, the aim): its items
        # together are one passing mention (see judge.ListFrames).
        self.supported: set[tuple[int, int]] = set()

    def heading_matches_of(self, matcher: Matcher, section: str) -> list[Match]:
        """The matches of a section's heading (see `heading_matches`), found once per heading."""
        found = self.heading_patterns.get(section)
        if found is None:
            found = self.heading_patterns[section] = heading_matches(matcher, section)
        return found

    def lead_matches_of(self, matcher: Matcher, lead: Block | None) -> list[Match] | None:
        """The matches of a list's lead-in (see `LeadIns`) in the sentence that introduces the list (see
        `lead_sentence`), found once per lead-in."""
        if lead is None:
            return None
        if lead is not self.lead_block:
            self.lead_text = sentence = lead_sentence(lead.text)[-500:]
            self.lead_block, self.lead_matches = lead, heading_matches(matcher, sentence)
            self.lead_words = len(heading_parts(sentence)) // 2
        return self.lead_matches


def lead_sentence(text: str) -> str:
    """The sentence of a lead-in that introduces its list, the words its items may borrow: its last sentence,
    the one ending with the colon ("At the annual review our tutors will:"), read with the sentence before it
    when it opens by pointing back ("We help pupils with SEND in many ways. These include:", "... families
    whose children have an EHC plan. They were asked to:"). The paragraph's earlier sentences are about
    something else as often as not ("Not every child needs an EHC plan for this help. Our tutors will:")."""
    starts = split_sentences(text)
    if len(starts) > 1 and _POINTS_BACK.match(text, starts[-1]):
        return text[starts[-2] :]
    return text[starts[-1] :]


# A list item borrows its lead-in's words only when it has at least this many words.
MIN_ITEM_WORDS = 4
# A block starting with one of these is a list item, whatever its format called it (a page's text copied
# with its bullets).
_BULLET_START = re.compile(r"\s*[•▪◦●·‣–]")


def is_name_item(text: str) -> bool:
    """Whether a list item has fewer than MIN_ITEM_WORDS words: a name in a list (a policy's title, a need), not a
    statement. Its lead-in lends it the main phrase of `lead_in: names` rules only ("We cater for:", then
    "Autism"), and nothing else."""
    return sum(any(c.isalnum() for c in w) for w in text.split()[: MIN_ITEM_WORDS + 2]) < MIN_ITEM_WORDS


UNMARKED_ITEM_WORDS = 10
"""At most this many words, a line under a lead-in that ends with no stop is one of its list's items."""


def is_unmarked_item(block: Block) -> bool:
    """Whether a paragraph under a lead-in is one of its list's items though nothing marks it so: a web page's
    list copied as plain lines ("We provide SEN support in the following areas:", then "Cognition and Learning",
    "Communication and Interaction"), a short line that ends with no stop and is no heading. A sentence ends the
    list."""
    text = block.text
    return (
        block.kind != "heading" and len(text.split()) <= UNMARKED_ITEM_WORDS and text.rstrip()[-1:] not in ".!?:"
    )


def ends_lead_in(text: str) -> bool:
    """Whether a paragraph ends as a list's lead-in does: with a colon ("we will:"), or a colon and a dash
    ("we will:-", "we will: –")."""
    last = text[-1:]
    if last == ":":
        return True
    if not (last.isspace() or last in "-–—"):
        return False
    return text.rstrip().rstrip("-–— ")[-1:] == ":"


class LeadIns:
    """Follows a document's blocks in order: each list item's lead-in, the paragraph ending with a colon just
    before its list ("To support pupils with SEND we will:"), whose words the item may borrow."""

    __slots__ = ("before", "current", "of")

    def __init__(self) -> None:
        self.current: Block | None = None
        self.before: Block | None = None  # the paragraph before, a statement
        self.of: dict[int, Block] = {}
        """Per list item's paragraph, its lead-in (taken out as the item is judged)."""

    def see(self, block: Block) -> None:
        text = block.text
        before, self.before = self.before, None
        if (
            block.kind == "list"
            or _BULLET_START.match(text)
            or (self.current is not None and is_unmarked_item(block))
        ):
            # (An item of a few words, a name in a list, lends to `lead_in: names` rules only: `is_name_item`.)
            if self.current is not None:
                self.of[block.paragraph] = self.current
        elif ends_lead_in(text):
            if (joined := pointed_lead(before, text)) is not None:
                # "These include:" on a line of its own says nothing the items may borrow: the paragraph
                # before it does ("To support pupils with SEND we offer a range of help.").
                block = replace(block, text=joined)
            self.current = block
        else:
            self.current = None
            if block.kind != "heading":
                self.before = block


def pointed_lead(before: Block | None, text: str) -> str | None:
    """A lead-in that only points back ("These include:" on a line of its own) read with the paragraph before
    it, which says what the list is; None for any other lead-in, or with no paragraph before."""
    if before is None or not points_back(text.strip()):
        return None
    return f"{before.text.rstrip()} {text.strip()}"


def heading_parts(text: str) -> list[str]:
    """A heading's or lead-in's text (its first 500 characters) split into its words, at the odd indexes,
    and what parts them: a match in it (see `heading_matches`) counts its words' positions in this split."""
    return _SPLIT_RE.split(text[:500])


def heading_matches(matcher: Matcher, heading: str) -> list[Match]:
    """Every pattern match in a heading, one-word `with` words included (found by walking the trie)."""
    from send_align.matching.scan import scan_keys

    return scan_keys(matcher.trie, [matcher.keys_for(w) for w in heading_parts(heading)[1::2]])


_NONE: list[Match] = []
_NO_KEYS: frozenset[tuple[int, int]] = frozenset()
_START = re.Match.start

_Candidate = tuple[tuple[int, int], list[Match], dict[int, list[Match]] | None, bool | str]
"""A rule (aim, rule) with its main matches and, for a rule with further groups, each group's matches; and
whether the main phrase stands in the section's heading (the "main matches" are then the first group's), or,
in `explain` only, why the heading or lead-in that holds it lends nothing (see `stopped_lending`)."""


def _words_of(text: str, r: Match) -> str:
    """The words of a heading's or lead-in's match (see `heading_matches`), as written there."""
    parts = heading_parts(text)
    return "".join(parts[2 * r[1] + 1 : 2 * r[2] + 2])


def _heading_pair(info: RuleInfo, g: int, mains: list[Match], group: list[Match]) -> Match | None:
    """The first of a heading's words of group `g` that stands as the rule wants it (near, in order) from one
    of its main phrases `mains`, or None."""
    near, order = info.near[g - 1], info.order
    for m in mains:
        for r in group:
            if r[1] > m[2] or r[2] < m[1]:
                after = r[1] > m[2]
                distance = r[1] - m[2] if after else m[1] - r[2]
                if (near is None or distance <= near) and (order == 0 or (order == 1) == after):
                    return r
    return None


class BlockCandidates:
    """A block's candidate rules, for the judge that subclasses it (see _BlockJudge)."""

    __slots__ = ("age_spans", "block", "bs", "cues", "lead", "lead_short", "matcher", "tally")

    age_spans: list[tuple[int, int]] | None
    """Where the block extends an age range for SEND (`cues.age_extension_spans`), found when first needed."""
    block: Block
    bs: BlockScan
    cues: CueSet
    lead: list[Match] | None
    """For a list item, its lead-in's matches (see Tally.lead_in)."""
    lead_short: bool
    """Whether the list item has a few words only (a name in a list): its lead-in lends its main phrase to
    `lead_in: names` rules only, and no group to any rule (see `lead_rules`)."""
    matcher: Matcher
    tally: Tally

    def candidates(self) -> list[_Candidate]:
        """The rules that may count in this block (and the block's contexts, counted on the way).

        Main-group hits first: a rule whose main phrases are absent needs none of its other hits filed.
        A rule with `with` groups needs words of every group in the block; only the few matches a verdict
        looks at are made into hits: most matches are common words of `with` groups."""
        matcher, bs, settled = self.matcher, self.bs, self.tally.settled
        primary, context_of = matcher.primary, matcher.context_of
        ctx_seen: set[str] = set()
        present: dict[int, list[Match]] = {}
        for r in bs.raw:
            p = r[0]
            if p in present:
                present[p].append(r)
            else:
                present[p] = [r]
        # Each rule's main matches, rules in the order their first main match stands (common words repeat:
        # this works per distinct pattern, not per match). A rule that reads only headings waits for one.
        block, tally = self.block, self.tally
        if block.kind != "heading":
            primary = matcher.primary_in_text
        elif settled is not None:
            # A rule that reads text only sets aside every hit in a heading ("a heading, not a statement") and
            # files nothing while rules settle: only `explain` needs its hits judged.
            primary = matcher.primary_in_headings
        mains_of: dict[tuple[int, int], list[Match]] = {}
        skip = _NO_KEYS if settled is None else settled
        for p, ms in present.items():
            for key in primary[p]:
                if key in mains_of:
                    mains_of[key] = mains_of[key] + ms  # (a new list: the lists are shared, never changed)
                elif key not in skip:
                    mains_of[key] = ms
        # (The few patterns that name a context, found among the block's in one set operation.)
        named_here = present.keys() & matcher.context_patterns
        if named_here:
            # A context named only where an age range is extended for it ("to 19, or 25 for those with SEND")
            # does not make the paragraph about it.
            spans = self.age_spans_of()
            if spans:
                base, offsets = bs.base, bs.offsets
                named_here = {
                    p
                    for p in named_here
                    if any(not any(a <= offsets[2 * r[1]] - base < b for a, b in spans) for r in present[p])
                }
            for p in named_here:
                ctx_seen.update(context_of[p])
        for p in bs.named:  # (a context named only inside a proper name: see scan.proper_names)
            ctx_seen.update(context_of[p])
        # (Whether the section is a glossary or contents list, as decided once per heading.)
        if ctx_seen and self.cues.block_section_reason(block) is None:
            # The items of one list under one lead-in are one mention: a health page's list of the difficulties
            # it treats ("• Hyperactivity (ADHD, ASD)", "• needs related to a learning disability") names SEND
            # once, however many of its items do.
            lead_block = tally.lead_block if self.lead is not None else None
            for name in ctx_seen:
                if lead_block is None:
                    tally.ctx_count[name] += 1
                elif (name, lead_block.paragraph) not in tally.ctx_lists:
                    tally.ctx_lists.add((name, lead_block.paragraph))
                    tally.ctx_count[name] += 1
                tally.ctx_where[name].add(block.paragraph)
                if block.kind == "heading" and block.section:
                    tally.ctx_sections[name].add(block.section)
        if self.lead and not self.lead_short:
            # A list item is in the contexts its lead-in names (it is not counted as a mention of its own).
            for p, _, _ in self.lead:
                for name in context_of[p]:
                    tally.ctx_where[name].add(block.paragraph)
        compound, heading_main = matcher.compound, matcher.heading_main_rules
        found: list[_Candidate] = []
        # Word positions of each one-word group expression in this block (shared across rules).
        positions: dict[str, list[Match]] = {}
        shared: dict[int, list[Match]] = {}
        # The group sets the block may hold, found when a rule with further groups first needs them.
        held: int | None = None
        # A rule whose further group the block cannot hold fails before any match is gathered (unless a
        # heading or a list's lead-in may lend the group, or `explain` shows what was missing).
        required = matcher.required_sets if settled is not None else {}
        lent, info = matcher.heading_rules, matcher.rule_info
        # Rules that judge alike (Matcher.shape_of) have the same groups here: found once.
        shape_of = matcher.shape_of
        alike: dict[int, dict[int, list[Match]] | None] = {}
        for key, raws in mains_of.items():
            if key not in compound:
                found.append((key, raws, None, False))
                continue
            shape = shape_of.get(key)
            if shape is not None and shape in alike:
                wanted = alike[shape]
                if wanted is not None:
                    found.append((key, raws, wanted, False))
                continue
            if held is None:
                held = self.held_sets(present)
            need = required.get(key, 0)
            if need & held != need and key not in lent and not (
                self.lead and (key in matcher.lead_names_rules if self.lead_short else info[key[0]][key[1]].rule.lead_in)
            ):
                if shape is not None:
                    alike[shape] = None
                continue
            wanted = self.groups_of(key, present, positions, shared, held)
            if shape is not None:
                alike[shape] = wanted
            if wanted is not None:
                found.append((key, raws, wanted, False))
        # Under a heading or a list's lead-in that names what a rule looks for ("Autism", "Our autism team
        # will:"), a sentence or item with the rule's further groups counts: the heading or lead-in stands for
        # the main phrase, and a word of the first group, in the sentence, anchors the quote.
        lent_main: list[tuple[int, int]] = []
        if heading_main and block.kind != "heading":
            lent_main.extend(self.keys_named_by_heading() - mains_of.keys())
        if self.lead and (lead_main := self.lead_rules()):
            # (A main phrase the rule's `unless` stops in the lead-in's sentence lends nothing: `lent_excluded`.)
            named = {
                k
                for m in self.lead
                for k in matcher.primary[m[0]]
                if k in lead_main and not self.lent_excluded(k, self.lead, m)
            } - mains_of.keys()
            lent_main.extend(named.difference(lent_main))
        if not lent_main and not (settled is None and (heading_main or self.lead)):
            return found

        def lend(key: tuple[int, int], how: bool | str) -> None:
            """The rule's candidate with its main phrase lent (`how`: True, or `explain`'s reason it is not):
            a word of its first group, in the block, anchors the quote."""
            nonlocal held
            if held is None:
                held = self.held_sets(present)
            wanted = self.groups_of(key, present, positions, shared, held)
            if wanted and wanted.get(1):
                found.append((key, wanted[1], wanted, how))

        for key in lent_main:
            if settled is None or key not in settled:
                lend(key, True)
        if settled is None and (heading_main or self.lead):
            # `explain` shows a main phrase the heading or lead-in holds but the rule's `unless` stops there:
            # its hits are set aside, saying so.
            for key in (heading_main | self.lead_rules()) - mains_of.keys() - set(lent_main):
                why = self.stopped_lending(key, 0)
                if why is not None:
                    lend(key, why)
        return found

    def age_spans_of(self) -> list[tuple[int, int]]:
        spans = self.age_spans
        if spans is None:
            spans = self.age_spans = age_extension_spans(self.block.text)
        return spans

    def held_sets(self, present: dict[int, list[Match]]) -> int:
        """The group pattern sets the block may hold, as bits (one-word patterns by their characters, masks
        not yet applied): a rule that needs a set not among them fails without its matches being gathered."""
        matcher, bs = self.matcher, self.bs
        # (Or-ed by reduce over map: the loops run in C.)
        held = reduce(or_, map(matcher.group_sets_of_pattern.__getitem__, present), 0)
        if matcher.group_chars is not None:
            # (The block's characters of one-word group patterns found by one expression, each or-ed in as
            # found: a character met twice costs less than a set made of them.)
            chars = matcher.group_chars.findall(bs.line, bs.w0, bs.w1)
            held = reduce(or_, map(matcher.group_sets_of_char.__getitem__, chars), held)
        return held

    def groups_of(
        self,
        key: tuple[int, int],
        present: dict[int, list[Match]],
        positions: dict[str, list[Match]],
        shared: dict[int, list[Match]],
        held: int,
    ) -> dict[int, list[Match]] | None:
        """Each further group's matches in the block (an empty list for a group met in the section's heading,
        or, in `explain`, for a missing one), or None when a group is missing."""
        bs, masked, settled = self.bs, self.bs.masked, self.tally.settled
        wanted: dict[int, list[Match]] = {}
        for g, patterns, found_by_automaton, one_word, number in self.matcher.group_lookups[key]:
            rs: list[Match] | None = _NONE if not held >> number & 1 else shared.get(number)
            if rs is None:
                # Many rules share a group ($cyp, $parents): its matches in this block are found once.
                # (The group's set intersected with the present patterns walks the smaller side, the block's,
                # in C: `keys() & frozenset` would walk the whole set. Order is of no matter: the matches are
                # sorted below.)
                ps = (patterns if bs.walked else found_by_automaton).intersection(present)
                rs = list(chain.from_iterable(map(present.__getitem__, ps))) if ps else []
                if one_word is not None and not bs.walked:
                    # (Keyed by the expression's text: hashing a compiled expression hashes its code.)
                    words = positions.get(one_word.pattern)
                    if words is None:
                        starts = map(_START, one_word.finditer(bs.line, bs.w0, bs.w1))
                        if masked:
                            # A word inside a longer name or title proves nothing on its own.
                            inside = bs.masked_words
                            words = [(-1, t, t) for t in starts if t not in inside]
                        else:
                            words = [(-1, t, t) for t in starts]
                        positions[one_word.pattern] = words
                    rs.extend(words)
                if len(rs) > 1:
                    rs.sort(key=_BY_POSITION)
                shared[number] = rs
            if rs and g > 0 and bs.name_words:
                # A one-word further group is not met inside a post named by its remit ("the Cabinet Member
                # for Children and Young People presented the report"); an `unless` word there still stops.
                rs = [r for r in rs if r[0] != -1 or r[1] not in bs.name_words]
            if rs:
                wanted[g] = rs
            elif (
                g > 0
                and key in self.matcher.heading_rules
                and self.heading_holds(self.matcher.rule_info[key[0]][key[1]], g)
            ):
                wanted[g] = []  # the group stands in the section's heading
            elif g > 0 and self.lead and self.lead_holds(self.matcher.rule_info[key[0]][key[1]], g):
                wanted[g] = []  # the group stands in the list's lead-in
            elif g > 0 and settled is None:
                wanted[g] = []  # `explain` shows what was missing
            elif g > 0:
                return None
        return wanted

    def keys_named_by_heading(self) -> set[tuple[int, int]]:
        """The rules (with `heading: main`) whose main phrase the heading of the block's section holds."""
        section = self.block.section
        if not section:
            return set()
        named = self.tally.heading_keys.get(section)
        if named is None:
            found = self.tally.heading_matches_of(self.matcher, section)
            rules, primary = self.matcher.heading_main_rules, self.matcher.primary
            # A main phrase the rule's `unless` stops in the heading lends nothing (see `lent_excluded`).
            named = self.tally.heading_keys[section] = {
                key
                for m in found
                for key in primary[m[0]]
                if key in rules and not self.lent_excluded(key, found, m)
            }
        return named

    def lent_excluded(self, key: tuple[int, int], found: list[Match], main: Match) -> Match | None:
        """The rule's `unless` phrase's match, where one stands in the heading or list lead-in whose matches are
        `found` (or None),
        within `unless_near` words of its main phrase `main` when the rule sets it: a word lent to the
        sentences under a heading, or to a list's items, is checked against the rule's exclusions where it
        stands, as a sentence's own words are in the sentence ("Autism and ADHD assessments" lends no "ADHD"
        to a rule that excludes "ADHD assessment"). For a lead-in, the "sentence" is the one that introduces
        the list (see `lead_sentence`). Only what is lent is stopped: a hit made by the sentence's or item's
        own words is judged on them alone."""
        blockers = self.matcher.group_patterns_of.get((key, -1))
        if not blockers:
            return None
        limit = self.matcher.rule_info[key[0]][key[1]].rule.unless_near
        for r in found:
            if r[0] in blockers and (
                limit is None or (r[1] - main[2] if r[1] > main[2] else main[1] - r[2]) <= limit
            ):
                return r
        return None

    def lead_rules(self) -> set[tuple[int, int]]:
        """The rules whose main phrase the list item's lead-in may lend it: `Matcher.lead_main_rules`, or for an
        item of a few words `Matcher.lead_names_rules` only."""
        return self.matcher.lead_names_rules if self.lead_short else self.matcher.lead_main_rules

    def lead_holds(self, info: RuleInfo, g: int) -> bool:
        """Whether the lead-in of the list this block is an item of holds a phrase of group `g`, for a rule
        with `lead_in` and a group that may stand anywhere (no `near`, any order): "To support pupils with
        SEND we will:" lends its child and SEND words to each item. A lead-in that holds the rule's `unless`
        phrase lends nothing: the item is read as the end of the lead-in's sentence, so with `unless_near` the
        words are counted from the exclusion to the lead-in's end, where the item starts (the item's main
        phrase stands no nearer)."""
        lead = self.lead
        if not lead or self.lead_short or not info.lead_lends(g):
            return False
        of = self.matcher.group_patterns_of[(info.key, g)]
        if not any(m[0] in of for m in lead):
            return False
        end = self.tally.lead_words
        return not self.lent_excluded(info.key, lead, (-1, end, end))

    def heading_holds(self, info: RuleInfo, g: int) -> bool:
        """Whether the heading of the block's section holds the rule's main phrase with a phrase of group
        `g` as the rule wants them (near, in order): a heading about what the rule looks for ("Listening to
        children") lends that group to the statements under it."""
        section = self.block.section
        if not section or self.block.kind == "heading":
            return False
        found = self.tally.heading_matches_of(self.matcher, section)
        of = self.matcher.group_patterns_of
        mains = [m for m in found if m[0] in of[(info.key, 0)] and not self.lent_excluded(info.key, found, m)]
        group = [r for r in found if r[0] in of[(info.key, g)]]
        return _heading_pair(info, g, mains, group) is not None

    def stopped_lending(self, key: tuple[int, int], g: int) -> str | None:
        """For `explain`: why the section's heading, or the lead-in of the list this block is an item of, lends
        the block nothing for the rule, its main phrase (`g` 0) or its group `g`, though it holds it as the
        rule asks (see `keys_named_by_heading`, `heading_holds`, `lead_holds`): the rule's `unless` stands
        there. None when neither would lend it, or lends it."""
        matcher, block, tally = self.matcher, self.block, self.tally
        info = matcher.rule_info[key[0]][key[1]]
        of = matcher.group_patterns_of
        section = block.section
        if section and block.kind != "heading" and key in (matcher.heading_rules if g else matcher.heading_main_rules):
            found = tally.heading_matches_of(matcher, section)
            group = [r for r in found if r[0] in of[(key, g)]]
            for m in [m for m in found if m[0] in of[(key, 0)]]:
                b = self.lent_excluded(key, found, m)
                lent = m if g == 0 else _heading_pair(info, g, [m], group)
                if b is not None and lent is not None:
                    return _stopped("heading", section, g, lent, b)
        lead = self.lead
        if not lead or tally.lead_block is None:
            return None
        sentence = tally.lead_text
        if g == 0 and key in self.lead_rules():
            for m in lead:
                if m[0] in of[(key, 0)] and (b := self.lent_excluded(key, lead, m)) is not None:
                    return _stopped("list's lead-in", sentence, g, m, b)
        elif g and not self.lead_short and info.lead_lends(g):
            lent = next((m for m in lead if m[0] in of[(key, g)]), None)
            end = tally.lead_words
            if lent is not None and (b := self.lent_excluded(key, lead, (-1, end, end))) is not None:
                return _stopped("list's lead-in", sentence, g, lent, b)
        return None


def _stopped(what: str, text: str, g: int, lent: Match, blocker: Match) -> str:
    """`explain`'s reason for a word a heading or lead-in holds but does not lend: the rule's exclusion."""
    word = f"'{_words_of(text, lent)}'" if g == 0 else f"group {g}'s '{_words_of(text, lent)}'"
    shown = " ".join(text.split())
    if len(shown) > 80:
        shown = "…" + shown[-79:]  # (a long lead-in's end, where it introduces the list)
    return (
        f"the {what} '{shown}' would lend {word}, but the rule's exclusion "
        f"'{_words_of(text, blocker)}' stands there"
    )
