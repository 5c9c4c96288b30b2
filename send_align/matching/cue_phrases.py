"""The cue phrase language: cue phrases compiled to regular expressions, and the words that start them.

A cue phrase is words separated by spaces, matched as whole words in any case:

    a|b|c      any one of these words (`_` inside one stands for a space: `set_out|dealt_with`)
    word*      a word that starts so (`stop*`: stop, stops, stopped); `*n't` a word that ends so
    [a|b]      an optional word
    !word      the next word is not this one (`limited !to`)
    ...N       up to N other words (N from 1 to 20)
    #  #%      a number, a percentage
    ^          (first only) the cue starts its sentence, after any punctuation
    : ; , – — -  a punctuation mark, with or without a space before it

Sentence checks are regular expressions, slow to run on every sentence, so each is tried only where a
sentence holds a word that can start one of its cues: each cue is filed under one of its required words
(`trigger`); what each kind of cue means is matching/cues.py's.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

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
    "before.voice": "before a hit in its clause: someone else's view is reported ('one parent told us', '78% of "
    "parents said')",
    "near.negation": "within five words before a hit: a plain negation",
    "near.statistic": "within five words before a hit: it is counted ('18% of pupils'), a statistic",
    "after.negation": "in the first words after a hit: stopped, refused or not done",
    "after.scope": "in the first words after a hit: outside the scope",
    "after.shortfall": "in the first words after a hit: a finding of short supply or poor quality",
    "not-cues": "phrases that look like cues but are not ('not only', 'no matter')",
    "undo": "words that undo a negation when they stand between it and the hit: two negations cancel ('no child "
    "is placed at the unit without the agreement of parents')",
    "count.before": "a count just before a hit ('the number of') ...",
    "count.after": "... found small just after it ('is small'): a shortfall",
    "sentence.reference": "a sentence that only points to other documents",
    "sentence.deferral": "a sentence that leaves the matter to another document or a later time",
    "sentence.definition": "a sentence that defines a term or quotes the law ('is defined as', 'the law says')",
    "sentence.debate": "a sentence that reports a question or comment in a debate ('members asked')",
    "sentence.method": "a sentence that says how an inspection or review gathered its evidence ('inspectors "
    "spoke with parents')",
    "sentence.finding": "under a findings heading: a sentence that finds something missing or recommends",
    "sentence.verdict": "on a page of inspection writing (`opening.findings`): a sentence that finds something "
    "missing or recommends, wherever it stands ('leaders should', 'too many children wait')",
    "opening.findings": "in a page's title or opening: the page is inspection writing (an inspection report or "
    "letter, a written statement of action)",
    "headings.reference": "a heading (glossary, contents, references) under which nothing is evidence",
    "headings.findings": "a heading of findings or recommendations: what it finds missing is not a commitment",
    "lead_in.findings": "in a list's lead-in ('the inspection found these weaknesses:'): its items are findings",
    "lead_in.reference": "in a list's lead-in ('useful links:'): its items are passing mentions, able only to "
    "support an aim",
    "lead_in.quoted": "in a list's lead-in ('the Code sets out these principles:', 'parents told us:'): its items "
    "are the law's or someone else's words, none of them the writer's statement",
    "lead_in.excluded": "in a list's lead-in ('we do not:', 'not provided by this service:'): its items are what "
    "is not done or not offered",
}

REASONS = {
    "negation": "negated or stopped",
    "scope": "out of scope",
    "history": "in the past",
    "shortfall": "a shortfall",
    "statistic": "a statistic, not what is done",
    "voice": "someone else's view reported, not the writer's statement",
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
# Words most sentences of SEND documents hold: a cue filed under one of them is searched for almost everywhere.
_FREQUENT = frozenset(
    {
        "child", "children", "pupil", "pupils", "student", "students", "learner", "learners", "young", "parent",
        "parents", "carer", "carers", "parent_carers", "family", "families", "school", "schools", "staff",
        "support", "send", "sen", "need", "needs",
    }
)
_WORD_CHARS = r"[\w'’-]"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "gap", "punct", "not"
    regex: str
    optional: bool = False
    triggers: tuple[tuple[str, str], ...] = ()
    """(how, text) per alternative: ('word', w), ('start', prefix) or ('end', suffix)."""
    literals: frozenset[str] = frozenset()
    """Texts one of which every match of the token holds, lower-cased (see `cue_keys`); empty: none known."""


def _word_token(spec: str, where: str) -> _Token:
    alternatives, triggers, literals = [], [], set()
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
        # The alternative's longest word, as the lower-cased text searches for it: each ' as either apostrophe.
        longest = max((w.strip("*").lower() for w in words), key=len)
        variants = [""]
        for ch in longest:
            variants = [v + c for v in variants for c in (("'", "’") if ch == "'" else (ch,))]
        literals.update(variants)
    return _Token(
        "word", "(?:" + "|".join(alternatives) + ")", triggers=tuple(triggers), literals=frozenset(literals)
    )


def _tokens(phrase: str, where: str) -> tuple[bool, list[_Token]]:
    anchored = False
    out: list[_Token] = []
    for i, raw in enumerate(phrase.split()):
        if raw == "^":
            if i:
                raise SendAlignError(f"cue '{where}': '^' may only start a cue")
            anchored = True
        elif m := re.fullmatch(r"\.\.\.([1-9]|1\d|20)", raw):
            out.append(_Token("gap", m.group(1)))
        elif raw.startswith("..."):
            # Read as a word, "...12" would match nowhere: a cue that silently never fires.
            raise SendAlignError(f"cue '{where}': '{raw}' is not a gap (write ...N, N from 1 to 20)")
        elif raw in ("#", "#%"):
            digits = tuple(("start", d) for d in "0123456789")
            literals = frozenset("%" if raw == "#%" else "0123456789")
            rx = r"\d[\d,.]*" + (r"\s?%" if raw == "#%" else "")
            out.append(_Token("word", rx, triggers=digits, literals=literals))
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


@lru_cache(maxsize=8192)
def compile_cue(phrase: str, where: str = "cue") -> tuple[str, tuple[tuple[str, str], ...]]:
    """A cue phrase as a regular expression, and the words it is filed under (see the module's doc). Kept
    for the process: a cue is compiled for its list's expression, again for each alternative of its first
    word (`_by_first_letter`), and again where a list's words are wanted."""
    anchored, tokens = _tokens(phrase, where)
    # Possessive repeats throughout: "-" is both a word character here (well-being) and not a word character
    # (\W), so a run of dashes (a plain-text table's rule, "------  -----") could be split between the repeats
    # in exponentially many ways, and a 7 KB page took minutes; each repeat now takes what it can and keeps it.
    parts: list[str] = [r"^\W*+"] if anchored else []
    sep = r"\b"  # what must come before the next word: a word boundary at the start, else white space
    last = ""
    for tok in tokens:
        if tok.kind == "gap":
            n = tok.regex
            if sep == r"\b":
                parts.append(rf"(?:{_WORD_CHARS}++\W++){{0,{n}}}?")
            else:
                parts.append(rf"(?:\W++{_WORD_CHARS}++){{0,{n}}}?")
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
        # (Not a word boundary: a cue may end in a sign, "#%" in "41% have autism" or "23% social ... needs".)
        parts.append(r"(?!\w)")
    # The trigger: the first required word none of whose alternatives is a common word, and of those first
    # one none of whose alternatives is among the words most sentences of these documents hold (in "one parent
    # ...3 said", "said": filed under "parent", the cue would be searched for in nearly every sentence); else
    # the one with the fewest common alternatives (the last of equals: "there is no" is filed under "no").
    # Any required word is a right trigger: a sentence the cue matches holds each of them.
    required = [t for t in tokens if t.kind == "word" and not t.optional]
    common = [sum(w in _COMMON for _, w in t.triggers) for t in required]
    if 0 in common:
        rare = [i for i, c in enumerate(common) if c == 0]
        chosen = required[min(rare, key=lambda i: (any(w in _FREQUENT for _, w in required[i].triggers), i))]
    else:
        chosen = required[-1 - common[::-1].index(min(common))]
    return "".join(parts), chosen.triggers


def cue_keys(phrase: str, where: str = "cue") -> frozenset[str] | None:
    """Texts one of which the lower-cased text of every match of the cue holds, or None when no good set is
    known: the literals of one of its required words (each alternative's longest word), the one least likely
    to stand in a sentence (no common word among them, then the longest, then the fewest). A text holding none
    of them cannot match the cue, however the rest of it runs (gaps, optional words)."""
    _, tokens = _tokens(phrase, where)
    best: tuple[tuple[bool, int, int], frozenset[str]] | None = None
    for tok in tokens:
        if tok.kind != "word" or tok.optional or not tok.literals:
            continue
        shortest = min(map(len, tok.literals))
        if shortest < 2 and any(c.isalnum() for c in tok.literals):
            continue  # a letter or a digit stands in nearly every sentence
        score = (not tok.literals & (_COMMON | _FREQUENT), shortest, -len(tok.literals))
        if best is None or score > best[0]:
            best = (score, tok.literals)
    return None if best is None else best[1]


def keys_of(phrases: Iterable[str], where: str) -> frozenset[str] | None:
    """The keys of every cue (`cue_keys`), one set: a text holding none of them matches none of the cues.
    None when a cue has no keys (the cues must then always be searched for)."""
    keys: set[str] = set()
    for phrase in phrases:
        found = cue_keys(phrase, where)
        if found is None:
            return None
        keys |= found
    return frozenset(keys)


def trigger_is_common(triggers: Iterable[tuple[str, str]]) -> bool:
    """Whether a cue's trigger words are all common (a function word, a word most SEND sentences hold, or a
    start or end of a word of two letters or fewer): the cue is then searched for in nearly every sentence."""
    return all(
        w in _COMMON or w in _FREQUENT or (how != "word" and not w.isdigit() and len(w) <= 2)
        for how, w in triggers
    )


def _by_first_letter(phrase: str, where: str) -> list[tuple[str, str]] | None:
    r"""A cue that starts with a plain word, as one expression per alternative of that word (`is|are defined
    as`: `is\s+defined\s+as`, `are\s+defined\s+as`), each with its first letter and without its leading word
    boundary; None for any other cue (a gap, an optional word, a partial word, a first character that is
    not an ASCII letter or digit). Tried in the cue's order, the alternatives match where the cue does."""
    first, _, rest = phrase.partition(" ")
    alternatives = first.split("|")
    if not re.fullmatch(r"[\w'’.|-]+", first) or not all(a[:1].isascii() and a[:1].isalnum() for a in alternatives):
        return None
    out = []
    for alt in alternatives:
        rx, _ = compile_cue(f"{alt} {rest}" if rest else alt, where)
        out.append((alt[0].lower(), rx[2:]))
    return out


def _alternatives(phrases: Iterable[str], where: str) -> tuple[list[tuple[bool, str]], list[tuple[str, str]]]:
    """The cues' expressions in order, as (whether it starts at a word boundary, the expression without that
    boundary), and the words they are filed under (see `alternation`)."""
    parts: list[tuple[bool, str]] = []
    triggers: list[tuple[str, str]] = []
    run: list[str] = []
    letters: dict[str, list[str]] = {}

    def close_letters() -> None:
        run.extend("|".join(f"(?:{rx})" for rx in group) for group in letters.values())
        letters.clear()

    def flush() -> None:
        close_letters()
        if len(run) == 1:
            parts.append((True, f"(?:{run[0]})"))
        elif run:
            parts.append((True, "(?:" + "|".join(f"(?:{rx})" for rx in run) + ")"))
        run.clear()

    for p in phrases:
        rx, trig = compile_cue(p, where)
        if rx.startswith(r"\b"):
            split = _by_first_letter(p, where)
            if split is None:
                close_letters()
                run.append(rx[2:])
            else:
                for letter, part in split:
                    letters.setdefault(letter, []).append(part)
        else:
            flush()
            parts.append((False, f"(?:{rx})"))
        triggers.extend(trig)
    flush()
    return parts, triggers


def alternation(phrases: Iterable[str], where: str) -> tuple[str, list[tuple[str, str]]]:
    r"""The cues as one expression (alternatives in order), and the words they are filed under.

    Neighbouring cues that start with a word boundary share it: `\b(?:(?:but\b)|(?:however\b))` matches
    where `(?:\bbut\b)|(?:\bhowever\b)` does, but inside a word the search fails once rather than once
    per cue (the sentence checks are tried at every character of a sentence). Among them, those that start
    with a plain word are grouped by its first letter (`_by_first_letter`), each group one alternative
    that starts with that letter: at a word's start the engine skips, on its first character, every group
    but one, where it would have tried each cue (about half the instructions of the sentence checks). Cues
    with different first letters never match at the same place, so the match found is the same; a cue that
    cannot be grouped keeps its place, the groups before it closed."""
    parts, triggers = _alternatives(phrases, where)
    return _joined(parts), triggers


def _joined(parts: list[tuple[bool, str]]) -> str:
    return "|".join(rf"\b{rx}" if bounded else rx for bounded, rx in parts)


# A cue list with more keys than this (those holding another left out) is searched for without them.
MAX_KEYS = 24


def _few(keys: frozenset[str] | None) -> frozenset[str] | None:
    """The keys, where there are at most MAX_KEYS of them once those holding another are left out."""
    if keys is None or sum(not any(o != k and o in k for o in keys) for k in keys) > MAX_KEYS:
        return None
    return keys


class SentenceCues:
    """A sentence check: cues that must start the sentence are tried there only (a match, not a search).

    Each part is first tested for its keys (`keys_of`) where they are few: testing for each of many keys costs
    about what the search itself does (measured on the shipped lists: 20 keys about 2 µs, a search 2-10 µs)."""

    __slots__ = ("anywhere", "start")

    def __init__(self, phrases: Iterable[str], where: str) -> None:
        phrases = list(phrases)
        start = [p for p in phrases if p.startswith("^")]
        anywhere = [p for p in phrases if not p.startswith("^")]
        self.start = compile_pattern(alternation(start, where)[0], where, _few(keys_of(start, where)))
        self.anywhere = compile_pattern(alternation(anywhere, where)[0], where, _few(keys_of(anywhere, where)))

    def search(self, sentence: str) -> re.Match[str] | None:
        return self.start.match(sentence) or self.anywhere.search(sentence)


# Characters that lower-casing and matching in any case treat alike: Latin-1 (but the micro sign, which matches
# Greek mu in any case) and uncased punctuation (dashes, quotes, bullets). A text holding only these matches a
# lower-case expression, once lower-cased, exactly where it matches the expression in any case.
_FOLDS_PLAINLY = re.compile("[^\x00-\xb4\xb6-\xff\u2000-\u205f\u25a0-\u25ff]")


class CuePattern:
    """A cue list's expression, matched in any case, as a `re.Pattern` is.

    An expression in any case cannot rule out an alternative by its first character (Python's engine skips
    only branches that start with a plain character), and every cue list is one long alternation: so the
    search runs a case-sensitive twin over the lower-cased text (the cue words are written in lower case),
    about half the instructions. The match it finds is made again in the original text by the expression in
    any case, at the same position, so what the caller quotes is the text as written. Text that lower-casing
    would change otherwise (dotted I, long s) is searched the plain way.

    With `keys` (`keys_of` the cues), texts one of which every match holds: the lower-cased text is first
    tested for them (`in`, a scan in C), and a text holding none is passed over without the search, which,
    its expression starting with a word boundary or a gap, is tried at every character."""

    __slots__ = ("_plain", "folded", "keys", "pattern")

    def __init__(self, pattern: str, keys: Iterable[str] | None = None) -> None:
        self.pattern = pattern
        # The expression's own letters are lower case (see `_word_token`); one with other letters, which
        # could match a text's letters another way in any case, is always matched the plain way.
        self.folded = re.compile(pattern) if pattern and not _FOLDS_PLAINLY.search(pattern) else None
        # The expression in any case, compiled when first needed where the folded one can serve (most cue
        # lists meet no text that is not plain, and many no match, in a check of a few documents: compiling
        # every list twice was a tenth of a check's start). The folded one, compiled now, has found any error.
        self._plain: re.Pattern[str] | None = None
        if self.folded is None:
            self._plain = re.compile(pattern, re.I) if pattern else re.compile(r"(?!)")
        # (Only the folded search is passed over: what it matches in the lower-cased text holds a key there. A
        # key that holds another is left out: a text holding it holds the other.)
        found = set(keys) if pattern and keys and self.folded is not None else set()
        self.keys = tuple(sorted(k for k in found if not any(o != k and o in k for o in found))) or None

    def __reduce__(self) -> tuple[type[CuePattern], tuple[str, tuple[str, ...] | None]]:
        return CuePattern, (self.pattern, self.keys)

    @property
    def plain(self) -> re.Pattern[str]:
        """The expression in any case (see `_plain`)."""
        plain = self._plain
        if plain is None:
            plain = self._plain = re.compile(self.pattern, re.I)
        return plain

    def _passed_over(self, low: str, pos: int, endpos: int) -> bool:
        """Whether the lower-cased text (from `pos` to `endpos`) holds none of the keys."""
        keys = self.keys
        if keys is None:
            return False
        if pos or endpos < len(low):
            low = low[pos:endpos]
        return not any(map(low.__contains__, keys))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        folded = self.folded
        if folded is not None and (text.isascii() or _FOLDS_PLAINLY.search(text) is None):
            low = text.lower()
            if self._passed_over(low, pos, endpos):
                return None
            m = folded.search(low, pos, endpos)
            return None if m is None else self.plain.match(text, m.start(), endpos)
        return self.plain.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        folded = self.folded
        if folded is not None and (text.isascii() or _FOLDS_PLAINLY.search(text) is None):
            low = text.lower()
            if self._passed_over(low, pos, endpos) or folded.match(low, pos, endpos) is None:
                return None
        return self.plain.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        folded = self.folded
        if folded is None or not (text.isascii() or _FOLDS_PLAINLY.search(text) is None):
            yield from self.plain.finditer(text, pos, endpos)
            return
        low = text.lower()
        if self._passed_over(low, pos, endpos):
            return
        match = self.plain.match
        for m in folded.finditer(low, pos, endpos):
            found = match(text, m.start(), endpos)
            assert found is not None
            yield found

    def sub(self, repl: str, text: str) -> str:
        folded = self.folded
        if folded is not None and (text.isascii() or _FOLDS_PLAINLY.search(text) is None):
            low = text.lower()
            if self._passed_over(low, 0, len(low)) or folded.search(low) is None:
                return text
        return self.plain.sub(repl, text)


# A token's first character (a non-space after a space or at the start).
_TOKEN_START = re.compile(r"(?<!\S)\S")
# Texts shorter than this are searched whole for their last break.
_WINDOW_MIN = 400


class BreakPattern(CuePattern):
    """Clause breaks, of which only the last before a hit matters: in a long sentence only the text from a
    word a few words back is searched, where that cannot change which break is last."""

    __slots__ = ("inner",)

    def __init__(self, pattern: str, inner: frozenset[str] | None) -> None:
        super().__init__(pattern)
        # The words that follow another in a break phrase ("that" of "so that"); None when a phrase could run
        # across any word (gaps, optional or partial words).
        self.inner = inner

    def __reduce__(self) -> tuple[type[BreakPattern], tuple[str, frozenset[str] | None]]:  # type: ignore[override]
        return BreakPattern, (self.pattern, self.inner)

    def last_end(self, text: str, words: int | None = None) -> tuple[int, bool]:
        """Where the text after its last break starts (0 when it has none), and whether that is sure.

        With `words`, a long text is searched from the start of a word at least that many words (white-space
        tokens) from its end, a word that no break phrase continues into (so no break runs across it): every
        break from there on is found as a search of the whole text finds it. When none stands there, the
        window's start is returned, not sure: an earlier break may stand (but not in the last `words` words)."""
        folded = self.folded
        if folded is not None and (text.isascii() or _FOLDS_PLAINLY.search(text) is None):
            low = text.lower()
            start = 0
            if words is not None and self.inner is not None and len(text) > _WINDOW_MIN:
                start = self._window(low, words)
            end = start
            for m in folded.finditer(low, start):
                end = m.end()
            return end, start == 0 or end > start
        end = 0
        for m in self.plain.finditer(text):
            end = m.end()
        return end, True

    def _window(self, low: str, words: int) -> int:
        lo = max(0, len(low) - 40 * (words + 4))
        starts = [m.start() for m in _TOKEN_START.finditer(low, lo)]
        inner = self.inner or frozenset()
        for i in range(len(starts) - words, -1, -1):
            at = starts[i]
            if at == 0:
                return 0
            token = low[at : at + 40].replace("’", "'")
            if not any(token.startswith(w) for w in inner):
                return at
        return 0


def inner_words(phrases: Iterable[str]) -> frozenset[str] | None:
    """The words of break phrases that follow another word of the phrase ("that" of "so that"), lower-cased,
    or None when a phrase has anything but plain words (gaps, optional or partial words, punctuation)."""
    inner: set[str] = set()
    for phrase in phrases:
        for i, raw in enumerate(phrase.split()):
            if raw.startswith("...") or not re.fullmatch(r"[\w'’.|-]+", raw) or not re.search(r"\w", raw):
                return None
            for alt in raw.split("|"):
                parts = [w.lower().replace("’", "'") for w in alt.split("_")]
                inner.update(parts if i else parts[1:])
    return frozenset(inner)


def compile_pattern(pattern: str, where: str, keys: Iterable[str] | None = None) -> CuePattern:
    """A cue list's expression, compiled when the matcher is (a run answered from the cache never is); `keys`
    as `CuePattern`'s."""
    try:
        return CuePattern(pattern, keys)
    except re.error as exc:
        raise SendAlignError(f"cues '{where}' do not compile: {exc}") from None


def grouped(lists: Mapping[str, tuple[str, ...]], prefix: str) -> tuple[str, list[tuple[str, str]]]:
    r"""One expression with a named group per kind under `prefix` ('before', 'after').

    Where every kind's cues start at a word boundary, the groups share it: `\b(?:(?P<a>...)|(?P<b>...))`
    matches where `(?P<a>\b...)|(?P<b>\b...)` does, with the same group, but between words the search fails
    once rather than once per kind (about 40% of the instructions of the search for cues before a hit)."""
    kinds: list[tuple[str, list[tuple[bool, str]]]] = []
    triggers: list[tuple[str, str]] = []
    for key in sorted(lists):
        if key.startswith(prefix + ".") and lists[key]:
            parts, trig = _alternatives(lists[key], key)
            kinds.append((key.split(".", 1)[1], parts))
            triggers += trig
    if kinds and all(len(parts) == 1 and parts[0][0] for _, parts in kinds):
        return r"\b(?:" + "|".join(f"(?P<{name}>{parts[0][1]})" for name, parts in kinds) + ")", triggers
    return "|".join(f"(?P<{name}>{_joined(parts)})" for name, parts in kinds), triggers


# A dash standing alone between words ("not going to fix everything at once – parents told us ...") ends a
# clause as a semicolon does; a hyphen inside a word ("non-SEND", "well-being") does not.
_SPACED_DASH = "(?<!\\S)[-\u2013\u2014](?!\\S)"


def breaks(words: tuple[str, ...], punct: str) -> str:
    rx, _ = alternation(words, "breaks")
    return f"[{punct}]|{_SPACED_DASH}" + (f"|{rx}" if rx else "")


def compile_breaks(words: tuple[str, ...], punct: str, where: str) -> BreakPattern:
    """A break list's expression (see `breaks`), compiled to find the last break before a hit."""
    try:
        return BreakPattern(breaks(words, punct), inner_words(words))
    except re.error as exc:
        raise SendAlignError(f"cues '{where}' do not compile: {exc}") from None
