"""The HTML report's layout in a real browser: phone width, print, many documents, keyboard, no network,
and axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    axe_violations,
    broken_links,
    browser,
    clipped_tables,
    open_page,
    page_overflow,
    report_file,
)

__all__ = ["browser", "report_file"]


def test_no_request_leaves_the_page(report_file: Path, browser: Any) -> None:
    page = open_page(browser, report_file)
    page.wait_for_load_state("networkidle")
    assert page.requests_made == [report_file.as_uri()]
    page.close()


def test_phone_width_has_no_page_wide_overflow(report_file: Path, browser: Any) -> None:
    page = open_page(browser, report_file, width=420)
    assert page_overflow(page) <= 0
    page.close()


def test_printed_report_cuts_no_table_and_starts_each_document_on_a_page(
    report_file: Path, browser: Any
) -> None:
    page = open_page(browser, report_file, width=1400)
    page.emulate_media(media="print")
    assert clipped_tables(page) == []
    breaks = page.evaluate(
        "[...document.querySelectorAll('section.document > h2')].map(h => getComputedStyle(h).breakBefore)"
    )
    assert breaks == ["page"] * 3
    # Each document's evidence carries its name.
    headings = page.locator("section.document h3[id$='-evidence']").all_inner_texts()
    assert any("policy.md" in h for h in headings)
    names = page.locator("section.document > h2").all_inner_texts()
    pdf = page.pdf(format="A4")
    page.close()
    import pypdfium2

    printed = pypdfium2.PdfDocument(pdf)
    # PDFium gives a hyphen where a line was broken as U+FFFE.
    texts = [printed[i].get_textpage().get_text_range().replace("\ufffe", "-") for i in range(len(printed))]
    pages = ["".join(t.split()) for t in texts]
    assert all(pages), "a blank page was printed"
    for name in names:  # each document's detail starts a page, under its name
        assert any(p.startswith("".join(name.split())[:40]) for p in pages), name


def test_heat_map_region_scrolls_by_keyboard(big_report: Path, browser: Any) -> None:
    page = open_page(browser, big_report, width=420)
    region = page.locator(".heat-wrap")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-labelledby") == "heat-caption"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert region.evaluate("e => e.scrollLeft") > 0
    page.close()


def test_report_has_no_accessibility_violations(report_file: Path, browser: Any) -> None:
    for width in (1400, 420):
        page = open_page(browser, report_file, width=width)
        assert axe_violations(page) == []
        page.close()


@pytest.fixture
def big_report(report_file: Path, tmp_path: Path) -> Path:
    """The report of 110 documents (one policy's result under 110 names)."""
    from send_align.report import html
    from send_align.reporting import RenderOptions
    from send_align.strategies import load_catalogue

    catalogue = load_catalogue([])
    report = _many(catalogue, report_file.parent / "docs" / "policy.md", 110)
    big = tmp_path / "big.html"
    big.write_text(html.render(report, catalogue, RenderOptions()), "utf-8")
    return big


def test_heat_map_at_a_hundred_documents_keeps_aims_and_names_in_view(big_report: Path, browser: Any) -> None:
    """110 documents: the aim column and the documents' row stay in view while the map scrolls."""
    page = open_page(browser, big_report, width=1400)
    assert page.locator("table.heat thead th.doc").count() == 110
    region = page.locator(".heat-wrap")
    region.evaluate("e => { e.scrollLeft = 3000; e.scrollTop = 1500; }")
    box = region.bounding_box()
    aim = page.locator("table.heat tbody th.aim").nth(20).bounding_box()
    head = page.locator("table.heat thead th.doc").nth(60).bounding_box()
    assert abs(aim["x"] - box["x"]) <= 2  # the aim column stuck to the left edge
    assert abs(head["y"] - box["y"]) <= 2  # the documents' names stuck to the top
    assert page_overflow(page) <= 0
    assert broken_links(page) == []
    # Printed, 110 columns cannot fit a page: the map gives way to a note, and nothing is cut.
    page.emulate_media(media="print")
    assert clipped_tables(page) == []
    assert page.locator(".print-only").is_visible() and not region.is_visible()
    page.close()


def _many(catalogue: Any, path: Path, n: int) -> Any:
    from send_align.engine import run_check
    from send_align.options import CheckOptions

    report, problems = run_check(
        catalogue, CheckOptions(frameworks=tuple(f.id for f in catalogue.frameworks), paths=(path,))
    )
    assert not problems
    one = report.documents[0]
    docs = tuple(dataclasses.replace(one, path=f"schools/school-{i:03}/send-policy.md") for i in range(n))
    return dataclasses.replace(report, documents=docs)
