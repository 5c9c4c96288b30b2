"""Every reader on real files: text, order, locations, headings; and every broken file as one clear error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from send_align.errors import SendAlignError
from send_align.extract import SUFFIX_FORMAT, Format, _extractors, extract
from tests.conftest import make_docx, make_odt, make_pdf


def texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(b.text.split()) for b in doc.blocks]


def test_registry_covers_every_format() -> None:
    assert set(_extractors()) == set(Format)
    assert set(SUFFIX_FORMAT.values()) == set(Format)


def test_markdown_sections_lines_and_columns(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(
        "---\ntitle: x\n---\n# Title\n\nIntro text here.\n\n## Working with parents\n\n"
        "- first item with [a link](https://example.org/x)\n- second item\n\n"
        "| Name | Role |\n|---|---|\n| Ann | SENCo |\n\n**Bold heading**\n\nAfter bold.\n",
        encoding="utf-8",
    )
    doc = extract(p, "a.md")
    by_text = {" ".join(b.text.split()): b for b in doc.blocks}
    assert doc.title == "Title"
    item = by_text["- first item with a link"]
    assert (item.line, item.kind, item.section) == (10, "list", "Working with parents")
    assert "https" not in item.text and len(item.text) == len(
        "- first item with [a link](https://example.org/x)"
    )
    assert by_text["; Ann ; SENCo ;"].kind == "table"
    assert by_text["After bold."].section == "Bold heading"
    assert not any("title: x" in t for t in texts(doc))


def test_text_in_windows_1252_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    p.write_bytes("The budget is \u00a3640,000 for \u201cresourced provision\u201d.\n".encode("cp1252"))
    doc = extract(p, "w.txt")
    assert texts(doc) == ["The budget is \u00a3640,000 for \u201cresourced provision\u201d."]


def test_text_utf16_with_bom_and_page_footers(tmp_path: Path) -> None:
    p = tmp_path / "u.txt"
    p.write_bytes(
        "INTRODUCTION\r\n\r\nFirst paragraph\r\ncontinues here.\r\n\r\nPage 1 of 4\r\n".encode("utf-16")
    )
    doc = extract(p, "u.txt")
    assert doc.blocks[0].kind == "heading"
    assert texts(doc) == ["INTRODUCTION", "First paragraph continues here."]
    assert doc.blocks[1].section == "INTRODUCTION" and doc.blocks[1].line == 3


def test_text_numbered_headings_in_capitals_end_the_contents(tmp_path: Path) -> None:
    """A numbered line in capitals is a section's heading, so a contents list above it does not swallow the
    guide; numbered lines in ordinary case stay items of their list."""
    p = tmp_path / "guide.txt"
    p.write_text(
        "CONTENTS\n\n  1. Getting about\n  2. Money\n\n\n1. GETTING ABOUT\n\n"
        "The travel team teaches young people to make their journey to college on their own.\n\n"
        "2) MONEY\n\nWe explain the benefits a young person can claim at 16.\n",
        encoding="utf-8",
    )
    doc = extract(p, "guide.txt")
    by_text = {" ".join(b.text.split()): b for b in doc.blocks}
    assert by_text["1. GETTING ABOUT"].kind == "heading" and by_text["2) MONEY"].kind == "heading"
    assert [(by_text[t].kind, by_text[t].section) for t in ("1. Getting about", "2. Money")] == [
        ("list", "CONTENTS")
    ] * 2
    assert by_text[
        "The travel team teaches young people to make their journey to college on their own."
    ].section == "1. GETTING ABOUT"
    assert by_text["We explain the benefits a young person can claim at 16."].section == "2) MONEY"


def test_text_numbered_headings_that_repeat_the_contents(tmp_path: Path) -> None:
    """A numbered line standing alone that repeats an entry of the contents list heads its section; a numbered
    list written with blank lines between its items stays a list."""
    p = tmp_path / "guide.txt"
    p.write_text(
        "Contents\n\n1. Getting about ........ 3\n2. Money ........ 5\n\n1. Getting about\n\n"
        "The travel team teaches young people to make their journey to college on their own.\n\n"
        "2. Money\n\nWe offer:\n\n1. Advice on benefits\n\n2. Help with budgeting\n\nAll of it is free.\n",
        encoding="utf-8",
    )
    doc = extract(p, "guide.txt")
    kinds = {" ".join(b.text.split()): (b.kind, b.section) for b in doc.blocks}
    assert kinds["1. Getting about"] == ("heading", "1. Getting about")
    assert kinds["The travel team teaches young people to make their journey to college on their own."] == (
        "text",
        "1. Getting about",
    )
    assert kinds["2. Money"] == ("heading", "2. Money")
    assert kinds["1. Advice on benefits"] == kinds["2. Help with budgeting"] == ("list", "2. Money")


def test_contents_section_ends_at_prose(tmp_path: Path) -> None:
    """A contents list holds titles and page numbers, never prose: a paragraph of sentences after it begins
    the document's text even where no heading was recognised, so a whole guide is not set aside as the
    contents list's. Entries laid out as a paragraph of titles stay the list's."""
    p = tmp_path / "guide.md"
    p.write_text(
        "# Contents\n\n1. Our vision for local schools\n2. How we will know it is working\n\n"
        "Appendix A: the action plan for the next three years and how each part of it is reviewed 9\n\n"
        "Every school in the county will have an inclusion lead who meets families before a child starts, "
        "and the council will fund training in autism for all teaching assistants.\n\n"
        "Short breaks give families a rest.\n",
        encoding="utf-8",
    )
    doc = extract(p, "guide.md")
    sections = {" ".join(b.text.split()): b.section for b in doc.blocks}
    assert sections["1. Our vision for local schools"] == "Contents"
    assert sections["Appendix A: the action plan for the next three years and how each part of it is reviewed 9"] == "Contents"
    prose = [t for t in sections if t.startswith("Every school")]
    assert [sections[t] for t in prose] == [None]
    assert sections["Short breaks give families a rest."] is None


def test_text_title_line_and_a_sentence_closed_by_a_quote(tmp_path: Path) -> None:
    """A text page's first line standing alone is its title, though longer than a heading; a short sentence
    that ends inside its closing quote is a sentence, not a heading (nor does it make the title a list item)."""
    p = tmp_path / "page.txt"
    p.write_text(
        "Preparing for adulthood - leaving the children's disability team for adult services\n\n"
        "We call this move ‘transfer.’\n\n"
        "A social worker from the adult team meets each young person at seventeen to plan their support.\n",
        encoding="utf-8",
    )
    doc = extract(p, "page.txt")
    title = "Preparing for adulthood - leaving the children's disability team for adult services"
    assert doc.title == title
    kinds = {b.text.strip(): (b.kind.value, b.section) for b in doc.blocks}
    assert kinds[title] == ("heading", title)
    assert kinds["We call this move ‘transfer.’"] == ("text", title)


def test_text_without_blank_lines_keeps_its_titles_and_lists_apart(tmp_path: Path) -> None:
    """A page copied as text with no blank line anywhere and short lines is not text wrapped at a width when its
    only unfinished lines run on into list items: its titles, lead-ins and lists stay apart."""
    p = tmp_path / "page.txt"
    p.write_text(
        "Travel help\n"
        "Ask the travel team about help getting to school.\n"
        "What the team offers\n"
        "- A bus pass for the school year\n"
        "- Travel training with a trained mentor\n"
        "Families using a travel grant must:\n"
        "- Keep the receipts\n"
        "- Tell us at once about any change of school, of address or of the travel arrangements\n",
        encoding="utf-8",
    )
    doc = extract(p, "page.txt")
    kinds = [(b.kind.value, b.text.splitlines()[0]) for b in doc.blocks]
    assert ("heading", "What the team offers") in kinds
    assert "Families using a travel grant must:" in [b.text for b in doc.blocks]  # a block of its own
    # Items that end no sentence run on together, whatever their length.
    assert [b.text.count("\n") for b in doc.blocks if b.text.startswith("- Keep")] == [1]
    # Wrapped text, whose lines break off mid-sentence, stays one paragraph.
    w = tmp_path / "wrapped.txt"
    w.write_text(
        "The travel team helps families of children with SEND to plan\n"
        "a safe route to school and offers training for young people.\n",
        encoding="utf-8",
    )
    assert len(extract(w, "wrapped.txt").blocks) == 1


def test_html_skips_scripts_and_navigation(tmp_path: Path) -> None:
    p = tmp_path / "p.html"
    p.write_text(
        "<html><head><title>Help</title><script>var x = 'SEND';</script></head><body>"
        "<nav>Home &gt; SEND</nav><h1>Getting help</h1>\n<p>Talk to the <b>SENCo</b> first.</p>"
        "<footer>Was this page helpful?</footer></body></html>",
        encoding="utf-8",
    )
    doc = extract(p, "p.html")
    assert texts(doc) == ["Getting help", "Talk to the SENCo first."]
    assert doc.title == "Help" and doc.blocks[1].section == "Getting help" and doc.blocks[1].line == 2


def test_html_table_row_is_one_block_as_in_word(tmp_path: Path) -> None:
    p = tmp_path / "t.html"
    p.write_text(
        "<html><body><h2>Courses</h2><table>\n<tr><th>Course</th><th>What it covers</th></tr>\n"
        "<tr><td>Staying safe online</td><td>Apps, gaming and how to talk with your child about them</td></tr>\n"
        # A row left unclosed, and cells left unclosed, as browsers allow.
        "<tr><td>Sleep<td>Bedtime routines for children with sensory needs\n"
        # A cell that holds paragraphs (a layout table, a CMS's cells) keeps them as paragraphs.
        "<tr><td><p>Our whole page sits in this cell.</p><p>Its second paragraph.</p></td></tr>\n"
        "</table><p>After the table.</p></body></html>",
        encoding="utf-8",
    )
    doc = extract(p, "t.html")
    assert texts(doc) == [
        "Courses",
        "Course; What it covers",
        "Staying safe online; Apps, gaming and how to talk with your child about them",
        "Sleep; Bedtime routines for children with sensory needs",
        "Our whole page sits in this cell.",
        "Its second paragraph.",
        "After the table.",
    ]
    assert [b.kind.value for b in doc.blocks[1:4]] == ["table"] * 3
    assert doc.blocks[2].line == 3 and doc.blocks[2].section == "Courses"


def test_docx_body_tables_headings_and_header(tmp_path: Path) -> None:
    p = make_docx(
        tmp_path / "d.docx",
        [("h1", "SEND policy"), ("p", "Intro."), ("h2", "Roles"), ("p", "The SENCo leads.")],
        table=[["Action", "Lead"], ["Train staff", "SENCo"]],
        header="Hilltop School",
    )
    doc = extract(p, "d.docx")
    assert texts(doc) == [
        "SEND policy",
        "Intro.",
        "Roles",
        "The SENCo leads.",
        "Action; Lead",
        "Train staff; SENCo",
    ]
    # The running page header is boilerplate, not the document's text.
    assert doc.blocks[3].section == "Roles" and doc.title == "SEND policy"


def test_pdf_pages_running_headers_and_hyphens(tmp_path: Path) -> None:
    p = make_pdf(
        tmp_path / "r.pdf",
        [
            [
                "Our aims",
                "We provide support for pupils with special educa-",
                "tional needs and co-",
                "production matters.",
            ],
            ["Second page text about early intervention."],
        ],
        running_header="Hilltop SEND report",
    )
    doc = extract(p, "r.pdf")
    joined = " ".join(texts(doc))
    assert "Hilltop SEND report" not in joined and "Page 1 of 2" not in joined
    assert "special educational needs" in joined and "co-production" in joined
    second = next(b for b in doc.blocks if "early intervention" in b.text)
    assert second.page == 2 and doc.pages == 2


def test_odt_headings_and_paragraphs(tmp_path: Path) -> None:
    p = make_odt(tmp_path / "o.odt", [("h1", "Inclusion"), ("p", "Every child belongs here.")])
    doc = extract(p, "o.odt")
    assert texts(doc) == ["Inclusion", "Every child belongs here."]
    assert doc.blocks[1].section == "Inclusion"


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".odt", ".html", ".md", ".txt", ".yaml"])
def test_random_bytes_are_one_clear_error_or_text(suffix: str, tmp_path: Path) -> None:
    p = tmp_path / f"noise{suffix}"
    p.write_bytes(bytes((i * 37 + 11) % 256 for i in range(4000)))
    with pytest.raises(SendAlignError) as info:
        extract(p, p.name)
    message = str(info.value)
    assert p.name in message and "\n" not in message


def test_empty_files(tmp_path: Path) -> None:
    for suffix in (".md", ".txt", ".html"):
        p = tmp_path / f"empty{suffix}"
        p.write_bytes(b"")
        assert extract(p, p.name).blocks == ()
    for suffix in (".docx", ".pdf", ".odt"):
        p = tmp_path / f"empty{suffix}"
        p.write_bytes(b"")
        with pytest.raises(SendAlignError):
            extract(p, p.name)


def test_truncated_pdf_and_docx(tmp_path: Path) -> None:
    good_pdf = make_pdf(tmp_path / "g.pdf", [["Some text on the page for testing."]])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good_pdf.read_bytes()[:300])
    with pytest.raises(SendAlignError, match=r"cut\.pdf"):
        extract(cut, "cut.pdf")
    good_docx = make_docx(tmp_path / "g.docx", [("p", "Text.")])
    cutd = tmp_path / "cut.docx"
    cutd.write_bytes(good_docx.read_bytes()[:2000])
    with pytest.raises(SendAlignError, match=r"cut\.docx"):
        extract(cutd, "cut.docx")


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", [["Secret SEND plan text for the test."]])
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="RC4-128")
    enc = tmp_path / "enc.pdf"
    with enc.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(SendAlignError, match="encrypted"):
        extract(enc, "enc.pdf")


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    out = tmp_path / "scan.pdf"
    pdf.output(str(out))
    with pytest.raises(SendAlignError, match="no extractable text"):
        extract(out, "scan.pdf")


def test_encrypted_or_legacy_word_file(tmp_path: Path) -> None:
    p = tmp_path / "locked.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(SendAlignError, match="encrypted"):
        extract(p, "locked.docx")


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_zip_bomb_is_refused_before_inflating(suffix: str, tmp_path: Path) -> None:
    p = tmp_path / f"bomb{suffix}"
    chunk = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("word/document.xml" if suffix == ".docx" else "content.xml", "w", force_zip64=True) as fh,
    ):
        for _ in range(300):
            fh.write(chunk)
    assert p.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(SendAlignError, match="zip bomb"):
        extract(p, p.name)


def test_many_member_zip_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "many.docx"
    with zipfile.ZipFile(p, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"m{i}", b"")
    with pytest.raises(SendAlignError, match="members"):
        extract(p, p.name)
