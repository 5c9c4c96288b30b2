"""What the reader tests share: PDFs and Word XML built here, SEND context sentences, and the words
and evidence a document or report holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def words(doc: Any) -> str:
    return " ".join(" ".join(b.text.split()) for b in doc.blocks)


def evidence(report: Any, aim: str) -> list[dict[str, Any]]:
    (document,) = report["documents"]
    found = next(a for a in document["aims"] if a["id"] == aim)
    return list(found["evidence"])


def write_pdf(path: Path, pages: list[list[str]], footer: bool = False, size: float = 11) -> Path:
    """A PDF with these lines on each page, set at body size, with no running header or footer unless asked."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=size)
        y = 30.0
        for line in lines:
            pdf.text(20, y, line)
            y += 7
        if footer:
            pdf.text(100, 285, f"Page {number} of {len(pages)}")
    pdf.output(str(path))
    return path


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SEND_CONTEXT = [
    "Hillside welcomes every pupil with SEND and plans their support with care.",
    "Pupils with special educational needs learn in their own classes with their friends.",
]


def _xml(markup: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(markup)
