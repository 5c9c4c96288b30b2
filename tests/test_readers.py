"""Word and PDF readers on real files built here: what counts as the document's text, and where it stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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
