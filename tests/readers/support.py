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


def _change(kind: str, n: int, text: str) -> str:
    """A tracked insertion or deletion of one run, as Word writes it."""
    tag = "delText" if kind == "del" else "t"
    return (
        f'<w:{kind} {W_NS} w:id="{n}" w:author="A reviewer" w:date="2026-01-05T10:00:00Z">'
        f'<w:r><w:{tag} xml:space="preserve">{text}</w:{tag}></w:r></w:{kind}>'
    )


def _add_notes(path: Path, notes: dict[str, str]) -> None:
    """Give a saved .docx footnotes and endnotes parts ({'footnote': text, 'endnote': text}), with the
    separator notes Word always writes, their relationships and content types."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    types = members["[Content_Types].xml"].decode()
    rels = members["word/_rels/document.xml.rels"].decode()
    for kind, text in notes.items():
        members[f"word/{kind}s.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {W_NS}>'
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
            f"</w:p></w:{kind}>"
            f'<w:{kind} w:id="1"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
            f"</w:r></w:p></w:{kind}></w:{kind}s>"
        ).encode()
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/{kind}s.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/></Types>',
        )
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdNote{kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/{kind}s" Target="{kind}s.xml"/></Relationships>',
        )
    members["[Content_Types].xml"] = types.encode()
    members["word/_rels/document.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
