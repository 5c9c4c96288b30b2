"""Word and PDF readers on real files built here: what counts as the document's text, and where it stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from send_align.errors import SendAlignError
from send_align.extract import extract


def words(doc: Any) -> str:
    return " ".join(" ".join(b.text.split()) for b in doc.blocks)


def evidence(report: Any, aim: str) -> list[dict[str, Any]]:
    (document,) = report["documents"]
    found = next(a for a in document["aims"] if a["id"] == aim)
    return list(found["evidence"])


# --- PDF ---------------------------------------------------------------------------------------------


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


# Full-width lines: no line ends a paragraph by being short, so only the page break can end it.
RUN_OVER_PAGE_ONE = [
    "Every pupil with SEND is welcome at Hillside.",
    "Our reading recovery teacher works with the inclusion team across the whole school and",
    "meets every class teacher each half term to plan extra help for pupils who are behind",
    "with reading, writing and number; progress is reviewed with parents at the end of each",
    "term so that every family knows what happens next, and our special educational needs co-",
]
RUN_OVER_PAGE_TWO = [
    "ordinator leads this work. She is the person families should ask about the support in",
    "place for their child, including the speech therapist who visits the school every week",
    "and works with small groups of pupils on their communication and the way they play well.",
]


def test_pdf_paragraph_running_over_a_page_break_is_kept(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "run.pdf", [RUN_OVER_PAGE_ONE, RUN_OVER_PAGE_TWO])
    doc = extract(pdf, "run.pdf")
    text = words(doc)
    assert "reading recovery teacher" in text and "works with small groups" in text
    # The sentence cut by the break is finished where it starts (its word rejoined); the rest of the
    # paragraph starts where it stands on page 2.
    assert [(b.page, b.line, b.column) for b in doc.blocks] == [(1, 1, 1), (1, 2, 1), (2, 1, 28)]
    assert doc.blocks[1].text.endswith("needs co-ordinator leads this work.")
    assert doc.blocks[2].text.startswith("She is the person")


def test_pdf_sentence_over_a_page_break_is_evidence_through_the_cli(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    pdf = write_pdf(tmp_path / "run.pdf", [RUN_OVER_PAGE_ONE, RUN_OVER_PAGE_TWO])
    res = cli("check", str(pdf), "--format", "json", "--no-cache", "-f", "cop")
    assert res.code in (0, 1), res.stderr
    found = evidence(res.json(), "cop.senco")
    # "special educational needs co-" ends page 1 and "ordinator leads" opens page 2: one sentence, one block.
    assert found and (found[0]["page"], found[0]["line"]) == (1, 5)
    assert "needs co-ordinator leads this work" in found[0]["text"]


PAGE_THREE = [
    "Parents and carers are invited to a coffee morning each month, where the head teacher and",
    "the family support worker answer questions and listen to ideas for making the school a",
    "better place for every child, and notes of each meeting are shared on the school website.",
]


def test_pdf_paragraph_goes_on_past_a_page_footer_but_not_into_a_heading(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "foot.pdf",
        [RUN_OVER_PAGE_ONE, RUN_OVER_PAGE_TWO, ["Working With Families", *PAGE_THREE]],
        footer=True,
    )
    doc = extract(pdf, "foot.pdf")
    assert "Page 1 of 3" not in words(doc)
    joined = next(b for b in doc.blocks if "reading recovery" in b.text and b.page == 1)
    assert joined.text.endswith("co-ordinator leads this work.") and (joined.page, joined.line) == (1, 2)
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert (heading.text, heading.page, heading.section) == (
        "Working With Families",
        3,
        "Working With Families",
    )


# --- Word ------------------------------------------------------------------------------------------------

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


def write_tracked_docx(path: Path) -> Path:
    """A draft with changes on: a paragraph inserted whole, a word inserted and a sentence deleted inside
    paragraphs, and a reviewer's comment."""
    import docx

    doc = docx.Document()
    doc.add_heading("Planning with families", level=1)
    for text in SEND_CONTEXT:
        doc.add_paragraph(text)
    inserted = doc.add_paragraph()
    inserted._p.get_or_add_pPr().append(
        _xml(f'<w:rPr {W_NS}><w:ins w:id="1" w:author="A reviewer" w:date="2026-01-05T10:00:00Z"/></w:rPr>')
    )
    inserted._p.append(_xml(_change("ins", 2, "A one-page profile is written with each child and parents.")))
    mixed = doc.add_paragraph("Every pupil with special ")
    mixed._p.append(_xml(_change("ins", 3, "educational ")))
    mixed.add_run("needs has a key adult.")
    mixed._p.append(_xml(_change("del", 4, " Our SENCO coordinates support for every pupil.")))
    remark = doc.add_paragraph("Reading groups meet on Tuesdays.")
    doc.add_comment(remark.runs, text="The SENCO leads this and should be named here.", author="A reviewer")
    doc.save(str(path))
    return path


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    doc = extract(write_tracked_docx(tmp_path / "draft.docx"), "draft.docx")
    text = words(doc)
    assert "A one-page profile is written with each child and parents." in text
    assert "Every pupil with special educational needs has a key adult." in text
    assert "SENCO" not in text  # neither the deleted sentence nor the comment
    (note,) = doc.notes
    assert "unaccepted tracked changes (2 insertion(s), 1 deletion(s))" in note


def test_docx_tracked_changes_through_the_cli(tmp_path: Path, cli: Callable[..., Any]) -> None:
    draft = write_tracked_docx(tmp_path / "draft.docx")
    res = cli("check", str(draft), "--format", "json", "--no-cache", "-f", "cop")
    assert res.code in (0, 1), res.stderr
    report = res.json()
    (document,) = report["documents"]
    assert document["notes"] and "unaccepted tracked changes" in document["notes"][0]
    profile = [e for e in evidence(report, "cop.participation") if e["rule"] == "person-centred"]
    assert profile and "one-page profile" in profile[0]["text"]
    senco = next(a for a in document["aims"] if a["id"] == "cop.senco")
    assert senco["status"] == "not-addressed" and senco["evidence"] == []
    table = cli("check", str(draft), "--no-cache", "-f", "cop")
    assert "note: unaccepted tracked changes" in table.stdout
    import jsonschema

    from send_align.resources import schema

    jsonschema.validate(report, schema("report"))


def test_docx_without_changes_has_no_note(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import docx

    plain = docx.Document()
    for text in SEND_CONTEXT:
        plain.add_paragraph(text)
    plain.save(str(tmp_path / "plain.docx"))
    res = cli("check", str(tmp_path / "plain.docx"), "--format", "json", "--no-cache", "-f", "cop")
    assert "notes" not in res.json()["documents"][0]


def test_docx_page_headers_and_footers_are_not_evidence(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import docx

    doc = docx.Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Our SENCO coordinates support for every pupil with SEND."
    section.footer.paragraphs[0].text = "The SENCO leads SEN support; ask the SENCO about your child."
    for text in SEND_CONTEXT:
        doc.add_paragraph(text)
    path = tmp_path / "headed.docx"
    doc.save(str(path))
    assert "SENCO" not in words(extract(path, "headed.docx"))
    res = cli("check", str(path), "--format", "json", "--no-cache", "-f", "cop")
    senco = next(a for a in res.json()["documents"][0]["aims"] if a["id"] == "cop.senco")
    assert senco["status"] == "not-addressed" and senco["evidence"] == []


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


def test_docx_footnotes_and_endnotes_are_the_documents_text(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Who to ask", level=1)
    cites = doc.add_paragraph(SEND_CONTEXT[0])
    cites._p.append(_xml(f'<w:r {W_NS}><w:footnoteReference w:id="1"/></w:r>'))
    doc.add_heading("Our offer", level=1)
    ends = doc.add_paragraph(SEND_CONTEXT[1])
    ends._p.append(_xml(f'<w:r {W_NS}><w:endnoteReference w:id="1"/></w:r>'))
    doc.add_paragraph("Reading groups meet on Tuesdays.")
    path = tmp_path / "noted.docx"
    doc.save(str(path))
    _add_notes(
        path,
        {
            "footnote": "Our SENCO leads SEN support and is the person to talk to about your child.",
            "endnote": "Pupils with dyslexia have precision teaching and reading rulers.",
        },
    )
    read = extract(path, "noted.docx")
    texts = [b.text for b in read.blocks]
    foot = texts.index("Our SENCO leads SEN support and is the person to talk to about your child.")
    end = texts.index("Pupils with dyslexia have precision teaching and reading rulers.")
    # Each note follows the paragraph citing it, under that paragraph's heading.
    assert texts[foot - 1] == SEND_CONTEXT[0] and read.blocks[foot].section == "Who to ask"
    assert texts[end - 1] == SEND_CONTEXT[1] and read.blocks[end].section == "Our offer"
    assert read.notes == ()
    res = cli("check", str(path), "--format", "json", "--no-cache", "-f", "cop")
    senco = evidence(res.json(), "cop.senco")
    learning = evidence(res.json(), "cop.need-cognition-learning")
    assert senco and senco[0]["section"] == "Who to ask" and "SENCO leads" in senco[0]["text"]
    assert learning and "dyslexia" in learning[0]["text"]


def _with_document_xml(path: Path, body: str, doctype: str = "") -> Path:
    """A real .docx whose main part is replaced by this body (and DOCTYPE)."""
    import zipfile

    import docx

    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W_NS}><w:body>{body}</w:body></w:document>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_docx_entities_are_never_resolved_or_fetched(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import socket

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", "utf-8")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    docs = tmp_path / "docs"
    docs.mkdir()
    _with_document_xml(
        docs / "xxe.docx",
        _para("Pupils with SEND &file; &remote; are welcome.") + _para(SEND_CONTEXT[1]),
        f'<!DOCTYPE w:document [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/x">]>',
    )
    lol = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    _with_document_xml(
        docs / "laughs.docx", _para("SEND &j;") + _para(SEND_CONTEXT[1]), f"<!DOCTYPE w:document [{lol}]>"
    )
    res = cli("check", str(docs), "--format", "json", "--no-cache", "-f", "cop")
    with pytest.raises(TimeoutError):
        server.accept()  # nothing was fetched
    server.close()
    assert res.code in (0, 1, 2) and "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert "TOPSECRETVALUE" not in res.stdout and "lollol" not in res.stdout
    assert words(extract(docs / "xxe.docx", "xxe.docx")) == "Pupils with SEND are welcome. " + SEND_CONTEXT[1]
    for name in ("xxe.docx", "laughs.docx"):
        try:
            assert "lollol" not in words(extract(docs / name, name))
        except SendAlignError as exc:
            assert name in str(exc) and "\n" not in str(exc)


def test_docx_nested_beyond_limits_is_one_clear_error(tmp_path: Path, cli: Callable[..., Any]) -> None:
    deep = (
        "<w:p>"
        + "<w:hyperlink>" * 100_000
        + "<w:r><w:t>SEND</w:t></w:r>"
        + "</w:hyperlink>" * 100_000
        + "</w:p>"
    )
    path = _with_document_xml(tmp_path / "deep.docx", deep)
    with pytest.raises(SendAlignError, match=r"deep\.docx"):
        extract(path, "deep.docx")
    res = cli("check", str(path), "--no-cache")
    assert res.code == 2 and "Traceback" not in res.stderr and "deep.docx" in res.stderr
    # Nesting within the parser's limits is read, however the runs are wrapped.
    wrapped = (
        "<w:p>" + "<w:smartTag>" * 200 + "<w:r><w:t>Inside</w:t></w:r>" + "</w:smartTag>" * 200 + "</w:p>"
    )
    assert words(extract(_with_document_xml(tmp_path / "ok.docx", wrapped), "ok.docx")) == "Inside"


def test_docx_without_body_or_styles(tmp_path: Path) -> None:
    import zipfile

    bodiless = _with_document_xml(tmp_path / "nobody.docx", "")
    with zipfile.ZipFile(bodiless) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "word/document.xml"}
    with zipfile.ZipFile(bodiless, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(SendAlignError, match="no document body"):
        extract(bodiless, "nobody.docx")
    # No styles part: Word's built-in style ids still mark headings.
    styleless = _with_document_xml(
        tmp_path / "bare.docx",
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Our offer</w:t></w:r></w:p>'
        + _para("Text."),
    )
    with zipfile.ZipFile(styleless) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "word/styles.xml"}
    with zipfile.ZipFile(styleless, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    doc = extract(styleless, "bare.docx")
    assert [(b.kind, b.section) for b in doc.blocks] == [("heading", "Our offer"), ("text", "Our offer")]


# --- PDF: type, layout and hostile files ----------------------------------------------------------------


NEXT_LINE: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT"}


def test_pdf_headings_are_told_by_their_type(tmp_path: Path, cli: Callable[..., Any]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(80, 8, "How the school supports pupils with special educational needs", **NEXT_LINE)
    pdf.set_font("Helvetica", size=11)
    for line in ("Every pupil with SEND belongs here.", "Our Approach", "Pupils with SEND learn in class."):
        pdf.multi_cell(0, 6, line, **NEXT_LINE)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.multi_cell(0, 6, "Who leads SEN support", **NEXT_LINE)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Our SENCo leads SEN support and talks to parents each term.", **NEXT_LINE)
    path = tmp_path / "typed.pdf"
    pdf.output(str(path))
    doc = extract(path, "typed.pdf")
    headings = [(b.text, b.line) for b in doc.blocks if b.kind == "heading"]
    # The wrapped title is one heading; a short line in body type ("Our Approach") is not a heading.
    assert headings == [
        ("How the school supports pupils with special educational needs", 1),
        ("Who leads SEN support", 7),
    ]
    assert doc.blocks[-1].section == "Who leads SEN support"
    res = cli("check", str(path), "--format", "json", "--no-cache", "-f", "cop")
    assert evidence(res.json(), "cop.senco")[0]["section"] == "Who leads SEN support"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object (objects numbered from 1; 1 is the catalogue), with a true xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


TEXT_OPS = b"BT /F1 11 Tf 72 720 Td (Pupils with SEND are supported by the SENCo at SEN support.) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def a_page(contents: int, parent: int = 2, font: int = 4) -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (parent, font, contents)
    )


def a_stream(data: bytes, flate: bool = False) -> bytes:
    if flate:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def hostile_pdfs(folder: Path) -> dict[str, Path]:
    import zlib

    catalogue = b"<< /Type /Catalog /Pages 2 0 R >>"
    made = {}
    # Flate bomb: one page whose content inflates to 400 MB.
    squeeze = zlib.compressobj(1)
    data = squeeze.compress(TEXT_OPS) + b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(400))
    data += squeeze.flush()
    made["bomb"] = raw_pdf(
        [catalogue, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", a_page(5), FONT, a_stream(data, True)]
    )
    # Page-count bomb: 20,000 pages sharing one small content stream.
    n = 20_000
    kids = b" ".join(b"%d 0 R" % i for i in range(5, 5 + n))
    made["pages"] = raw_pdf(
        [catalogue, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n), a_stream(TEXT_OPS), FONT]
        + [a_page(3)] * n
    )
    # A page tree whose nodes list themselves and each other.
    made["cyclic"] = raw_pdf(
        [
            catalogue,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 6 0 R] /Count 3 >>",
            a_page(5),
            FONT,
            a_stream(TEXT_OPS),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>",
        ]
    )
    # A page tree 5,000 levels deep.
    depth = 5000
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + i) for i in range(depth)]
    leaf = 2 + depth
    made["deep"] = raw_pdf(
        [catalogue, *nodes, a_page(leaf + 2, parent=leaf - 1, font=leaf + 1), FONT, a_stream(TEXT_OPS)]
    )
    # A count claiming two billion pages over one real page.
    made["claimed"] = raw_pdf(
        [
            catalogue,
            b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
            a_page(5),
            FONT,
            a_stream(TEXT_OPS),
        ]
    )
    paths = {}
    for name, content in made.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(content)
    return paths


def test_hostile_pdfs_are_refused_or_read_within_bounds(tmp_path: Path, run_cmd: Callable[..., Any]) -> None:
    import resource

    folder = tmp_path / "pdfs"
    folder.mkdir()
    hostile_pdfs(folder)
    (folder / "fine.md").write_text("# Support\n\nPupils with SEND are supported by the SENCo.\n", "utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = run_cmd("check", str(folder), "--format", "json", "--no-cache", "-f", "cop", timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert res.code == 2 and "Traceback" not in res.stderr and "internal error" not in res.stderr
    by_name = {Path(d["path"]).name: d for d in res.json()["documents"]}
    assert "error" not in by_name["fine.md"]  # the other documents are still checked
    assert "decompression bomb" in by_name["bomb.pdf"]["error"]
    assert "20000 pages (limit 10,000)" in by_name["pages.pdf"]["error"]
    assert "corrupt" in by_name["deep.pdf"]["error"]
    assert "error" not in by_name["claimed.pdf"]  # its one real page is read
    # The cycle is walked once: its one page three times over, its text then a running header.
    assert "no text to check" in by_name["cyclic.pdf"]["error"]
    for line in res.stderr.strip().splitlines():
        assert line.startswith("error: ") and "\n" not in line
    # Peak memory of the check and the reader it starts stays bounded (the bomb inflates to 400 MB).
    assert max(after.ru_maxrss, before.ru_maxrss) < 500 * 1024
    assert after.ru_utime - before.ru_utime < 60


def test_encrypted_pdfs(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [[*SEND_CONTEXT]])
    for name, user, algorithm in (("locked.pdf", "secret", "RC4-128"), ("owner-only.pdf", "", "RC4-40")):
        writer = PdfWriter()
        for page in PdfReader(str(plain)).pages:
            writer.add_page(page)
        writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
        with (tmp_path / name).open("wb") as fh:
            writer.write(fh)
    with pytest.raises(SendAlignError, match=r"locked\.pdf: this PDF is encrypted \(password-protected\)"):
        extract(tmp_path / "locked.pdf", "locked.pdf")
    # Restricted (printing, copying) but opening without a password: read like any other.
    assert SEND_CONTEXT[0] in words(extract(tmp_path / "owner-only.pdf", "owner-only.pdf"))


def test_pdf_items_numbered_without_a_stop_are_paragraphs_of_their_own(tmp_path: Path) -> None:
    lines = [
        "1 Family support. A family practitioner joins any meeting about a pupil at risk of exclusion",
        "and can begin working with the family that week, whatever the school has tried so far.",
        "2 Training for every school. The psychology service will run a half-day course on anxiety",
        "for every secondary school by July, and for primary schools from the autumn term onwards.",
    ]
    doc = extract(write_pdf(tmp_path / "items.pdf", [lines]), "items.pdf")
    assert [b.text.split(".")[0] for b in doc.blocks] == ["1 Family support", "2 Training for every school"]
    assert [b.line for b in doc.blocks] == [1, 3]


def _allocate(megabytes: int) -> int:
    hog = bytearray(megabytes * 1024 * 1024)
    return len(hog)


def _spin(_: object) -> None:
    while True:
        pass


def _refuse(_: object) -> None:
    raise SendAlignError("refused: it says no", hint="ask again")


def test_sandbox_bounds_memory_and_time_and_passes_errors_on() -> None:
    import time

    from send_align.extract.sandbox import Exceeded, isolated

    limits: dict[str, Any] = {"shown": "x.pdf", "kind": "PDF"}
    assert isolated(_allocate, 16, memory=64 << 20, seconds=10, **limits) == 16 << 20
    with pytest.raises(Exceeded, match=r"x\.pdf: refused: reading it needed more than 64 MB"):
        isolated(_allocate, 512, memory=64 << 20, seconds=10, **limits)
    started = time.monotonic()
    with pytest.raises(Exceeded):
        isolated(_spin, None, memory=64 << 20, seconds=1, **limits)
    assert time.monotonic() - started < 8
    with pytest.raises(SendAlignError, match=r"x\.pdf: refused: it says no \(ask again\)"):
        isolated(_refuse, None, memory=64 << 20, seconds=10, **limits)


def test_pdf_read_by_two_processes_is_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from send_align.extract import pdf as reader

    names = ["Ash", "Beech", "Cedar", "Damson", "Elder", "Fir", "Gorse"]
    pages = [
        [f"{name} class welcomes pupils with SEND.", *(f"{name}: {t}" for t in PAGE_THREE)] for name in names
    ]
    path = write_pdf(tmp_path / "long.pdf", pages)
    monkeypatch.setattr(reader, "SPLIT_BYTES", 10**12)
    whole = extract(path, "long.pdf")
    monkeypatch.setattr(reader, "SPLIT_BYTES", 1)
    assert extract(path, "long.pdf") == whole and whole.pages == 7
    assert [b.page for b in whole.blocks if "class welcomes" in b.text] == list(range(1, 8))


def test_reader_children_die_with_the_check(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "from send_align.extract.sandbox import isolated\n"
        "from tests.test_readers import _spin\n"
        "isolated(_spin, None, memory=64 << 20, seconds=60, shown='x.pdf', kind='PDF')\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent)
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    if not children.exists():
        parent.kill()
        pytest.skip("no /proc children list on this system")
    deadline = time.monotonic() + 20
    pids: list[int] = []
    while not pids and time.monotonic() < deadline:
        pids = [int(p) for p in children.read_text().split()]
        time.sleep(0.05)
    assert pids, "the reader's child never started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and Path(f"/proc/{pids[0]}").exists():
        state = (
            Path(f"/proc/{pids[0]}/stat").read_text().split()[2]
            if Path(f"/proc/{pids[0]}/stat").exists()
            else "X"
        )
        if state in ("Z", "X"):
            break
        time.sleep(0.05)
    stat = Path(f"/proc/{pids[0]}/stat")
    alive = stat.exists() and stat.read_text().split()[2] not in ("Z", "X")
    if alive:
        os.kill(pids[0], signal.SIGKILL)  # the orphan this test made, so it does not spin on
    assert not alive


def test_joining_words_hyphenated_over_a_line_end_is_linear_on_long_lines() -> None:
    import time

    from send_align.extract.pdf_layout import dehyphenate as _dehyphenate

    assert _dehyphenate(["special educa-", "tional needs"], set()) == ["special educational", "needs"]
    started = time.perf_counter()
    _dehyphenate(["a" * 200_000 + "-", "b words"], set())
    # Quadratic matching took minutes on this line; linear takes milliseconds (bound generous for CI).
    assert time.perf_counter() - started < 2.0
