"""Word drafts: tracked changes read as accepted, page headers and footers left out, footnotes and
endnotes kept as the document's text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from send_align.extract import extract
from tests.readers.support import SEND_CONTEXT, W_NS, _add_notes, _change, _xml, evidence, words


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
