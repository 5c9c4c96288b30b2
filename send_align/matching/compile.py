"""Compile the rules of the selected aims into one index: a trie of stemmed word keys and an automaton.

A phrase's lower-case words match any case and any word form (through the Snowball stemmer); a word with a
capital letter is an acronym, matched exactly with an optional plural "s"; hyphenated words also match
joined and spaced; British and American spellings meet in one form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, NamedTuple

from send_align.matching.cues import CueSet
from send_align.matching.phrases import SKIP, phrase_variants
from send_align.model import Aim, Catalogue, Context, Rule
from send_align.stemming import stem

# The trie key under which a node holds the ids of the patterns that end there.
END = ""

MAX_KNOWN_WORDS = 500_000
# The automaton's alphabet: a determiner, a word in no phrase, a word whose keys were not foreseen (the
# block is then walked through the trie instead), then one character per key from FIRST_KEY_CHAR.
SKIP_CHAR, OTHER_CHAR, UNKNOWN_CHAR = "\x01", "\x02", "\x03"
FIRST_KEY_CHAR = 0x100


_ORDER = {"any": 0, "after": 1, "before": -1}


def _near(rule: Rule) -> tuple[int | None, ...]:
    """A rule's `near`, one entry per further group."""
    n = len(rule.groups) - 1
    if isinstance(rule.near, tuple):
        return tuple(rule.near[:n]) + (None,) * (n - len(rule.near))
    return (rule.near,) * n


class RuleInfo(NamedTuple):
    rule: Rule
    groups: int
    """How many phrase groups (the main one included)."""
    per_sentence: bool
    """Whether the further groups must share the main phrase's sentence (else its paragraph)."""
    near: tuple[int | None, ...]
    """Per further group (index g - 1): how many words its phrase may stand from the main phrase, or None."""
    order: int
    """0: further groups anywhere; 1: only after the main phrase; -1: only before it."""
    key: tuple[int, int]
    """(aim, rule)."""

    def lead_lends(self, g: int) -> bool:
        """Whether a list's lead-in may lend further group `g` to its items: the rule says `lead_in: groups`
        (or `both`), and the group may stand anywhere (no `near`, any order)."""
        return self.rule.lead_in in ("groups", "both") and not self.order and self.near[g - 1] is None


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
    cues: CueSet
    """The cues that make a hit not count, compiled."""
    trie: dict[str, Any] = field(default_factory=dict)
    """Nested dicts keyed by word keys; END holds the pattern id that ends at a node."""
    phrases: list[str] = field(default_factory=list)
    """Every distinct phrase compiled."""
    patterns: dict[tuple[str, ...], int] = field(default_factory=dict)
    """Distinct key sequences: 'school', 'schools' and 'our school' are one pattern, found once."""
    targets: list[list[Target]] = field(default_factory=list)
    """Per pattern: what it is evidence for."""
    context_of: list[list[str]] = field(default_factory=list)
    context_patterns: set[int] = field(default_factory=set)
    """The patterns that name a context (those whose `context_of` is not empty). (A set, not a frozenset: a
    dict's keys & a set walks the smaller side, & a frozenset walks all of the frozenset.)"""
    contexts: dict[str, Context] = field(default_factory=dict)
    """The document contexts some selected aim needs, by name."""
    masks: set[int] = field(default_factory=set)
    """Pattern ids of masks: names whose matches hide shorter hits inside them."""
    primary: list[list[tuple[int, int]]] = field(default_factory=list)
    """Per pattern: the (aim, rule) pairs whose main group it belongs to."""
    special: set[str] = field(default_factory=set)
    """Keys of exact-form words ('=SEN', '~locally') that some phrase uses."""
    known: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Document words seen so far and their trie keys (each distinct word is stemmed once)."""
    flags: dict[str, int] = field(default_factory=dict)
    """Document words seen so far and the sentence checks they can cue (see `CueSet.word_flags`)."""
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
    rule_info: list[list[RuleInfo]] = field(default_factory=list)
    """Per aim, per rule: the rule and what judging it needs to know."""
    compound: set[tuple[int, int]] = field(default_factory=set)
    """(aim, rule) of rules with `with` groups or `unless` lists: only these need other hits filed."""
    group_patterns: dict[tuple[int, int], list[tuple[int, frozenset[int]]]] = field(default_factory=dict)
    """For those rules: each further group (and -1, `unless`) with its pattern ids."""
    group_patterns_of: dict[tuple[tuple[int, int], int], frozenset[int]] = field(default_factory=dict)
    """The same by (rule, group), the main group (0) included."""
    heading_rules: set[tuple[int, int]] = field(default_factory=set)
    """(aim, rule) of rules whose further groups may stand in the section's heading."""
    heading_main_rules: set[tuple[int, int]] = field(default_factory=set)
    """(aim, rule) of rules whose main phrase may stand in the section's heading (`heading: main`, `both` or
    `only`)."""
    lead_main_rules: set[tuple[int, int]] = field(default_factory=set)
    """(aim, rule) of rules whose main phrase may stand in a list's lead-in (`lead_in: main`, `both`, `names`)."""
    lead_names_rules: set[tuple[int, int]] = field(default_factory=set)
    """Those of them that lend it to an item of a few words too (`lead_in: names`)."""
    heading_only: frozenset[tuple[int, int]] = frozenset()
    """(aim, rule) of rules that read headings only (`in: headings`)."""
    simple: set[int] = field(default_factory=set)
    """One-word patterns found only as `with`/`unless` words ('children', 'support'): half of all matches.
    They are left out of the automaton and looked for, as one character class per group, only in
    blocks where a rule needs them."""
    group_lookups: dict[tuple[int, int], list[tuple[int, frozenset[int], frozenset[int], Any, int]]] = field(
        default_factory=dict
    )
    """Per compound rule, per group: all its patterns, those the automaton finds, the expression for its
    one-word patterns (None when it has none), and the number of its pattern set (rules share sets)."""
    group_chars: re.Pattern[str] | None = None
    """An expression for any character in `group_sets_of_char` (None when there is none)."""
    primary_in_text: list[list[tuple[int, int]]] = field(default_factory=list)
    """`primary` without the rules that read headings only: the main rules a block of text may count for."""
    primary_in_headings: list[list[tuple[int, int]]] = field(default_factory=list)
    """`primary` without the rules that read text only: the main rules a heading may count for (for the others
    every hit in a heading is set aside as "a heading, not a statement")."""
    required_sets: dict[tuple[int, int], int] = field(default_factory=dict)
    """Per compound rule: the pattern sets of its further groups (not `unless`), as bits: a block that may
    hold none of one of them cannot count for the rule (unless a heading lends the group)."""
    group_sets_of_pattern: list[int] = field(default_factory=list)
    """Per pattern: the group pattern sets that hold it, as bits (set n is bit n)."""
    shape_of: dict[tuple[int, int], int] = field(default_factory=dict)
    """Per rule that judges a block's hits exactly as another rule does (the same phrase sets in every group and
    `unless`, the same reach, order, sentence or paragraph, headings, lead-ins: aims often share a rule), a
    number shared by those rules: a block's verdict for one is the verdict for all. Rules judged alike by no
    other rule are not listed."""
    group_sets_of_char: dict[str, int] = field(default_factory=dict)
    """Per character of a one-word pattern: the group pattern sets that hold its word, as bits. With
    the above, a block tells in one pass which groups it may hold, so a rule missing one is passed over
    before any of its matches are gathered."""

    def keys_for(self, surface: str) -> tuple[str, ...]:
        """Every trie key a document word can match: its stem, plus exact forms some phrase asks for."""
        keys = self.known.get(surface)
        return self.learn(surface) if keys is None else keys

    def learn(self, surface: str) -> tuple[str, ...]:
        if len(self.known) >= MAX_KNOWN_WORDS:
            # Vocabulary is bounded in real text; a stream of random tokens must not grow memory for ever.
            self.codes.clear()
            self.flags.clear()
            self.known.clear()
        # A word is known once it has a code (the scan learns every word without one), so its code is set last
        # and cleared first: a document stopped at its time limit half-way through never leaves a word with a
        # code but no flags for the next document (see send_align.timelimit).
        keys = self.known[surface] = self._compute_keys(surface)
        self.flags[surface] = self.cues.word_flags(surface)
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
                # Each word after the first with a skipped determiner before it or not (`SKIP_CHAR`), the
                # texts in the order of the gaps' product: one join per text (about half the time of a join
                # per word, and this loop is half the matcher's compile, which every uncached check pays).
                for parts in product(combo[:1], *((c, SKIP_CHAR + c) for c in combo[1:])):
                    found.setdefault("".join(parts), []).append(pid)
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

    def _add(self, phrase: str, exact_case: bool = False) -> list[int]:
        """The pattern ids of a phrase's variants, adding patterns not seen before."""
        self.phrases.append(phrase)
        out = []
        for keys in phrase_variants(phrase, exact_case):
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


def compile_matcher(catalogue: Catalogue, aims: Sequence[Aim], cues: CueSet | None = None) -> Matcher:
    """A matcher for `aims`; `cues`, the catalogue's cue lists already compiled, where a caller compiles many
    matchers of one catalogue (they hold no state of any one scan)."""
    m = Matcher(list(aims), cues if cues is not None else CueSet.build(catalogue.cues))
    _add_phrases(m, catalogue)
    _index_rules(m)
    single = {pid for keys, pid in m.patterns.items() if len(keys) == 1}
    m.simple = {p for p in single if not m.primary[p] and not m.context_of[p] and p not in m.masks}
    m.context_patterns = {p for p, names in enumerate(m.context_of) if names}
    m.build_automaton()
    _index_groups(m)
    return m


def _add_phrases(m: Matcher, catalogue: Catalogue) -> None:
    """Every phrase of the rules, masks and needed contexts as patterns, with what each is evidence for."""
    ids: dict[tuple[str, bool], list[int]] = {}

    def pids(phrase: str, exact_case: bool = False) -> list[int]:
        key = (phrase, exact_case)
        if key not in ids:
            ids[key] = m._add(phrase, exact_case)
        return ids[key]

    for ai, aim in enumerate(m.aims):
        for ri, rule in enumerate(aim.rules):
            for gi, group in enumerate(rule.groups):
                for phrase in group:
                    for p in pids(phrase, rule.exact_case):
                        m.targets[p].append(Target(ai, ri, gi))
            for phrase in rule.unless:
                for p in pids(phrase, rule.exact_case):
                    m.targets[p].append(Target(ai, ri, -1))
    for phrase in catalogue.masks:
        m.masks.update(pids(phrase))
    needed = {a.context for a in m.aims if a.context}
    # A genre a rule needs (or is set aside in) may need a context of its own, counted as an aim's is.
    for name in {g for a in m.aims for r in a.rules for g in (r.genre, *r.unless_genre) if g}:
        genre = catalogue.genres.get(name)
        if genre is not None and genre.context:
            needed.add(genre.context)
    for name in sorted(needed):
        ctx = catalogue.contexts[name]
        m.contexts[name] = ctx
        for phrase in ctx.phrases:
            for p in pids(phrase):
                if name not in m.context_of[p]:
                    m.context_of[p].append(name)


def _index_rules(m: Matcher) -> None:
    """Per rule: its main and further groups' patterns, what judging it needs, what a heading may lend it."""
    # Every pattern is known now (contexts may have added some): what each is evidence for.
    m.targets = [list(dict.fromkeys(ts)) for ts in m.targets]
    m.primary = [[(t.aim, t.rule) for t in ts if t.group == 0] for ts in m.targets]
    m.rule_info = [
        [
            RuleInfo(r, len(r.groups), r.within == "sentence", _near(r), _ORDER[r.order], (ai, ri))
            for ri, r in enumerate(a.rules)
        ]
        for ai, a in enumerate(m.aims)
    ]
    groups: dict[tuple[int, int], dict[int, set[int]]] = {}
    for p, ts in enumerate(m.targets):
        for t in ts:
            if t.group != 0:
                groups.setdefault((t.aim, t.rule), {}).setdefault(t.group, set()).add(p)
    m.group_patterns = {
        key: [(g, frozenset(ps)) for g, ps in sorted(gs.items())] for key, gs in groups.items()
    }
    m.compound = set(m.group_patterns)
    m.group_patterns_of = {(key, g): ps for key, entries in m.group_patterns.items() for g, ps in entries}
    mains: dict[tuple[int, int], set[int]] = {}
    for p, keys in enumerate(m.primary):
        for key in keys:
            mains.setdefault(key, set()).add(p)
    for key, ps in mains.items():
        m.group_patterns_of[(key, 0)] = frozenset(ps)
    m.heading_rules = {
        (ai, ri)
        for ai, a in enumerate(m.aims)
        for ri, r in enumerate(a.rules)
        if r.heading in ("groups", "both")
    }
    m.heading_main_rules = {
        (ai, ri)
        for ai, a in enumerate(m.aims)
        for ri, r in enumerate(a.rules)
        if r.heading in ("main", "both", "only")
    }
    m.lead_main_rules = {
        (ai, ri)
        for ai, a in enumerate(m.aims)
        for ri, r in enumerate(a.rules)
        if r.lead_in in ("main", "both", "names") and len(r.groups) > 1
    }
    m.lead_names_rules = {(ai, ri) for ai, ri in m.lead_main_rules if m.aims[ai].rules[ri].lead_in == "names"}
    m.heading_only = frozenset(
        (ai, ri) for ai, a in enumerate(m.aims) for ri, r in enumerate(a.rules) if r.look_in == "headings"
    )


def _index_groups(m: Matcher) -> None:
    """Per compound rule and group, how a block finds its matches (see Matcher.group_lookups)."""
    key_of = {pid: keys[0] for keys, pid in m.patterns.items() if pid in m.simple}
    # Groups share their term lists ($cyp, $parents ...): one expression per distinct set of characters, so
    # a block's positions for it are found once however many rules use it.
    exprs: dict[str, re.Pattern[str]] = {}
    # Equal pattern sets are one object, so a block finds a shared group's matches once (see the judge).
    sets: dict[frozenset[int], frozenset[int]] = {}
    numbers: dict[frozenset[int], int] = {}
    of_pattern: dict[int, set[int]] = {}
    of_char: dict[str, set[int]] = {}
    for key, entries in m.group_patterns.items():
        lookups = []
        for g, patterns in entries:
            chars = "".join(sorted({c for p in patterns if p in m.simple for c in m.options[key_of[p]]}))
            expr = None
            if chars:
                expr = exprs.get(chars)
                if expr is None:
                    expr = exprs[chars] = re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
            found = frozenset(patterns - m.simple)
            number = numbers.get(patterns)
            if number is None:
                number = numbers[patterns] = len(numbers)
                for p in patterns:
                    of_pattern.setdefault(p, set()).add(number)
                for c in chars:
                    of_char.setdefault(c, set()).add(number)
            lookups.append((g, sets.setdefault(patterns, patterns), sets.setdefault(found, found), expr, number))
        m.group_lookups[key] = lookups
        m.required_sets[key] = sum({1 << number for g, _, _, _, number in lookups if g > 0})
    m.group_sets_of_pattern = [sum(1 << n for n in of_pattern.get(p, ())) for p in range(len(m.targets))]
    m.group_sets_of_char = {c: sum(1 << n for n in ns) for c, ns in of_char.items()}
    if of_char:
        m.group_chars = re.compile("[" + "".join(re.escape(c) for c in sorted(of_char)) + "]")
    _index_shapes(m)
    # (A rule with `heading: only` takes its main phrase from its section's heading alone, never from the text: a
    # sentence that names the phrase itself is for the rules that read it outright.)
    lent_only = {(ai, ri) for ai, a in enumerate(m.aims) for ri, r in enumerate(a.rules) if r.heading == "only"}
    m.primary_in_text = [
        [key for key in keys if key not in m.heading_only and key not in lent_only] for keys in m.primary
    ]
    text_only = {(ai, ri) for ai, a in enumerate(m.aims) for ri, r in enumerate(a.rules) if r.look_in == "text"}
    m.primary_in_headings = [[key for key in keys if key not in text_only] for keys in m.primary]


def _index_shapes(m: Matcher) -> None:
    """Number the rules that judge hits alike (see Matcher.shape_of). What only filing evidence reads (the
    rule's id, weight, spread, genre) may differ."""
    shapes: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for ai, aim in enumerate(m.aims):
        for ri, r in enumerate(aim.rules):
            key = (ai, ri)
            lookups = tuple((g, number) for g, _, _, _, number in m.group_lookups.get(key, ()))
            main = m.group_patterns_of.get((key, 0), frozenset())
            info = m.rule_info[ai][ri]
            shape = (main, lookups, info.per_sentence, info.near, info.order, r.look_in, r.heading, r.unless_near,
                     r.lead_in)
            shapes.setdefault(shape, []).append(key)
    shared = [keys for keys in shapes.values() if len(keys) > 1]
    m.shape_of = {key: number for number, keys in enumerate(shared) for key in keys}
