"""Cues that make a hit not count: negation, scope, history, shortfall, deferral, reference and findings.

The cue phrases are data (`strategies/cues.yaml`, extended by any `cues:` in a `--strategies` file); this
module compiles them and owns what each kind of cue means. A cue phrase is words separated by spaces,
matched as whole words in any case:

    a|b|c      any one of these words (`_` inside one stands for a space: `set_out|dealt_with`)
    word*      a word that starts so (`stop*`: stop, stops, stopped); `*n't` a word that ends so
    [a|b]      an optional word
    !word      the next word is not this one (`limited !to`)
    ...N       up to N other words (N from 1 to 9)
    #  #%      a number, a percentage
    ^          (first only) the cue starts its sentence, after any punctuation
    : – — -    a punctuation mark, with or without a space before it

Sentence checks are regular expressions, slow to run on every sentence, so each is tried only where a
sentence holds a word that can start one of its cues: each cue is filed under one of its required words
(`trigger`), and a word's flags (`CueSet.word_flags`) say which checks it can cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from send_align.errors import SendAlignError
from send_align.results import Block

STRONG, WEAK, AFTER, REFERENCE, DEFERRAL, DEBATE, DEFINITION, NUMBER = 1, 2, 4, 8, 16, 32, 64, 128
CUE = STRONG | WEAK | AFTER | NUMBER

# The kinds of cue, by where a cue stands and what it says. The key is the cue list's name in the data.
KINDS: dict[str, str] = {
    "breaks.clause": "words that end the clause a cue before a hit reaches across",
    "breaks.weak": "words that end the stretch a nearby cue reaches across",
    "before.negation": "before a hit in its clause: the thing is stopped, refused or not done",
    "before.scope": "before a hit in its clause: the thing is outside the document's scope",
    "before.history": "before a hit in its clause: the thing is in the past",
    "before.shortfall": "before a hit in its clause: the thing is lacking or poor",
    "near.negation": "within five words before a hit: a plain negation",
    "near.statistic": "within five words before a hit: it is counted ('18% of pupils'), a statistic",
    "after.negation": "in the first words after a hit: stopped, refused or not done",
    "after.scope": "in the first words after a hit: outside the scope",
    "after.shortfall": "in the first words after a hit: a finding of short supply or poor quality",
    "not-cues": "phrases that look like cues but are not ('not only', 'no matter')",
    "count.before": "a count just before a hit ('the number of') ...",
    "count.after": "... found small just after it ('is small'): a shortfall",
    "sentence.reference": "a sentence that only points to other documents",
    "sentence.deferral": "a sentence that leaves the matter to another document or a later time",
    "sentence.definition": "a sentence that defines a term or quotes the law ('is defined as', 'the law says')",
    "sentence.debate": "a sentence that reports a question or comment in a debate ('members asked')",
    "sentence.finding": "under a findings heading: a sentence that finds something missing or recommends",
    "headings.reference": "a heading (glossary, contents, references) under which nothing is evidence",
    "headings.findings": "a heading of findings or recommendations: what it finds missing is not a commitment",
}

REASONS = {
    "negation": "negated or stopped",
    "scope": "out of scope",
    "history": "in the past",
    "shortfall": "a shortfall",
    "statistic": "a statistic, not what is done",
}

# Words too common to file a cue under: a cue is filed under its first required word that has none.
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "our",
        "your",
        "we",
        "they",
        "he",
        "she",
        "you",
        "i",
    ]
)
_WORD_CHARS = r"[\w'’-]"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "gap", "punct", "not"
    regex: str
    optional: bool = False
    triggers: tuple[tuple[str, str], ...] = ()
    """(how, text) per alternative: ('word', w), ('start', prefix) or ('end', suffix)."""


def _word_token(spec: str, where: str) -> _Token:
    alternatives, triggers = [], []
    for alt in spec.split("|"):
        if not alt:
            raise SendAlignError(f"cue '{where}': empty alternative in '{spec}'")
        words = alt.split("_")
        parts = []
        for n, w in enumerate(words):
            lead = w.startswith("*")
            trail = w.endswith("*")
            core = w.strip("*")
            if not core or not re.fullmatch(r"[\w'’.-]+", core):
                raise SendAlignError(f"cue '{where}': '{alt}' is not a word (letters, digits, ' and -)")
            body = re.escape(core.lower()).replace("'", "['’]")
            parts.append((r"\w*" if lead else "") + body + (r"\w*" if trail else ""))
            if n == 0:
                low = core.lower().replace("’", "'")
                triggers.append(("end", low) if lead else ("start", low) if trail else ("word", low))
        alternatives.append(r"\s+".join(parts))
    return _Token("word", "(?:" + "|".join(alternatives) + ")", triggers=tuple(triggers))


def _tokens(phrase: str, where: str) -> tuple[bool, list[_Token]]:
    anchored = False
    out: list[_Token] = []
    for i, raw in enumerate(phrase.split()):
        if raw == "^":
            if i:
                raise SendAlignError(f"cue '{where}': '^' may only start a cue")
            anchored = True
        elif m := re.fullmatch(r"\.\.\.([1-9])", raw):
            out.append(_Token("gap", m.group(1)))
        elif raw in ("#", "#%"):
            digits = tuple(("start", d) for d in "0123456789")
            out.append(_Token("word", r"\d[\d,.]*" + (r"\s?%" if raw == "#%" else ""), triggers=digits))
        elif re.fullmatch(r"[:;–—|-]+", raw):
            out.append(_Token("punct", "[" + re.escape(raw.replace("|", "")) + "]"))
        elif raw.startswith("!"):
            out.append(_Token("not", _word_token(raw[1:], where).regex))
        elif raw.startswith("[") and raw.endswith("]"):
            tok = _word_token(raw[1:-1], where)
            out.append(_Token("word", tok.regex, True, tok.triggers))
        else:
            out.append(_word_token(raw, where))
    if not any(t.kind == "word" and not t.optional for t in out):
        raise SendAlignError(f"cue '{where}': '{phrase}' needs at least one required word")
    return anchored, out


def compile_cue(phrase: str, where: str = "cue") -> tuple[str, tuple[tuple[str, str], ...]]:
    """A cue phrase as a regular expression, and the words it is filed under (see the module's doc)."""
    anchored, tokens = _tokens(phrase, where)
    parts: list[str] = [r"^\W*"] if anchored else []
    sep = r"\b"  # what must come before the next word: a word boundary at the start, else white space
    last = ""
    for tok in tokens:
        if tok.kind == "gap":
            n = tok.regex
            if sep == r"\b":
                parts.append(rf"(?:{_WORD_CHARS}+\W+){{0,{n}}}?")
            else:
                parts.append(rf"(?:\W+{_WORD_CHARS}+){{0,{n}}}?")
        elif tok.kind == "not":
            parts.append(rf"(?!\s+{tok.regex}\b)")
        elif tok.kind == "punct":
            parts.append(r"\s*" + tok.regex)
            sep = r"\s*"
        elif tok.optional:
            parts.append(f"(?:{sep}{tok.regex})?" if sep != r"\b" else rf"(?:\b{tok.regex}\s+)?")
        else:
            parts.append(sep + tok.regex)
            sep = r"\s+"
        last = tok.kind
    if last == "word":
        parts.append(r"\b")
    # The trigger: the first required word none of whose alternatives is a common word, else the one with
    # the fewest common alternatives (the last of equals: "there is no" is filed under "no").
    required = [t for t in tokens if t.kind == "word" and not t.optional]
    common = [sum(w in _COMMON for _, w in t.triggers) for t in required]
    chosen = required[common.index(0)] if 0 in common else required[-1 - common[::-1].index(min(common))]
    return "".join(parts), chosen.triggers


def _alternation(phrases: Iterable[str], where: str) -> tuple[str, list[tuple[str, str]]]:
    regexes: list[str] = []
    triggers: list[tuple[str, str]] = []
    for p in phrases:
        rx, trig = compile_cue(p, where)
        regexes.append(f"(?:{rx})")
        triggers.extend(trig)
    return "|".join(regexes), triggers


class _SentenceCues:
    """A sentence check: cues that must start the sentence are tried there only (a match, not a search)."""

    __slots__ = ("anywhere", "start")

    def __init__(self, phrases: Iterable[str], where: str) -> None:
        phrases = list(phrases)
        self.start = _compile(_alternation([p for p in phrases if p.startswith("^")], where)[0], where)
        self.anywhere = _compile(_alternation([p for p in phrases if not p.startswith("^")], where)[0], where)

    def search(self, sentence: str) -> re.Match[str] | None:
        return self.start.match(sentence) or self.anywhere.search(sentence)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    """A cue list's expression, compiled when the matcher is (a run answered from the cache never is)."""
    try:
        return re.compile(pattern, re.I) if pattern else re.compile(r"(?!)")
    except re.error as exc:
        raise SendAlignError(f"cues '{where}' do not compile: {exc}") from None


def _grouped(lists: Mapping[str, tuple[str, ...]], prefix: str) -> tuple[str, list[tuple[str, str]]]:
    """One expression with a named group per kind under `prefix` ('before', 'after')."""
    parts: list[str] = []
    triggers: list[tuple[str, str]] = []
    for key in sorted(lists):
        if key.startswith(prefix + ".") and lists[key]:
            rx, trig = _alternation(lists[key], key)
            parts.append(f"(?P<{key.split('.', 1)[1]}>{rx})")
            triggers += trig
    return "|".join(parts), triggers


def _breaks(words: tuple[str, ...], punct: str) -> str:
    rx, _ = _alternation(words, "breaks")
    return f"[{punct}]" + (f"|{rx}" if rx else "")


_NEVER = re.compile(r"(?!)")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose|whom|where|when)\b[^,;:]*,", re.I)
_GLOSSARY_HEAD = re.compile(r"\W*[A-Z][A-Za-z&]{1,11}s?\s*(?:[–—:=]|-\s)")
_GLOSSARY_ENTRY = re.compile(r"^\W*([A-Z][A-Za-z&]{1,11}s?)\s*(?:[–—:=]|-\s)\s*(.{3,120}?)[.;]?\s*$")


@dataclass
class CueSet:
    """Every cue list compiled, with the words that can start each check."""

    lists: dict[str, tuple[str, ...]]
    clause_break: re.Pattern[str] = _NEVER
    weak_break: re.Pattern[str] = _NEVER
    before: re.Pattern[str] = _NEVER
    near: re.Pattern[str] = _NEVER
    after: re.Pattern[str] = _NEVER
    pseudo: re.Pattern[str] = _NEVER
    counted: re.Pattern[str] = _NEVER
    small: re.Pattern[str] = _NEVER
    reference: _SentenceCues = field(default_factory=lambda: _SentenceCues((), "none"))
    deferral: _SentenceCues = field(default_factory=lambda: _SentenceCues((), "none"))
    debate: _SentenceCues = field(default_factory=lambda: _SentenceCues((), "none"))
    definition: _SentenceCues = field(default_factory=lambda: _SentenceCues((), "none"))
    finding: _SentenceCues = field(default_factory=lambda: _SentenceCues((), "none"))
    reference_heading: re.Pattern[str] = _NEVER
    findings_heading: re.Pattern[str] = _NEVER
    _words: dict[str, int] = field(default_factory=dict)
    _starts: list[tuple[str, int]] = field(default_factory=list)
    _ends: list[tuple[str, int]] = field(default_factory=list)
    _sections: dict[str | None, str | None] = field(default_factory=dict)
    _findings: dict[str | None, bool] = field(default_factory=dict)

    @classmethod
    def build(cls, lists: Mapping[str, tuple[str, ...]]) -> CueSet:
        """Compile the cue lists; raise SendAlignError naming the list of a cue that does not compile."""

        def get(key: str) -> tuple[str, ...]:
            return tuple(lists.get(key, ()))

        cs = cls(dict(lists))
        cs.clause_break = _compile(_breaks(get("breaks.clause"), ";:"), "breaks.clause")
        cs.weak_break = _compile(_breaks(get("breaks.weak"), ",;:("), "breaks.weak")
        before, before_trig = _grouped(lists, "before")
        after, after_trig = _grouped(lists, "after")
        cs.before = _compile(before, "before")
        # A cue after a hit starts within the first seven words of the rest of its clause.
        cs.after = _compile(rf"^\W*(?:\w+\W+){{0,6}}?(?:{after})" if after else "", "after")
        near, near_trig = _grouped(lists, "near")
        cs.near = _compile(near, "near")
        cs.pseudo = _compile(_alternation(get("not-cues"), "not-cues")[0], "not-cues")
        counted, _ = _alternation(get("count.before"), "count.before")
        cs.counted = _compile(f"(?:{counted})\\s+(?:\\S+\\s+){{0,3}}$" if counted else "", "count.before")
        small, small_trig = _alternation(get("count.after"), "count.after")
        cs.small = _compile(rf"^\W*(?:{small})" if small else "", "count.after")
        _, ref_trig = _alternation(get("sentence.reference"), "sentence.reference")
        _, def_trig = _alternation(get("sentence.deferral"), "sentence.deferral")
        _, debate_trig = _alternation(get("sentence.debate"), "sentence.debate")
        cs.reference = _SentenceCues(get("sentence.reference"), "sentence.reference")
        cs.deferral = _SentenceCues(get("sentence.deferral"), "sentence.deferral")
        cs.debate = _SentenceCues(get("sentence.debate"), "sentence.debate")
        cs.finding = _SentenceCues(get("sentence.finding"), "sentence.finding")
        _, defn_trig = _alternation(get("sentence.definition"), "sentence.definition")
        cs.definition = _SentenceCues(get("sentence.definition"), "sentence.definition")
        cs.reference_heading = _compile(
            _alternation(get("headings.reference"), "headings.reference")[0], "headings.reference"
        )
        cs.findings_heading = _compile(
            _alternation(get("headings.findings"), "headings.findings")[0], "headings.findings"
        )
        for bit, trig in (
            (STRONG, before_trig),
            (WEAK, near_trig),
            (AFTER, after_trig + small_trig),
            (REFERENCE, ref_trig),
            (DEFERRAL, def_trig),
            (DEBATE, debate_trig),
            (DEFINITION, defn_trig),
        ):
            for how, text in trig:
                # Numbers are everywhere: a cue that starts with one ("18% of") is checked only where a
                # percentage stands before the hit (see `negation_reason`).
                b = NUMBER if how == "start" and text.isdigit() else bit
                if how == "word":
                    cs._words[text] = cs._words.get(text, 0) | b
                else:
                    (cs._starts if how == "start" else cs._ends).append((text, b))
        return cs

    def word_flags(self, word: str) -> int:
        """Which sentence checks a word can start a cue for (CUE, REFERENCE, DEFERRAL bits)."""
        low = word.lower().replace("’", "'")
        flags = self._words.get(low, 0)
        for text, bit in self._starts:
            if low.startswith(text):
                flags |= bit
        for text, bit in self._ends:
            if low.endswith(text):
                flags |= bit
        return flags

    def negation_reason(
        self, sentence: str, start: int, end: int, cues_before: int = CUE, cues_after: int = CUE
    ) -> str | None:
        """Why a hit at sentence[start:end] is not evidence (negated, stopped, out of scope), or None.

        `cues_before` and `cues_after` (`word_flags` of the words before and after the hit) let checks that
        cannot match be skipped."""
        if not cues_before & (STRONG | WEAK) and not (
            cues_before & NUMBER
            and ("%" in sentence[max(0, start - 80) : start] or "cent" in sentence[:start])
        ):
            return self._after_reason(sentence, start, end) if cues_after & AFTER else None
        # A relative clause set off by commas ("Staff, who were not in post, will ...") negates nothing outside it.
        before = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group(0)), sentence[:start])
        # The clause the hit stands in: cues before it reach back to its start.
        clause_start = 0
        for brk in self.clause_break.finditer(before):
            clause_start = brk.end()
        clause_words = before[clause_start:].split()
        strong = self.pseudo.sub(" ", " ".join(clause_words[-12:]))
        m = self.before.search(strong)
        if m:
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0).strip()}' before it)"
        weak_start = 0
        for m2 in self.weak_break.finditer(before):
            weak_start = m2.end()
        near = self.pseudo.sub(" ", " ".join(before[weak_start:].split()[-5:]))
        m = self.near.search(near)
        if m:
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0)}' before it)"
        return self._after_reason(sentence, start, end) if cues_after & AFTER else None

    def _after_reason(self, sentence: str, start: int, end: int) -> str | None:
        after = sentence[end:]
        cut = self.weak_break.search(after)
        tail = after[: cut.start()] if cut and cut.group(0) not in (",",) else after
        tail = " ".join(tail[:200].split())[
            :160
        ]  # line breaks inside (wrapped text) are spaces to these checks
        m = self.after.match(tail)
        if m and not self.pseudo.search(m.group(0)):
            return f"{REASONS[m.lastgroup or 'negation']} ('{m.group(0).strip()[-40:]}' after it)"
        m = self.small.match(tail)
        if m and self.counted.search(sentence[:start]):
            return f"a shortfall ('{m.group(0).strip()}' after it)"
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

    def is_findings_section(self, section: str | None) -> bool:
        """Whether a heading names findings or recommendations ('Areas for improvement')."""
        if section in self._findings:
            return self._findings[section]
        found = bool(section and self.findings_heading.search(section))
        if len(self._findings) < 4096:
            self._findings[section] = found
        return found

    def reference_reason(
        self,
        block: Block,
        sentence: str,
        cues: int = REFERENCE | DEFERRAL | DEBATE | DEFINITION,
        in_headings: bool = False,
    ) -> str | None:
        """Why a hit is only a passing mention (heading, glossary, reference list, question, finding), or None.

        `cues` (from `word_flags`) may rule out checks whose cue words the sentence lacks; `in_headings` lets
        a rule that reads headings (a page's genre) count in one."""
        if block.kind == "heading" and not in_headings:
            return "a heading, not a statement"
        by_section = self.section_reason(block.section)
        if by_section:
            return by_section
        if block.kind != "heading" and sentence.rstrip(" \t\n\"'”’)*").endswith("?"):
            return "a question, not a statement"
        if cues & REFERENCE and self.reference.search(sentence):
            return "passing mention in a list of related documents"
        if cues & DEFERRAL and self.deferral.search(sentence):
            return "left to another document or a later review"
        if cues & DEFINITION and self.definition.search(sentence):
            return "a definition or quoted law, not a statement of what is done"
        if cues & DEBATE and self.debate.search(sentence):
            return "a question or comment reported from a debate, not a statement of what is done"
        if self.is_findings_section(block.section) and self.finding.search(sentence):
            return f"a finding or recommendation under '{(block.section or '')[:60]}', not a commitment"
        if is_glossary_entry(sentence):
            return "a glossary entry (an acronym and what it stands for)"
        return None


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
