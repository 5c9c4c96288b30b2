"""The annotated view as one self-contained HTML page: the document's own text, paragraph by paragraph, with
each quoted sentence highlighted and the aims it counts for in the margin, and the gaps at the end (as
coverage.py's annotated source shows which lines ran).

Rendered with the report's template environment: autoescaped, every value shown through escaping.prose, so
hostile document text (markup, right-to-left overrides, control characters) is shown, never obeyed.
"""

from __future__ import annotations

from typing import Any

from send_align import __version__
from send_align.annotate import Annotation, by_aim
from send_align.results import Status


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


def render(found: Annotation) -> str:
    from send_align.report.html import report_date, template

    result = found.result
    return str(
        template("annotated.html.j2").render(
            path=found.document.path,
            title=found.document.title,
            date=report_date(),
            version=__version__,
            paragraphs=paragraphs(found),
            gaps=found.gaps,
            addressed=sum(r.status is Status.ADDRESSED for r in result.aims),
            partial=sum(r.status is Status.PARTIAL for r in result.aims),
            total=sum(r.status is not Status.NOT_APPLICABLE for r in result.aims),
            evidence=len(found.tags),
        )
    )
