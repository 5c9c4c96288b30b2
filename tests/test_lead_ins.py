"""List lead-ins lend their words to their items: "To support pupils with SEND we will:" followed by short
items, in Markdown, HTML and Word lists, for a rule with `lead_in: true`; and the SEND context."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

from tests.conftest import explained

HEAD = """schema_version: 1
framework: {id: town, title: Town Charter, publisher: Town Council, year: 2025, version: "1", source: Charter}
aims:
  - id: town.nurture
    title: Nurture for every pupil who needs it
    kind: commitment
    statement: Pupils who need it have a nurture group.
    source: Charter 1
    rules:
      - id: nurture
        phrases: [nurture group, reading sessions]
        with: [[pupils, children]]
"""

LEAD = "To support pupils with SEND we will:"
ITEMS = ["run a weekly nurture group after lunch", "give extra reading sessions"]


def strategies(tmp_path: Path, lead_in: bool) -> Path:
    folder = tmp_path / ("lent" if lead_in else "alone")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "town.yaml").write_text(HEAD + ("        lead_in: true\n" if lead_in else ""), encoding="utf-8")
    return folder


def markdown(tmp_path: Path) -> Path:
    path = tmp_path / "offer.md"
    path.write_text("# Our offer\n\n" + LEAD + "\n\n" + "".join(f"- {i}\n" for i in ITEMS), encoding="utf-8")
    return path


def html(tmp_path: Path) -> Path:
    path = tmp_path / "offer.html"
    items = "".join(f"<li>{i}</li>" for i in ITEMS)
    path.write_text(f"<h1>Our offer</h1><p>{LEAD}</p><ul>{items}</ul>", encoding="utf-8")
    return path


def word(tmp_path: Path) -> Path:
    path = tmp_path / "offer.docx"
    doc = docx.Document()
    doc.add_heading("Our offer", 1)
    doc.add_paragraph(LEAD)
    for item in ITEMS:
        doc.add_paragraph(item, style="List Bullet")
    doc.save(str(path))
    return path


def explain(cli: Callable[..., Any], doc: Path, folder: Path) -> dict[str, Any]:
    return explained(cli, doc, "town.nurture", "--strategies", str(folder))


def test_an_item_takes_the_groups_of_its_lead_in_in_every_format(tmp_path: Path, cli: Callable[..., Any]) -> None:
    lent, alone = strategies(tmp_path, True), strategies(tmp_path, False)
    for make in (markdown, html, word):
        doc = make(tmp_path)
        res = explain(cli, doc, lent)
        assert res["status"] == "addressed", doc.name
        kept = {e["text"].lstrip("- ") for e in res["rules"][0]["kept"]}
        # The quote is the item itself: the lead-in lent a word, not its sentence.
        assert kept == set(ITEMS), doc.name
        # Without `lead_in` each item is judged alone and lacks the pupils.
        assert explain(cli, doc, alone)["status"] == "not-addressed", doc.name
        # check agrees with explain: its pass over rules a block cannot satisfy counts the lead-in's words.
        checked = cli("check", str(doc), "--strategies", str(lent), "-f", "town", "--format", "json", "--no-cache")
        assert checked.json()["documents"][0]["aims"][0]["status"] == "addressed", doc.name


def test_only_the_list_right_after_a_lead_in_borrows(tmp_path: Path, cli: Callable[..., Any]) -> None:
    lent = strategies(tmp_path, True)
    path = tmp_path / "apart.md"
    # A paragraph between the lead-in and the list ends the lead-in's reach; a paragraph without a colon
    # lends nothing.
    path.write_text(
        "# Our offer\n\n" + LEAD + "\n\nThe hall is open on weekdays.\n\n- run a weekly nurture group after lunch\n\n"
        "Pupils with SEND get more help.\n\n- give extra reading sessions\n",
        encoding="utf-8",
    )
    assert explain(cli, path, lent)["status"] == "not-addressed"


def test_a_name_of_a_few_words_in_a_list_borrows_nothing(tmp_path: Path, cli: Callable[..., Any]) -> None:
    lent = strategies(tmp_path, True)
    path = tmp_path / "names.md"
    path.write_text("# Our offer\n\nOur pupils can join:\n\n- nurture group\n- reading sessions\n", encoding="utf-8")
    assert explain(cli, path, lent)["status"] == "not-addressed"


def test_show_names_the_option(tmp_path: Path, cli: Callable[..., Any]) -> None:
    shown = " ".join(cli("show", "town.nurture", "--strategies", str(strategies(tmp_path, True))).stdout.split())
    assert "list items may take the groups from their lead-in" in shown


def test_an_item_is_in_the_context_its_lead_in_names(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = tmp_path / "ctx"
    folder.mkdir()
    head = HEAD.replace('source: Charter}\n', 'source: Charter, context: send}\n').split("    rules:\n")[0]
    (folder / "town.yaml").write_text(head + "    rules:\n      - id: n\n        phrases: [reading club]\n")
    filler = "\n\n".join(f"The hall on Mill Lane {n} is open from nine until four." for n in range(12))
    path = tmp_path / "long.md"
    path.write_text(
        f"# Our school\n\n{filler}\n\nFor pupils with SEND we also offer:\n\n- a weekly reading club after lunch\n",
        encoding="utf-8",
    )
    res = explain(cli, path, folder)
    assert res["context"]["whole_document"] is False
    assert res["status"] == "addressed"
    # The same item after a lead-in that does not name SEND is outside the context.
    path.write_text(f"# Our school\n\n{filler}\n\nWe also offer:\n\n- a weekly reading club after lunch\n")
    assert explain(cli, path, folder)["status"] == "not-addressed"


# The same framework and aim, with a rule whose lead-in may stand for its main phrase.
MAIN_RULE = (
    HEAD.split("    rules:\n")[0]
    + """    rules:
      - id: nurture
        phrases: [nurture team, nurture group]
        with: [[run, runs, visit, visits, train, trains], [pupils, children, staff]]
"""
)


def main_strategies(tmp_path: Path, lead_in: str | None) -> Path:
    folder = tmp_path / f"main-{lead_in}"
    folder.mkdir(parents=True, exist_ok=True)
    extra = f"        lead_in: {lead_in}\n" if lead_in else ""
    (folder / "town.yaml").write_text(MAIN_RULE + extra, encoding="utf-8")
    return folder


def test_a_lead_in_can_stand_for_the_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # "The nurture team will:" names what the items are about; each item says only what it does.
    path = tmp_path / "team.md"
    path.write_text(
        "# Our offer\n\nThe nurture team will:\n\n- visit classes to help staff each week\n- run calm sessions"
        " for children at lunch\n",
        encoding="utf-8",
    )
    res = explain(cli, path, main_strategies(tmp_path, "main"))
    assert res["status"] == "addressed"
    kept = {e["text"].lstrip("- ") for e in res["rules"][0]["kept"]}
    assert "visit classes to help staff each week" in kept
    # Without the option (or with `groups` only) the items lack the team.
    assert explain(cli, path, main_strategies(tmp_path, None))["status"] == "not-addressed"
    assert explain(cli, path, main_strategies(tmp_path, "groups"))["status"] == "not-addressed"
    checked = cli(
        "check", str(path), "--strategies", str(main_strategies(tmp_path, "both")), "-f", "town", "--format",
        "json", "--no-cache",
    )
    assert checked.json()["documents"][0]["aims"][0]["status"] == "addressed"
    shown = " ".join(cli("show", "town.nurture", "--strategies", str(main_strategies(tmp_path, "main"))).stdout.split())
    assert "the main phrase may stand in a list's lead-in" in shown


def test_an_item_under_a_main_lead_in_still_needs_its_groups(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # The lead-in lends the topic only: an item that says nothing the rule's groups want stays out.
    path = tmp_path / "bare.md"
    path.write_text(
        "# Our offer\n\nThe nurture team will:\n\n- meet in the blue room on the ground floor\n", encoding="utf-8"
    )
    assert explain(cli, path, main_strategies(tmp_path, "main"))["status"] == "not-addressed"


def test_a_lead_in_may_end_with_a_dash(tmp_path: Path, cli: Callable[..., Any]) -> None:
    lent = strategies(tmp_path, True)
    for ending in (":-", ": -", ": –"):
        path = tmp_path / "dash.md"
        path.write_text(
            "# Our offer\n\nTo support pupils with SEND we will" + ending + "\n\n- run a weekly nurture group after lunch\n",
            encoding="utf-8",
        )
        assert explain(cli, path, lent)["status"] == "addressed", ending
    # A dash without the colon is no lead-in.
    path.write_text(
        "# Our offer\n\nTo support pupils with SEND we will do our best -\n\n- run a weekly nurture group after lunch\n",
        encoding="utf-8",
    )
    assert explain(cli, path, lent)["status"] == "not-addressed"


def test_what_ends_a_lead_in() -> None:
    from send_align.extract.common import is_title_line
    from send_align.matching.candidates import ends_lead_in

    for lead in ("We will:", "We will: ", "We will:-", "We will: -", "We will: –"):
        assert ends_lead_in(lead), lead
        # A short lead-in on a line of its own is no heading, however its colon is written.
        assert not is_title_line(lead), lead
    for other in ("We will -", "Year 7-", "Our offer", "A well-known fact."):
        assert not ends_lead_in(other), other


def test_a_lead_in_read_as_a_heading_lends_its_words(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A short lead-in on a line of its own is often read as a heading ("## To support pupils with SEND we
    # will:"): it still lends its words to the list under it.
    lent = strategies(tmp_path, True)
    path = tmp_path / "heading.md"
    path.write_text("# Our offer\n\n## " + LEAD + "\n\n- run a weekly nurture group after lunch\n", encoding="utf-8")
    assert explain(cli, path, lent)["status"] == "addressed"
    # A heading without the colon is a heading: it lends nothing to a rule that does not read headings.
    path.write_text("# Our offer\n\n## Pupils with SEND\n\n- run a weekly nurture group after lunch\n", encoding="utf-8")
    assert explain(cli, path, lent)["status"] == "not-addressed"


def test_a_lead_in_that_only_points_back_lends_the_paragraph_before(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    lent = strategies(tmp_path, True)
    path = tmp_path / "pointer.md"
    item = "- run a weekly nurture group after lunch\n"
    # "These include:" on a line of its own: what the items are about stands in the paragraph before.
    path.write_text(
        "# Our offer\n\nFor pupils with SEND we have a range of help.\n\nThese include:\n\n" + item, encoding="utf-8"
    )
    assert explain(cli, path, lent)["status"] == "addressed"
    # A lead-in that says something of its own borrows nothing; nor does a pointer after a heading.
    path.write_text(
        "# Our offer\n\nFor pupils with SEND we have a range of help.\n\nOn Fridays we:\n\n" + item, encoding="utf-8"
    )
    assert explain(cli, path, lent)["status"] == "not-addressed"
    path.write_text("# Our offer\n\nFor pupils with SEND.\n\n## Clubs\n\nThese include:\n\n" + item, encoding="utf-8")
    assert explain(cli, path, lent)["status"] == "not-addressed"


# Items written straight under their lead-in (no blank line), indented, or numbered, lettered or in roman
# numerals by hand: each format reads them as the lead-in's list, as it reads a list after a blank line.
MARKED = {
    "tight": ["- {}", "- {}"],
    "indented": ["  - {}", "  - {}"],
    "bullets": ["• {}", "• {}"],
    "numbered": ["1. {}", "2. {}"],
    "lettered": ["a) {}", "b) {}"],
    "capitals": ["A. {}", "B. {}"],
    "roman": ["(i) {}", "(ii) {}"],
}


def _marked(form: str) -> list[str]:
    return [m.format(i) for m, i in zip(MARKED[form], ITEMS, strict=True)]


def _blocks(path: Path) -> list[tuple[str, str]]:
    from send_align.extract import extract

    return [(b.kind.value, b.text) for b in extract(path, path.name).blocks]


def test_items_straight_under_their_lead_in_are_its_list_in_markdown_and_text(tmp_path: Path) -> None:
    for suffix in ("md", "txt"):
        # (In plain text a short line lettered in capitals, "B. Reading sessions", may be a heading: left so.)
        for form in (f for f in MARKED if not (suffix == "txt" and f == "capitals")):
            path = tmp_path / f"{form}.{suffix}"
            path.write_text("\n".join([LEAD, *_marked(form)]) + "\n", encoding="utf-8")
            blocks = _blocks(path)
            assert blocks[0] == ("text", LEAD), (suffix, form, blocks)
            # The items follow as list blocks (one per item in Markdown; the run of items in plain text).
            assert all(kind == "list" for kind, _ in blocks[1:]), (suffix, form, blocks)
            assert "\n".join(text for _, text in blocks[1:]) == "\n".join(_marked(form)), (suffix, form)


def test_a_line_that_leads_in_nothing_keeps_its_lines(tmp_path: Path) -> None:
    # Wrapped prose whose next line happens to start with a dash, after a line with no colon, is one paragraph.
    path = tmp_path / "prose.txt"
    path.write_text("Our pupils enjoy the garden at the back of the school\n- it is quiet and calm - and the hall.\n")
    assert [kind for kind, _ in _blocks(path)] == ["text"]
    # A paragraph numbered by hand after a statement is a paragraph, not an item.
    doc = docx.Document()
    doc.add_paragraph("The governors met in the spring term.")
    doc.add_paragraph("1. The budget was agreed for the coming year.")
    doc.save(str(tmp_path / "minutes.docx"))
    assert [kind for kind, _ in _blocks(tmp_path / "minutes.docx")] == ["text", "text"]


def _tight_markdown(tmp_path: Path, form: str) -> Path:
    path = tmp_path / f"tight-{form}.md"
    path.write_text("# Our offer\n\n" + "\n".join([LEAD, *_marked(form)]) + "\n", encoding="utf-8")
    return path


def _tight_text(tmp_path: Path, form: str) -> Path:
    path = tmp_path / f"tight-{form}.txt"
    path.write_text("Our offer\n\n" + "\n".join([LEAD, *_marked(form)]) + "\n", encoding="utf-8")
    return path


def _html_forms(tmp_path: Path) -> list[Path]:
    items = "".join(f"<li>{i}</li>" for i in ITEMS)
    hand = "".join(f"<p>{i}</p>" for i in _marked("lettered"))
    broken = "<br>".join([LEAD, *_marked("bullets")])
    out = []
    for name, body in (("ol", f"<p>{LEAD}</p><ol>{items}</ol>"), ("hand", f"<p>{LEAD}</p>{hand}"),
                       ("br", f"<p>{broken}</p>")):
        path = tmp_path / f"offer-{name}.html"
        path.write_text(f"<h1>Our offer</h1>{body}", encoding="utf-8")
        out.append(path)
    return out


def _word_forms(tmp_path: Path) -> list[Path]:
    out = []
    for name in ("numbered", "hand", "breaks"):
        doc = docx.Document()
        doc.add_heading("Our offer", 1)
        if name == "breaks":
            # Items after soft line breaks in the lead-in's own paragraph.
            doc.add_paragraph("\n".join([LEAD, *_marked("bullets")]))
        else:
            doc.add_paragraph(LEAD)
            for item in ITEMS if name == "numbered" else _marked("roman"):
                doc.add_paragraph(item, style="List Number" if name == "numbered" else None)
        path = tmp_path / f"offer-{name}.docx"
        doc.save(str(path))
        out.append(path)
    return out


def _odt_forms(tmp_path: Path) -> list[Path]:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    out = []
    for name in ("list", "hand"):
        doc = OpenDocumentText()
        doc.text.addElement(H(outlinelevel=1, text="Our offer"))
        doc.text.addElement(P(text=LEAD))
        if name == "list":
            items = List()
            for item in ITEMS:
                li = ListItem()
                li.addElement(P(text=item))
                items.addElement(li)
            doc.text.addElement(items)
        else:
            for item in _marked("numbered"):
                doc.text.addElement(P(text=item))
        path = tmp_path / f"offer-{name}.odt"
        doc.save(str(path))
        out.append(path)
    return out


def test_items_take_their_lead_ins_groups_however_the_list_is_written(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    lent, alone = strategies(tmp_path, True), strategies(tmp_path, False)
    docs = [_tight_markdown(tmp_path, form) for form in MARKED]
    docs += [_tight_text(tmp_path, form) for form in MARKED if form != "capitals"]
    docs += _html_forms(tmp_path) + _word_forms(tmp_path) + _odt_forms(tmp_path)
    for doc in docs:
        assert explain(cli, doc, lent)["status"] == "addressed", doc.name
    # Without `lead_in` the items lack the pupils: the lead-in's words made the difference.
    for doc in docs[:: len(docs) // 4]:
        assert explain(cli, doc, alone)["status"] == "not-addressed", doc.name


def test_a_lead_in_straight_after_a_list_is_a_paragraph_of_its_own(tmp_path: Path) -> None:
    # "Each week we will:" on the line after the first list's last item starts the second list; Markdown would
    # read it as the item's lazy continuation, plain text as the same paragraph.
    lines = [LEAD, "- meet their parents every term", "Each week our nurture staff will:", *_marked("tight")]
    for suffix in ("md", "txt"):
        path = tmp_path / f"two-lists.{suffix}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        blocks = _blocks(path)
        assert blocks[0] == ("text", LEAD), (suffix, blocks)
        assert blocks[1] == ("list", "- meet their parents every term"), (suffix, blocks)
        assert blocks[2] == ("text", "Each week our nurture staff will:"), (suffix, blocks)
        assert [kind for kind, _ in blocks[3:]] == ["list"] * len(blocks[3:]), (suffix, blocks)
        assert "\n".join(text for _, text in blocks[3:]) == "\n".join(_marked("tight")), (suffix, blocks)
        # Each block's line is where it starts in the file.
        from send_align.extract import extract

        found = extract(path, path.name).blocks
        assert [b.line for b in found[:3]] == [1, 2, 3], (suffix, [b.line for b in found])


def test_an_items_own_next_line_stays_with_it(tmp_path: Path) -> None:
    # A wrapped item's next line (indented, or not opening with a capital) is still the item, and so is a
    # line at the margin that introduces nothing.
    for rest in ("  and carers, where they ask:", "and carers, where they ask:", "Carers are welcome too."):
        for suffix in ("md", "txt"):
            path = tmp_path / f"wrapped.{suffix}"
            path.write_text("\n".join([LEAD, "- meet their parents", rest, *_marked("tight")]) + "\n")
            blocks = _blocks(path)
            item = next(text for kind, text in blocks if "- meet their parents" in text)
            assert rest.strip() in item, (rest, suffix, blocks)
            assert all(text.strip() != rest.strip() for _, text in blocks), (rest, suffix, blocks)
