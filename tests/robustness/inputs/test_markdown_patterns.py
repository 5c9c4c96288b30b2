"""The Markdown reader's patterns: linear on pathological input, and reading ordinary Markdown
exactly as the original patterns did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_align.extract import common, directives, markdown
from tests.conftest import SEND_POLICY_MD
from tests.robustness.inputs.support import PROPERTY, WORDS, time_readers

# The reader's patterns before they were made linear: the reference the linear versions must agree with.
ORIGINAL_LINK = re.compile(r"(!?\[)([^\]\n]*)(\]\([^)\s]*(?:\s+\"[^\"]*\")?\))")
ORIGINAL_ATX = re.compile(r"^( {0,3}#{1,6})\s+(.*?)\s*#*\s*$")
ORIGINAL_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
ORIGINAL_COMMENT = re.compile(r"<!--.*?-->", re.S)
ORIGINAL_URL = re.compile(r"https?://\S+|www\.[\w.-]+\.\w+\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

N = 200_000
# Each of these took seconds to minutes before (the heading over 120 s at 5 KB); each must take well under
# a second now. Sizes from 5 KB to 200 KB.
ADVERSARIAL_MD = {
    "heading-spaces-5k": "# a" + " " * 5_000 + "b\n",
    "heading-spaces-200k": "# a" + " " * N + "b\n",
    "heading-tabs": "## x" + "\t " * (N // 2) + "#x\n",
    "open-brackets": "[" * 40_000 + "\n",
    "open-brackets-200k": "[" * N + "\n",
    "bracket-paren": "[](" * (N // 3) + "\n",
    "bracket-title": '[](a "' * (N // 6) + "\n",
    "nested-links": "[a](b " * (N // 6) + "\n",
    "image-brackets": "![" * (N // 2) + "\n",
    "unclosed-comments": "<!--" * (N // 4) + "\n",
    "unclosed-comment-then-text": "<!--" + "x " * (N // 2) + "\n",
    "letters-before-at": "a" * N + " @\n",
    "www-dashes": "www.-" * (N // 5) + " @\n",
    "table-separator-tabs": "|--" + "\t" * N + "x\n",
    "table-rows": "| a |\n" + "|--" * (N // 3) + "|x\n",
    "angle-brackets": "<" * N + "\n",
    "stars": "*" * N + "\n",
    "backslashes": "\\" * N + "\n",
    "bold-line": "**" + "a" * N + "\n",
    "rule-dashes": "- " * (N // 2) + "x\n",
    "list-spaces": " " * N + "-x\n",
    "quote-markers": ">" * N + "\n",
    "directive-spaces": "<!-- send-align: not-applicable a" + " " * N + "b -->\n",
    "directive-reason-spaces": "<!-- send-align: not-applicable cop.x -- " + "a " * (N // 2) + " -->\n",
    "many-short-lines": "# a  b\n[x](y)\n" * (N // 14),
}


def test_adversarial_markdown_is_read_in_linear_time(tmp_path: Path) -> None:
    paths = []
    for name, text in ADVERSARIAL_MD.items():
        path = tmp_path / f"{name}.md"
        path.write_text(text, "utf-8")
        paths.append(path)
    seconds = time_readers(paths)
    slow = {name: round(s, 2) for name, s in seconds.items() if s > 2.0}
    assert not slow, f"pathological input read slowly: {slow}"


def test_adversarial_markdown_still_gives_its_text(tmp_path: Path) -> None:
    """Speed is not bought by dropping text: the words after the pathological part are still read."""
    path = tmp_path / "a.md"
    path.write_text("# a" + " " * 5000 + "b\n\n" + "[" * 40_000 + " inclusion matters\n", "utf-8")
    doc = markdown.extract(path, "a.md")
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text.split()[-2:] == ["a", "b"]
    assert doc.blocks[-1].text.split()[-2:] == ["inclusion", "matters"]


def _old_links(line: str) -> list[tuple[int, int, int, int]]:
    return [(m.start(), m.start(2), m.end(2), m.end()) for m in ORIGINAL_LINK.finditer(line)]


@PROPERTY
@given(st.text(alphabet='[]()!" ab\t', max_size=40))
def test_link_spans_agree_with_the_original_pattern(line: str) -> None:
    assert list(markdown.link_spans(line)) == _old_links(line)


@PROPERTY
@given(st.text(alphabet="<!->a \n", max_size=40))
def test_comment_spans_agree_with_the_original_pattern(text: str) -> None:
    assert list(markdown.comment_spans(text)) == [m.span() for m in ORIGINAL_COMMENT.finditer(text)]


@PROPERTY
@given(st.text(alphabet=" #a\t|:-", max_size=20))
def test_heading_and_table_patterns_agree_with_the_originals(line: str) -> None:
    assert bool(markdown._ATX.match(line)) == bool(ORIGINAL_ATX.match(line))
    assert bool(markdown._TABLE_SEP.match(line)) == bool(ORIGINAL_TABLE_SEP.match(line))


@PROPERTY
@given(st.lists(st.sampled_from(["w", "www.", ".", "-", "a", "@", " ", "http://", "+", "x.y"]), max_size=14))
def test_address_pattern_agrees_with_the_original_on_ordinary_lengths(parts: list[str]) -> None:
    text = "".join(parts)
    assert [m.span() for m in common._URL.finditer(text)] == [
        m.span() for m in ORIGINAL_URL.finditer(text)
    ]


@PROPERTY
@given(st.lists(st.sampled_from(["cop.x", "-", " ", "  ", "—", "*", "\n", "no reason", "a"]), max_size=8))
def test_directives_parse_as_before(parts: list[str]) -> None:
    original = re.compile(
        r"^\s*send-align\s*:\s*not[- ]applicable\s+(?P<aim>[A-Za-z0-9_.*?\[\]-]+?)\s*"
        r"(?:(?:--|—|–)\s*(?P<reason>.*?))?\s*$",
        re.I | re.S,
    )
    text = "send-align: not-applicable " + "".join(parts)
    before = original.match(text)
    try:
        exemption = directives.parse_directive(text, "d.md", 1)
    except Exception as exc:
        # A refusal now is a refusal before: no match, or a reason too short.
        assert "directive" in str(exc) or "no reason" in str(exc)
        assert before is None or len(" ".join((before.group("reason") or "").split())) < 3
        return
    assert before is not None
    assert exemption.aim == before.group("aim")
    assert exemption.reason == " ".join((before.group("reason") or "").split())


PHRASE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
LINE = st.one_of(
    PHRASE,
    PHRASE.map(lambda p: f"# {p}"),
    PHRASE.map(lambda p: f"### {p} ###"),
    PHRASE.map(lambda p: f"- {p}"),
    PHRASE.map(lambda p: f"1. {p}"),
    PHRASE.map(lambda p: f"> {p}"),
    PHRASE.map(lambda p: f"**{p}**"),
    PHRASE.map(lambda p: f"See [{p}](https://example.org/{len(p)} \"title\") and ![{p}](pic.png)."),
    PHRASE.map(lambda p: f"Write to office@school.example.org or www.school.example.org about {p}."),
    PHRASE.map(lambda p: f"| {p} | {p} |"),
    st.just("|---|:---:|"),
    st.just("---"),
    st.just("==="),
    st.just("```"),
    st.just(""),
    PHRASE.map(lambda p: f"Text <!-- a note on {p} --> more {p}"),
    st.just("<!-- a comment\nover two lines -->"),
    st.just("<!-- send-align: not-applicable cop.local-offer -- published by the council -->"),
    PHRASE.map(lambda p: f"_{p}_ and `code` and \\*not\\* <b>{p}</b>"),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=25))
def test_reader_text_and_locations_unchanged_for_ordinary_markdown(
    lines: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("md") / "doc.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    now = markdown.extract(path, "doc.md")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(markdown, "link_spans", _old_links)
        mp.setattr(markdown, "comment_spans", lambda t: [m.span() for m in ORIGINAL_COMMENT.finditer(t)])
        mp.setattr(markdown, "_ATX", ORIGINAL_ATX)
        mp.setattr(markdown, "_TABLE_SEP", ORIGINAL_TABLE_SEP)
        mp.setattr(common, "_URL", ORIGINAL_URL)
        before = markdown.extract(path, "doc.md")
    assert now == before


def test_policy_example_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(SEND_POLICY_MD, "utf-8")
    assert [b.kind for b in markdown.extract(path, "p.md").blocks][:3] == ["heading", "heading", "text"]
