"""The PDF reader's layout: paragraphs over page breaks and past footers, headings told by their
type, numbered items, pages split between processes, words hyphenated over a line end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from send_align.extract import extract
from tests.readers.support import evidence, words, write_pdf

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


def test_pdf_title_page_of_one_line_does_not_run_into_the_next_page(tmp_path: Path) -> None:
    # A page of one line has no width of its own: measured alone, its line is "full" and would carry on.
    pages = [
        ["Inclusion policy for Meadow Bank Primary"],
        [*RUN_OVER_PAGE_ONE[1:4], "term so that every family knows what happens next."],
    ]
    doc = extract(write_pdf(tmp_path / "title.pdf", pages), "title.pdf")
    assert doc.blocks[0].text == "Inclusion policy for Meadow Bank Primary" and doc.blocks[0].page == 1
    assert doc.blocks[1].page == 2 and doc.blocks[1].text.startswith("Our reading recovery teacher")
    assert doc.title == "Inclusion policy for Meadow Bank Primary"


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


def test_joining_words_hyphenated_over_a_line_end_is_linear_on_long_lines() -> None:
    import time

    from send_align.extract.pdf_layout import dehyphenate as _dehyphenate

    assert _dehyphenate(["special educa-", "tional needs"], set()) == ["special educational", "needs"]
    started = time.perf_counter()
    _dehyphenate(["a" * 200_000 + "-", "b words"], set())
    # Quadratic matching took minutes on this line; linear takes milliseconds (bound generous for CI).
    assert time.perf_counter() - started < 2.0


def _table_pdf(path: Path) -> Path:
    """A paragraph of full-width lines, then an action plan whose cells wrap over several short lines."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for _ in range(3):  # the page's paragraphs, so that a full line is a full line of the page
        pdf.multi_cell(
            0,
            6,
            "Hillside Primary welcomes every pupil with special educational needs and disabilities, and this "
            "plan sets out what the school will do over the next three years to make sure that each of them "
            "takes a full part in lessons, clubs and trips alongside their classmates, with the right help "
            "from staff who know them well and from the services that advise the school.",
        )
        pdf.ln(4)
    rows = [
        ("Action", "Lead", "When"),
        (
            "Train every teaching assistant to adapt games in PE for pupils with physical disabilities, "
            "with advice from the county's specialist teacher",
            "PE lead and SENCO",
            "Autumn term",
        ),
        ("Put a visual timetable in each classroom for pupils with communication needs", "SENCO", "Spring"),
    ]
    with pdf.table(col_widths=(40, 30, 30), width=100) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    pdf.output(str(path))
    return path


def test_pdf_table_cell_wrapped_over_short_lines_is_one_paragraph(tmp_path: Path) -> None:
    doc = extract(_table_pdf(tmp_path / "plan.pdf"), "plan.pdf")
    texts = [" ".join(b.text.split()) for b in doc.blocks]
    # Every line of the cell is short against the page's paragraphs: each used to be a paragraph of its own.
    assert (
        "Train every teaching assistant to adapt games in PE for pupils with physical disabilities, with "
        "advice from the county's specialist teacher"
    ) in texts
    assert "Put a visual timetable in each classroom for pupils with communication needs" in texts
    # The row's other cells (PDFium gives them as one line) stay a paragraph of their own.
    cell = texts.index(
        "Train every teaching assistant to adapt games in PE for pupils with physical disabilities, with "
        "advice from the county's specialist teacher"
    )
    assert texts[cell + 1].startswith("PE lead and SENCO")


def test_pdf_table_cell_sentence_is_evidence_quoted_whole(tmp_path: Path, cli: Callable[..., Any]) -> None:
    res = cli("check", str(_table_pdf(tmp_path / "plan.pdf")), "--format", "json", "--no-cache", "-f", "cop")
    assert res.code in (0, 1), res.stderr
    found = evidence(res.json(), "cop.need-communication-interaction")
    assert found and "visual timetable in each classroom for pupils with communication needs" in " ".join(
        found[0]["text"].split()
    )


@pytest.mark.parametrize(
    ("line", "below", "joined"),
    [
        ("Train every teaching assistant to", "adapt games in PE", True),  # goes on in lower case
        ("advice from the", "County Specialist Teacher", True),  # no sentence ends on "the"
        ("pupils with physical disabilities,", "with advice from", True),
        ("Autism", "Dyslexia", False),  # a list of short items
        ("Our offer ends here.", "and more below", False),  # the sentence closed
        ("Contact the team:", "email or phone", False),
        ("Support for families", "- a helpline", False),  # a list starts below
        ("Speech and language", "Hearing", False),
    ],
)
def test_a_short_line_goes_on_only_where_its_sentence_plainly_does(line: str, below: str, joined: bool) -> None:
    from send_align.extract.pdf_layout import goes_on

    assert goes_on(line, below) is joined
