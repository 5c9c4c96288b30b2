"""A compiled matcher for every aim of the catalogue: a document in, every aim's result (and its claims') out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from send_align.exemptions import exemptions_for
from send_align.extract.reading import Header, Reading
from send_align.model import Catalogue, Framework
from send_align.options import Exemptions
from send_align.proposals import further_alignment, judge_claims
from send_align.results import AimResult, Block, Document, DocumentResult, DocumentScan
from send_align.scoring import judge

if TYPE_CHECKING:
    from send_align.learned.scoring import Compiled
    from send_align.matching import Matcher


@dataclass
class Checker:
    """A compiled matcher for every aim of the catalogue; reports show the selected frameworks."""

    catalogue: Catalogue
    frameworks: list[Framework]
    matcher: Matcher = field(init=False)
    selected: set[str] = field(init=False)
    """Ids of the aims of the selected frameworks: the ones reports show."""
    learned: Compiled | None = field(init=False, default=None)
    """The catalogue's learned models, compiled (None without any: `--rules-only` leaves them out of the
    catalogue, send_align.learned.files.without_models)."""

    def __post_init__(self) -> None:
        from send_align.matching import compile_matcher  # a run answered from the cache never needs it

        self.matcher = compile_matcher(self.catalogue, self.catalogue.aims())
        self.selected = {a.id for f in self.frameworks for a in f.aims}
        if self.catalogue.models:
            from send_align.learned.files import load_models
            from send_align.learned.scoring import compile_models

            # Checked against the aims when the catalogue was built (its digest covers the files).
            self.learned = compile_models(load_models(self.catalogue), (a.id for a in self.matcher.aims))

    def scan(self, blocks: Iterable[Block], settle: bool = True, title: str | None = None) -> DocumentScan:
        """What the matcher finds in a document's blocks (see `scan_document` for `settle`, and for why
        blocks given as a sequence, with the title, can be scanned again), and the learned models' verdicts."""
        from send_align.matching import scan_document

        if self.learned is None:
            return scan_document(self.matcher, blocks, settle, title)
        reader = self.learned.reader()
        if isinstance(blocks, Sequence):
            for block in blocks:
                reader.add(block)
        else:  # streamed: read on the way through, never held
            blocks = reader.passing(blocks)
        scan = scan_document(self.matcher, blocks, settle, title)
        scan.learned = reader.verdicts()
        return scan

    def judge(
        self, scan: DocumentScan, title: str | None, not_applicable: dict[str, str], proposal: bool = False
    ) -> list[AimResult]:
        """Every aim's result (all aims, so claims on any framework are judged); the title, known once the
        blocks are read, may decide a context. A proposal is judged without the learned models' vetoes: they
        were fitted on pages of prose, and a proposal's summary and sections are another genre, short by
        design (a veto there held the README example's true claim unsupported); for the same reason a short
        proposal is held to each aim's own threshold, not the lower one a page of one window earns; nor is it
        ever of a genre (see genres.genre_of)."""
        from send_align.matching.judge import title_contexts

        if proposal and scan.learned:
            scan.learned = {
                k: replace(v, veto=None, threshold=v.compiled.threshold[v.index]) for k, v in scan.learned.items()
            }
        scan.proposal = proposal

        scan.title_contexts = title_contexts(self.matcher, title)
        scan.title = title
        return judge(self.matcher.aims, scan, self.matcher.contexts, not_applicable, self.catalogue.genres)

    def results(
        self, document: Document, settle: bool = True, exemptions: Exemptions | None = None, rel: str | None = None
    ) -> tuple[DocumentScan, list[AimResult]]:
        """A whole document's scan and every aim's result, with the configuration's `exemptions` applied as
        a check applies them (`rel`: the document's path from the configuration's folder, which their path
        patterns match). No gate is judged here (explain, diff, annotate): the document's own not-applicable
        patterns are taken as written."""
        scan = self.scan(document.blocks, settle, document.title)
        settings = replace(exemptions or Exemptions(), allow_wildcards=True)
        not_applicable = exemptions_for(self.catalogue, document.path, document.exemptions, settings, rel)
        return scan, self.judge(scan, document.title, not_applicable, document.claims is not None)

    def check(self, document: Document, exemptions: Exemptions | None = None, rel: str | None = None) -> DocumentResult:
        """A whole document's result (see `results` for the exemptions)."""
        scan, results = self.results(document, exemptions=exemptions, rel=rel)
        first = document.blocks[0].text if document.blocks else None
        return self.finish(document.path, Reading.of(document).header(), results, scan, first)

    def finish(
        self,
        path: str,
        header: Header,
        results: list[AimResult],
        scan: DocumentScan | None = None,
        first: str | None = None,
    ) -> DocumentResult:
        """The result reports show: the selected frameworks' aims, and a proposal's claims judged; with the
        judged `scan`, the contexts the document is not about. A document with no title of its own (no
        heading, no title in its metadata) is named by its first line (`first`: its first block's text);
        only in reports: the matcher judges a title, never a first line, as saying what the document is about."""
        from send_align.contexts import not_about

        by_id = {r.aim: r for r in results}
        shown = tuple(r for r in results if r.aim in self.selected)
        outside = not_about(self.matcher.contexts, scan) if scan is not None else ()
        title = header.title or first_line(first)
        if header.claims is None:
            return DocumentResult(
                path=path,
                format=header.format,
                aims=shown,
                title=title,
                notes=header.notes,
                not_about=outside,
            )
        claims = judge_claims(header.claims, by_id)
        further = further_alignment(header.claims, shown)
        return DocumentResult(
            path=path,
            format=header.format,
            aims=shown,
            claims=tuple(claims),
            further=tuple(further),
            title=title,
            not_about=outside,
        )


def first_line(text: str | None, limit: int = 80) -> str | None:
    """A document's first line as its title: spaces tidied, Markdown marks dropped, cut at a word with an
    ellipsis past `limit` characters; None when there is no text."""
    line = next((ln for ln in (text or "").splitlines() if ln.strip(" #*_-:>\t")), "")
    clean = " ".join(line.split()).strip(" #*_:>")
    if len(clean) > limit:
        clean = clean[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return clean or None
