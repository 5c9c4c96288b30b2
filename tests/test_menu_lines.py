"""A page's list of its own sections, copied from a web page as text (one short title a line, no lead-in), is
read as headings, not as statements; the same short lines under a lead-in stay items of its list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


BULLETED = [
    "- SEN Support in Mainstream Schools",
    "- Choosing a School or College",
    "- Preparing for Adulthood",
    "- Making a Complaint",
]


def test_a_bulleted_menu_at_the_top_of_a_page_is_headings(tmp_path: Path) -> None:
    """A site's menu copied with the page: title-case items, one a line, before the page's own text."""
    found = kinds(tmp_path, "\n".join(["Parents and Carers", *BULLETED, "Appeals and Mediation"]) + "\n\n" + INTRO)
    assert all(found[m] == "heading" for m in BULLETED), found
    assert found[INTRO] != "heading"


def test_a_bulleted_menu_earns_nothing_where_the_same_list_in_a_sentence_would(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = tmp_path / "page.txt"
    path.write_text("\n".join(["Parents and Carers", *BULLETED]) + "\n\n" + INTRO + "\n", encoding="utf-8")
    res = cli("check", str(path), "--format", "json")
    aims = {a["id"]: a["status"] for a in res.json()["documents"][0]["aims"]}
    assert aims["cop.preparation-for-adulthood"] == "not-addressed"
    # Written as what the service does, the same topic is a statement.
    path.write_text(INTRO + "\n\nWe help young people with SEND prepare for adulthood from Year 9.\n", encoding="utf-8")
    res = cli("check", str(path), "--format", "json")
    aims = {a["id"]: a["status"] for a in res.json()["documents"][0]["aims"]}
    assert aims["cop.preparation-for-adulthood"] == "addressed"


def test_items_in_sentence_case_or_under_a_lead_in_stay_a_list(tmp_path: Path) -> None:
    plain = ["- Speech and language therapy", "- Help with reading", "- A quiet room at lunchtime", "- Social stories"]
    found = kinds(tmp_path, "\n".join(["Parents and Carers", *plain]) + "\n\n" + INTRO)
    assert all(found.get(m, found.get("\n".join(plain))) != "heading" for m in plain), found
    led = "\n".join(["We offer families:", *BULLETED]) + "\n\n" + INTRO
    found = kinds(tmp_path, led)
    assert not any(found.get(m) == "heading" for m in BULLETED), found


def test_a_bulleted_menu_further_down_the_page_is_left_alone(tmp_path: Path) -> None:
    body = "\n\n".join([INTRO, INTRO.replace("Our school", "The trust"), INTRO.replace("Our school", "The council")])
    found = kinds(tmp_path, "Information for families\n\n" + body + "\n\n" + "\n".join(BULLETED))
    assert not any(found.get(m) == "heading" for m in BULLETED), found


def test_a_news_title_over_its_dateline_is_a_heading(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A short line before another short one is an item of a list written without bullets, unless the next
    # line is the date the item was published: then it is the item's title, which addresses nothing alone.
    title = "Pupils With SEND Give Feedback On Their Plan"
    for dateline in ["Published: Thursday, 4 March 2027", "Last updated 12 May 2027", "Posted on 3 June 2027"]:
        text = "\n\n".join(["Latest news", title, dateline, INTRO])
        assert kinds(tmp_path, text)[title] == "heading", dateline
        page = tmp_path / "news.txt"
        page.write_text(text, encoding="utf-8")
        res = cli("explain", str(page), "cop.participation", "--format", "json", "--rules-only")
        assert res.json()["status"] != "addressed", res.stdout
    # A line that only begins like one ("Updated guide for parents") is still the next item of a list.
    found = kinds(tmp_path, "\n\n".join(["Latest news", INTRO, "Speech and language", "Updated guide for parents", INTRO]))
    assert found["Speech and language"] != "heading", found
