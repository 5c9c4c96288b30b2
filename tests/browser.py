"""Headless Chromium for the HTML tests (Debian's chromium driven by playwright), and what they measure in it:
axe-core's accessibility rules, page-wide overflow, clipped tables in print, in-page links, network requests.

CI sets SEND_ALIGN_REQUIRE_BROWSER=1, so a missing browser fails there rather than skips.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what English public bodies must meet.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def need_browser() -> None:
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
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def open_page(browser: Any, path: Path, width: int = 1400) -> Any:
    """A page showing a local file, with every request it makes recorded in `page.requests_made` and every
    request for anything but that file refused (route interception: nothing can leave the machine)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        if r.request.url == path.as_uri():
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError("a dialog opened")))
    page.goto(path.as_uri())
    page.requests_made = requests
    return page


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one line each (its script is injected from the
    installed axe-playwright-python package: nothing is fetched)."""
    from importlib.resources import files

    page.add_script_tag(content=files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def page_overflow(page: Any) -> int:
    """How far the page is wider than the window (0: no sideways scroll of the whole page)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def clipped_tables(page: Any) -> list[str]:
    """Tables wider than the box they stand in (what print would cut at the page edge)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('table')]
                .filter(t => t.offsetParent !== null)
                .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1
                          || t.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1)
                .map(t => (t.className || 'table') + ' ' + t.scrollWidth + '/' + t.parentElement.clientWidth)"""
        )
    )


def broken_links(page: Any) -> list[str]:
    """In-page links (#id) that lead to no element."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('a[href^="#"]')]
                .map(a => a.getAttribute('href').slice(1))
                .filter(id => !document.getElementById(decodeURIComponent(id)))"""
        )
    )


HOSTILE = """POLICY WITH HOSTILE TEXT

We identify special educational needs early <script>window.__pwned = 1</script> and review SEN support each term.

Parents of pupils with SEND are partners "><img src=x onerror="window.__pwned=2"> in every plan, and the parent
carer forum co-produced this policy.
"""

POLICY = (
    "# Hilltop SEND policy\n\nWe aim to identify special educational needs as early as possible.\n\n"
    "We meet parents of pupils with SEND each term to agree their child's outcomes, and the parent carer "
    "forum co-produced this policy.\n\n"
    "<!-- send-align: not-applicable dfe-ap.tailored-lists -- lists are commissioned by the local authority -->\n"
)


@pytest.fixture
def report_file(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The HTML report of a policy, a hostile text and a proposal, made by the real CLI."""
    from tests.test_check import PROPOSAL

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(POLICY, "utf-8")
    # Plain text keeps angle brackets (Markdown's reader drops markup), so they reach the report.
    (docs / "hostile.txt").write_text(HOSTILE, "utf-8")
    (docs / "base.yaml").write_text(PROPOSAL, "utf-8")
    out = tmp_path / "report.html"
    res = cli("check", str(docs), "--format", "html", "-o", str(out))
    assert res.code in (0, 1), res.stderr
    return out
