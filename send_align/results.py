"""Frozen values of the checking side: documents and their blocks, evidence, results and the report."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ADDRESSED = "addressed"
    PARTIAL = "partial"
    NOT_ADDRESSED = "not-addressed"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Exemption:
    """An aim a document declares not applicable, with the reason it gives."""

    aim: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
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
    notes: tuple[str, ...] = ()
    """What a reader of the report should know about how the document was read (unaccepted tracked
    changes read as accepted ...)."""


@dataclass(frozen=True, slots=True)
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


@dataclass
class DocumentScan:
    """What one document's scan found: per aim (by index), the evidence kept and set aside, and how many
    paragraphs met each document context."""

    evidence: dict[int, list[Evidence]]
    discarded: dict[int, list[Evidence]]
    context_paragraphs: dict[str, int]
    context_where: dict[str, set[int]] = field(default_factory=dict)
    """Per context, the paragraphs that mention it."""
    context_sections: dict[str, set[str]] = field(default_factory=dict)
    """Per context, the headings that mention it (everything under them is in that context)."""
    paragraphs: int = 0
    """How many paragraphs (headings included) the document has."""
    title_contexts: frozenset[str] = frozenset()
    """The contexts the document's title mentions."""


@dataclass(frozen=True, slots=True)
class AimResult:
    aim: str
    status: Status
    score: float
    evidence: tuple[Evidence, ...] = ()
    discarded: tuple[Evidence, ...] = ()
    reason: str = ""
    """Why the status is what it is, in words (context missing, exemption reason ...)."""


@dataclass(frozen=True, slots=True)
class ClaimResult:
    aim: str
    status: str
    how: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentResult:
    path: str
    format: str
    aims: tuple[AimResult, ...] = ()
    claims: tuple[ClaimResult, ...] | None = None
    further: tuple[str, ...] = ()
    """Aims a proposal's body addresses that none of its claims names."""
    error: str | None = None
    title: str | None = None
    rendered_json: bytes | None = field(default=None, compare=False, repr=False)
    """From the cache: the document's JSON after its path (UTF-8), with its aims' evidence left out of `aims`
    (only the JSON report is given such a result)."""
    notes: tuple[str, ...] = ()
    """What a reader of the report should know about how the document was read (from its Document)."""


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
    framework: str | None = None
    """For a coverage gate on one framework."""
    value: float | None = None
    """For a coverage gate: the coverage measured."""

    @property
    def key(self) -> str:
        """What a baseline remembers: the gate and what it is about, not the figures in the message."""
        return "|".join((self.kind, self.framework or "", self.aim or "", self.path or ""))


@dataclass(frozen=True)
class Report:
    version: str
    documents: tuple[DocumentResult, ...]
    frameworks: tuple[FrameworkCoverage, ...]
    gate_passed: bool = True
    failures: tuple[GateFailure, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    """Files passed over: (path, why)."""
    baselined: tuple[GateFailure, ...] = ()
    """Gate failures a baseline accepts: shown, but they do not fail the run."""


def _fast_reduce(cls: Any) -> None:
    """Pickle a frozen, slotted result class as its constructor's arguments: loading then costs one call
    per object, where dataclasses' generic __setstate__ looks up the fields of every object it restores."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return (cls, tuple(getattr(self, n) for n in names))

    cls.__reduce__ = __reduce__


for _cls in (Block, Evidence, AimResult, DocumentResult, ClaimResult, Exemption, Claim):
    _fast_reduce(_cls)
