"""HTML: text of block elements in order with line and column; scripts, styles, navigation and footers skipped.

The tokenizer is our own, and linear in the file's size whatever it holds. The standard library's
HTMLParser goes back over the rest of the file from every '<' that starts a tag it cannot close
(80 KB of '<a' and newlines took 200 s; a stray quote in an attribute is enough), and how it does so
changes between Python releases. Here a tag that never closes ends the text, as it does in a browser,
and each character is looked at a bounded number of times. Blocks are handed on as they are made, so
a large file is scanned without all its blocks in memory at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

from send_align.extract.common import BlockBuilder, blank_urls, decode, read_bytes
from send_align.extract.directives import DIRECTIVE, parse_directive
from send_align.extract.reading import Header, Reading
from send_align.results import Block, BlockKind, Exemption

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
_CELLS = ("td", "th")
_TABLE_PARTS = frozenset({"table", "tr", "td", "th"})
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


class _Reader:
    """What the document's tags and text mean: blocks, headings, the title, directives in comments.
    Driven by `_Tokenizer` (and, in the tests, by the standard library's HTMLParser as a reference)."""

    def __init__(self, builder: BlockBuilder, shown: str) -> None:
        self.builder = builder
        self.shown = shown
        self.exemptions: list[Exemption] = []
        self.skip = 0
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.start: tuple[int, int] | None = None
        self.in_heading = False
        self.kind = BlockKind.TEXT
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

    def getpos(self) -> tuple[int, int]:
        raise NotImplementedError

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
        if tag in _CELLS and self._in_row():
            # A row is one block, its cells parted by "; ", as a Word or OpenDocument table's row is: a cell
            # naming a topic ("Staying safe online") is read with the cell that says what is done about it.
            if self.parts and not self.in_heading:
                self.parts.append("; ")
            else:
                self.flush()
                self.in_heading = False
            self.kind = BlockKind.TABLE
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.flush()
            self.in_heading = tag in HEADING_TAGS
            self.kind = (
                BlockKind.LIST if tag == "li" else BlockKind.TABLE if tag in _CELLS else BlockKind.TEXT
            )
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skip:
            if tag in SKIP_TAGS or tag not in VOID:
                self.skip = max(0, self.skip - 1)
            return
        if (tag in BLOCK_TAGS or tag in HEADING_TAGS) and not (tag in _CELLS and self._in_row()):
            self.flush()
            self.in_heading = False
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def _in_row(self) -> bool:
        """Whether the innermost open table element is a row or one of its cells (a cell's text then waits
        for the row's end)."""
        for tag in reversed(self.stack):
            if tag in _TABLE_PARTS:
                return tag != "table"
        return False

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


_TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")
# The rest of a tag up to its '>': attribute names and unquoted values, '=' with a quoted value (which may
# hold '>'), and stray quotes. Possessive and with alternatives that start differently: no backtracking.
_TAG_REST = re.compile(r"""(?:[^>"'=]++|=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+)|["'])*+>""")
_RAW_TEXT = {"script", "style"}
# Text is handed on this often (characters), so blocks can be scanned while the rest is read.
_STEP = 1 << 20


class _Tokenizer(_Reader):
    """Tags, text and comments of an HTML text, in one pass."""

    def __init__(self, builder: BlockBuilder, shown: str) -> None:
        super().__init__(builder, shown)
        self._line = 1
        self._line_start = 0
        self._counted = 0
        self._at = 0

    def getpos(self) -> tuple[int, int]:
        return self._line, self._at - self._line_start

    def _move(self, text: str, pos: int) -> None:
        """Line and column at `pos`, counting only the text not counted before (positions only grow)."""
        newlines = text.count("\n", self._counted, pos)
        if newlines:
            self._line += newlines
            self._line_start = text.rfind("\n", self._counted, pos) + 1
        self._counted = pos
        self._at = pos

    def _data(self, text: str, start: int, end: int) -> None:
        if end > start:
            self._move(text, start)
            self.handle_data(unescape(text[start:end]))

    def run(self, text: str) -> Iterator[Block]:
        """Feed every event of `text` to the reader; the blocks made so far, every _STEP characters."""
        n = len(text)
        pos = 0
        handed = 0
        while pos < n:
            if pos - handed >= _STEP:
                handed = pos
                yield from self.builder.drain()
            lt = text.find("<", pos)
            if lt < 0:
                self._data(text, pos, n)
                break
            self._data(text, pos, lt)
            pos = self._markup(text, lt)
        self.flush()
        yield from self.builder.drain()

    def _markup(self, text: str, lt: int) -> int:
        """Handle what starts at a '<'; the position after it."""
        n = len(text)
        nxt = text[lt + 1 : lt + 2]
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            self._move(text, lt)
            self.handle_comment(text[lt + 4 : end if end >= 0 else n])
            return end + 3 if end >= 0 else n
        if nxt in ("!", "?"):  # a declaration, CDATA or processing instruction: not text
            end = text.find(">", lt + 2)
            return end + 1 if end >= 0 else n
        closing = nxt == "/"
        name = _TAG_NAME.match(text, lt + 2 if closing else lt + 1)
        if name is None:
            if closing:  # '</>' is nothing; '</ x>' a comment of sorts
                end = text.find(">", lt + 2)
                return end + 1 if end >= 0 else n
            self._data(text, lt, lt + 1)  # a '<' that starts no tag is text
            return lt + 1
        rest = _TAG_REST.match(text, name.end())
        if rest is None:  # a tag that never closes takes the rest of the file, as in a browser
            return n
        tag = name.group(0).lower()
        end = rest.end()
        self._move(text, lt)
        if closing:
            self.handle_endtag(tag)
            return end
        self.handle_starttag(tag, [])
        if text[end - 2] == "/" and end - 2 >= name.end():
            self.handle_endtag(tag)
        elif tag in _RAW_TEXT:
            m = re.compile(rf"</{tag}[\s/>]", re.I).search(text, end)
            stop = m.start() if m else n
            self._data(text, end, stop)
            return stop
        return end


def stream(path: Path, shown: str) -> tuple[_Tokenizer, Iterator[Block]]:
    """The file's blocks, made as they are read; the reader's title and exemptions are known once they
    are consumed."""
    text = decode(read_bytes(path, shown), shown)
    reader = _Tokenizer(BlockBuilder(), shown)
    return reader, reader.run(text)


def reading(path: Path, shown: str) -> Reading:
    reader, blocks = stream(path, shown)

    def header() -> Header:
        return Header(
            format="html", title=reader.title or reader.builder.title, exemptions=tuple(reader.exemptions)
        )

    return Reading(blocks, header, streams=True)
