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


class BlockKind(StrEnum):
    HEADING = "heading"
    TEXT = "text"
    LIST = "list"
    TABLE = "table"
    QUOTE = "quote"


class ClaimStatus(StrEnum):
    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"


class GateKind(StrEnum):
    FAIL_UNDER = "fail-under"
    REQUIRE = "require"
    REQUIRE_ANY = "require-any"
    CLAIM = "claim"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like piece of a document's text with where it stands."""

    text: str
    paragraph: int
    line: int | None = None
    column: int | None = None
    page: int | None = None
    section: str | None = None
    kind: BlockKind = BlockKind.TEXT


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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, slots=True, kw_only=True)
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
    opening: tuple[Block, ...] = ()
    """The document's first blocks (see genres.OPENING_BLOCKS), for deciding its genre."""
    title: str | None = None
    """The document's title, where its format has one."""
    learned: dict[str, Any] = field(default_factory=dict)
    """Per aim with a learned model, its verdict on the document (send_align.learned.LearnedVerdict)."""
    proposal: bool = False
    """Whether the document is a proposal (judged by what it proposes: never of a page's genre)."""
    readable: int = 0
    """How many of its paragraphs a context's share is taken of: those with a word, outside contents lists and
    glossaries."""
    set_aside: dict[int, str] = field(default_factory=dict)
    """Paragraphs whose list lead-in says they are not the writer's statement (quoted, findings, not done, contents
    entries) or only a passing mention of it (a reference list), with why: what the rules set aside or cap there,
    the learned model may not rest on to add an aim."""


@dataclass(frozen=True, slots=True, kw_only=True)
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
    status: ClaimStatus
    how: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentResult:
    path: str
    format: str
    aims: tuple[AimResult, ...] = ()
    claims: tuple[ClaimResult, ...] | None = None
    further: tuple[str, ...] = ()
    """Aims a proposal's body addresses that none of its claims names."""
    error: str | None = None
    title: str | None = None
    notes: tuple[str, ...] = ()
    """What a reader of the report should know about how the document was read (from its Document)."""
    not_about: tuple[str, ...] = ()
    """The document contexts (send) the document is not about as a whole (contexts.decide_context): aims
    needing one count only its paragraphs that speak of it."""


@dataclass(frozen=True, kw_only=True)
class FrameworkCoverage:
    id: str
    title: str
    addressed: int
    partial: int
    total: int
    coverage: float


@dataclass(frozen=True, kw_only=True)
class GateFailure:
    kind: GateKind
    message: str
    """The failure in a sentence, naming the document it is about (once) when it is about one."""
    aim: str | None = None
    path: str | None = None
    """The document the failure is about; None for the document set as a whole."""
    detail: str = ""
    """The failure without naming its document, for a report that names the document beside it (the HTML
    gate box, a SARIF location, a GitHub annotation's file); the message when it names none."""
    framework: str | None = None
    """For a coverage gate on one framework."""
    value: float | None = None
    """For a coverage gate: the coverage measured."""

    def __post_init__(self) -> None:
        if not self.detail:
            object.__setattr__(self, "detail", self.message)

    @property
    def key(self) -> str:
        """What a baseline remembers: the gate and what it is about, not the figures in the message."""
        return "|".join((self.kind, self.framework or "", self.aim or "", self.path or ""))


@dataclass(frozen=True, kw_only=True)
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
    gates_set: bool = False
    """Whether any gate applied: a coverage floor, a required aim, a path's gate, or a proposal's claims.
    Reports say "no gates set" rather than "gate passed" when none did."""
    input_problems: int = 0
    """Inputs the run could not read (missing, corrupt, scanned without text): the run exits 2, and reports
    then say nothing about gates, whose verdict would be on part of the input."""

    @property
    def gate_judged(self) -> bool:
        """Whether reports state a gate verdict: some gate applied, and every input was read."""
        return self.gates_set and not self.input_problems


def evidence(
    rule: str,
    text: str,
    paragraph: int,
    line: int | None,
    column: int | None,
    page: int | None,
    section: str | None,
    weight: float,
    phrase: str,
    discarded: str | None,
) -> Evidence:
    """Evidence from its fields in order: for rebuilding many at once (map() over stored columns, pickles)."""
    return Evidence(
        rule=rule,
        text=text,
        paragraph=paragraph,
        line=line,
        column=column,
        page=page,
        section=section,
        weight=weight,
        phrase=phrase,
        discarded=discarded,
    )


def aim_result(
    aim: str,
    status: Status,
    score: float,
    evidence: tuple[Evidence, ...],
    discarded: tuple[Evidence, ...],
    reason: str,
) -> AimResult:
    """An AimResult from its fields in order (see `evidence`)."""
    return AimResult(
        aim=aim, status=status, score=score, evidence=evidence, discarded=discarded, reason=reason
    )


def document_result(
    path: str,
    format: str,
    aims: tuple[AimResult, ...],
    claims: tuple[ClaimResult, ...] | None,
    further: tuple[str, ...],
    error: str | None,
    title: str | None,
    notes: tuple[str, ...],
    not_about: tuple[str, ...] = (),
) -> DocumentResult:
    """A DocumentResult from its fields in order (see `evidence`)."""
    return DocumentResult(
        path=path,
        format=format,
        aims=aims,
        claims=claims,
        further=further,
        error=error,
        title=title,
        notes=notes,
        not_about=not_about,
    )


def _fast_reduce(cls: Any, make: Any = None) -> None:
    """Pickle a frozen, slotted result class as its constructor's arguments: loading then costs one call
    per object, where dataclasses' generic __setstate__ looks up the fields of every object it restores.
    `make` builds one from its fields in order (for classes whose fields are keyword-only)."""
    names = tuple(f.name for f in fields(cls))
    build = make or cls

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return (build, tuple(getattr(self, n) for n in names))

    cls.__reduce__ = __reduce__


for _cls in (Block, ClaimResult, Exemption, Claim):
    _fast_reduce(_cls)
_fast_reduce(Evidence, evidence)
_fast_reduce(AimResult, aim_result)
_fast_reduce(DocumentResult, document_result)
