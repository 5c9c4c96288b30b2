"""Document context, decided once per document: by its title, by how much of it speaks of SEND, by its
length; a document that is not about SEND as a whole earns SEND aims only where it speaks of SEND."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import explained

# Paragraphs with nothing to do with SEND, to make a document long.
FILLER = [
    f"Room {i} is open on weekdays from nine until four, and the reception desk can book a visit for you."
    for i in range(1, 19)
]
DISAGREE = (
    "If you disagree with a decision about your child's support, you can ask for mediation or appeal to the "
    "tribunal."
)


def write(tmp_path: Path, name: str, title: str, paragraphs: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def explain(cli: Callable[..., Any], path: Path, aim: str) -> dict[str, Any]:
    return explained(cli, path, aim)


def test_a_title_about_send_puts_the_whole_document_in_context(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    body = [*FILLER[:9], DISAGREE, *FILLER[9:]]
    titled = explain(
        cli, write(tmp_path, "a.md", "SEND information report", body), "cop.resolving-disagreements"
    )
    assert titled["status"] == "addressed"
    assert titled["context"]["whole_document"] is True
    assert "title" in titled["context"]["why"]
    plain = explain(cli, write(tmp_path, "b.md", "Our school", body), "cop.resolving-disagreements")
    assert plain["status"] == "not-addressed"
    assert plain["context"]["whole_document"] is False
    # The hit is still shown, set aside with the reason.
    assert any("outside SEND context" in d["why"] for r in plain["rules"] for d in r["discarded"])


def test_a_short_page_needs_only_one_paragraph_about_send(tmp_path: Path, cli: Callable[..., Any]) -> None:
    page = [
        "This page explains what happens when a child with SEND needs more help than their school gives.",
        DISAGREE,
        "Call us on weekdays between nine and five.",
    ]
    res = explain(cli, write(tmp_path, "short.md", "Getting help", page), "cop.resolving-disagreements")
    assert res["status"] == "addressed" and res["context"]["whole_document"] is True
    # The same three paragraphs in a long document are not enough to make all of it about SEND.
    long = explain(
        cli, write(tmp_path, "long.md", "Getting help", page + FILLER), "cop.resolving-disagreements"
    )
    assert long["context"]["whole_document"] is False


def test_a_neurodevelopment_service_titled_so_is_about_send(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # Health pages for autism and ADHD assessment name their subject in the title, in the noun form.
    body = [*FILLER[:9], DISAGREE, *FILLER[9:]]
    res = explain(
        cli, write(tmp_path, "nd.md", "Children's neurodevelopment service", body), "cop.resolving-disagreements"
    )
    assert res["context"]["whole_document"] is True and "title" in res["context"]["why"]


def test_a_strategy_for_all_children_earns_send_aims_only_where_it_speaks_of_send(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    early = "Staff notice needs early and act quickly, so that help comes at the earliest point."
    text = (
        "# Family hubs strategy\n\n"
        + "\n\n".join(FILLER[:8])
        + f"\n\n{early}\n\n## Children with SEND\n\nWhere a child's needs are noticed early, practitioners act "
        "quickly and bring in the right help.\n\n## Opening hours\n\n" + "\n\n".join(FILLER[8:]) + "\n"
    )
    path = tmp_path / "hubs.md"
    path.write_text(text, encoding="utf-8")
    res = explain(cli, path, "cop.early-identification")
    assert res["status"] == "addressed"
    kept = [e for r in res["rules"] for e in r["kept"]]
    assert kept and {e["section"] for e in kept} == {"Children with SEND"}
    thrown = [d for r in res["rules"] for d in r["discarded"]]
    assert any(d["text"] == early and "outside SEND context" in d["why"] for d in thrown)


def test_explain_says_how_the_context_was_decided(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = write(tmp_path, "a.md", "Our school", [*FILLER, DISAGREE])
    res = cli("explain", str(path), "cop.resolving-disagreements")
    assert "context send: only the paragraphs and sections that mention it" in res.stdout
    assert "0 of its 20 paragraphs" in res.stdout


def test_evidence_outside_the_context_does_not_stop_the_scan_early(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """A rule stops being judged once it has evidence in three paragraphs; in a document that is not about
    SEND as a whole, evidence where SEND is not mentioned does not count, so it must not stop the rule
    before the paragraph that does count (check and explain must agree)."""
    early = [
        f"In hub {n}, staff notice needs early and act quickly, so that help comes at the earliest point."
        for n in range(1, 5)
    ]
    text = (
        "# Family hubs strategy\n\n"
        + "\n\n".join(early + FILLER[:14])
        + "\n\n## Children with SEND\n\nWhere a child's needs are noticed early, practitioners act quickly and "
        "bring in the right help.\n\n## Opening hours\n\n" + "\n\n".join(FILLER[14:]) + "\n"
    )
    path = tmp_path / "hubs.md"
    path.write_text(text, encoding="utf-8")
    checked = cli("check", str(path), "--format", "json", "-f", "cop").json()
    status = next(
        a["status"] for a in checked["documents"][0]["aims"] if a["id"] == "cop.early-identification"
    )
    assert status == explain(cli, path, "cop.early-identification")["status"] == "addressed"


def test_a_send_word_that_only_extends_an_age_range_is_no_mention_and_explain_says_why(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """A service for all families extends its age range for SEND: the paragraph is not about SEND, and a hit in
    the clause is set aside, saying so; the same words written as a range of their own still count."""
    extended = (
        "Our youth workers run clubs for everyone aged 11 to 19, or up to 25 for young people with special "
        "educational needs who need extra support."
    )
    res = explain(cli, write(tmp_path, "youth.md", "Youth clubs", [extended, *FILLER[:10]]), "flourish.priority-3")
    assert res["status"] == "not-addressed"
    assert res["context"]["whole_document"] is False
    reasons = [d["why"] for r in res["rules"] for d in r["discarded"]]
    assert any("age range extended for SEND" in why for why in reasons), reasons
    ranged = (
        "Our youth workers run a club for young people aged 19 to 25 with special educational needs who need extra "
        "support."
    )
    res = explain(cli, write(tmp_path, "club.md", "Youth clubs", [ranged, *FILLER[:3]]), "flourish.priority-3")
    assert res["context"]["whole_document"] is True and res["status"] == "addressed"
    assert not any("age range" in d["why"] for r in res["rules"] for d in r["discarded"])


def test_page_numbers_and_contents_entries_do_not_dilute_the_share(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A staff guide copied as text: a contents list of twenty-one entries, then twelve paragraphs with a page
    # number on a line of its own after each; two of them speak of learners with SEND. The entries are not
    # mentions, and neither they nor the page numbers are paragraphs a reader would count: 2 of 14 is a guide
    # about SEND, where 2 of 48 would not be.
    topics = ["Introduction", "Working with tutors", "Timetables", "Rooms", "Trips", "Exams", "Course fees"]
    contents = [f"- {topic}, page {n}" for n, topic in enumerate(topics * 3, start=3)]
    prose = [
        "Learners with SEND meet the learning support team before their course starts.",
        "Tutors adapt their teaching for learners with special educational needs.",
        DISAGREE,
        *FILLER[:9],
    ]
    paged = [x for n, text in enumerate(prose, start=3) for x in (text, str(n))]
    body = ["## Contents", *contents, "## Introduction", *paged]
    guide = explain(cli, write(tmp_path, "guide.md", "Guidelines for tutors", body), "cop.resolving-disagreements")
    assert guide["context"]["whole_document"] is True, guide["context"]["why"]
    assert guide["status"] == "addressed"
    # The same prose with twenty-one more paragraphs of text: the share is too small, and the disagreement
    # paragraph, which does not name SEND, earns nothing.
    longer = ["## Introduction", *paged, *(FILLER * 2)[:21]]
    diluted = explain(cli, write(tmp_path, "long.md", "Guidelines for tutors", longer), "cop.resolving-disagreements")
    assert diluted["context"]["whole_document"] is False, diluted["context"]["why"]
    assert diluted["status"] == "not-addressed"
