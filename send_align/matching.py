"""Phrase matching over stemmed tokens: compile rules into one trie, scan a document in one pass.

Pure functions and values: no I/O. A phrase's lower-case words match any case and any word form
(through the Snowball stemmer); a word with a capital letter is an acronym, matched exactly with an
optional plural "s"; hyphenated words also match joined and spaced; British and American spellings
meet in one form.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, product
from operator import itemgetter
from typing import Any, NamedTuple

from send_align.model import Aim, Catalogue, Rule
from send_align.results import Block, Evidence
from send_align.scoring import REPEAT_BONUS, REPEAT_CAP
from send_align.stemming import stem


class LazyPattern:
    """A regular expression compiled on first use: the judging expressions are large, and a run answered
    from the cache, or a look-up command, never needs them."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


TOKEN_RE = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)*")
# The same tokens as a capturing split: separators and words alternate, all found at C speed.
_SPLIT_RE = re.compile(r"([0-9A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)*)")
# Determiners vary freely between documents ("with parents", "with our parents") and carry no meaning here.
SKIP = frozenset({"the", "a", "an", "our", "their", "your", "its", "his", "her", "my"})
END = ""


def phrase_variants(phrase: str) -> list[tuple[str, ...]]:
    """The key sequences a phrase compiles to (hyphenated words: spaced and joined)."""
    options: list[list[tuple[str, ...]]] = []
    for chunk in phrase.split():
        exact = chunk.startswith("=")
        parts = [p for p in re.split(r"[-‐‑–/]", chunk.lstrip("=")) if TOKEN_RE.search(p)]
        if not parts:
            continue
        words = [" ".join(("=" if exact else "") + t for t in TOKEN_RE.findall(p)) for p in parts]
        spaced = tuple(w for p in words for w in p.split())
        if len(parts) > 1:
            joined = "".join(w.lstrip("=") for w in words).replace(" ", "")
            options.append([spaced, (("=" if exact else "") + joined,)])
        else:
            options.append([spaced])
    out = []
    for combo in product(*options):
        words = [w for part in combo for w in part]
        keys = tuple(_phrase_key(w) for w in words if w.lstrip("=").lower() not in SKIP)
        if keys:
            out.append(keys)
    return list(dict.fromkeys(out))


def _phrase_key(word: str) -> str:
    """A phrase word's trie key: '=' + exact form for acronyms, '~' + word for '=word', else its stem."""
    if word.startswith("="):
        return "~" + word[1:].lower()
    return "=" + word if word != word.lower() else stem(word)


# --- sentences and filters -------------------------------------------------------------------------

_SENTENCE_END = re.compile(
    r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•])"
    r"|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s)"
)
# (One word boundary before a group of words, not one per word: several times faster in Python's re.)
_CLAUSE_BREAK = LazyPattern(
    r"[;:]|\b(?:but|however|although|though|whereas|instead|except|while|unless|so that|which|who|where|when"
    r"|and)\b",
    re.I,
)
_WEAK_BREAK = LazyPattern(r"[,;:(]|\b(?:but|however|so that|which|who|where|when|and|or)\b", re.I)
# Cues that undo what follows them within a clause ("we will no longer fund ...").
_STRONG_NEG = LazyPattern(
    r"\b(?:no longer|not (?:be )?(?:continu|replac|renew|extend)\w*|ceas\w*|stop(?:s|ped|ping)?|discontinu\w*"
    r"|withdraw\w*|decommission\w*|cancell?(?:ed|ing|ation)?|postpon\w*|clos(?:e|es|ed|ing) (?:down )?|end(?:s|ed|ing)? (?:the |our |its |their )?fund\w*"
    r"|cut(?:s|ting)? (?:the |our )?fund\w*|remov(?:e|es|ed|ing)|scrapp?\w*|abolish\w*|redesignat\w*"
    r"|(?:does|do|did|will|shall|can|could|would|is|are|was|were|has|have|had)(?: not|n't)|won't|cannot|can't"
    r"|not (?:yet|currently|provide|offer|include|cover)\w*|outside (?:of )?(?:the |its )?(?:scope|remit)"
    r"|out of scope|beyond (?:the )?scope|not within|not (?:part|in scope) of|there (?:is|are|was|were) no"
    r"|no (?:new|further|additional|longer|plans?|shared|agreed|clear)|lack(?:s|ed|ing)? (?:of |a |an |any )?"
    r"|absence of|neither|nor|never|previous(?:ly)?|used to|formerly|in the past|instead of|rather than"
    r"|too few|too little|not enough|insufficient\w*|poor(?:ly)?|inconsistent(?:ly)?|weak|delays? in"
    r"|without (?:a |an |any )?(?:clear |agreed )?(?:plan|strategy))\b",
    re.I,
)
# Sentence-level checks are regular expressions, slow to run on every sentence; each is tried only where
# a sentence holds a word that starts one of its cues (a word's flags are worked out once per distinct word).
# Keep these in step with the expressions they guard.
# Every match of a guarded expression contains at least one word carrying its bit.
STRONG, WEAK, AFTER, REFERENCE, DEFERRAL = 1, 2, 4, 8, 16
CUE = STRONG | WEAK | AFTER
# (bit, whole words, word beginnings); a word ending in "n't" is a STRONG and AFTER cue.
_FLAG_WORDS: tuple[tuple[int, frozenset[str], tuple[str, ...]], ...] = tuple(
    (bit, frozenset(words.split()), tuple(starts.split()))
    for bit, words, starts in (
        (
            STRONG,  # _STRONG_NEG (before a hit, in its clause)
            "no not nor never neither cannot beyond used past instead rather too poor poorly weak delay delays"
            " without close closes closed closing end ends ended ending cut cuts cutting scope absence formerly",
            "ceas stop discontinu withdraw decommission cancel postpon remov scrap abolish redesignat outside lack"
            " previous insufficient inconsistent",
        ),
        (WEAK, "not no non none", ""),  # _WEAK_NEG (just before a hit)
        (
            AFTER,  # _AFTER_NEG (after a hit)
            "not no out beyond excluded withdrawn closed ceased stopped cut removed decommissioned redesignated"
            " cancelled canceled postponed paused suspended scrapped dropped abandoned discontinued stop cease end"
            " close outside scope poorly inconsistent too small low limited patchy insufficient",
            "",
        ),
        (
            REFERENCE,  # _REFERENCE_SENTENCE
            "read see related linked other background further useful acronyms abbreviations glossary key"
            " definitions jargon visit",
            "",
        ),
        (
            DEFERRAL,  # _DEFERRED
            "covered set dealt addressed described handled considered repeated follow follows reported approved",
            "",
        ),
    )
)


def word_flags(word: str) -> int:
    """Which sentence checks a word can start a cue for (CUE, REFERENCE, DEFERRAL bits)."""
    low = word.lower().replace("’", "'")
    flags = STRONG | AFTER if low.endswith("n't") else 0
    for bit, words, starts in _FLAG_WORDS:
        if low in words or (starts and low.startswith(starts)):
            flags |= bit
    return flags


_RELATIVE_CLAUSE = LazyPattern(r",\s*(?:who|which|whose|whom|where|when)\b[^,;:]*,", re.I)
_WEAK_NEG = LazyPattern(r"\b(?:not|no|non|none)\b", re.I)
_PSEUDO_NEG = LazyPattern(
    r"\b(?:not only|not just|no matter|whether or not|if not|no doubt|not least"
    r"|not necessarily|no later than|no more than|no less than|not wait|do not need to wait"
    r"|not have to wait|no need to wait|not (?:fall|get) behind|not need a diagnosis"
    r"|not need to have|without an? (?:EHC|diagnosis))\b",
    re.I,
)
# Cues after a hit that say it is out of scope or not done ("post-16 provision is outside the scope").
_AFTER_NEG = LazyPattern(
    r"^\W*(?:\w+\W+){0,6}?(?:(?:is|are|was|were|will be|has been|have been) (?:not|no longer|outside|out of|beyond"
    r"|excluded|withdrawn|closed|ceased|stopped|cut|removed|decommissioned|redesignated|not yet|cancell?ed"
    r"|postponed|paused|suspended|scrapped|dropped|abandoned|discontinued)"
    r"|(?:isn't|aren't|won't|wasn't|weren't)|will (?:not|no longer|stop|cease|end|close)|not covered"
    r"|(?:lies|falls|sits) outside|outside (?:the )?scope|out of scope|not (?:in|within) scope|not provided"
    r"|not included|not repeated here|not part of|(?:often |sometimes |too )?poorly|not consistent|inconsistent"
    r"|too (?:slow|late|long|few|weak)|not (?:yet |always )?(?:in place|good enough|effective|timely)"
    # A finding of short supply ("access remains patchy"); "limited to" is a rule, not a shortage.
    r"|(?:is|are|was|were|remains?|remained) (?:still |very |too )?(?:limited(?! to)|patchy|insufficient))\b",
    re.I,
)
_REFERENCE_SENTENCE = LazyPattern(
    r"\bread (?:alongside|in conjunction with|together with|with)\b|\bsee also\b|\brelated (?:policies|documents"
    r"|pages|information|guidance)\b|\blinked policies\b|\bother (?:relevant |related )?policies\b"
    r"|\bbackground papers?\b|\bfurther (?:reading|information)\s*:|\buseful links\b"
    r"|^\W*(?:acronyms|abbreviations|glossary|key terms|definitions|jargon buster)\s*[:–—-]"
    r"|^\W*(?:[\w-]+\W+){0,3}(?:see|visit)\s+(?:the|our)\s+(?:[\w-]+\s+){0,5}(?:page|pages|section|website|webpage"
    r"|site|leaflet)\b",
    re.I,
)
_DEFERRED = LazyPattern(
    r"\b(?:is|are|will be) (?:covered|set out|dealt with|addressed|described|handled|considered) (?:in|by|under)"
    r" (?:the |a |our |its |their )?(?:separate|own|forthcoming|later|future|next)\b"
    r"|\bwill be considered (?:in|by|as part of|through|under)\b|\bnot repeated here\b"
    r"|\bfollows? (?:a|the|its own) separate (?:process|procedure|policy|route)\b"
    r"|\b(?:reported|set out|described|approved) (?:separately |previously |earlier )?(?:to|in|by) (?:the )?"
    r"(?:Cabinet|committee|board|scrutiny|previous report|separate report|earlier report)\b",
    re.I,
)
REFERENCE_HEADING = LazyPattern(
    r"glossar|abbreviation|acronym|jargon|\breferences?\b|\bcontents\b|related (?:documents|policies|pages|links"
    r"|information|reading|guidance)|background papers|further (?:information|reading)|useful (?:links|contacts"
    r"|websites)|\bdefinitions\b|key terms|terms used|bibliography|\bsources\b|\bappendix\b.*\b(?:terms|glossary)"
    r"|\blinks\b|\bsee also\b|version (?:control|history)|document control",
    re.I,
)
FINDINGS_HEADING = LazyPattern(
    r"areas? for (?:improvement|development)|needs? to (?:do better|improve)|what (?:needs|is needed) to improve"
    r"|what does .* need to do|weaknesses|concerns raised|what (?:we|you) told us|what is not working"
    r"|what (?:parents|families|young people|children) (?:said|told us)|survey results|key findings",
    re.I,
)


def split_sentences(text: str) -> list[int]:
    """Start offsets of the sentences (and list items) of a block."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def negation_reason(
    sentence: str, start: int, end: int, cues_before: int = CUE, cues_after: int = CUE
) -> str | None:
    """Why a hit at sentence[start:end] is not evidence (negated, stopped, out of scope), or None.

    `cues_before` and `cues_after` (`word_flags` of the words before and after the hit) let checks that
    cannot match be skipped."""
    if not cues_before & (STRONG | WEAK):
        return _after_reason(sentence, start, end) if cues_after & AFTER else None
    # A relative clause set off by commas ("Staff, who were not in post, will ...") negates nothing outside it.
    before = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group(0)), sentence[:start])
    # The clause the hit stands in: strong cues reach back to its start.
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(before):
        clause_start = brk.end()
    clause = before[clause_start:]
    clause_words = clause.split()
    strong = _PSEUDO_NEG.sub(" ", " ".join(clause_words[-12:]))
    m = _STRONG_NEG.search(strong)
    if m:
        return f"negated or stopped ('{m.group(0).strip()}' before it)"
    weak_start = 0
    for m2 in _WEAK_BREAK.finditer(before):
        weak_start = m2.end()
    near = _PSEUDO_NEG.sub(" ", " ".join(before[weak_start:].split()[-5:]))
    m = _WEAK_NEG.search(near)
    if m:
        return f"negated ('{m.group(0)}' before it)"
    return _after_reason(sentence, start, end) if cues_after & AFTER else None


# "The number of supported internships is small": a count found small is a shortfall (while "our nurture
# groups are small" describes the provision, so "small" alone is no cue).
_COUNTED_BEFORE = LazyPattern(r"\b(?:number|numbers|proportion|percentage|share) of\s+(?:\S+\s+){0,3}$", re.I)
_SMALL_AFTER = LazyPattern(
    r"^\W*(?:is|are|was|were|remains?|remained) (?:still |very |too )?(?:small|low)\b", re.I
)


def _after_reason(sentence: str, start: int, end: int) -> str | None:
    after = sentence[end:]
    cut = _WEAK_BREAK.search(after)
    tail = after[: cut.start()] if cut and cut.group(0) not in (",",) else after
    tail = " ".join(tail[:200].split())[:160]  # line breaks inside (wrapped text) are spaces to these checks
    m = _AFTER_NEG.search(tail)
    if m and not _PSEUDO_NEG.search(m.group(0)):
        return f"negated or out of scope ('{m.group(0).strip()[-40:]}' after it)"
    m = _SMALL_AFTER.match(tail)
    if m and _COUNTED_BEFORE.search(sentence[:start]):
        return f"a shortfall ('{m.group(0).strip()}' after it)"
    return None


@lru_cache(maxsize=4096)
def is_reference_section(section: str | None) -> bool:
    """Whether a heading names a glossary, contents or reference list."""
    return bool(section and REFERENCE_HEADING.search(section))


@lru_cache(maxsize=4096)
def section_reason(section: str | None) -> str | None:
    """Why nothing under this heading is evidence (glossary, reference list, findings), or None."""
    if not section:
        return None
    if is_reference_section(section):
        return f"passing mention under '{section[:60]}' (glossary, contents or reference list)"
    if FINDINGS_HEADING.search(section):
        return f"a finding or recommendation under '{section[:60]}', not a commitment"
    return None


def reference_reason(block: Block, sentence: str, cues: int = REFERENCE | DEFERRAL) -> str | None:
    """Why a hit is only a passing mention (heading, glossary, reference list, findings), or None.

    `cues` (from `word_flags`) may rule out checks whose cue words the sentence lacks."""
    if block.kind == "heading":
        return "a heading, not a statement"
    by_section = section_reason(block.section)
    if by_section:
        return by_section
    if cues & REFERENCE and _REFERENCE_SENTENCE.search(sentence):
        return "passing mention in a list of related documents"
    if cues & DEFERRAL and _DEFERRED.search(sentence):
        return "left to another document or a later review"
    if is_glossary_entry(sentence):
        return "a glossary entry (an acronym and what it stands for)"
    return None


_GLOSSARY_HEAD = LazyPattern(r"\W*[A-Z][A-Za-z&]{1,11}s?\s*(?:[–—:=]|-\s)")
_GLOSSARY_ENTRY = LazyPattern(r"^\W*([A-Z][A-Za-z&]{1,11}s?)\s*(?:[–—:=]|-\s)\s*(.{3,120}?)[.;]?\s*$")


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


# --- the compiled index ----------------------------------------------------------------------------


MAX_KNOWN_WORDS = 500_000
# The automaton's alphabet: a determiner, a word in no phrase, a word whose keys were not foreseen (the
# block is then walked through the trie instead), then one character per key from FIRST_KEY_CHAR.
SKIP_CHAR, OTHER_CHAR, UNKNOWN_CHAR = "\x01", "\x02", "\x03"
FIRST_KEY_CHAR = 0x100


@dataclass(frozen=True)
class Target:
    """What a phrase is evidence for: a group of a rule of an aim, an exclusion, or a context."""

    aim: int
    rule: int
    group: int
    """Group index; -1 for an `unless` phrase."""


@dataclass
class Matcher:
    """All rules of the selected aims compiled into one trie of stemmed keys."""

    aims: list[Aim]
    trie: dict[str, Any] = field(default_factory=dict)
    """Nested dicts keyed by word keys; END holds the pattern id that ends at a node."""
    phrases: list[str] = field(default_factory=list)
    """Every distinct phrase compiled."""
    patterns: dict[tuple[str, ...], int] = field(default_factory=dict)
    """Distinct key sequences: 'school', 'schools' and 'our school' are one pattern, found once."""
    targets: list[list[Target]] = field(default_factory=list)
    """Per pattern: what it is evidence for."""
    context_of: list[list[str]] = field(default_factory=list)
    contexts: dict[str, int] = field(default_factory=dict)
    """Context name to the number of paragraphs required."""
    masks: set[int] = field(default_factory=set)
    """Pattern ids of masks: names whose matches hide shorter hits inside them."""
    primary: list[list[tuple[int, int]]] = field(default_factory=list)
    """Per pattern: the (aim, rule) pairs whose main group it belongs to."""
    special: set[str] = field(default_factory=set)
    """Keys of exact-form words ('=SEN', '~locally') that some phrase uses."""
    known: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Document words seen so far and their trie keys (each distinct word is stemmed once)."""
    flags: dict[str, int] = field(default_factory=dict)
    """Document words seen so far and the sentence checks they can cue (see `word_flags`)."""
    codes: dict[str, str] = field(default_factory=dict)
    """Document words seen so far and their one-character codes for the automaton."""
    key_char: dict[str, str] = field(default_factory=dict)
    """Each trie key's character in the automaton's alphabet."""
    class_char: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Characters for words with several keys ('SEN' is both the stem 'sen' and the acronym)."""
    automaton: Any = None
    """Every pattern as a string of key characters, in an Aho-Corasick automaton (a compiled DFA)."""
    automaton_values: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    """Per automaton string: its length in words and the pattern ids it stands for."""
    options: dict[str, list[str]] = field(default_factory=dict)
    """Each key's characters: its own, and those of several-key words that include it."""
    rule_info: list[list[tuple[Rule, int, bool]]] = field(default_factory=list)
    """Per aim, per rule: the rule, its number of groups, whether they must share a sentence."""
    compound: set[tuple[int, int]] = field(default_factory=set)
    """(aim, rule) of rules with `with` groups or `unless` lists: only these need other hits filed."""
    group_patterns: dict[tuple[int, int], list[tuple[int, frozenset[int]]]] = field(default_factory=dict)
    """For those rules: each further group (and -1, `unless`) with its pattern ids."""
    simple: set[int] = field(default_factory=set)
    """One-word patterns found only as `with`/`unless` words ('children', 'support'): half of all matches.
    They are left out of the automaton and looked for, as one character class per group, only in
    blocks where a rule needs them."""
    group_lookups: dict[tuple[int, int], list[tuple[int, frozenset[int], frozenset[int], Any]]] = field(
        default_factory=dict
    )
    """Per compound rule, per group: all its patterns, those the automaton finds, and the expression for
    its one-word patterns (None when it has none)."""

    def keys_for(self, surface: str) -> tuple[str, ...]:
        """Every trie key a document word can match: its stem, plus exact forms some phrase asks for."""
        keys = self.known.get(surface)
        return self.learn(surface) if keys is None else keys

    def learn(self, surface: str) -> tuple[str, ...]:
        if len(self.known) >= MAX_KNOWN_WORDS:
            # Vocabulary is bounded in real text; a stream of random tokens must not grow memory for ever.
            self.known.clear()
            self.flags.clear()
            self.codes.clear()
        keys = self.known[surface] = self._compute_keys(surface)
        self.flags[surface] = word_flags(surface)
        self.codes[surface] = self._code(keys)
        return keys

    def _code(self, keys: tuple[str, ...]) -> str:
        if not keys:
            return SKIP_CHAR
        known = tuple(k for k in keys if k in self.key_char)
        if not known:
            return OTHER_CHAR
        if len(known) == 1:
            return self.key_char[known[0]]
        return self.class_char.get(known, UNKNOWN_CHAR)

    def build_automaton(self) -> None:
        """Compile every pattern into the automaton: one character per word, a determiner optional
        between words, and the characters of several-key words wherever one of their keys stands."""
        import ahocorasick_rs

        def next_char() -> str:
            n = FIRST_KEY_CHAR + len(self.key_char) + len(self.class_char)
            return chr(n if n < 0xD800 else n + 0x800)  # never a surrogate

        for keys in self.patterns:
            for k in keys:
                if k not in self.key_char:
                    self.key_char[k] = next_char()
        classes: set[tuple[str, ...]] = set()
        for sp in self.special:
            word = sp[1:]
            if sp[0] == "~":
                surfaces = [word, word.upper(), word.capitalize(), word + "'s", word.capitalize() + "'s"]
            else:
                surfaces = [word, word + "s", word + "'s"]
            for surface in surfaces:
                known = tuple(k for k in self._compute_keys(surface) if k in self.key_char)
                if len(known) > 1:
                    classes.add(known)
        for cls in sorted(classes):
            self.class_char[cls] = next_char()
        options = {k: [c] for k, c in self.key_char.items()}
        for cls, c in self.class_char.items():
            for k in cls:
                options[k].append(c)
        found: dict[str, list[int]] = {}
        self.options = options
        for keys, pid in self.patterns.items():
            if pid in self.simple:
                continue
            for combo in product(*(options[k] for k in keys)):
                for gaps in product(("", SKIP_CHAR), repeat=len(combo) - 1):
                    text = combo[0] + "".join(g + c for g, c in zip(gaps, combo[1:], strict=True))
                    found.setdefault(text, []).append(pid)
        self.automaton = ahocorasick_rs.AhoCorasick(list(found)) if found else None
        self.automaton_values = [(len(text), tuple(pids)) for text, pids in found.items()]

    def _compute_keys(self, surface: str) -> tuple[str, ...]:
        low = surface.lower().replace("’", "'")
        if low in SKIP:
            return ()
        out = [stem(low)]
        bare = low[:-2] if low.endswith("'s") else low
        if "~" + bare in self.special:
            out.append("~" + bare)
        if surface != low:
            form = surface.replace("’", "'")
            if form.endswith("'s"):
                form = form[:-2]
            for cand in (form, form[:-1] if len(form) > 2 and form.endswith("s") else None):
                if cand and "=" + cand in self.special:
                    out.append("=" + cand)
        return tuple(out)

    def _add(self, phrase: str) -> list[int]:
        """The pattern ids of a phrase's variants, adding patterns not seen before."""
        self.phrases.append(phrase)
        out = []
        for keys in phrase_variants(phrase):
            pid = self.patterns.get(keys)
            if pid is None:
                pid = self.patterns[keys] = len(self.targets)
                self.targets.append([])
                self.context_of.append([])
                node = self.trie
                for key in keys:
                    if key[0] in "=~":
                        self.special.add(key)
                    node = node.setdefault(key, {})
                node[END] = [pid]
            out.append(pid)
        return out


def compile_matcher(catalogue: Catalogue, aims: Sequence[Aim]) -> Matcher:
    m = Matcher(list(aims))
    ids: dict[str, list[int]] = {}

    def pids(phrase: str) -> list[int]:
        if phrase not in ids:
            ids[phrase] = m._add(phrase)
        return ids[phrase]

    for ai, aim in enumerate(m.aims):
        for ri, rule in enumerate(aim.rules):
            for gi, group in enumerate(rule.groups):
                for phrase in group:
                    for p in pids(phrase):
                        m.targets[p].append(Target(ai, ri, gi))
            for phrase in rule.unless:
                for p in pids(phrase):
                    m.targets[p].append(Target(ai, ri, -1))
    for phrase in catalogue.masks:
        m.masks.update(pids(phrase))
    needed = {a.context for a in m.aims if a.context}
    for name in sorted(needed):
        ctx = catalogue.contexts[name]
        m.contexts[name] = ctx.min_paragraphs
        for phrase in ctx.phrases:
            for p in pids(phrase):
                if name not in m.context_of[p]:
                    m.context_of[p].append(name)
    # Every pattern is known now (contexts may have added some): what each is evidence for.
    m.targets = [list(dict.fromkeys(ts)) for ts in m.targets]
    m.primary = [[(t.aim, t.rule) for t in ts if t.group == 0] for ts in m.targets]
    m.rule_info = [[(r, len(r.groups), r.within == "sentence") for r in a.rules] for a in m.aims]
    groups: dict[tuple[int, int], dict[int, set[int]]] = {}
    for p, ts in enumerate(m.targets):
        for t in ts:
            if t.group != 0:
                groups.setdefault((t.aim, t.rule), {}).setdefault(t.group, set()).add(p)
    m.group_patterns = {
        key: [(g, frozenset(ps)) for g, ps in sorted(gs.items())] for key, gs in groups.items()
    }
    m.compound = set(m.group_patterns)
    single = {pid for keys, pid in m.patterns.items() if len(keys) == 1}
    m.simple = {p for p in single if not m.primary[p] and not m.context_of[p] and p not in m.masks}
    m.build_automaton()
    key_of = {pid: keys[0] for keys, pid in m.patterns.items() if pid in m.simple}
    for key, entries in m.group_patterns.items():
        lookups = []
        for g, patterns in entries:
            chars = sorted({c for p in patterns if p in m.simple for c in m.options[key_of[p]]})
            expr = re.compile("[" + "".join(re.escape(c) for c in chars) + "]") if chars else None
            lookups.append((g, patterns, frozenset(patterns - m.simple), expr))
        m.group_lookups[key] = lookups
    return m


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


class BlockScan:
    """A block's pattern matches as (pattern id, first word, last word), ready to be made into hits.

    Blocks are tokenised and scanned in batches (see `scan_blocks`): word indexes and character offsets
    count from the start of the batch; a block's own text starts at `base`, its words are w0 to w1.
    (A plain slotted class: one is made per paragraph, so its construction is on the hot path.)"""

    __slots__ = (
        "_sentence_starts",
        "base",
        "block",
        "line",
        "made",
        "masked",
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
        # Hits made so far, each once however many rules use it.
        self.made: dict[Match, Hit] = {}
        self._sentence_starts: list[int] | None = None

    def hit(self, pattern: int, first: int, last: int) -> Hit:
        """The hit of a match, its offsets within the block's text."""
        key = (pattern, first, last)
        made = self.made.get(key)
        if made is None:
            s = self.offsets[2 * first] - self.base
            made = Hit(
                pattern,
                s,
                self.offsets[2 * last + 1] - self.base,
                bisect.bisect_right(self.sentence_starts, s) - 1,
            )
            self.made[key] = made
        return made

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
_BY_END = itemgetter(2, 1)
_FIRST_WORD = itemgetter(1)


def _MAIN_ORDER(r: Match) -> tuple[int, int]:
    """Main matches by first word, the longest first."""
    return r[1], -r[2]


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


def _scan_batch(matcher: Matcher, batch: list[Block]) -> Iterator[BlockScan]:
    # The blocks' texts joined by a line break, which no word spans.
    pieces = _SPLIT_RE.split("\n".join([b.text for b in batch]))
    words = pieces[1::2]
    codes = matcher.codes
    try:
        line = "".join(map(codes.__getitem__, words))
    except KeyError:
        for w in words:
            if w not in codes:
                matcher.learn(w)
        if any(w not in codes for w in words):  # the vocabulary was cleared meanwhile: learn the batch again
            for w in words:
                matcher.learn(w)
        line = "".join(map(codes.__getitem__, words))
    walked = UNKNOWN_CHAR in line or matcher.automaton is None
    if walked:
        raw = sorted(scan_keys(matcher.trie, [matcher.keys_for(w) for w in words]), key=_BY_END)
    else:
        values = matcher.automaton_values
        raw = [
            (p, start, end - 1)
            for idx, start, end in matcher.automaton.find_matches_as_indexes(line, overlapping=True)
            for p in values[idx][1]
        ]
    if not raw:
        return
    offsets = list(accumulate(map(len, pieces)))
    word_starts = offsets[0:-1:2]
    masks = matcher.masks
    # Hand each block its matches; a match across two blocks is none.
    n_raw, k = len(raw), 0
    base = 0
    w0 = 0
    for block in batch:
        end_char = base + len(block.text)
        w1 = bisect.bisect_left(word_starts, end_char, w0)
        mine = []
        while k < n_raw and raw[k][2] < w1:
            r = raw[k]
            if r[1] >= w0:
                mine.append(r)
            k += 1
        if mine:
            masked = [(i, j) for p, i, j in mine if p in masks]
            if masked:
                # A hit strictly inside a longer mask match (a name or title) proves nothing on its own.
                mine = [
                    (p, i, j)
                    for p, i, j in mine
                    if not any(mi <= i and j <= mj and mj - mi > j - i for mi, mj in masked)
                ]
            yield BlockScan(block, mine, words, offsets, word_starts, line, base, w0, w1, walked, masked)
        if k == n_raw:
            return
        base, w0 = end_char + 1, w1


SNIPPET_CHARS = 300


def snippet(text: str, start: int, end: int, limit: int = SNIPPET_CHARS) -> str:
    """The sentence as it stands, white space folded, cut around the hit when long."""
    piece = " ".join(text.split())
    if len(piece) <= limit:
        return piece
    lead = len(" ".join(text[:start].split()))
    lo = max(0, min(lead - limit // 3, len(piece) - limit))
    out = piece[lo : lo + limit]
    return ("…" if lo else "") + out.strip() + ("…" if lo + limit < len(piece) else "")


def locate(block: Block, offset: int) -> tuple[int | None, int | None]:
    """Line and column of a character offset inside a block, where the format has lines."""
    if block.line is None:
        return None, None
    nl = block.text.count("\n", 0, offset)
    if nl == 0:
        return block.line, (block.column or 1) + offset
    last = block.text.rfind("\n", 0, offset)
    return block.line + nl, offset - last


@dataclass
class DocumentScan:
    """What one document's scan found: per aim, the evidence kept and discarded, and contexts met."""

    evidence: dict[int, list[Evidence]]
    discarded: dict[int, list[Evidence]]
    context_paragraphs: dict[str, int]


# Scoring counts at most this many distinct paragraphs per rule, so a rule with kept evidence in this many
# paragraphs is settled for the document: its later hits are not judged (the work a long document saves).
SETTLED_PARAGRAPHS = REPEAT_CAP
# Discarded hits kept per rule, for `explain`.
MAX_DISCARDED = 10


def scan_document(matcher: Matcher, blocks: Iterable[Block], settle: bool = True) -> DocumentScan:
    """Scan a document's blocks. With `settle`, work that cannot change any score is skipped: a rule with
    evidence in SETTLED_PARAGRAPHS paragraphs, and every rule of an aim already at score 1 (`explain` turns
    this off to show every rule's hits)."""
    evidence: dict[int, list[Evidence]] = {}
    discarded: dict[int, list[Evidence]] = {}
    ctx_count: dict[str, int] = dict.fromkeys(matcher.contexts, 0)
    paragraphs: dict[tuple[int, int], set[int]] = {}
    settled: set[tuple[int, int]] = set()
    for bs in scan_blocks(matcher, blocks):
        _rules_in_block(matcher, bs, evidence, discarded, ctx_count, paragraphs, settled if settle else None)
    return DocumentScan(evidence, discarded, ctx_count)


def _rules_in_block(
    matcher: Matcher,
    bs: BlockScan,
    evidence: dict[int, list[Evidence]],
    discarded: dict[int, list[Evidence]],
    ctx_count: dict[str, int],
    paragraphs: dict[tuple[int, int], set[int]],
    settled: set[tuple[int, int]] | None,
) -> None:
    block = bs.block
    ctx_seen: set[str] = set()
    # Main-group hits first: a rule whose main phrases are absent needs none of its other hits filed.
    # Hits are made only where a rule may use them: most matches are common words of `with` groups.
    primary, context_of = matcher.primary, matcher.context_of
    present: dict[int, list[tuple[int, int, int]]] = {}
    mains_of: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for r in bs.raw:
        p = r[0]
        if p in present:
            present[p].append(r)
        else:
            present[p] = [r]
        for key in primary[p]:
            if settled is None or key not in settled:
                if key in mains_of:
                    mains_of[key].append(r)
                else:
                    mains_of[key] = [r]
        if context_of[p]:
            ctx_seen.update(context_of[p])
    # A rule with `with` groups needs words of every group in the block; only then are its hits made
    # (with its `unless` hits), in document order.
    compound, lookups, make = matcher.compound, matcher.group_lookups, bs.hit
    masked = bs.masked
    # Per rule: its main hits, and for a rule with further groups each group's matches (pattern, first
    # word, last word) in word order. Most matches are common `with` words: only the few a verdict
    # looks at are made into hits.
    found: list[tuple[tuple[int, int], list[Match], dict[int, list[Match]] | None]] = []
    for key, raws in mains_of.items():
        if key in compound:
            wanted: dict[int, list[Match]] = {}
            for g, patterns, found_by_automaton, one_word in lookups[key]:
                if bs.walked:
                    rs = [r for p in present.keys() & patterns for r in present[p]]
                else:
                    rs = [r for p in present.keys() & found_by_automaton for r in present[p]]
                    if one_word is not None:
                        for mt in one_word.finditer(bs.line, bs.w0, bs.w1):
                            t = mt.start()
                            # A word inside a longer name or title proves nothing on its own.
                            if not masked or not any(mi <= t <= mj and mj > mi for mi, mj in masked):
                                rs.append((-1, t, t))
                if rs:
                    if len(rs) > 1:
                        rs.sort(key=_BY_POSITION)
                    wanted[g] = rs
                elif g > 0:
                    break
            else:
                found.append((key, raws, wanted))
            continue
        found.append((key, raws, None))
    if not is_reference_section(block.section):
        for name in ctx_seen:
            ctx_count[name] += 1
    if not found:
        return
    # Filters depend only on the sentence and the hit's span, and many rules share a hit: judge each once.
    sentences: dict[int, tuple[int, str, int, list[tuple[int, int]], int, int]] = {}
    negated: dict[tuple[int, int, int], str | None] = {}
    passing: dict[int, str | None] = {}
    flags_of = matcher.flags
    offsets, base, words, ws, w0, w1 = bs.offsets, bs.base, bs.words, bs.word_starts, bs.w0, bs.w1

    def sentence_of(idx: int) -> tuple[int, str, int, list[tuple[int, int]], int, int]:
        """A sentence's start, text, the checks its words can cue, where its negation cue words are, and
        its words (first, one past the last)."""
        if idx not in sentences:
            s0, s1 = bs.sentence_span(idx)
            lo, hi = bisect.bisect_left(ws, s0 + base, w0, w1), bisect.bisect_left(ws, s1 + base, w0, w1)
            cues = 0
            marks = []
            flags = list(map(flags_of.__getitem__, words[lo:hi]))
            if any(flags):
                for k, f in enumerate(flags, lo):
                    if f:
                        cues |= f
                        if f & CUE:
                            marks.append((ws[k] - base, f))
            sentences[idx] = (s0, block.text[s0:s1], cues, marks, lo, hi)
        return sentences[idx]

    def negation(h: Hit) -> str | None:
        s0, text, cues, marks, _, _ = sentence_of(h.sentence)
        if not cues & CUE:
            return None
        key = (h.sentence, h.start, h.end)
        if key not in negated:
            before = after = 0
            for at, f in marks:
                if at < h.start:
                    before |= f
                elif at >= h.end:
                    after |= f
            negated[key] = negation_reason(text, h.start - s0, h.end - s0, before, after)
        return negated[key]

    def passing_mention(idx: int) -> str | None:
        if idx not in passing:
            _, text, cues, _, _, _ = sentence_of(idx)
            passing[idx] = reference_reason(block, text, cues)
        return passing[idx]

    rule_info = matcher.rule_info
    quotes: dict[int, str] = {}
    for (ai, ri), mains, others in found:
        rule, n_groups, per_sentence = rule_info[ai][ri]
        if len(mains) > 1:
            mains = sorted(mains, key=_MAIN_ORDER)
        seen_sentences: set[int] = set()
        for main in mains:
            hit = make(*main)
            if hit.sentence in seen_sentences:
                continue
            s0, sentence, _, _, lo, hi = sentence_of(hit.sentence)
            reason = None
            # Each further group's first match (in this sentence, or the paragraph), which must stand
            # un-negated; the group needs words of its own: a match inside the main hit does not count.
            firsts: list[Match] = []
            if others is not None:
                for g in range(1, n_groups):
                    rs = others[g]
                    k = bisect.bisect_left(rs, lo, key=_FIRST_WORD) if per_sentence else 0
                    stop = hi if per_sentence else w1
                    first, ok = k, False
                    while k < len(rs) and rs[k][1] < stop:
                        r = rs[k]
                        if offsets[2 * r[2] + 1] - base <= hit.start or offsets[2 * r[1]] - base >= hit.end:
                            ok = True
                            break
                        k += 1
                    if not ok:
                        break
                    firsts.append(rs[first])
                else:
                    blockers = others.get(-1)
                    if blockers:
                        k = bisect.bisect_left(blockers, lo, key=_FIRST_WORD)
                        if k < len(blockers) and blockers[k][1] < hi:
                            b = make(*blockers[k])
                            reason = f"rule exclusion '{block.text[b.start : b.end]}' in the same sentence"
                if len(firsts) < n_groups - 1:
                    continue
            seen_sentences.add(hit.sentence)
            reason = reason or passing_mention(hit.sentence) or negation(hit)
            for r in firsts:
                if reason:
                    break
                reason = negation(make(*r))
            if reason and settled is not None:
                continue  # only `explain` shows what was set aside
            line, column = locate(block, hit.start)
            quote = quotes.get(hit.sentence)
            if quote is None:
                quote = snippet(sentence, hit.start - s0, hit.end - s0)
                if len(sentence) <= SNIPPET_CHARS:
                    quotes[hit.sentence] = quote  # a short sentence is quoted whole, whatever the hit
            ev = Evidence(
                rule.id,
                quote,
                block.paragraph,
                line,
                column,
                block.page,
                block.section,
                rule.weight,
                block.text[hit.start : hit.end],
                reason,
            )
            if reason:
                thrown = discarded.setdefault(ai, [])
                if sum(e.rule == rule.id for e in thrown) < MAX_DISCARDED:
                    thrown.append(ev)
            else:
                evidence.setdefault(ai, []).append(ev)
                if settled is None:
                    continue
                paras = paragraphs.setdefault((ai, ri), set())
                paras.add(block.paragraph)
                if rule.weight * (1 + REPEAT_BONUS * (len(paras) - 1)) >= 1.0:
                    # A rule at full strength puts the aim's score at 1: nothing later can change it.
                    settled.update((ai, rj) for rj in range(len(matcher.aims[ai].rules)))
                    break
                if len(paras) >= SETTLED_PARAGRAPHS:
                    settled.add((ai, ri))
                # Scores count paragraphs: the rule's other sentences here would change nothing.
                break
