"""The cue phrase language: cue phrases compiled to regular expressions, and the words that start them.

A cue phrase is words separated by spaces, matched as whole words in any case:

    a|b|c      any one of these words (`_` inside one stands for a space: `set_out|dealt_with`)
    word*      a word that starts so (`stop*`: stop, stops, stopped); `*n't` a word that ends so
    [a|b]      an optional word
    !word      the next word is not this one (`limited !to`)
    ...N       up to N other words (N from 1 to 9)
    #  #%      a number, a percentage
    ^          (first only) the cue starts its sentence, after any punctuation
    : ; , – — -  a punctuation mark, with or without a space before it

Sentence checks are regular expressions, slow to run on every sentence, so each is tried only where a
sentence holds a word that can start one of its cues: each cue is filed under one of its required words
(`trigger`); what each kind of cue means is matching/cues.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from send_align.errors import SendAlignError

STRONG, WEAK, AFTER, REFERENCE, DEFERRAL, DEBATE, DEFINITION, NUMBER, METHOD = 1, 2, 4, 8, 16, 32, 64, 128, 256
CUE = STRONG | WEAK | AFTER | NUMBER

# The kinds of cue, by where a cue stands and what it says. The key is the cue list's name in the data.
KINDS: dict[str, str] = {
    "breaks.clause": "words that end the clause a cue before a hit reaches across",
    "breaks.weak": "words that end the stretch a nearby cue reaches across",
    "breaks.conjunct": "words that start a new clause after 'and' or 'or' (we, is, will): a cue before a hit "
    "reaches back across a coordination only where none of them stands between",
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
    "sentence.method": "a sentence that says how an inspection or review gathered its evidence ('inspectors "
    "spoke with parents')",
    "sentence.finding": "under a findings heading: a sentence that finds something missing or recommends",
    "headings.reference": "a heading (glossary, contents, references) under which nothing is evidence",
    "headings.findings": "a heading of findings or recommendations: what it finds missing is not a commitment",
    "lead_in.findings": "in a list's lead-in ('the inspection found these weaknesses:'): its items are findings",
    "lead_in.reference": "in a list's lead-in ('useful links:'): its items are passing mentions, able only to "
    "support an aim",
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
        elif re.fullmatch(r"[:;,–—|-]+", raw):
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
                sep = r",?\s+"  # the words skipped may end in a comma ("the report, published in May, found")
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


def alternation(phrases: Iterable[str], where: str) -> tuple[str, list[tuple[str, str]]]:
    r"""The cues as one expression (alternatives in order), and the words they are filed under.

    Neighbouring cues that start with a word boundary share it: `\b(?:(?:but\b)|(?:however\b))` matches
    where `(?:\bbut\b)|(?:\bhowever\b)` does, but inside a word the search fails once rather than once
    per cue (the sentence checks are tried at every character of a sentence)."""
    regexes: list[str] = []
    triggers: list[tuple[str, str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) == 1:
            regexes.append(rf"(?:\b{run[0]})")
        elif run:
            regexes.append(r"\b(?:" + "|".join(f"(?:{rx})" for rx in run) + ")")
        run.clear()

    for p in phrases:
        rx, trig = compile_cue(p, where)
        if rx.startswith(r"\b"):
            run.append(rx[2:])
        else:
            flush()
            regexes.append(f"(?:{rx})")
        triggers.extend(trig)
    flush()
    return "|".join(regexes), triggers


class SentenceCues:
    """A sentence check: cues that must start the sentence are tried there only (a match, not a search)."""

    __slots__ = ("anywhere", "start")

    def __init__(self, phrases: Iterable[str], where: str) -> None:
        phrases = list(phrases)
        self.start = compile_pattern(alternation([p for p in phrases if p.startswith("^")], where)[0], where)
        self.anywhere = compile_pattern(alternation([p for p in phrases if not p.startswith("^")], where)[0], where)

    def search(self, sentence: str) -> re.Match[str] | None:
        return self.start.match(sentence) or self.anywhere.search(sentence)


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """A cue list's expression, compiled when the matcher is (a run answered from the cache never is)."""
    try:
        return re.compile(pattern, re.I) if pattern else re.compile(r"(?!)")
    except re.error as exc:
        raise SendAlignError(f"cues '{where}' do not compile: {exc}") from None


def grouped(lists: Mapping[str, tuple[str, ...]], prefix: str) -> tuple[str, list[tuple[str, str]]]:
    """One expression with a named group per kind under `prefix` ('before', 'after')."""
    parts: list[str] = []
    triggers: list[tuple[str, str]] = []
    for key in sorted(lists):
        if key.startswith(prefix + ".") and lists[key]:
            rx, trig = alternation(lists[key], key)
            parts.append(f"(?P<{key.split('.', 1)[1]}>{rx})")
            triggers += trig
    return "|".join(parts), triggers


def breaks(words: tuple[str, ...], punct: str) -> str:
    rx, _ = alternation(words, "breaks")
    return f"[{punct}]" + (f"|{rx}" if rx else "")
