"""A page's list of its own sections, copied from a web page as text (one short title a line, no lead-in), is
read as headings, not as statements; the same short lines under a lead-in stay items of its list."""

from __future__ import annotations

from pathlib import Path

from send_align.extract.text import reading

INTRO = "Our school welcomes every child, and this page tells families how we help children with SEND."
MENU = ["Spotting a need early", "Hearing from your child", "Moving on to adult life", "Help for families"]


def kinds(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return {b.text: str(b.kind) for b in reading(path, "page.txt").blocks}


def test_a_run_of_section_titles_with_no_lead_in_is_headings(tmp_path: Path) -> None:
    found = kinds(tmp_path, "\n\n".join(["Information for families", INTRO, *MENU, "Words we use", INTRO]))
    assert all(found[m] == "heading" for m in MENU), found


def test_the_same_lines_under_a_lead_in_are_items(tmp_path: Path) -> None:
    lead = "Our pages cover these topics:"
    found = kinds(tmp_path, "\n\n".join(["Information for families", INTRO, lead, *MENU, INTRO]))
    assert all(found[m] != "heading" for m in MENU[:-1]), found


def test_a_lead_in_reaches_past_an_item_written_as_a_sentence(tmp_path: Path) -> None:
    lines = ["Our service offers:", "Training for staff in every school.", *MENU, INTRO]
    found = kinds(tmp_path, "\n".join(["Information for families", "", INTRO, "", *lines]))
    assert all(found.get(m) != "heading" for m in MENU[:-1]), found


def test_two_short_lines_are_still_a_list(tmp_path: Path) -> None:
    found = kinds(tmp_path, "\n\n".join(["Information for families", INTRO, *MENU[:2], INTRO]))
    assert found[MENU[0]] != "heading", found


def test_a_menu_line_is_not_the_page_title(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("\n\n".join([INTRO, *MENU, INTRO]), encoding="utf-8")
    read = reading(path, "page.txt")
    assert [b.kind for b in read.blocks].count("heading") == len(MENU)  # (read through: the title is then known)
    assert read.header().title is None
