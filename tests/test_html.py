"""The HTML report in a real browser (Debian's chromium through playwright): what a reader sees."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_check import PROPOSAL

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

HOSTILE = """POLICY WITH HOSTILE TEXT

We identify special educational needs early <script>window.__pwned = 1</script> and review SEN support each term.

Parents of pupils with SEND are partners "><img src=x onerror="window.__pwned=2"> in every plan, and the parent
carer forum co-produced this policy.
"""


def _need_browser() -> None:
    required = os.environ.get("SEND_ALIGN_REQUIRE_BROWSER") == "1"
    try:
        import playwright  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    if CHROMIUM is None:
        if required:
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def report_page(tmp_path: Path, cli: Callable, browser: Any) -> Iterator[Any]:  # type: ignore[type-arg]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(
        "# Hilltop SEND policy\n\nWe aim to identify special educational needs as early as possible.\n\n"
        "We meet parents of pupils with SEND each term to agree their child's outcomes, and the parent carer "
        "forum co-produced this policy.\n\n"
        "<!-- send-align: not-applicable dfe-ap.tailored-lists -- lists are commissioned by the local authority -->\n",
        "utf-8",
    )
    # Plain text keeps angle brackets (Markdown's reader drops markup), so they reach the report.
    (docs / "hostile.txt").write_text(HOSTILE, "utf-8")
    (docs / "base.yaml").write_text(PROPOSAL, "utf-8")
    out = tmp_path / "report.html"
    res = cli("check", str(docs), "--format", "html", "-o", str(out))
    assert res.code in (0, 1), res.stderr
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError("a dialog opened")))
    page.goto(out.as_uri())
    page.requests_made = requests
    yield page
    page.close()


def test_heat_map_has_a_cell_per_document_and_aim(report_page: Any) -> None:
    cells = report_page.locator("table.heat td.cell")
    assert cells.count() == 3 * 65
    headers = report_page.locator("table.heat thead th").all_inner_texts()[1:]
    index = next(i for i, h in enumerate(headers) if h.endswith("policy.md"))
    cell = report_page.locator(f'table.heat td[data-aim="cop.early-identification"][data-doc="{index}"]')
    assert "s-addressed" in (cell.get_attribute("class") or "")
    # Colour is never the only signal: a symbol and words (for screen readers) are in the cell.
    assert "●" in cell.inner_text()
    assert cell.locator(".sr").text_content() == "addressed"


def test_coverage_bars_and_gate_are_visible(report_page: Any) -> None:
    bars = report_page.locator("table.bars tbody tr")
    assert bars.count() == 5
    assert report_page.locator("table.bars svg").first.is_visible()
    assert "%" in bars.first.inner_text()
    # The proposal's unsupported claim fails the gate, and the reader is told so.
    assert report_page.locator(".gate.failed").is_visible()
    assert "area-send.priority-4" in report_page.locator("#gate-failures").inner_text()


def test_evidence_quotes_gaps_and_exemptions_are_shown(report_page: Any) -> None:
    quote = report_page.locator(
        "blockquote.evidence", has_text="identify special educational needs as early as possible"
    ).first
    assert quote.is_visible()
    assert "line 3" in quote.inner_text()
    section = report_page.locator("section.document", has_text="policy.md").first
    gaps = " ".join(section.locator("ul.gaps").all_inner_texts())
    assert "cop.vision" in gaps and "area-send.priority-4" in gaps
    exempt = section.locator("ul.exempt", has_text="dfe-ap.tailored-lists")
    assert "commissioned by the local authority" in exempt.inner_text()


def test_crosswalk_rollup_shows_local_aims_meeting_national_ones(report_page: Any) -> None:
    table = report_page.locator("table.crosswalk").first
    assert table.is_visible()
    row = table.locator("tr", has_text="cop.early-identification")
    assert "lfi.aim-early-identification" in row.inner_text()


def test_hostile_document_text_is_shown_not_run(report_page: Any) -> None:
    assert report_page.evaluate("window.__pwned") is None
    assert report_page.evaluate("document.scripts.length") == 0
    assert report_page.locator("img").count() == 0
    assert report_page.get_by_text("<script>window.__pwned = 1</script>", exact=False).count() >= 1


def test_self_contained_no_network(report_page: Any) -> None:
    assert all(u.startswith("file://") for u in report_page.requests_made), report_page.requests_made
    assert len(report_page.requests_made) == 1


def test_printable(report_page: Any) -> None:
    report_page.emulate_media(media="print")
    assert report_page.locator("table.heat").is_visible()
    pdf = report_page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
