"""HTML: text of block elements in order with line and column; scripts, styles, navigation and footers skipped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from send_align.extract.common import BlockBuilder, blank_urls, decode, read_bytes
from send_align.extract.directives import DIRECTIVE, parse_directive
from send_align.results import Document, Exemption

BLOCK_TAGS = {
    "p",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "div",
    "section",
    "article",
    "blockquote",
    "caption",
    "pre",
    "figcaption",
    "summary",
    "details",
    "main",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "br",
    "hr",
    "form",
    "address",
    "body",
    "label",
    "option",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "svg",
    "math",
    "iframe",
    "object",
    "head",
    "select",
    "button",
}
VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
MAX_DEPTH = 256


class _Reader(HTMLParser):
    def __init__(self, builder: BlockBuilder, shown: str) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.shown = shown
        self.exemptions: list[Exemption] = []
        self.skip = 0
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.start: tuple[int, int] | None = None
        self.in_heading = False
        self.kind = "text"
        self.title: str | None = None
        self.in_title = False

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and self.start:
            if self.in_heading:
                self.builder.heading(text, line=self.start[0], column=self.start[1] + 1)
            else:
                self.builder.add(
                    blank_urls(text), kind=self.kind, line=self.start[0], column=self.start[1] + 1
                )
        self.parts = []
        self.start = None

    def handle_comment(self, data: str) -> None:
        if DIRECTIVE.match(data):
            self.exemptions.append(parse_directive(data, self.shown, self.getpos()[0]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in SKIP_TAGS or self.skip:
            if tag not in VOID:
                self.skip += 1
            return
        if tag in VOID and tag not in BLOCK_TAGS:
            return
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.flush()
            self.in_heading = tag in HEADING_TAGS
            self.kind = "list" if tag == "li" else "table" if tag in ("td", "th") else "text"
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skip:
            if tag in SKIP_TAGS or tag not in VOID:
                self.skip = max(0, self.skip - 1)
            return
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.flush()
            self.in_heading = False
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.in_title and self.title is None and data.strip():
            self.title = " ".join(data.split())
        if self.skip or not data.strip():
            if data and self.parts:
                self.parts.append(" ")
            return
        if self.start is None:
            line, col = self.getpos()
            lead = len(data) - len(data.lstrip())
            nl = data[:lead].count("\n")
            if nl:
                line += nl
                col = lead - data[:lead].rfind("\n") - 1
            else:
                col += lead
            self.start = (line, col)
        self.parts.append(data)


def extract(path: Path, shown: str) -> Document:
    text = decode(read_bytes(path, shown), shown)
    builder = BlockBuilder()
    reader = _Reader(builder, shown)
    # Feed in pieces: one huge line costs no more than many short ones.
    for i in range(0, len(text), 1 << 20):
        reader.feed(text[i : i + (1 << 20)])
    reader.close()
    reader.flush()
    return Document(
        shown,
        "html",
        tuple(builder.blocks),
        reader.title or builder.title,
        exemptions=tuple(reader.exemptions),
    )
