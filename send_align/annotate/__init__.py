"""`send-align annotate DOC -o OUT`: the evidence shown where officers read, in a copy of the document.

OUT's suffix picks the writer: `.docx` a copy of the Word document with a Word comment on every evidence
paragraph (annotate/docx.py); `.html` the document's own text with the evidence highlighted and tagged in the
margin (annotate/html.py), for a document of any format. The document is checked here as `check` would check
it (its own exemptions honoured); what it addresses and lacks is gathered per paragraph for both writers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from send_align.errors import SendAlignError
from send_align.escaping import file_name
from send_align.model import Catalogue
from send_align.options import Exemptions
from send_align.report.annotated import Annotation, gather

if TYPE_CHECKING:
    from send_align.checker import Checker
    from send_align.output import Pieces

HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIX = ".docx"


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


def annotate(
    catalogue: Catalogue,
    frameworks: list[str],
    path: Path,
    shown: str,
    exemptions: Exemptions | None = None,
    rel: str | None = None,
    checker: Checker | None = None,
) -> Annotation:
    """Check one document and gather its evidence per paragraph and its gaps, with the configuration's
    `exemptions` applied as a check applies them (`rel`: the path they match; see Checker.results): an exempted
    aim is neither tagged nor listed as a gap."""
    from send_align.checker import Checker
    from send_align.extract import extract

    document = extract(path, shown)
    checker = checker or Checker(catalogue, catalogue.select(frameworks))
    result = checker.check(document, exemptions, rel)
    return gather(catalogue, document, result)


def run(
    catalogue: Catalogue,
    frameworks: list[str],
    doc: Path,
    out: Path | str,
    shown: str | None = None,
    exemptions: Exemptions | None = None,
    rel: str | None = None,
    checker: Checker | None = None,
) -> tuple[Pieces, Annotation]:
    """The annotated copy's content (bytes for Word, text for HTML) and what it shows. `shown`: DOC's name
    in the copy and in messages (default: as given)."""
    import os

    kind = target_kind(doc, out)
    shown = shown or file_name(str(doc))
    if not os.path.lexists(doc):
        raise SendAlignError("no such file", path=shown, hint="check the path")
    found = annotate(catalogue, frameworks, doc, shown, exemptions, rel, checker)
    if found.result.error is not None:
        raise SendAlignError(found.result.error, path=shown)
    if kind == "docx":
        from send_align.annotate.docx import commented

        return commented(doc, shown, found), found
    from send_align.annotate.html import render

    return render(found), found
