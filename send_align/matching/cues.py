"""Cues that make a hit not count: negation, scope, history, shortfall, deferral, reference and findings.

The cue phrases are data (`strategies/cues.yaml`, extended by any `cues:` in a `--strategies` file), written
in the phrase language of matching/cue_phrases.py; this module compiles the lists into one `CueSet` and owns
what each kind of cue means. A word's flags (`CueSet.word_flags`) say which sentence checks it can cue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from send_align.genres import TITLE_WORDS, opening_window
from send_align.matching.cue_phrases import (
    AFTER,
    CUE,
    DEBATE,
    DEFERRAL,
    DEFINITION,
    METHOD,
    NUMBER,
    REASONS,
    REFERENCE,
    STRONG,
    WEAK,
    BreakPattern,
    CuePattern,
    SentenceCues,
    alternation,
    compile_breaks,
    compile_pattern,
    grouped,
)
from send_align.results import Block
from send_align.sentences import split_sentences

# The cue kinds filed under trigger words (the table in `CueSet.build`): a sentence is searched for a kind's cues
# only when it holds one of their triggers. `lint.cue_warnings` checks the triggers of these kinds.
TRIGGERED_KINDS = (
    "before.",
    "near.",
    "after.",
    "count.after",
    "sentence.reference",
    "sentence.deferral",
    "sentence.debate",
    "sentence.definition",
    "sentence.method",
)

_NEVER = CuePattern("")
_NO_BREAK = BreakPattern("", None)
_NOTHING = re.compile(r"(?!)")  # matches nowhere
# A cue reaches across "and" or "or" to a hit at most this many words after it (a noun phrase, not a clause).
CONJUNCT_WORDS = 5
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose|whom|where|when)\b[^,;:]*,", re.I)
# The start of a predicate with no subject of its own: a verb of being or having ("... and is not part of").
_BARE_PREDICATE = re.compile(r"\s*(?:is|are|was|were|will|has|have|had|lies|falls|sits)\b", re.I)
# A closed bracket before the hit ("the advice service (formerly Parent Partnership) provides ...") names or
# glosses something; a cue inside it says nothing about the words after it.
_CLOSED_BRACKET = re.compile(r"\([^()]*\)")
# A lead-in's last sentence that only points back to the one before it: "These include:", "They are:", "This
# covers:" (at most POINTER_WORDS words, starting with one of these words).
# ("The main changes are:" points back too: what changed, the sentence before says.)
_POINTS_BACK = re.compile(
    r"\W*(?:these|they|this|those|such|which|it|the\s+(?:main|key|major|biggest)\s+(?:changes|reforms)\s+(?:are|were|include|included))\b",
    re.I,
)
POINTER_WORDS = 6
_GLOSSARY_HEAD = re.compile(r"\W*[A-Z][A-Za-z&]{1,11}s?\s*(?:[–—:=]|-\s)")
_GLOSSARY_ENTRY = re.compile(r"^\W*([A-Z][A-Za-z&]{1,11}s?)\s*(?:[–—:=]|-\s)\s*(.{3,120}?)[.;]?\s*$")


LEAD_KINDS = ("findings", "excluded", "contents", "quoted", "reference")
"""What a list's lead-in may say its items are (the cue lists `lead_in.<kind>`), in the order tried: findings first
(a paragraph without a colon is read for findings only), then what is not done and a document's contents, before
whose words they are."""

@dataclass
class CueSet:
    """Every cue list compiled, with the words that can start each check."""

    lists: dict[str, tuple[str, ...]]
    clause_break: BreakPattern = _NO_BREAK
    weak_break: BreakPattern = _NO_BREAK
    before: CuePattern = _NEVER
    near: CuePattern = _NEVER
    after: CuePattern = _NEVER
    pseudo: CuePattern = _NEVER
    undo: CuePattern = _NEVER
    counted: CuePattern = _NEVER
    small: CuePattern = _NEVER
    reference: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    deferral: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    debate: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    definition: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    method: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    finding: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    verdict: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    findings_page: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    lead_actions: SentenceCues = field(default_factory=lambda: SentenceCues((), "none"))
    """A lead-in's words that say its items are how the work is done (`lead_in.actions`): never a reference list."""
    reference_heading: CuePattern = _NEVER
    findings_heading: CuePattern = _NEVER
    conjunct: CuePattern = _NEVER
    _words: dict[str, int] = field(default_factory=dict)
    _ends: list[tuple[str, int]] = field(default_factory=list)
    _start_tables: tuple[tuple[int, dict[str, int]], ...] = ()
    _sections: dict[str | None, str | None] = field(default_factory=dict)
    _findings: dict[str | None, bool] = field(default_factory=dict)
    _leads: tuple[tuple[str, re.Pattern[str], SentenceCues], ...] = ()
    """Per lead-in kind, in the order they are tried (LEAD_KINDS): the kind, the words its cues are filed under (one
    search of a lower-cased text: a lead-in holding none is passed over without a search of the cues themselves),
    and its cues."""

    @classmethod
    def build(cls, lists: Mapping[str, tuple[str, ...]]) -> CueSet:
        """Compile the cue lists; raise SendAlignError naming the list of a cue that does not compile."""

        def get(key: str) -> tuple[str, ...]:
            return tuple(lists.get(key, ()))

        cs = cls(dict(lists))
        cs.clause_break = compile_breaks(get("breaks.clause"), ";:", "breaks.clause")
        cs.weak_break = compile_breaks(get("breaks.weak"), ",;:(", "breaks.weak")
        before, before_trig = grouped(lists, "before")
        after, after_trig = grouped(lists, "after")
        cs.before = compile_pattern(before, "before")
        # A cue after a hit starts within the first seven words of the rest of its clause.
        cs.after = compile_pattern(rf"^\W*(?:\w+\W+){{0,6}}?(?:{after})" if after else "", "after")
        near, near_trig = grouped(lists, "near")
        cs.near = compile_pattern(near, "near")
        cs.pseudo = compile_pattern(alternation(get("not-cues"), "not-cues")[0], "not-cues")
        cs.undo = compile_pattern(alternation(get("undo"), "undo")[0], "undo")
        counted, _ = alternation(get("count.before"), "count.before")
        cs.counted = compile_pattern(f"(?:{counted})\\s+(?:\\S+\\s+){{0,3}}$" if counted else "", "count.before")
        small, small_trig = alternation(get("count.after"), "count.after")
        cs.small = compile_pattern(rf"^\W*(?:{small})" if small else "", "count.after")
        _, ref_trig = alternation(get("sentence.reference"), "sentence.reference")
        _, def_trig = alternation(get("sentence.deferral"), "sentence.deferral")
        _, debate_trig = alternation(get("sentence.debate"), "sentence.debate")
        cs.reference = SentenceCues(get("sentence.reference"), "sentence.reference")
        cs.deferral = SentenceCues(get("sentence.deferral"), "sentence.deferral")
        cs.debate = SentenceCues(get("sentence.debate"), "sentence.debate")
        cs.finding = SentenceCues(get("sentence.finding"), "sentence.finding")
        cs.verdict = SentenceCues(get("sentence.verdict"), "sentence.verdict")
        cs.findings_page = SentenceCues(get("opening.findings"), "opening.findings")
        _, defn_trig = alternation(get("sentence.definition"), "sentence.definition")
        cs.definition = SentenceCues(get("sentence.definition"), "sentence.definition")
        _, method_trig = alternation(get("sentence.method"), "sentence.method")
        cs.method = SentenceCues(get("sentence.method"), "sentence.method")
        cs.reference_heading = compile_pattern(
            alternation(get("headings.reference"), "headings.reference")[0], "headings.reference"
        )
        cs.findings_heading = compile_pattern(
            alternation(get("headings.findings"), "headings.findings")[0], "headings.findings"
        )
        conjunct = alternation(get("breaks.conjunct"), "breaks.conjunct")[0]
        cs.conjunct = compile_pattern(conjunct and rf"(?:{conjunct})", "breaks.conjunct")
        leads = []
        for kind in LEAD_KINDS:
            key = f"lead_in.{kind}"
            words = sorted({text for _, text in alternation(get(key), key)[1]})
            filed = re.compile("|".join(map(re.escape, words))) if words else _NOTHING
            leads.append((kind, filed, SentenceCues(get(key), key)))
        cs._leads = tuple(leads)
        cs.lead_actions = SentenceCues(get("lead_in.actions"), "lead_in.actions")
        starts: list[tuple[str, int]] = []
        for bit, trig in (
            (STRONG, before_trig),
            (WEAK, near_trig),
            (AFTER, after_trig + small_trig),
            (REFERENCE, ref_trig),
            (DEFERRAL, def_trig),
            (DEBATE, debate_trig),
            (DEFINITION, defn_trig),
            (METHOD, method_trig),
        ):
            for how, text in trig:
                # Numbers are everywhere: a cue that starts with one ("18% of") is checked only where a
                # percentage stands before the hit (see `negation_reason`).
                b = NUMBER if how == "start" and text.isdigit() else bit
                if how == "word":
                    cs._words[text] = cs._words.get(text, 0) | b
                else:
                    (starts if how == "start" else cs._ends).append((text, b))
        # The word starts by length: a word's first n characters looked up once per length, not once per start.
        tables: dict[int, dict[str, int]] = {}
        for text, b in starts:
            table = tables.setdefault(len(text), {})
            table[text] = table.get(text, 0) | b
        cs._start_tables = tuple(sorted(tables.items()))
        return cs

    def word_flags(self, word: str) -> int:
        """Which sentence checks a word can start a cue for (CUE, REFERENCE, DEFERRAL bits)."""
        low = word.lower().replace("’", "'")
        flags = self._words.get(low, 0)
        for n, table in self._start_tables:
            flags |= table.get(low[:n], 0)
        for text, bit in self._ends:
            if low.endswith(text):
                flags |= bit
        return flags

    def negation_reason(
        self,
        sentence: str,
        start: int,
        end: int,
        cues_before: int = CUE,
        cues_after: int = CUE,
        first_strong: int = 0,
    ) -> str | None:
        """Why a hit at sentence[start:end] is not evidence (negated, stopped, out of scope), or None.

        `cues_before` and `cues_after` (`word_flags` of the words before and after the hit) let checks that
        cannot match be skipped; `first_strong`, where the first word that can start a cue before the hit
        stands (-1: none), lets the look across "and" / "or" be skipped when no cue stands before the hit's
        clause."""
        if not cues_before & (STRONG | WEAK) and not (
            cues_before & NUMBER
            and ("%" in sentence[max(0, start - 80) : start] or "cent" in sentence[:start])
        ):
            return self._after_reason(sentence, start, end) if cues_after & AFTER else None
        # A relative clause set off by commas ("Staff, who were not in post, will ...") negates nothing outside it.
        before = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group(0)), sentence[:start])
        if ")" in before:
            before = _CLOSED_BRACKET.sub(lambda m: " " * len(m.group(0)), before)
        # The clause the hit stands in: cues before it reach back to its start.
        # (Only the last 12 words of the clause are read: a long sentence is searched near the hit.)
        clause_start, sure = self.clause_break.last_end(before, 12)
        if not sure and 0 <= first_strong < clause_start:
            clause_start, _ = self.clause_break.last_end(before)
        clause_words = before[clause_start:].split()
        # A look-alike may run on into the hit ("in close partnership with parents"): it is read with the
        # hit's first two words.
        ahead = " ".join(sentence[start:end].split()[:2])
        strong = self._unpseudo(" ".join(clause_words[-12:]), ahead)
        m = self.before.search(strong)
        if m and not self.undone(strong, m.end()):
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0).strip()}' before it)"
        if 0 <= first_strong < clause_start:
            reason = self._across_coordination(before, clause_start, sentence[start:end])
            if reason:
                return reason
        weak_start, _ = self.weak_break.last_end(before, 5)
        near = self._unpseudo(" ".join(before[weak_start:].split()[-5:]), ahead)
        m = self.near.search(near)
        glued = before[-1:] not in ("", " ", "\n", "\t")  # the hit continues the last word ("non-SEND")
        while m and near[m.end() : m.end() + 1] == "-" and (" " in near[m.end() :] or not glued):
            # A word joined by a hyphen ("non-SEND pupils", "no-cost places") negates only the word it is
            # joined to, not the words after it.
            m = self.near.search(near, m.end())
        if m and not self.undone(near, m.end()):
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0)}' before it)"
        return self._after_reason(sentence, start, end) if cues_after & AFTER else None

    def undone(self, text: str, start: int, end: int | None = None) -> bool:
        """Whether an `undo` cue ("without") stands in text[start:end], between a negation and the hit it would
        deny: the two negations cancel ("No child is placed at the unit without the agreement of parents" says
        a placement needs that agreement)."""
        return self.undo.search(text, start, len(text) if end is None else end) is not None

    def _unpseudo(self, text: str, ahead: str) -> str:
        """The text with its look-alike cues (`not-cues`) blanked, those running on into `ahead` (the words
        after it) included."""
        if not ahead:
            return self.pseudo.sub(" ", text)
        out = self.pseudo.sub(" ", f"{text} {ahead}")
        return out[: -len(ahead) - 1] if out.endswith(f" {ahead}") else out

    def _across_coordination(self, before: str, clause_start: int, hit: str) -> str | None:
        """A cue in an earlier conjunct reaches the hit across 'and' or 'or' ("inconsistencies in the
        timeliness and the quality of plans"), while no word of a new clause (`breaks.conjunct`: we, is,
        will ...) stands between, the hit's own first word included; None where it does not."""
        end = clause_start
        # The conjunct checks read the hit's first word; the cue search reads only the words before the hit.
        earlier = before
        ahead = " ".join(hit.split()[:2])
        before = before + hit.split(" ")[0]
        for _ in range(3):  # at most three conjuncts back
            head = before[:end].rstrip().lower()
            # ", and" starts a new clause; a conjunct of more than a few words is one too.
            if (
                not head.endswith((" and", " or"))
                or head[: head.rfind(" ")].rstrip().endswith(",")
                or len(before[end:].split()) > CONJUNCT_WORDS
                or self.conjunct.search(before[end:])
            ):
                return None
            cut = len(head) - (3 if head.endswith("and") else 2)
            start = 0
            for brk in self.clause_break.finditer(before, 0, cut):
                start = brk.end()
            # (A look-alike running on into the hit, "a close partnership", is blanked as in the hit's own clause.)
            stretch = self._unpseudo(" ".join(earlier[start:].split()[-20:]), ahead)
            m = self.before.search(stretch)
            if m:
                if self.conjunct.search(stretch, m.end()):
                    return None
                kind = m.lastgroup or "negation"
                return f"{REASONS[kind]} ('{m.group(0).strip()}' before it, across 'and'/'or')"
            end = start
        return None

    def _after_reason(self, sentence: str, start: int, end: int) -> str | None:
        after = sentence[end:]
        if "," in after:
            # A relative clause set off by commas ("the drop-in for parents, which was held at the school last
            # year, no longer runs") stands aside: the cue after it still speaks of the hit.
            after = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group(0)), after)
        cut = self.weak_break.search(after)
        tail = _squeezed(after[: cut.start()] if cut and cut.group(0) not in (",",) else after)
        m = self.after.match(tail)
        # (A look-alike may run on past the cue: "are not" in "are not at a disadvantage" denies nothing.)
        if m and not self.pseudo.search(m.group(0)) and not self.pseudo.match(tail.lstrip()):
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0).strip()[-40:]}' after it)"
        if cut and cut.group(0).lower() in ("and", "or"):
            reason = self._second_predicate(after[cut.end() :])
            if reason:
                return reason
        m = self.small.match(tail)
        if m and self.counted.search(sentence[:start]):
            return f"a shortfall ('{m.group(0).strip()}' after it)"
        return None

    def _second_predicate(self, rest: str) -> str | None:
        """A cue in a second predicate of the hit's subject, after "and" / "or" ("Support for children with SEND
        is set out in the area strategy and is not within the scope of this plan"): the predicate starts with a
        verb of being or having (no subject of its own), and its cue puts the subject out of scope or ends it. A
        bare "is not" there denies only what follows it ("we run the group and are not a diagnostic service")."""
        if not _BARE_PREDICATE.match(rest):
            return None
        cut = self.weak_break.search(rest)
        tail = _squeezed(rest[: cut.start()] if cut else rest)
        m = self.after.match(tail)
        if m and m.group(0).rstrip().lower().endswith(" not"):
            # ("is not within the scope": the cue is read from "not", without the verb a bare denial needs.)
            m = self.after.match(tail[tail.find(" ") + 1 :])
            if m and m.group(0).rstrip().lower().endswith(" not"):
                return None
        if not m or self.pseudo.search(m.group(0)):
            return None
        return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0).strip()[-40:]}' after it, across 'and'/'or')"

    def lead_in_kind(self, lead: str, findings_only: bool = False) -> str | None:
        """What a list's lead-in says its items are: 'findings' ("the inspection found these weaknesses:"),
        'excluded' (not done or not offered: "we do not:", "not provided by this service:"), 'contents' (section
        titles: "Contents:", "On this page:"), 'quoted' (the law's
        or another's words: "the Code sets out these principles:", "parents told us:"), 'reference' ("useful
        links:"), or None (with `findings_only`, findings or None). Only the lead-in's last sentence is read,
        with the one before it where the last only points back ("These include:")."""
        text = lead.rstrip()[-400:]
        leads = self._leads[:1] if findings_only else self._leads  # (findings first: see LEAD_KINDS)
        low = text.lower()
        # (A lead-in none of whose words stand anywhere in its last 400 characters is passed over unsplit.)
        if not any(filed.search(low) for _, filed, _ in leads):
            return None
        last = text
        if ". " in text or "? " in text or "! " in text or "\n" in text:
            starts = split_sentences(text)
            last = text[starts[-1] :]
            if len(starts) > 1 and points_back(last):
                # "These include:" says only that a list follows: what the list is, the sentence before says
                # ("The Code describes the principles all professionals follow. These include:").
                last = text[starts[-2] :]
            low = last.lower()
        for kind, filed, cues in leads:
            if filed.search(low) and cues.search(last):
                if kind == "reference" and self.lead_actions.search(last):
                    # "We work with other agencies to meet these needs by:" lists what is done, not links.
                    continue
                return kind
        return None

    def is_reference_section(self, section: str | None) -> bool:
        """Whether a heading names a glossary, contents or reference list."""
        return bool(section and self.reference_heading.search(section))

    def section_reason(self, section: str | None) -> str | None:
        """Why nothing under this heading is evidence (a glossary, contents or reference list), or None."""
        if section in self._sections:
            return self._sections[section]
        reason = None
        if section and self.is_reference_section(section):
            reason = f"passing mention under '{section[:60]}' (glossary, contents or reference list)"
        if len(self._sections) < 4096:
            self._sections[section] = reason
        return reason

    def block_section_reason(self, block: Block) -> str | None:
        """`section_reason` for one block under its heading. A paragraph of prose is no contents entry: a page
        whose body runs on under its "Contents" menu with no heading of its own (a page copied as text) is
        still read."""
        reason = self.section_reason(block.section)
        if (
            reason is not None
            and len(block.text) >= _PROSE_CHARS
            and _CONTENTS_HEADING.search(block.section or "")
            and len(_SENTENCE_END.findall(block.text, 0, 4000)) >= 2
        ):
            return None
        return reason

    def is_findings_section(self, section: str | None) -> bool:
        """Whether a heading names findings or recommendations ('Areas for improvement')."""
        if section in self._findings:
            return self._findings[section]
        found = bool(section and self.findings_heading.search(section))
        if len(self._findings) < 4096:
            self._findings[section] = found
        return found

    def findings_page_of(self, title: str | None, opening: Sequence[Block]) -> str | None:
        """The line that shows a page is inspection writing (an inspection report or letter, a written statement
        of action: `opening.findings` in its title, or a heading or short line of its opening, as a genre's name
        is read), or None. On such a page a sentence with a `sentence.verdict` cue is a finding wherever it
        stands, not only under a findings heading. A name in passing in a paragraph ("this charter supports our
        SEND strategy and priority action plan") does not say what the page is."""
        lines = [title] if title else []
        for block in opening_window(opening, 3):
            if block.kind == "heading" or len(block.text.split()) <= TITLE_WORDS:
                lines.append(block.text)
        for line in lines:
            text = " ".join(line.split())
            if self.findings_page.search(text):
                return text[:80]
        return None

    def reference_reason(
        self,
        block: Block,
        sentence: str,
        cues: int = REFERENCE | DEFERRAL | DEBATE | DEFINITION | METHOD,
        in_headings: bool = False,
    ) -> str | None:
        """Why a hit is only a passing mention (heading, glossary, reference list, question, finding), or None.

        `cues` (from `word_flags`) may rule out checks whose cue words the sentence lacks; `in_headings` lets
        a rule that reads headings (a page's genre) count in one."""
        if block.kind == "heading" and not in_headings:
            return "a heading, not a statement"
        by_section = self.block_section_reason(block)
        if by_section:
            return by_section
        if len(block.text) <= _TITLE_LEAD_CHARS and _TITLE_LEAD.match(block.text):
            return "a list's title (a short name before its colon), not a statement"
        if len(block.text) <= _THEME_TITLE_CHARS and _THEME_TITLE.match(block.text):
            return "a theme's title (its number and name), not a statement"
        if may_hold_leader(sentence) and _DOT_LEADER.search(sentence):
            return "a contents entry (a title and its page), not a statement"
        if _CONTENTS_RUN.match(block.text) and len(_NUMBER.findall(block.text, 0, 2000)) >= 3:
            # Its entries split into sentences at their numbers ("Involving pupils and parents in decision
            # making 8."): each is a title, whichever sentence it stands in.
            return "an entry of a contents list, not a statement"
        # A question may end with stray full stops ("How will my child be involved?.").
        if block.kind != "heading" and sentence.rstrip(" \t\n\"'”’)*.…").endswith("?"):
            return "a question, not a statement"
        if block.text.lstrip(" \t\n•●·▪-*")[:1] in OPENING_QUOTES and is_attributed_quote(block.text):
            return "a quotation attributed to a parent, carer or young person: their words, not the writer's statement"
        if cues & REFERENCE and self.reference.search(sentence):
            return "passing mention in a list of related documents"
        if cues & DEFERRAL and self.deferral.search(sentence):
            return "left to another document or a later review"
        if cues & DEFINITION and self.definition.search(sentence):
            return "a definition or quoted law, not a statement of what is done"
        if cues & DEBATE and self.debate.search(sentence):
            return "a question or comment reported from a debate, not a statement of what is done"
        if cues & METHOD and self.method.search(sentence):
            return "how an inspection or review gathered its evidence, not what is done"
        if self.is_findings_section(block.section) and self.finding.search(sentence):
            return f"a finding or recommendation under '{(block.section or '')[:60]}', not a commitment"
        if "%" in sentence and _SHARE_LINE.match(sentence) and not _SHARE_CLAUSE.search(sentence):
            return "a statistic (a name and its share), not what is done"
        if is_glossary_entry(sentence) or _is_equals_glossary(sentence):
            return "a glossary entry (an acronym and what it stands for)"
        return None


# A paragraph that is a quotation signed by a parent, a carer or a young person ("'My son feels safe when he stays
# over.' - Parent", "“I can choose my own activities now” (Year 9 student)", "'...' said one mum"): a testimonial.
# A quotation signed by an officer or a councillor is the organisation's own voice, and is not matched.
OPENING_QUOTES = "\"“‘'"
_ATTRIBUTED_QUOTE = re.compile(
    r"\W{0,3}[\"“‘'].{8,}?[\"”’']\s*[.,]?\s*(?:[-–—(]|said|says|writes|wrote)\s*(?P<who>[^\"“”]{2,80})$", re.S
)
_VOICE = re.compile(
    r"\b(?:parents?|carers?|mum|mother|dad|father|grandparents?|famil(?:y|ies)|pupils?|students?|young\s+"
    r"(?:person|people)|learners?|child|sons?|daughters?|year\s+\d+|aged?\s+\d+)\b",
    re.I,
)
# ... but the signature of an office holder ("said Councillor Smith, cabinet member for children", "- Director of
# Children's Services"): the organisation's own voice; or a citation of an occasion or a document.
_OFFICE = re.compile(
    r"\b(?:councillor|cllr|director|cabinet|member|head|headteacher|principal|manager|officer|chief|minister|chair"
    r"|lead|leader|senco|sendco|coordinator|co-ordinator|commissioner|mayor|mp"
    # ... or an occasion or a document cited ("(meeting with parents, 2019)", "- parent survey report").
    r"|meeting|meetings|consultation|workshop|event|survey|session|conference|report|strategy|plan|policy)\b",
    re.I,
)


def _squeezed(after: str) -> str:
    """The start of the text after a hit as the after-cues read it: its first 160 characters, line breaks inside
    (wrapped text) and runs of spaces read as one space."""
    return " ".join(after[:200].split())[:160]


def is_attributed_quote(text: str) -> bool:
    """A paragraph that is a quotation signed by a parent, a carer or a young person (a testimonial)."""
    m = _ATTRIBUTED_QUOTE.match(text.lstrip(" \t\n•●·▪-*"))
    if not m or _OFFICE.search(m.group("who")):
        return False
    # The speaker leads the signature ("- Parent", "said one mum", "Sam, aged 15"); "(meeting with parents, 2009)"
    # cites an occasion, not a speaker.
    return bool(_VOICE.search(" ".join(m.group("who").split()[:3])))


# An age range that a service for all children extends for SEND ("from birth to 19 (or 25 for young people with
# special educational needs)", "up to age 19 (up to the age of 25 if the young person has a learning difficulty)",
# "aged 16-19 or up to 25 years with an EHCP:"): what comes after the older age, to the end of its clause, says
# whom the range covers, not what is done for them or that the page is about SEND. A range written from one age
# to the other ("young people aged 19 to 25 with SEND", "between 18 and 25") names its own group and stays.
_AGE_EXTENSION = re.compile(
    r"(?<!between )\b(?:18|19|eighteen|nineteen)\b[^.;:()\d]{0,20}?(?:\(|\bor\b|\band\b)[^.;:()]{0,40}?"
    r"\b(?:25|twenty[- ]five)\b(?P<clause>[^.;:)]{0,160})",
    re.I,
)


def age_extension_spans(text: str) -> list[tuple[int, int]]:
    """Where a block extends an age range for SEND (see `_AGE_EXTENSION`): the clause after the older age, as
    character spans; none in most blocks, which hold no "25"."""
    if "25" not in text and "five" not in text:
        return []
    return [m.span("clause") for m in _AGE_EXTENSION.finditer(text)]


# A list's title on a line of its own: a few words and a colon, perhaps lettered or numbered ("a) Sufficiency:",
# "Further support for parents:", "3. Education, employment and training:"), no verb or person in it ("we
# will:", "Staff are trained to:", "Parents can:" lead in what is done).
_TITLE_LEAD_CHARS = 80
_SAYS_SOMETHING = (
    r"we|you|they|i|he|she|it|will|would|can|could|may|must|should|shall|is|are|was|were|be|been|have|has|had|do|"
    r"does|did"
)
"""The pronouns and verbs that make a short line a statement rather than a title: a list's lead-in or a theme's
title holds none of them."""
_TITLE_LEAD = re.compile(
    r"\s*(?:[-•●·▪*]\s*|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)?"
    rf"(?!.*\b(?:{_SAYS_SOMETHING}|include|includes|including|includ|offer|offers|provide|provides|aim|aims|means|"
    r"involves)\b)"
    r"[A-Za-z][\w’'/&,()-]*(?:\s+[\w’'/&,()-]+){0,4}"
    r"(?<!\bfor)(?<!\bto)(?<!\bas)(?<!\bif)(?<!\bof)(?<!\bby)(?<!\bwith)(?<!\bfrom)(?<!\bfollowing)(?<!\bthis)"
    r"(?<!\bthese)(?<!\bthat)(?<!\bhere)(?<!\bbelow)(?<!\bon)(?<!\bin)(?<!\bwhere)(?<!\bwhen)\s*:[-–—\s]*$",
    re.I | re.S,
)

# A plan's theme, priority or workstream named by its number on a line of its own, in a list or a paragraph
# ("- Priority 4: Preparation for Adulthood", "Workstream 2 - School and community teams", "Theme three: Health"):
# its title, as a heading is (AIMS.md). A number followed by a sentence ("Priority 1: we will ...", "Outcome 2:
# young people are ready for work") is a statement; so is a title ending with a full stop.
_THEME_TITLE_CHARS = 100
_THEME_TITLE = re.compile(
    r"\s*(?:[-•●·▪*]\s*)?(?:our\s+|key\s+|strategic\s+)?"
    r"(?:priority|priorities|theme|strand|pillar|workstream|work\s?stream|objective|ambition|goal|outcome|"
    r"area\s+of\s+focus|focus\s+area|key\s+area|commitment|principle|chapter|section|part)\s+"
    r"(?:\d{1,2}|[a-h]|[ivx]{1,4}|one|two|three|four|five|six|seven|eight|nine|ten)\b\s*[:.)–—-]\s*"
    rf"(?!.*\b(?:{_SAYS_SOMETHING}|get|gets|receive|receives|make|makes|so|that|who|which)\b)"
    r"[A-Za-z][^.!?:;\n]{0,80}?[^.!?:;\s]\s*$",
    re.I,
)

_CONTENTS_HEADING = re.compile(r"\bcontents\b", re.I)
"""A heading that names a contents list ("Contents", "Table of contents", "Page contents")."""
_PROSE_CHARS = 300
"""A contents entry is a title: a block this long, holding two sentences, is the page's own text."""
_SENTENCE_END = re.compile(r"[a-z)][.!?](?:\s|$)")
"""A sentence's end: a full stop after a word (not a numbered entry's "2.")."""

_CONTENTS_RUN = re.compile(r"\W{0,3}(?:table\s+of\s+)?contents\b(?!\s+of\b)", re.I)
"""A paragraph that opens as a contents list does ("Contents: Statement of intent 1. Aims 2. ..."): with its
page or section numbers (`_NUMBER`), it is a contents list run into one paragraph."""
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}\b")
# A contents entry's leader: a run of dots between a title and its page number ("Transition ........ 9",
# "STAFF TRAINING . . . . . 12"); prose never runs five dots together.
_DOT_LEADER = re.compile(r"(?:\.\s?){5,}|…{3,}|(?:…\s?\.*){2,}\s*\d")


def may_hold_leader(sentence: str) -> bool:
    """Whether a sentence could hold a contents entry's leader: every leader holds five full stops or an
    ellipsis. (The expression has no first character to skip to, so it is tried at every character: most
    sentences, with neither, are passed over by these two scans in C.)"""
    return sentence.count(".") >= 5 or "…" in sentence

# A line that only names something and gives its share: "Autism 31%", "SEMH - 24%", "Speech, language and
# communication needs: 18.5%", "• Moderate learning difficulties (MLD) 49%" (a table's row written out).
_SHARE_LINE = re.compile(
    r"\s*(?:[•▪◦●·‣*-]\s*)?[^\W\d][^.!?%\d]{0,80}?[\s:\u2013\u2014-]\(?\d{1,3}(?:\.\d+)?\s?%\)?[\s.;,]*$"
)

# ... but not a clause that sets or reports a level ("we will raise attendance to 95%", "rose by 4%").
_SHARE_CLAUSE = re.compile(
    r"\b(?:we|our|will|to|by|is|are|was|were|has|have|had|from|rose|fell|reach\w*|increas\w*|rais\w*|aim\w*|"
    r"target\w*|improv\w*)\b",
    re.I,
)


# A term defined with an equals sign ("‘Inclusion’ = ensuring all pupils take part", "‘CAMHS’= Child and
# Adolescent Mental Health Services"): a glossary written as a line or run into one paragraph.
_EQUALS_TERM = re.compile(r"(?:^|(?<=\s))[‘'\"“]?[A-Z][\w()&/.-]*(?:\s[\w()&/.-]+){0,3}[’'\"”]?\s*=\s*[^\s=]")


def points_back(sentence: str) -> bool:
    """Whether a lead-in's sentence only points back to what comes before it ("These include:", "They are:")."""
    return bool(_POINTS_BACK.match(sentence)) and len(sentence.split()) <= POINTER_WORDS


def _is_equals_glossary(sentence: str) -> bool:
    """A sentence that opens with a term and '=', or holds two such definitions."""
    if "=" not in sentence:
        return False
    found = list(_EQUALS_TERM.finditer(sentence.lstrip(" \t\n•●·▪-*")))
    return bool(found) and (found[0].start() == 0 or len(found) >= 2)


def is_glossary_entry(sentence: str) -> bool:
    """'SENDIASS – SEND Information, Advice and Support Service': an acronym and its expansion."""
    if not _GLOSSARY_HEAD.match(sentence):
        return False
    m = _GLOSSARY_ENTRY.match(" ".join(sentence.split()))
    if not m or sum(c.isupper() for c in m.group(1)) < 2:
        return False
    words = [
        w
        for w in re.findall(r"[A-Za-z]+", m.group(2))
        if w.lower() not in {"and", "or", "of", "for", "the", "in", "with", "to", "a"}
    ]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
