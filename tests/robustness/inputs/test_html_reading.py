"""The HTML reader: a linear tokenizer that reads ordinary HTML as the standard parser did, and
large files streamed with the same report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEND_POLICY_MD
from tests.robustness.inputs.support import WORDS, time_readers

ADVERSARIAL_HTML = {
    "unclosed-tags-newlines": "<p>Intro.</p>" + "<a\n" * 30_000,
    "unclosed-attribute-quote": "<p>Intro.</p>" + "<a b='" * 15_000,
    "unclosed-attributes": "<p>Intro.</p>" + "<p a=b " * 15_000,
    "unclosed-comments": "<p>Intro.</p>" + "<!--" * 50_000,
    "unclosed-end-tags": "<p>Intro.</p>" + "</" * 100_000,
    "processing-instructions": "<p>Intro.</p>" + "<?" * 100_000,
    "lone-angles": "<p>Intro.</p>" + "<" * 200_000,
    "unclosed-script": "<p>Intro.</p><script>" + "</scrip" * 30_000,
    "entities": "<p>" + "&#" * 100_000 + "</p>",
    "one-long-line-of-tags": "<p>a</p>" * 50_000,
}


def test_adversarial_html_is_read_in_linear_time(tmp_path: Path) -> None:
    paths = []
    for name, text in ADVERSARIAL_HTML.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, "utf-8")
        paths.append(path)
    seconds = time_readers(paths)
    slow = {name: round(s, 2) for name, s in seconds.items() if s > 2.0}
    assert not slow, f"pathological HTML read slowly: {slow}"


def _reference_html(text: str) -> tuple[list[object], str | None, list[object]]:
    """The reader driven by the standard library's HTMLParser, as it was before the tokenizer."""
    from html.parser import HTMLParser

    from send_align.extract import html as reader
    from send_align.extract.common import BlockBuilder

    class Reference(reader._Reader, HTMLParser):
        getpos = HTMLParser.getpos

        def __init__(self, builder: BlockBuilder) -> None:
            HTMLParser.__init__(self, convert_charrefs=True)
            reader._Reader.__init__(self, builder, "d.html")

    builder = BlockBuilder()
    ref = Reference(builder)
    ref.feed(text)
    ref.close()
    ref.flush()
    return list(builder.blocks), ref.title or builder.title, list(ref.exemptions)


HTML_WORDS = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
HTML_PART = st.one_of(
    HTML_WORDS.map(lambda w: f"<p>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<h2 class=\"x\">{w}</h2>"),
    HTML_WORDS.map(lambda w: f"<div id='a>b'>\n  {w}\n</div>"),
    HTML_WORDS.map(lambda w: f"<ul><li>{w}</li><li><a href=\"/x?a=1&amp;b=2\">{w}</a></li></ul>"),
    HTML_WORDS.map(lambda w: f"<table><tr><td>{w}</td><th>{w}</th></tr></table>"),
    HTML_WORDS.map(lambda w: f"<p>{w} &amp; {w} &lt;ok&gt; &#8217;s&nbsp;{w}<br/>{w}<br>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<p><b>{w}</b> <em>{w}</em> <span>{w}</span></p>"),
    HTML_WORDS.map(lambda w: f"<script>if (a < b && c > d) {{ x('</p>'); }}</script><p>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<style>p > a {{ color: red }}</style><nav>{w}</nav><footer>{w}</footer>"),
    HTML_WORDS.map(lambda w: f"<!-- {w} --><p>{w}</p>"),
    st.just("<!-- send-align: not-applicable cop.local-offer -- published by the council -->"),
    st.just("<!DOCTYPE html>"),
    HTML_WORDS.map(lambda w: f"<head><title>{w}</title><meta charset=\"utf-8\"></head>"),
    HTML_WORDS.map(lambda w: f"<img src=\"a.png\" alt=\"{w}\"><input type=checkbox checked>"),
    HTML_WORDS.map(lambda w: f"{w}\n"),
    st.just("\n\n    "),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(HTML_PART, max_size=20))
def test_html_reads_as_the_standard_parser_did_for_ordinary_html(parts: list[str]) -> None:
    from send_align.extract import html as reader
    from send_align.extract.common import BlockBuilder

    text = "<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    tokenizer = reader._Tokenizer(BlockBuilder(), "d.html")
    blocks = list(tokenizer.run(text))
    assert (blocks, tokenizer.title or tokenizer.builder.title, tokenizer.exemptions) == _reference_html(text)


def test_large_html_is_streamed_with_the_same_report(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Over STREAM_BYTES an HTML file is scanned as its blocks are made (memory bounded by its text, not
    by its blocks); the report is the one a whole read gives."""
    from send_align import engine, extract
    from send_align.extract.reading import Reading

    page = (
        "<html><head><title>Inclusion at Hilltop</title></head><body>"
        "<!-- send-align: not-applicable cop.local-offer -- published by the council -->"
        + "".join(f"<p>{para}</p>\n" for para in SEND_POLICY_MD.split("\n\n"))
        + "<p>send-align: not-applicable dfe-ap.tailored-lists -- commissioned by the council</p>"
        + "<table>" + "<tr><td>early help</td><td>parents and carers</td></tr>\n" * 200 + "</table>"
        "</body></html>"
    )
    (tmp_path / "page.html").write_text(page, "utf-8")
    whole = cli("check", "page.html", "--format", "json", "--no-cache", cwd=tmp_path)
    streamed_calls = []
    real = extract.open

    def spy(path: Path, shown: str) -> Reading:
        reading = real(path, shown)
        if reading.streams:
            streamed_calls.append(shown)
        return reading

    monkeypatch.setattr(extract, "open", spy)
    monkeypatch.setattr(engine, "STREAM_BYTES", 1024)
    streamed = cli("check", "page.html", "--format", "json", "--no-cache", cwd=tmp_path)
    assert streamed_calls, "the file was not streamed"
    assert whole.code == streamed.code == 0, streamed.stderr
    assert streamed.stdout == whole.stdout
    doc = json.loads(streamed.stdout)["documents"][0]
    assert doc["title"] == "Inclusion at Hilltop"
    statuses = {a["id"]: a["status"] for a in doc["aims"]}
    assert statuses["cop.local-offer"] == statuses["dfe-ap.tailored-lists"] == "not-applicable"
