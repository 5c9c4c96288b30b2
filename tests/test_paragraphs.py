"""Paragraphs in text written one paragraph a line (web pages saved as text, minutes, exports) against
text wrapped at a width: the readers must tell them apart, or a whole page becomes one paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from send_align.extract import extract
from send_align.extract.common import unwrapped_runs

PAGE = (
    "How we support pupils with SEND\n"
    "Every class teacher adapts lessons so that all pupils can take part, and our SENCO checks each "
    "half-term that the support in place is working for every child on the SEN register.\n"
    "Working with parents\n"
    "We meet parents three times a year to agree their child's targets, and the meetings are held at "
    "times that suit working families wherever we can arrange it.\n"
    "Social skills group\n"
    "Lego club\n"
    "Reading buddies\n"
)
WRAPPED = (
    "Every class teacher adapts lessons so that all pupils can take part, and\n"
    "our SENCO checks each half-term that the support in place is working for\n"
    "every child on the SEN register.\n"
)


def test_a_run_written_one_paragraph_a_line_is_cut_at_each_line() -> None:
    lines = PAGE.splitlines()
    assert unwrapped_runs(lines) == [(i, i + 1) for i in range(len(lines))]


def test_text_wrapped_at_a_width_stays_one_paragraph() -> None:
    assert unwrapped_runs(WRAPPED.splitlines()) == [(0, 3)]


def test_a_long_line_that_breaks_off_mid_sentence_keeps_its_continuation() -> None:
    long = "Officers described the new base, which " + "will open in September for twelve pupils " * 3 + "and"
    lines = [long, "will be staffed by two specialist teachers.", "Members welcomed the plan."]
    assert unwrapped_runs(lines) == [(0, 2), (2, 3)]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_readers_make_a_block_of_each_paragraph_and_a_heading_of_each_title_line(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"page{suffix}"
    path.write_text(PAGE, encoding="utf-8")
    doc = extract(path, path.name)
    texts = [(b.kind, b.text.strip(), b.section) for b in doc.blocks]
    assert ("heading", "Working with parents", "Working with parents") in texts
    agree = next(t for t in texts if t[1].startswith("We meet parents"))
    assert agree == ("text", PAGE.splitlines()[3], "Working with parents")
    assert doc.title == "How we support pupils with SEND"
    # A run of short lines is a list, not a row of headings.
    items = [t for t in texts if t[1] in ("Social skills group", "Lego club", "Reading buddies")]
    assert [k for k, _, _ in items][:2] == ["text", "text"]


def test_a_wrapped_markdown_paragraph_is_one_block(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.md"
    path.write_text("# Support\n\n" + WRAPPED, encoding="utf-8")
    blocks = [b for b in extract(path, path.name).blocks if b.kind == "text"]
    assert len(blocks) == 1 and blocks[0].text.count("\n") == 2


def test_a_lead_in_and_its_lower_case_items_are_one_statement() -> None:
    long = (
        "From these, teachers plan the support each child needs and share it with families at a meeting held "
        "in the first weeks of the autumn term."
    )  # a line no text wrapped at a width has: this run was written one paragraph a line
    lines = [
        "Pupils are identified as needing extra help, and their needs assessed, through:",
        "information passed on from their previous setting",
        "baseline checks in the first half-term",
        "observations by the class teacher",
        long,
    ]
    assert unwrapped_runs(lines) == [(0, 4), (4, 5)]
    # A lead-in followed by a line that starts anew is a paragraph of its own.
    assert unwrapped_runs(
        ["We offer the following:", "Speech and language groups run twice a week for pupils."]
    ) == [
        (0, 1),
        (1, 2),
    ]
