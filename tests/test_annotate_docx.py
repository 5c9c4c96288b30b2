"""`send-align annotate DOC.docx -o OUT.docx`: Word comments on the evidence, read back with python-docx."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.readers.support import W_NS, _add_notes, _change, _xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EARLY = "We aim to identify special educational needs as early as possible and review SEN support each term."
PARENTS = "We meet parents of pupils with SEND each term to agree outcomes, and the parent carer forum co-produced this policy."
FOOTNOTE = "Our SENCO leads SEN support and is the person to talk to about your child."
INSERTED = "Our vision is that children with SEND achieve well and lead happy and fulfilled lives."
LAST = "Every pupil with an education, health and care plan has an annual review with their family."


def _policy(path: Path) -> Path:
    """A Word policy with evidence in a body paragraph, a table cell, a footnote, a paragraph inserted
    with changes tracked, and a paragraph after all of them with a tracked deletion (numbering must still
    agree there), under a running header."""
    import docx

    doc = docx.Document()
    doc.add_heading("Hilltop Primary SEND policy", level=1)
    doc.add_paragraph(EARLY)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Families"
    table.cell(0, 1).text = PARENTS
    cites = doc.add_paragraph("Who to ask about support.")
    cites._p.append(_xml(f'<w:r {W_NS}><w:footnoteReference w:id="1"/></w:r>'))
    inserted = doc.add_paragraph()
    inserted._p.append(_xml(_change("ins", 2, INSERTED)))
    last = doc.add_paragraph(LAST)
    last._p.append(_xml(_change("del", 3, " Our SENCO meets every family each week.")))
    # A running header is never evidence and never numbered: the paragraphs after it must still agree.
    doc.sections[0].header.paragraphs[0].text = "Hilltop Primary: our SEND policy for pupils with SEN support"
    doc.save(str(path))
    _add_notes(path, {"footnote": FOOTNOTE})
    return path


def _comments(path: Path) -> list[tuple[str, str]]:
    """Each comment's text with the text of the paragraph it is anchored on."""
    import docx

    doc = docx.Document(str(path))
    anchored: dict[str, str] = {}
    for p in doc.element.body.iter(W + "p"):
        for start in p.iter(W + "commentRangeStart"):
            anchored[start.get(W + "id")] = "".join(t.text or "" for t in p.iter(W + "t"))
    return [(c.text, anchored[str(c.comment_id)]) for c in doc.comments]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_evidence_paragraph_gets_a_comment_naming_its_aims_and_rules(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    doc = _policy(tmp_path / "policy.docx")
    before = _digest(doc)
    out = tmp_path / "out" / "policy-annotated.docx"
    res = cli("annotate", str(doc), "-o", str(out))
    assert res.code == 0, res.stderr
    assert "wrote" in res.stderr and "gaps listed" in res.stderr
    assert _digest(doc) == before  # the input is never modified
    comments = _comments(out)
    on = {
        anchor: text for text, anchor in comments if not text.startswith("send-align: ") or "evidence" in text
    }
    # Compare with what `check` finds: each aim whose evidence is a body paragraph is named on that paragraph.
    report = cli("check", str(doc), "--format", "json", "--evidence", "20").json()
    for aim in report["documents"][0]["aims"]:
        if aim["status"] not in ("addressed", "partial"):
            continue
        for ev in aim["evidence"]:
            if ev["text"] in (EARLY, LAST):
                assert aim["id"] in on[ev["text"]] and ev["rule"] in on[ev["text"]], (aim["id"], on)
            if ev["text"] == PARENTS:  # a table row: the comment is on the cell that holds the quote
                assert aim["id"] in on[PARENTS]
    assert "cop.early-identification" in on[EARLY]
    assert "Families" not in on


def test_top_comment_lists_gaps_with_wording_and_evidence_that_cannot_be_marked(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    doc = _policy(tmp_path / "policy.docx")
    out = tmp_path / "annotated.docx"
    assert cli("annotate", str(doc), "-o", str(out), "-f", "cop").code == 0
    comments = _comments(out)
    top = next(text for text, _ in comments if "gaps." in text.splitlines()[0])
    anchor = next(a for text, a in comments if text == top)
    assert anchor == "Hilltop Primary SEND policy"  # the document's first paragraph
    assert "cop.choice-and-control" in top and "For example: “" in top
    # A footnote and a paragraph inside a tracked insertion cannot carry a comment: they are listed.
    assert FOOTNOTE in top and "cop.senco" in top
    assert INSERTED in top and "cop.vision" in top
    # Only the selected framework's aims are named.
    assert all("lfi." not in text for text, _ in comments)


def test_word_output_needs_a_word_input_and_a_known_suffix(tmp_path: Path, cli: Callable[..., Any]) -> None:
    md = tmp_path / "policy.md"
    md.write_text(f"# Policy\n\n{EARLY}\n", "utf-8")
    res = cli("annotate", str(md), "-o", str(tmp_path / "out.docx"))
    assert res.code == 2 and res.stderr.count("\n") == 1, res.stderr
    assert "Word comments" in res.stderr and ".html" in res.stderr
    res = cli("annotate", str(md), "-o", str(tmp_path / "out.pdf"))
    assert res.code == 2 and "'.pdf'" in res.stderr and res.stderr.count("\n") == 1
    assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out.pdf").exists()


def test_output_never_lands_on_the_input(tmp_path: Path, cli: Callable[..., Any]) -> None:
    doc = _policy(tmp_path / "policy.docx")
    before = _digest(doc)
    (tmp_path / "link.docx").symlink_to(doc)
    (tmp_path / "hard.docx").hardlink_to(doc)
    for target in (
        doc,
        tmp_path / "link.docx",
        tmp_path / "hard.docx",
        tmp_path / "x" / ".." / "policy.docx",
    ):
        res = cli("annotate", str(doc), "-o", str(target))
        assert res.code == 2, (target, res.stderr)
        assert "never overwritten" in res.stderr and res.stderr.count("\n") == 1
    assert _digest(doc) == before


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, cli: Callable[..., Any]) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    res = cli("annotate", str(broken), "-o", str(tmp_path / "out.docx"))
    assert res.code == 2 and res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    res = cli("annotate", str(tmp_path / "missing.docx"), "-o", str(tmp_path / "out.docx"))
    assert res.code == 2 and "no such file" in res.stderr
    assert not (tmp_path / "out.docx").exists()


def test_look_ups_and_check_never_import_python_docx(run_cmd: Callable[..., Any], tmp_path: Path) -> None:
    """python-docx is a runtime dependency for annotate only: imported inside it, never at start-up."""
    for args in (("show", "lfi"), ("check", "--help"), ("annotate", "--help")):
        res = run_cmd(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert res.code == 0, res.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in res.stderr.splitlines() if "|" in line}
        assert "send_align" in imported or "send_align.cli" in imported
        assert "docx" not in imported and "send_align.annotate" not in imported, args
