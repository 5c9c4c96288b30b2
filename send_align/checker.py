"""A compiled matcher for every aim of the catalogue: a document in, every aim's result (and its claims') out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from send_align.exemptions import Settings, exemptions_for
from send_align.model import Catalogue, Framework
from send_align.proposals import further_alignment, judge_claims
from send_align.results import AimResult, Document, DocumentResult, DocumentScan
from send_align.scoring import judge

if TYPE_CHECKING:
    from send_align.matching import Matcher


@dataclass
class Checker:
    """A compiled matcher for every aim of the catalogue; reports show the selected frameworks."""

    catalogue: Catalogue
    frameworks: list[Framework]
    matcher: Matcher = field(init=False)
    selected: set[str] = field(init=False)
    """Ids of the aims of the selected frameworks: the ones reports show."""

    def __post_init__(self) -> None:
        from send_align.matching import compile_matcher  # a run answered from the cache never needs it

        self.matcher = compile_matcher(self.catalogue, self.catalogue.aims())
        self.selected = {a.id for f in self.frameworks for a in f.aims}

    def results(
        self, document: Document, settle: bool = True, not_applicable: dict[str, str] | None = None
    ) -> tuple[DocumentScan, list[AimResult]]:
        """The document's scan, and every aim's result (all aims, so claims on any framework are judged)."""
        from send_align.matching import scan_document

        scan = scan_document(self.matcher, document.blocks, settle, document.title)
        if not_applicable is None:
            # No gate is judged here (explain, diff): a document's patterns are taken as written.
            not_applicable = exemptions_for(
                self.catalogue, document, Settings(allow_wildcard_exemptions=True)
            )
        return scan, judge(self.matcher.aims, scan, self.matcher.contexts, not_applicable)

    def check(self, document: Document, not_applicable: dict[str, str] | None = None) -> DocumentResult:
        _, results = self.results(document, not_applicable=not_applicable)
        return self.finish(document, results)

    def finish(self, document: Document, results: list[AimResult]) -> DocumentResult:
        by_id = {r.aim: r for r in results}
        shown = tuple(r for r in results if r.aim in self.selected)
        if document.claims is None:
            return DocumentResult(
                path=document.path,
                format=document.format,
                aims=shown,
                title=document.title,
                notes=document.notes,
            )
        claims = judge_claims(document.claims, by_id)
        further = further_alignment(document.claims, shown)
        return DocumentResult(
            path=document.path,
            format=document.format,
            aims=shown,
            claims=tuple(claims),
            further=tuple(further),
            title=document.title,
        )
