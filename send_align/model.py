"""Frozen values of the strategy side: frameworks, aims, rules and the loaded catalogue.

Documents, evidence and reports live in results.py, so that look-up commands, which need only these,
create fewer classes at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# In the order `show` lists them.
KINDS = (
    "vision",
    "outcome",
    "priority",
    "workstream",
    "commitment",
    "aim",
    "principle",
    "area-of-need",
    "duty",
)
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


@dataclass(frozen=True)
class Rule:
    """A detection rule: every group must have a phrase hit within one sentence (or paragraph)."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    """Phrase groups, term references already expanded; the first group is where evidence is quoted."""
    within: str = "sentence"
    unless: tuple[str, ...] = ()
    """Phrases that, in the same sentence, stop the rule counting there."""
    weight: float = 1.0
    """How much one hit of this rule says on its own: 1 is conclusive, 0.5 needs support."""
    source_phrases: tuple[tuple[str, ...], ...] = ()
    """The groups as written in the strategy file (with $term references), for `show`."""


@dataclass(frozen=True)
class Aim:
    id: str
    framework: str
    title: str
    statement: str
    kind: str
    source: str
    rules: tuple[Rule, ...]
    links: tuple[Link, ...] = ()
    examples: tuple[Example, ...] = ()
    context: str | None = None
    """Name of the document context this aim needs (for example 'send'), or None."""
    path: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Context:
    """A document-level condition: enough paragraphs mention one of the phrases."""

    name: str
    phrases: tuple[str, ...]
    min_paragraphs: int = 2


@dataclass(frozen=True)
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
    scope: str = "local"
    """'national' or 'local': crosswalks set local aims against national ones."""


@dataclass(frozen=True)
class Catalogue:
    """Every loaded framework, compiled term sets and contexts, ready to match."""

    frameworks: tuple[Framework, ...]
    contexts: dict[str, Context] = field(default_factory=dict)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    digest: str = ""
    masks: tuple[str, ...] = ()
    """Phrases whose matches hide the shorter hits inside them (names, titles)."""
    warnings: tuple[str, ...] = ()
    """Problems that do not stop a run (links to aims a local framework left out), one line each."""

    def aims(self) -> list[Aim]:
        return [a for f in self.frameworks for a in f.aims]

    def framework(self, fid: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == fid), None)

    def aim(self, aim_id: str) -> Aim | None:
        return next((a for a in self.aims() if a.id == aim_id), None)

    def incoming(self, aim_id: str) -> list[tuple[Aim, Link]]:
        """Links from other aims that point at this one."""
        return [(a, ln) for a in self.aims() for ln in a.links if ln.target == aim_id]
