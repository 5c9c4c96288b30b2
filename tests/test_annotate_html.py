"""`send-align annotate DOC -o OUT.html`: the document's own text with its evidence highlighted, for every
format, escaped, self-contained and accessible (in headless Chromium)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe_violations, browser, open_page, page_overflow
from tests.conftest import make_docx, make_odt, make_pdf

__all__ = ["browser"]

EARLY = "We aim to identify special educational needs as early as possible and review SEN support each term."
OTHER = "The school day starts at nine and the gates open at ten to nine."
HOSTILE = (
    "# SEND policy\n\n"
    f"{EARLY}\n\n"
    "Parents of pupils with SEND <script>window.__pwned = 1</script> are partners "
    '"><img src=x onerror="window.__pwned=2"> and the parent carer forum co-produced this policy.\n\n'
    "A reversed \u202eline\u202c with a bell \x07 and an escape \x1b[31m in it.\n"
)


def _document(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"policy{suffix}"
    blocks = [("h1", "Hilltop Primary SEND policy"), ("p", EARLY), ("p", OTHER)]
    if suffix == ".docx":
        return make_docx(path, blocks)
    if suffix == ".odt":
        return make_odt(path, blocks)
    if suffix == ".pdf":
        return make_pdf(path, [[t for _, t in blocks]])
    if suffix == ".html":
        path.write_text(
            f"<html><body><h1>Hilltop Primary SEND policy</h1><p>{EARLY}</p><p>{OTHER}</p></body></html>"
        )
        return path
    path.write_text(f"Hilltop Primary SEND policy\n\n{EARLY}\n\n{OTHER}\n", "utf-8")
    return path


@pytest.mark.parametrize("suffix", [".md", ".txt", ".docx", ".pdf", ".html", ".odt"])
def test_any_document_is_shown_with_its_evidence_marked(
    tmp_path: Path, cli: Callable[..., Any], suffix: str
) -> None:
    doc = _document(tmp_path, suffix)
    out = tmp_path / "annotated.html"
    res = cli("annotate", str(doc), "-o", str(out), "-f", "cop")
    assert res.code == 0, res.stderr
    page = out.read_text("utf-8")
    assert "<mark>" in page
    marked = page.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert "identify special educational needs" in marked
    assert "cop.early-identification" in page
    assert OTHER.split(" and ")[0] in page and f"<mark>{OTHER}" not in page  # the rest shown, not marked
    gaps = page.split('id="gaps"', 1)[1]
    assert "cop.choice-and-control" in gaps and "For example: “" in gaps
    assert "lfi." not in page  # only the selected framework


def test_the_view_in_a_browser_is_escaped_self_contained_and_accessible(
    tmp_path: Path, cli: Callable[..., Any], browser: Any
) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, "utf-8")
    out = tmp_path / "view.html"
    assert cli("annotate", str(doc), "-o", str(out)).code == 0
    page = open_page(browser, out, width=1400)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scripts.length") == 0 and page.locator("img").count() == 0
    text = page.locator("ol.annotated-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert "\u202e" not in text and "\\u202e" in text  # shown, not obeyed
    assert "\x07" not in text and "\x1b" not in text
    # (The title, "SEND policy", is evidence too: what the page is. The early line's item is the one checked.)
    item = page.locator("li.evidence", has_text="identify special educational needs").first
    assert "identify special educational needs" in item.locator("mark").first.inner_text()
    tags = item.locator("ul.tags").inner_text()
    assert "cop.early-identification" in tags and "rule" in tags
    assert page.requests_made == [out.as_uri()]
    assert axe_violations(page) == []
    page.close()
    phone = open_page(browser, out, width=420)
    assert page_overflow(phone) <= 0
    assert axe_violations(phone) == []
    phone.close()


def test_written_to_standard_output_with_dash(tmp_path: Path, cli: Callable[..., Any]) -> None:
    doc = _document(tmp_path, ".md")
    res = cli("annotate", str(doc), "-o", "-")
    assert res.code == 0, res.stderr
    assert res.stdout.startswith("<!DOCTYPE html>") and "<mark>" in res.stdout


def test_the_output_is_never_the_input(tmp_path: Path, cli: Callable[..., Any]) -> None:
    doc = tmp_path / "policy.html"
    doc.write_text(f"<p>{EARLY}</p>", "utf-8")
    before = doc.read_bytes()
    res = cli("annotate", str(doc), "-o", str(doc))
    assert res.code == 2 and "never overwritten" in res.stderr and res.stderr.count("\n") == 1
    assert doc.read_bytes() == before
