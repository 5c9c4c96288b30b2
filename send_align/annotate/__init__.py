"""`send-align annotate DOC -o OUT`: the evidence shown where officers read, in a copy of the document.

OUT's suffix picks the writer: `.docx` a copy of the Word document with a Word comment on every evidence
paragraph (annotate/docx.py); `.html` the document's own text with the evidence highlighted and tagged in the
margin (annotate/html.py), for a document of any format. The document is checked here as `check` would check
it (its own exemptions honoured); what it addresses and lacks is gathered per paragraph for both writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from send_align.errors import SendAlignError
from send_align.escaping import file_name
from send_align.model import Aim, Catalogue
from send_align.results import Document, DocumentResult, Status

if TYPE_CHECKING:
    from send_align.output import Pieces

HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIX = ".docx"


@dataclass(frozen=True)
class Tag:
    """One aim a paragraph's evidence counts for, by which rule."""

    aim: str
    title: str
    rule: str
    status: Status


@dataclass(frozen=True)
class Gap:
    """An aim the document does not address, with wording that would count."""

    aim: str
    title: str
    statement: str
    example: str
    status: Status


@dataclass
class Annotation:
    document: Document
    result: DocumentResult
    tags: dict[int, list[Tag]] = field(default_factory=dict)
    """Paragraph number -> the aims its evidence counts for, each (aim, rule) once."""
    quotes: dict[int, list[str]] = field(default_factory=dict)
    """Paragraph number -> the quoted sentences in it, each once."""
    gaps: list[Gap] = field(default_factory=list)


@dataclass(frozen=True)
class Served:
    """One aim a paragraph counts for, with every rule that found it there."""

    aim: str
    title: str
    status: Status
    rules: tuple[str, ...]


def by_aim(tags: list[Tag]) -> list[Served]:
    """A paragraph's tags as one entry per aim, in the order first met."""
    rules: dict[str, list[str]] = {}
    first: dict[str, Tag] = {}
    for t in tags:
        first.setdefault(t.aim, t)
        rules.setdefault(t.aim, []).append(t.rule)
    return [Served(a, first[a].title, first[a].status, tuple(r)) for a, r in rules.items()]


def target_kind(doc: Path, out: Path | str) -> str:
    """'docx' or 'html' from OUT's suffix; SendAlignError (exit 2) for a suffix or pair we cannot write."""
    suffix = Path(str(out)).suffix.lower() if str(out) != "-" else ".html"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == DOCX_SUFFIX:
        if doc.suffix.lower() != DOCX_SUFFIX:
            raise SendAlignError(
                f"cannot write Word comments into a copy of a {doc.suffix or 'suffix-less'} file",
                path=file_name(str(out)),
                hint="annotate a .docx as .docx, or any document as .html",
            )
        return "docx"
    raise SendAlignError(
        f"cannot write an annotated '{suffix or Path(str(out)).name}' file",
        path=file_name(str(out)),
        hint="name the output .html (any document) or .docx (a Word document)",
    )


def example_wording(aim: Aim) -> str:
    """Wording that would count for an aim: its first example that counts, else its first rule's phrase."""
    for ex in aim.examples:
        if ex.counts:
            return ex.text
    for rule in aim.rules:
        if rule.groups and rule.groups[0]:
            return f"a sentence using “{rule.groups[0][0]}”"
    return aim.statement


def annotate(catalogue: Catalogue, frameworks: list[str], path: Path, shown: str) -> Annotation:
    """Check one document and gather its evidence per paragraph and its gaps."""
    from send_align.checker import Checker
    from send_align.extract import extract

    document = extract(path, shown)
    result = Checker(catalogue, catalogue.select(frameworks)).check(document)
    return gather(catalogue, document, result)


def gather(catalogue: Catalogue, document: Document, result: DocumentResult) -> Annotation:
    """A document's evidence per paragraph and its gaps, from its result."""
    found = Annotation(document, result)
    for r in result.aims:
        aim = catalogue.aim(r.aim)
        title = aim.title if aim else r.aim
        if r.status in (Status.ADDRESSED, Status.PARTIAL):
            for e in r.evidence:
                tags = found.tags.setdefault(e.paragraph, [])
                tag = Tag(r.aim, title, e.rule, r.status)
                if tag not in tags:
                    tags.append(tag)
                quotes = found.quotes.setdefault(e.paragraph, [])
                if e.text not in quotes:
                    quotes.append(e.text)
        elif r.status is Status.NOT_ADDRESSED and aim is not None:
            found.gaps.append(Gap(r.aim, title, aim.statement, example_wording(aim), r.status))
    return found


def run(catalogue: Catalogue, frameworks: list[str], doc: Path, out: Path | str) -> tuple[Pieces, Annotation]:
    """The annotated copy's content (bytes for Word, text for HTML) and what it shows."""
    import os

    kind = target_kind(doc, out)
    if not os.path.lexists(doc):
        raise SendAlignError("no such file", path=file_name(str(doc)), hint="check the path")
    shown = file_name(str(doc))
    found = annotate(catalogue, frameworks, doc, shown)
    if found.result.error is not None:
        raise SendAlignError(found.result.error, path=shown)
    if kind == "docx":
        from send_align.annotate.docx import commented

        return commented(doc, shown, found), found
    from send_align.annotate.html import render

    return render(found), found
