"""The annotated view as one self-contained HTML page: the document's own text, paragraph by paragraph, with
each quoted sentence highlighted and the aims it counts for in the margin, and the gaps at the end (as
coverage.py's annotated source shows which lines ran).

Rendered with the report's template environment: autoescaped, every value shown through escaping.prose, so
hostile document text (markup, right-to-left overrides, control characters) is shown, never obeyed.
"""

from __future__ import annotations

from send_align import __version__
from send_align.report.annotated import Annotation, paragraphs
from send_align.results import Status


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
