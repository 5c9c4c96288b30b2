"""Frozen domain values shared by every stage: frameworks and aims, documents, evidence, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

KINDS = (
    "outcome",
    "priority",
    "workstream",
    "commitment",
    "aim",
    "principle",
    "area-of-need",
    "duty",
    "vision",
)
RELATIONS = ("equivalent-to", "subset-of", "superset-of", "intersects-with")
INVERSE_RELATION = {
    "equivalent-to": "equivalent-to",
    "subset-of": "superset-of",
    "superset-of": "subset-of",
    "intersects-with": "intersects-with",
}


class Status(StrEnum):
    ADDRESSED = "addressed"
    PARTIAL = "partial"
    NOT_ADDRESSED = "not-addressed"
    NOT_APPLICABLE = "not-applicable"


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


@dataclass(frozen=True)
class Catalogue:
    """Every loaded framework, compiled term sets and contexts, ready to match."""

    frameworks: tuple[Framework, ...]
    contexts: dict[str, Context] = field(default_factory=dict)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    digest: str = ""
    masks: tuple[str, ...] = ()
    """Phrases whose matches hide the shorter hits inside them (names, titles)."""

    def aims(self) -> list[Aim]:
        return [a for f in self.frameworks for a in f.aims]

    def framework(self, fid: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == fid), None)

    def aim(self, aim_id: str) -> Aim | None:
        return next((a for a in self.aims() if a.id == aim_id), None)

    def incoming(self, aim_id: str) -> list[tuple[Aim, Link]]:
        """Links from other aims that point at this one."""
        return [(a, ln) for a in self.aims() for ln in a.links if ln.target == aim_id]


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece of a document's text with where it stands."""

    text: str
    paragraph: int
    line: int | None = None
    column: int | None = None
    page: int | None = None
    section: str | None = None
    kind: str = "text"
    """'heading', 'text', 'list', 'table' or 'quote'."""


@dataclass(frozen=True)
class Exemption:
    """An aim a document declares not applicable, with the reason it gives."""

    aim: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Claim:
    aim: str
    how: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Document:
    """A document's extracted text, ready to scan."""

    path: str
    format: str
    blocks: tuple[Block, ...]
    title: str | None = None
    claims: tuple[Claim, ...] | None = None
    """Proposal claims; None for a document that is not a proposal."""
    exemptions: tuple[Exemption, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class Evidence:
    rule: str
    text: str
    paragraph: int
    line: int | None = None
    column: int | None = None
    page: int | None = None
    section: str | None = None
    weight: float = 1.0
    phrase: str = ""
    """The words that matched, as they stand in the document."""
    discarded: str | None = None
    """Why this hit does not count (negated, out of scope, reference list ...), or None."""


@dataclass(frozen=True)
class AimResult:
    aim: str
    status: Status
    score: float
    evidence: tuple[Evidence, ...] = ()
    discarded: tuple[Evidence, ...] = ()
    reason: str = ""
    """Why the status is what it is, in words (context missing, exemption reason ...)."""


@dataclass(frozen=True)
class ClaimResult:
    aim: str
    status: str
    how: str = ""
    line: int | None = None


@dataclass(frozen=True)
class DocumentResult:
    path: str
    format: str
    aims: tuple[AimResult, ...] = ()
    claims: tuple[ClaimResult, ...] | None = None
    further: tuple[str, ...] = ()
    """Aims a proposal's body addresses that none of its claims names."""
    error: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class FrameworkCoverage:
    id: str
    title: str
    addressed: int
    partial: int
    total: int
    coverage: float


@dataclass(frozen=True)
class GateFailure:
    kind: str
    message: str
    aim: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Report:
    version: str
    documents: tuple[DocumentResult, ...]
    frameworks: tuple[FrameworkCoverage, ...]
    gate_passed: bool = True
    failures: tuple[GateFailure, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    """Files passed over: (path, why)."""
