"""Frozen values of the strategy side: frameworks, aims, rules and the loaded catalogue.

Documents, evidence and reports live in results.py, so that look-up commands, which need only these,
create fewer classes at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from send_align.errors import SendAlignError


class AimKind(StrEnum):
    """What an aim is in its framework, in the order `show` lists them."""

    VISION = "vision"
    OUTCOME = "outcome"
    PRIORITY = "priority"
    WORKSTREAM = "workstream"
    COMMITMENT = "commitment"
    AIM = "aim"
    PRINCIPLE = "principle"
    AREA_OF_NEED = "area-of-need"
    DUTY = "duty"


KINDS = tuple(AimKind)


class Within(StrEnum):
    """Where a rule's groups must all stand."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


class Order(StrEnum):
    """Where a rule's further groups stand against its main phrase."""

    ANY = "any"
    AFTER = "after"
    BEFORE = "before"


class LookIn(StrEnum):
    """Which blocks a rule reads: statements, headings, or both."""

    TEXT = "text"
    HEADINGS = "headings"
    ALL = "all"
    OPENING = "opening"
    """The title line and the first paragraphs only (OPENING_PARAGRAPHS): what a page says it is about."""


# A rule with `in: opening` reads the first this many paragraphs (headings included).
OPENING_PARAGRAPHS = 3


class Scope(StrEnum):
    """Whose framework it is: crosswalks set local aims against national ones."""

    LOCAL = "local"
    NATIONAL = "national"


# A rule's strength grows by this share of its weight for each further paragraph it fires in...
REPEAT_BONUS = 0.25
# ...up to this many paragraphs (the matcher stops judging a rule's hits once it has them).
REPEAT_CAP = 3
RELATIONS = ("equivalent-to", "subset-of", "superset-of", "intersects-with")
INVERSE_RELATION = {
    "equivalent-to": "equivalent-to",
    "subset-of": "superset-of",
    "superset-of": "subset-of",
    "intersects-with": "intersects-with",
}


@dataclass(frozen=True)
class Link:
    """A crosswalk link from one aim to an aim of another framework."""

    relation: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class Example:
    """A sentence that must (counts=True) or must not (counts=False) be evidence for its aim."""

    text: str
    counts: bool


# Named strengths of a rule: how much one hit of it says on its own. An aim is addressed at a score of 0.5.
STRENGTHS = {"conclusive": 1.0, "strong": 0.6, "supporting": 0.3}


def strength_name(weight: float) -> str:
    """A rule's strength by name ('strong'), or as a number where it has none."""
    return next((name for name, w in STRENGTHS.items() if w == weight), f"{weight:g}")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A detection rule: every group must have a phrase hit within one sentence (or paragraph)."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    """Phrase groups, term references already expanded; the first group is where evidence is quoted."""
    within: Within = Within.SENTENCE
    unless: tuple[str, ...] = ()
    """Phrases that, in the same sentence, stop the rule counting there."""
    weight: float = 1.0
    """How much one hit says on its own (see STRENGTHS): 1 conclusive, 0.6 strong (one hit addresses the
    aim), 0.3 supporting (another rule must agree)."""
    source_phrases: tuple[tuple[str, ...], ...] = ()
    """The groups as written in the strategy file (with $term references), for `show`."""
    near: int | tuple[int | None, ...] | None = None
    """When set, each further group's phrase must stand within this many words of the main phrase (one number
    for every group, or one per group, None where a group may stand anywhere in the sentence)."""
    order: Order = Order.ANY
    """Where the further groups stand: 'any', 'after' the main phrase or 'before' it ("young people told
    us" against "we told young people")."""
    look_in: LookIn = LookIn.TEXT
    """Statements only, headings only, or all blocks."""
    exact_case: bool = False
    """Every word with a capital letter is matched as written (otherwise only acronyms are)."""
    spread: int = 1
    """How many paragraphs the rule must fire in before it counts at all: a way of writing that runs
    through a document (a page that speaks to parents throughout), not one sentence."""
    heading: str = ""
    """What the heading of a sentence's section may stand for: '' nothing; 'groups': under a heading that holds
    the rule's main phrase and a group ("Listening to children"), a sentence needs only the main phrase;
    'main': under a heading that holds the main phrase ("Autism"), a sentence needs only the groups;
    'both'; 'only': as 'main', and the main phrase counts only there, never in the sentence itself."""
    unless_near: int | None = None
    """When set, an `unless` phrase stops the rule only within this many words of the main phrase."""
    lead_in: str = ""
    """What a list's lead-in may stand for in its items: '' nothing; 'groups': an item may take the rule's
    further groups from it ("To support pupils with SEND we will:" lends "pupils" to each item), for groups
    without `near` or `order`; 'main': under a lead-in that holds the main phrase ("Our autism team will:"),
    an item with the further groups counts; 'both'; 'names': as 'main', and an item of a few words counts too
    (the needs a school caters for, one name an item, under "We cater for:"), where other rules take a short
    item for a name in a list and lend it nothing."""
    genre: str | None = None
    """Name of a document genre (see `Genre`) the rule counts in, and only in. A rule with a genre and no
    phrases has one hit in a document of that genre: the line that shows what the page is."""
    unless_genre: tuple[str, ...] = ()
    """Names of document genres the rule does not count in: "the school" on a special school's own page is
    that special school, so a rule about help to mainstream schools is set aside there."""


@dataclass(frozen=True, kw_only=True)
class Aim:
    id: str
    framework: str
    title: str
    statement: str
    kind: AimKind
    source: str
    rules: tuple[Rule, ...]
    links: tuple[Link, ...] = ()
    examples: tuple[Example, ...] = ()
    context: str | None = None
    """Name of the document context this aim needs (for example 'send'), or None."""
    path: str = ""
    line: int | None = None

    @cached_property
    def names_genres(self) -> bool:
        """Whether any of its rules names a genre (`genre` or `unless_genre`): read once, asked of every
        document."""
        return any(r.genre or r.unless_genre for r in self.rules)


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a document must be about for an aim to count (for example SEND), decided once per document.

    The whole document is in the context when its title mentions one of the phrases, when at least
    `min_paragraphs` paragraphs and `min_share` of all its paragraphs do, or when it is short (at most
    `short_document` paragraphs) and one does. Otherwise only the paragraphs that mention it, and the
    sections whose heading does, are."""

    name: str
    phrases: tuple[str, ...]
    min_paragraphs: int = 2
    min_share: float = 0.1
    short_document: int = 8


@dataclass(frozen=True, kw_only=True)
class Genre:
    """What a whole document is (for example information written for families), decided once from its
    title, its opening and whom it speaks to.

    A document is of the genre when it is in the genre's `context` as a whole (where one is named), no
    `against` phrase stands in its title or first block (committee minutes, a policy, a strategy), and either a
    `names` phrase stands in its title or opening (the first `opening` blocks) or `addressed` phrases (words
    that speak to the reader) stand in at least `min_addressed` of its first `reach` paragraphs (one, in a
    document of at most `short_document` paragraphs), or a `titles` phrase is the whole of its title or of a
    heading in its opening."""

    name: str
    names: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    """Phrases that name the page as one of the genre only as its whole title: a school's page headed "Special
    Educational Needs" is its SEND page, while "Special educational needs: report to Cabinet" is not. A short
    form in brackets and "&" for "and" are read as the page writes them ("Special Needs & Disabilities (SEND)")."""
    addressed: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    context: str | None = None
    opening: int = 3
    reach: int = 40
    min_addressed: int = 2
    short_document: int = 8
    spares: tuple[str, ...] = ()
    """Phrases that, in a hit's sentence, keep it counting for a rule that names this genre in `unless_genre`:
    a special school's page speaking of its outreach into mainstream schools."""


@dataclass(frozen=True, kw_only=True)
class Framework:
    id: str
    title: str
    publisher: str
    year: int
    version: str
    source: str
    description: str
    aims: tuple[Aim, ...]
    path: str = ""
    builtin: bool = True
    scope: Scope = Scope.LOCAL


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """Every loaded framework, compiled term sets and contexts, ready to match."""

    frameworks: tuple[Framework, ...]
    contexts: dict[str, Context] = field(default_factory=dict)
    genres: dict[str, Genre] = field(default_factory=dict)
    """Named document genres some rules need (`Rule.genre`)."""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    digest: str = ""
    masks: tuple[str, ...] = ()
    """Phrases whose matches hide the shorter hits inside them (names, titles)."""
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Cue phrases by kind ('before.negation', 'headings.findings' ...): see matching/cues.py."""
    warnings: tuple[str, ...] = ()
    """Problems that do not stop a run (links to aims a local framework left out), one line each."""
    models: tuple[tuple[str, str, bool], ...] = ()
    """The learned model files checked against these aims, as (path, name shown, built in), in the order a
    later one replaces an earlier one's model of an aim (send_align.learned)."""

    def aims(self) -> list[Aim]:
        return list(self._aims_by_id.values())

    @cached_property
    def _aims_by_id(self) -> dict[str, Aim]:
        out: dict[str, Aim] = {}
        for f in self.frameworks:
            for a in f.aims:
                out.setdefault(a.id, a)
        return out

    @cached_property
    def _frameworks_by_id(self) -> dict[str, Framework]:
        out: dict[str, Framework] = {}
        for f in self.frameworks:
            out.setdefault(f.id, f)
        return out

    def framework(self, fid: str) -> Framework | None:
        return self._frameworks_by_id.get(fid)

    def aim(self, aim_id: str) -> Aim | None:
        return self._aims_by_id.get(aim_id)

    def get_framework(self, fid: str) -> Framework:
        """The framework with this id; SendAlignError naming the known ones when there is none."""
        fw = self.framework(fid)
        if fw is None:
            raise SendAlignError(
                f"unknown framework '{fid}'", hint="known: " + ", ".join(f.id for f in self.frameworks)
            )
        return fw

    def get_aim(self, aim_id: str) -> Aim:
        """The aim with this id; SendAlignError when there is none."""
        aim = self.aim(aim_id)
        if aim is not None:
            return aim
        fw = self.framework(aim_id)
        if fw is not None:
            first = " or ".join(a.id for a in fw.aims[:2])
            raise SendAlignError(
                f"'{aim_id}' is a framework, not an aim",
                hint=f"name one of its aims, such as {first}; `send-align show {aim_id}` lists them all",
            )
        hint = _did_you_mean(aim_id, self._aims_by_id, "see `send-align search WORDS` for ids")
        raise SendAlignError(f"unknown aim id '{aim_id}'", hint=hint)

    def get(self, ident: str) -> Framework | Aim:
        """A framework or an aim by id; SendAlignError with the nearest ids ("did you mean") when neither."""
        found = self.framework(ident) or self.aim(ident)
        if found is not None:
            return found
        hint = _did_you_mean(
            ident, [*self._frameworks_by_id, *self._aims_by_id], "see `send-align frameworks` and `send-align search`"
        )
        raise SendAlignError(f"unknown framework or aim id '{ident}'", hint=hint)

    def select(self, ids: Sequence[str]) -> list[Framework]:
        """The frameworks named, once each in the order named (every framework when none is)."""
        if not ids:
            return list(self.frameworks)
        out: list[Framework] = []
        for fid in ids:
            fw = self.get_framework(fid)
            if fw not in out:
                out.append(fw)
        return out

    def aims_matching(self, pattern: str) -> list[str]:
        """The ids of the aims an id or a glob (`cop.*`) names."""
        from fnmatch import fnmatchcase

        return [aim_id for aim_id in self._aims_by_id if fnmatchcase(aim_id, pattern)]

    def incoming(self, aim_id: str) -> list[tuple[Aim, Link]]:
        """Links from other aims that point at this one."""
        return [(a, ln) for a in self.aims() for ln in a.links if ln.target == aim_id]


def _did_you_mean(ident: str, known: Iterable[str], otherwise: str) -> str:
    """The hint for an unknown id: the nearest known ids, or where to look when none is near."""
    import difflib

    close = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else otherwise
