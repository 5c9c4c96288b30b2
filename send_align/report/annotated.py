"""A document's evidence gathered per paragraph, and its text as the annotated view shows it: shared by the
HTML report (each document's text, collapsed) and `send-align annotate` (Word comments, the HTML view).

Pure functions of a document, its result and the catalogue: nothing is read or written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from send_align.model import Aim, Catalogue
from send_align.results import Document, DocumentResult, Status


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


def example_wording(aim: Aim) -> str:
    """Wording that would count for an aim: its first example that counts, else its first rule's phrase."""
    for ex in aim.examples:
        if ex.counts:
            return ex.text
    for rule in aim.rules:
        if rule.groups and rule.groups[0]:
            return f"a sentence using “{rule.groups[0][0]}”"
    return aim.statement


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


def segments(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """A paragraph's text cut into (piece, is it quoted evidence); a quote not found as written (the checker
    may have tidied its spaces) marks the whole paragraph."""
    marked = [False] * len(text)
    for quote in quotes:
        at = text.find(quote) if quote else -1
        if at < 0:
            return [(text, True)]
        for i in range(at, at + len(quote)):
            marked[i] = True
    out: list[tuple[str, bool]] = []
    for i, ch in enumerate(text):
        if out and out[-1][1] == marked[i]:
            out[-1] = (out[-1][0] + ch, marked[i])
        else:
            out.append((ch, marked[i]))
    return out


def paragraphs(found: Annotation) -> list[dict[str, Any]]:
    """Each paragraph of the document as the annotated text shows it."""
    shown: list[dict[str, Any]] = []
    for block in found.document.blocks:
        quotes = found.quotes.get(block.paragraph, [])
        shown.append(
            {
                "n": block.paragraph,
                "kind": block.kind.value,
                "where": f"page {block.page}" if block.page is not None else "",
                "segments": segments(block.text, quotes) if quotes else [(block.text, False)],
                "tags": by_aim(found.tags.get(block.paragraph, [])),
            }
        )
    return shown
