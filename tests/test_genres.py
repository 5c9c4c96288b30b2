"""Genres: what a whole page is (information written for families, say), decided once per document from its
title, its opening and whom it speaks to; rules that need a genre, rules that stand for one, and `in: opening`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import explained

HEAD = """schema_version: 1
genres:
  guide:
    description: The page is a guide for families.
    names: [guide, short breaks]
    addressed: [you]
    against: [minutes, policy]
    min_addressed: 2
    short_document: 4
framework: {id: town, title: Town Charter, publisher: Town Council, year: 2025, version: "1", source: Charter}
aims:
  - id: town.info
    title: Families know what is on offer
    kind: commitment
    statement: Families can find out what support there is.
    source: Charter 1
    rules:
"""

FILLER = [f"The hall on Mill Lane {n} is open from nine until four on weekdays." for n in range(1, 9)]


def strategies(tmp_path: Path, rules: str, head: str = HEAD) -> Path:
    folder = tmp_path / "local"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "town.yaml").write_text(head + rules, encoding="utf-8")
    return folder


def page(tmp_path: Path, text: str, name: str = "doc.md") -> Path:
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    return doc


def filled(tmp_path: Path, title: str, line: str, name: str) -> Path:
    """A page with a title, the filler paragraphs and one line that matters, last."""
    return page(tmp_path, f"# {title}\n\n" + "\n\n".join([*FILLER, line]) + "\n", name)


def explain(cli: Callable[..., Any], doc: Path, folder: Path) -> dict[str, Any]:
    return explained(cli, doc, "town.info", "--strategies", str(folder))


STANDS_FOR = "      - id: the-page\n        genre: guide\n        strength: strong\n"


def test_a_title_that_names_the_genre_makes_the_page_evidence(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    doc = page(tmp_path, "# A guide to the summer playscheme\n\n" + "\n\n".join(FILLER) + "\n")
    res = explain(cli, doc, folder)
    assert res["status"] == "addressed"
    assert res["genres"] == [
        {
            "name": "guide",
            "holds": True,
            "why": "its opening names what it is ('guide')",
            "quote": "A guide to the summer playscheme",
        }
    ]
    (kept,) = res["rules"][0]["kept"]
    assert kept["text"] == "A guide to the summer playscheme" and kept["line"] == 1
    # The check report quotes the same line as the aim's evidence.
    checked = cli("check", str(doc), "-f", "town", "--strategies", str(folder), "--format", "json")
    aim = checked.json()["documents"][0]["aims"][0]
    assert aim["status"] == "addressed" and aim["evidence"][0]["text"] == "A guide to the summer playscheme"


def test_an_against_phrase_in_the_title_says_the_page_is_something_else(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    doc = page(tmp_path, "# Minutes: a guide to the playscheme\n\n" + "\n\n".join(FILLER) + "\n")
    res = explain(cli, doc, folder)
    assert res["status"] == "not-addressed"
    assert res["genres"][0]["holds"] is False and "'Minutes'" in res["genres"][0]["why"]
    text = cli("explain", str(doc), "town.info", "--strategies", str(folder)).stdout
    assert "genre guide: not this document" in " ".join(text.split())


def test_a_line_that_names_the_genre_beside_an_against_phrase_names_nothing(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    # The first block is a council's name; the report's own line below it names the genre and, beside it, what
    # the page really is (minutes of a meeting about a guide).
    folder = strategies(tmp_path, STANDS_FOR)
    lines = ["TOWN COUNCIL", "Item 4", "Subject: Minutes on the new short breaks guide"]
    doc = page(tmp_path, "\n\n".join([*lines, *FILLER]) + "\n")
    assert explain(cli, doc, folder)["status"] == "not-addressed"
    plain = page(tmp_path, "\n\n".join(["TOWN COUNCIL", "Item 4", "Subject: the new short breaks guide", *FILLER]) + "\n",
                 "plain.md")
    assert explain(cli, plain, folder)["status"] == "addressed"


def test_a_name_in_passing_later_in_the_page_is_not_what_the_page_is(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    body = [*FILLER[:3], "Staff there have read the council's guide to lettings and know the rules.", *FILLER[3:]]
    doc = page(tmp_path, "# The Mill Lane hall\n\n" + "\n\n".join(body) + "\n")
    assert explain(cli, doc, folder)["status"] == "not-addressed"


def test_a_name_after_the_sites_menu_lines_is_still_in_the_opening(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    menu = ["Skip to content", "Home", "About us", "Contact", "Home > Families"]
    doc = page(tmp_path, "\n\n".join([*menu, "Short breaks for disabled children", *FILLER]) + "\n")
    res = explain(cli, doc, folder)
    assert res["status"] == "addressed"
    assert res["genres"][0]["quote"] == "Short breaks for disabled children"
    # After the opening's paragraphs, a short line names nothing.
    late = page(tmp_path, "\n\n".join([*menu, *FILLER[:3], "Short breaks for disabled children", *FILLER[3:]]) + "\n")
    assert explain(cli, late, folder)["status"] == "not-addressed"


def test_a_page_that_speaks_to_its_reader_is_of_the_genre(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    twice = [FILLER[0], "You can book a place by phone.", FILLER[1], "You will hear back within a week.", *FILLER[2:]]
    res = explain(cli, page(tmp_path, "\n\n".join(twice) + "\n"), folder)
    assert res["status"] == "addressed"
    assert res["genres"][0]["why"] == "it speaks to its reader ('You') in 2 paragraphs"
    assert res["rules"][0]["kept"][0]["text"] == "You can book a place by phone."
    # Once in a long page is not enough; once in a short page (four paragraphs or fewer here) is.
    once = [FILLER[0], "You can book a place by phone.", *FILLER[1:]]
    assert explain(cli, page(tmp_path, "\n\n".join(once) + "\n"), folder)["status"] == "not-addressed"
    short = [FILLER[0], "You can book a place by phone.", FILLER[1]]
    assert explain(cli, page(tmp_path, "\n\n".join(short) + "\n"), folder)["status"] == "addressed"


def test_a_rule_with_phrases_counts_only_in_a_document_of_its_genre(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = "      - id: booking\n        phrases: [book a place]\n        genre: guide\n        strength: strong\n"
    folder = strategies(tmp_path, rule)
    line = "Families book a place at the front desk."
    guide = filled(tmp_path, "Short breaks", line, "guide.md")
    assert explain(cli, guide, folder)["status"] == "addressed"
    other = filled(tmp_path, "Mill Lane", line, "other.md")
    res = explain(cli, other, folder)
    assert res["status"] == "not-addressed"
    (thrown,) = res["rules"][0]["discarded"]
    assert thrown["why"].startswith("the document is not guide: ")


def test_a_genre_can_need_a_context_as_a_whole(tmp_path: Path, cli: Callable[..., Any]) -> None:
    head = HEAD.replace("    short_document: 4\n", "    short_document: 4\n    context: send\n")
    folder = strategies(tmp_path, STANDS_FOR, head)
    plain = explain(cli, page(tmp_path, "# A guide to the hall\n\n" + "\n\n".join(FILLER) + "\n"), folder)
    assert plain["status"] == "not-addressed"
    assert plain["genres"][0]["why"] == "the document is not about SEND as a whole"
    send = "# A guide to SEND support\n\n" + "\n\n".join(FILLER) + "\n"
    assert explain(cli, page(tmp_path, send, "send.md"), folder)["status"] == "addressed"


def test_in_opening_reads_the_first_paragraphs_only(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = "      - id: topic\n        phrases: [playscheme]\n        in: opening\n        strength: strong\n"
    folder = strategies(tmp_path, rule)
    early = page(tmp_path, "# Summer\n\nThe playscheme runs in August.\n\n" + "\n\n".join(FILLER) + "\n", "a.md")
    assert explain(cli, early, folder)["status"] == "addressed"
    late = page(tmp_path, "# Summer\n\n" + "\n\n".join([*FILLER, "The playscheme runs in August."]) + "\n", "b.md")
    assert explain(cli, late, folder)["status"] == "not-addressed"


def test_an_unknown_genre_is_refused_with_the_known_ones(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, "      - id: r\n        genre: leaflet\n")
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 2
    assert "rules[0].genre: unknown genre 'leaflet'" in res.stderr and res.stderr.count("\n") == 1
    known = res.stderr.rsplit("(known: ", 1)[1].rstrip(")\n").split(", ")
    # The genres the file defines and the built-in ones, in order.
    assert "guide" in known and "family-information" in known and known == sorted(known)


def test_a_rule_needs_phrases_or_a_genre(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, "      - id: r\n        strength: strong\n")
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 2 and "rules[0]" in res.stderr


def test_show_says_a_rule_stands_for_a_genre(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, STANDS_FOR)
    shown = " ".join(cli("show", "town.info", "--strategies", str(folder)).stdout.split())
    assert "only in a document of genre guide" in shown
    assert "the line that shows the document is of the genre" in shown


def test_exact_your_finds_the_word_the_matcher_skips(tmp_path: Path, cli: Callable[..., Any]) -> None:
    head = HEAD.replace("    addressed: [you]\n", "    addressed: [=your]\n")
    folder = strategies(tmp_path, STANDS_FOR, head)
    short = [FILLER[0], "Your child can join the playscheme.", FILLER[1]]
    res = explain(cli, page(tmp_path, "\n\n".join(short) + "\n"), folder)
    assert res["status"] == "addressed" and "('Your')" in res["genres"][0]["why"]
    other = [FILLER[0], "You can join the playscheme.", FILLER[1]]
    assert explain(cli, page(tmp_path, "\n\n".join(other) + "\n", "b.md"), folder)["status"] == "not-addressed"


def test_a_genre_naming_an_unknown_context_is_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    head = HEAD.replace("    short_document: 4\n", "    short_document: 4\n    context: nowhere\n")
    res = cli("validate", "--strategies", str(strategies(tmp_path, STANDS_FOR, head)))
    assert res.code == 2 and "genres.guide.context: unknown context 'nowhere'" in res.stderr


def test_a_rule_is_set_aside_in_a_genre_it_names_in_unless_genre_but_not_where_the_genre_spares_it(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    head = HEAD.replace("    short_document: 4\n", "    short_document: 4\n    spares: [other halls]\n")
    rule = "      - id: booking\n        phrases: [book a place]\n        unless_genre: [guide]\n        strength: strong\n"
    folder = strategies(tmp_path, rule, head)
    line = "Families book a place at the front desk."
    other = filled(tmp_path, "Mill Lane", line, "other.md")
    assert explain(cli, other, folder)["status"] == "addressed"
    guide = filled(tmp_path, "Short breaks", line, "guide.md")
    res = explain(cli, guide, folder)
    assert res["status"] == "not-addressed"
    (thrown,) = res["rules"][0]["discarded"]
    assert thrown["why"].startswith("the document is guide: ")
    spared = "Families book a place at other halls through us."
    kept = filled(tmp_path, "Short breaks", spared, "spared.md")
    assert explain(cli, kept, folder)["status"] == "addressed"


def test_a_rule_set_aside_by_its_genre_never_settles_the_aims_other_rules(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    # A conclusive hit settles an aim: its other rules stop looking. A rule whose hits a genre may set aside
    # cannot know yet whether they count, so it settles nothing; the other rule's evidence is still found.
    rules = (
        "      - id: booking\n        phrases: [book a place]\n        unless_genre: [guide]\n"
        "        strength: conclusive\n"
        "      - id: desk\n        phrases: [welcome desk]\n        strength: strong\n"
    )
    folder = strategies(tmp_path, rules)
    text = "\n\n".join(["Families book a place at the hall.", *FILLER, "Staff at the welcome desk help families."])
    guide = page(tmp_path, "# Short breaks\n\n" + text + "\n", "guide.md")
    aim = cli("check", str(guide), "-f", "town", "--strategies", str(folder), "--format", "json").json()[
        "documents"
    ][0]["aims"][0]
    assert aim["status"] == "addressed" and aim["score"] == 0.6
    assert [e["rule"] for e in aim["evidence"]] == ["desk"]


def test_an_unknown_genre_in_unless_genre_is_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, "      - id: r\n        phrases: [hall]\n        unless_genre: [leaflet]\n")
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 2
    assert "rules[0].unless_genre: unknown genre 'leaflet'" in res.stderr


def test_a_proposal_is_never_of_a_genre(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A proposal whose title names the genre ("A guide to ...") is a plan for one, not the page itself: the rule
    # that stands for the genre never counts in it, while the same words as a page do.
    folder = strategies(tmp_path, STANDS_FOR)
    proposal = page(
        tmp_path,
        "proposal:\n  title: A guide to short breaks for families\n  summary: >\n"
        "    Write and print a guide to the short breaks on offer in the town, so that families know what there is.\n",
        "guide.yaml",
    )
    res = explain(cli, proposal, folder)
    assert res["status"] == "not-addressed"
    assert res["genres"][0]["holds"] is False
    assert res["genres"][0]["why"] == "a proposal is judged by what it proposes, not as a page"
    checked = cli("check", str(proposal), "-f", "town", "--strategies", str(folder), "--format", "json").json()
    assert checked["documents"][0]["aims"][0]["status"] == "not-addressed"
    as_page = page(tmp_path, "# A guide to short breaks for families\n\n" + "\n\n".join(FILLER) + "\n")
    assert explain(cli, as_page, folder)["status"] == "addressed"


TITLED = HEAD.replace("    names: [guide, short breaks]\n", "    names: [guide]\n    titles: [short breaks, short breaks and respite]\n")


def test_a_title_that_is_wholly_a_titles_name_makes_the_page_one(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, STANDS_FOR, TITLED)
    for n, title in enumerate(["Short Breaks", "Short Breaks & Respite", "Short breaks and respite (SBR)"]):
        doc = page(tmp_path, f"# {title}\n\n" + "\n\n".join(FILLER) + "\n", f"whole{n}.md")
        res = explain(cli, doc, folder)
        assert res["status"] == "addressed", title
        (genre,) = res["genres"]
        assert genre["holds"] and genre["why"].startswith("its opening is the name '"), genre
        assert genre["quote"] == title


def test_a_titles_name_inside_a_longer_title_or_in_running_text_is_not(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    folder = strategies(tmp_path, STANDS_FOR, TITLED)
    longer = page(tmp_path, "# Short breaks: a report to the Cabinet\n\n" + "\n\n".join(FILLER) + "\n", "longer.md")
    prose = page(tmp_path, "# Mill Lane hall\n\nShort breaks are run here.\n\n" + "\n\n".join(FILLER) + "\n", "prose.md")
    for doc in (longer, prose):
        res = explain(cli, doc, folder)
        assert res["status"] == "not-addressed", (doc.name, res["genres"])
        assert res["genres"][0]["holds"] is False


def test_a_bracketed_short_form_inside_a_name_is_read_as_no_word(tmp_path: Path, cli: Callable[..., Any]) -> None:
    head = HEAD.replace("    names: [guide, short breaks]\n", "    names: [special needs guide]\n")
    folder = strategies(tmp_path, STANDS_FOR, head)
    short = page(tmp_path, "# Special Needs (SEN) Guide\n\n" + "\n\n".join(FILLER) + "\n", "short.md")
    res = explain(cli, short, folder)
    assert res["status"] == "addressed"
    assert res["genres"][0]["why"] == "its opening names what it is ('Special Needs (SEN) Guide')"
    # Words in brackets that are not a short form still part the name's words.
    aside = page(tmp_path, "# Special needs (see below) guide\n\n" + "\n\n".join(FILLER) + "\n", "aside.md")
    assert explain(cli, aside, folder)["status"] == "not-addressed"
