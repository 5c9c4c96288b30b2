"""The HTML report in a real browser (Debian's chromium through playwright): what a reader sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe_violations, broken_links, browser, open_page, report_file

__all__ = ["browser", "report_file"]


@pytest.fixture
def report_page(report_file: Path, browser: Any) -> Iterator[Any]:
    page = open_page(browser, report_file)
    yield page
    page.close()


def _doc_index(page: Any, name: str) -> int:
    headers = page.locator("table.heat thead th").all_inner_texts()[1:]
    return next(i for i, h in enumerate(headers) if h.endswith(name))


def test_header_gives_date_versions_documents_and_gate(report_page: Any) -> None:
    facts = report_page.locator("dl.facts").inner_text()
    assert "2026-01-01" in facts  # from SOURCE_DATE_EPOCH
    assert "send-align 0.1.0" in facts
    assert "lfi" in facts and "version 2026.1" in facts
    assert "3 checked" in facts
    assert report_page.title() == "SEND strategy coverage report, 2026-01-01"


def test_contents_and_every_in_page_link_lead_somewhere(report_page: Any) -> None:
    contents = report_page.locator("nav.contents")
    assert contents.locator("a").count() >= 3 + 3
    assert broken_links(report_page) == []
    # Following a contents link brings the document's detail into view.
    contents.get_by_role("link", name="policy.md", exact=False).click()
    assert report_page.locator("section.document h2", has_text="policy.md").is_visible()
    assert report_page.evaluate("location.hash").startswith("#doc-")


def test_one_summary_card_per_document_before_the_detail(report_page: Any) -> None:
    cards = report_page.locator("ul.cards > li.card")
    assert cards.count() == 3
    card = cards.filter(has_text="base.yaml")
    text = card.inner_text()
    assert "lfi" in text and "gaps" in text
    assert "1 unsupported" in text  # the proposal's claim on area-send.priority-4
    above = report_page.evaluate(
        "document.querySelector('ul.cards').compareDocumentPosition(document.querySelector('section.document'))"
    )
    assert above & 4  # the cards come before the first document's detail


def test_heat_map_cell_per_document_and_aim_links_to_its_evidence(report_page: Any) -> None:
    cells = report_page.locator("table.heat td.cell")
    assert cells.count() == 3 * 65
    index = _doc_index(report_page, "policy.md")
    cell = report_page.locator(f'table.heat td[data-aim="cop.early-identification"][data-doc="{index}"]')
    assert "s-addressed" in (cell.get_attribute("class") or "")
    # Colour is never the only signal: a symbol and words (for screen readers) are in the cell.
    assert "●" in cell.inner_text()
    assert cell.locator(".sr").text_content() == "addressed"
    cell.locator("a").click()
    target = report_page.locator(":target")
    assert "cop.early-identification" in target.inner_text()
    target.get_by_role("link", name="quote", exact=False).first.click()
    quote = report_page.locator(":target blockquote.evidence")
    assert "identify special educational needs as early as possible" in quote.inner_text()
    # A gap's cell leads to the gap.
    report_page.locator(f'table.heat td[data-aim="cop.vision"][data-doc="{index}"] a').click()
    assert report_page.locator("ul.gaps > li:target", has_text="cop.vision").count() == 1


def test_evidence_is_quoted_once_naming_every_aim_and_rule(report_page: Any) -> None:
    section = report_page.locator("section.document", has_text="policy.md").first
    quotes = section.locator("ol.quotes > li")
    texts = [q.locator("blockquote").inner_text() for q in quotes.all()]
    assert len(texts) == len(set(texts)), "a quote is repeated"
    parents = quotes.filter(has_text="parent carer forum co-produced")
    assert parents.count() == 1
    aims = parents.locator(".serves a").all_inner_texts()
    assert len(aims) >= 2 and len(aims) == len(set(aims)), aims  # one quote, each aim it serves named once
    assert "rule" in parents.locator(".serves").inner_text()
    assert "line 3" in section.locator("blockquote.evidence", has_text="as early as possible").inner_text()


def test_gaps_and_exemptions_are_shown(report_page: Any) -> None:
    section = report_page.locator("section.document", has_text="policy.md").first
    gaps = " ".join(section.locator("ul.gaps").all_inner_texts())
    assert "cop.vision" in gaps and "area-send.priority-4" in gaps
    exempt = section.locator("ul.exempt", has_text="dfe-ap.tailored-lists")
    assert "commissioned by the local authority" in exempt.inner_text()


def test_gate_box_names_the_document(report_page: Any) -> None:
    assert report_page.locator(".gate.failed").is_visible()
    failure = report_page.locator("#gate-failures li", has_text="area-send.priority-4")
    assert "base.yaml" in failure.inner_text()


def test_coverage_bars_and_crosswalk(report_page: Any) -> None:
    bars = report_page.locator("table.bars tbody tr")
    assert bars.count() == 5
    assert report_page.locator("table.bars svg").first.is_visible()
    row = report_page.locator("table.crosswalk").first.locator("tr", has_text="cop.early-identification")
    assert "lfi.aim-early-identification" in row.inner_text()


def test_hostile_document_text_is_shown_not_run(report_page: Any) -> None:
    assert report_page.evaluate("window.__pwned") is None
    assert report_page.evaluate("document.scripts.length") == 0
    assert report_page.locator("img").count() == 0
    assert report_page.get_by_text("<script>window.__pwned = 1</script>", exact=False).count() >= 1


def test_each_document_embeds_its_text_with_the_evidence_marked_collapsed(report_page: Any) -> None:
    section = report_page.locator("section.document", has_text="policy.md").first
    details = section.locator("details.annotated")
    assert details.get_attribute("open") is None
    mark = details.locator("mark", has_text="identify special educational needs").first
    assert not mark.is_visible()  # collapsed by default
    details.locator("summary").click()
    assert mark.is_visible()
    row = details.locator("li.evidence", has_text="identify special educational needs").first
    assert "cop.early-identification" in row.locator("ul.tags").inner_text()
    # The hostile text's own annotated view shows its markup as text.
    hostile = report_page.locator("section.document", has_text="hostile.txt").first.locator(
        "details.annotated"
    )
    hostile.locator("summary").click()
    assert "<script>" in hostile.inner_text()
    assert axe_violations(report_page) == []


def test_header_names_the_gates_set(tmp_path: Path, cli: Any) -> None:
    from tests.browser import POLICY

    (tmp_path / "policy.md").write_text(POLICY, "utf-8")
    out = tmp_path / "r.html"
    args = ("check", str(tmp_path / "policy.md"), "--format", "html", "-o", str(out))
    res = cli(*args, "--fail-under", "40", "--fail-under", "lfi=70", "--require", "cop.senco")
    assert res.code in (0, 1), res.stderr
    facts = out.read_text("utf-8").split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert "coverage at least 40%" in facts and "lfi coverage at least 70%" in facts
    assert "required: cop.senco" in facts
    assert cli(*args).code in (0, 1)
    plain = out.read_text("utf-8").split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert "coverage at least" not in plain and "<dt>Gates</dt><dd>none set</dd>" in plain
    assert "No gates set." in out.read_text("utf-8") and "Gate passed" not in out.read_text("utf-8")
