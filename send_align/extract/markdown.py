"""Markdown: headings give sections; list items and table rows are blocks; markup blanked, columns kept.

Every pattern here runs in time linear in its input, whatever the input: the file is untrusted, and a
backtracking pattern ("# a" and 5,000 spaces, 40,000 "[") can take minutes on a 5 KB file. Patterns are
anchored, possessive or bounded; links and comments are found with `str.find`, each character looked at a
bounded number of times. A full Markdown parser (markdown-it-py) would find more constructs, but not the
columns of the text inside them, which evidence quotes need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from send_align.extract.common import (
    ITEM_MARKER,
    BlockBuilder,
    blank,
    blank_urls,
    decode,
    follows_item,
    is_title_line,
    read_bytes,
    unwrapped_runs,
)
from send_align.extract.directives import DIRECTIVE, parse_directive
from send_align.results import BlockKind, Document, Exemption

# A heading line starts with 1-6 '#' and a space; what follows is the title, whatever it holds.
_ATX = re.compile(r"^ {0,3}#{1,6}\s")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# A list item: Markdown's own markers, and those of lists pasted or converted from other documents ("• ",
# "a) ", "(ii) "): see common.ITEM_MARKER.
_LIST = ITEM_MARKER
_TABLE_SEP = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# What follows a link's text: `](address "title")`.
_LINK_TAIL = re.compile(r"\]\([^)\s]*+(?:\s++\"[^\"]*+\")?+\)")
_MARKUP = re.compile(r"<[^>\n]{1,200}>|!\[|[*_`]{1,3}|\\(?=\S)")
_NOT_NEWLINE = re.compile(r"[^\n]")
# A paragraph that is one short line, all bold: used as a heading in many exported documents.
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)[^*_\n]{1,150}?\1[:.]?\s*$")


def link_spans(line: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, text start, text end, end) of each `[text](address)` or `![text](address)` in a line.

    A link's text runs from a '[' to the first ']' after it; every '[' before that ']' shares its fate,
    so each is looked at once. An address that failed to end a link fails the same way for any ']' inside
    it, so no address is scanned twice."""
    pos = 0
    dead_until = 0
    while True:
        opening = line.find("[", pos)
        if opening < 0:
            return
        closing = line.find("]", opening)
        if closing < 0:
            return
        tail = _LINK_TAIL.match(line, closing) if closing >= dead_until else None
        if tail is None:
            if closing >= dead_until:
                dead_until = _address_end(line, closing)
            pos = closing + 1
            continue
        start = opening - 1 if opening - 1 >= pos and line[opening - 1] == "!" else opening
        yield start, opening + 1, closing, tail.end()
        pos = tail.end()


_ADDRESS = re.compile(r"\]\([^)\s]*+")


def _address_end(line: str, closing: int) -> int:
    m = _ADDRESS.match(line, closing)
    return m.end() if m else closing


def comment_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `<!-- ... -->`; an unclosed one ends the search (no later one can close)."""
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            return
        end = text.find("-->", start + 4)
        if end < 0:
            return
        yield start, end + 3
        pos = end + 3


def clean(line: str) -> str:
    # [text](url): keep the text, blank the brackets and the address, so columns stay true.
    if "[" in line:
        out: list[str] = []
        last = 0
        for start, text_start, text_end, end in link_spans(line):
            out += (line[last:start], " " * (text_start - start), line[text_start:text_end])
            out.append(" " * (end - text_end))
            last = end
        if out:
            line = "".join(out) + line[last:]
    return blank(blank_urls(line), _MARKUP)


def extract(path: Path, shown: str) -> Document:
    text = decode(read_bytes(path, shown), shown).replace("\r\n", "\n").replace("\r", "\n")
    text, exemptions = _without_comments(text, shown)
    reader = _Reader(text.split("\n"))
    reader.read()
    return Document(
        path=shown,
        format="markdown",
        blocks=tuple(reader.builder.blocks),
        title=reader.builder.title,
        exemptions=tuple(exemptions),
    )


def _without_comments(text: str, shown: str) -> tuple[str, list[Exemption]]:
    """The text with its HTML comments blanked line by line (so line numbers stay true), and the
    exemptions its directive comments declare."""
    exemptions = []
    pieces: list[str] = []
    last = newlines = 0
    for start, stop in comment_spans(text):
        body = text[start + 4 : stop - 3]
        newlines += text.count("\n", last, start)
        if DIRECTIVE.match(body):
            exemptions.append(parse_directive(body, shown, newlines + 1))
        pieces += (text[last:start], _NOT_NEWLINE.sub(" ", text[start:stop]))
        newlines += body.count("\n")
        last = stop
    return ("".join(pieces) + text[last:] if pieces else text), exemptions


class _Reader:
    """Blocks from Markdown lines: paragraphs gathered until a blank line or a construct ends them."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.builder = BlockBuilder()
        self.pending: list[str] = []
        self.pending_start = 0
        self.pending_kind = BlockKind.TEXT

    def read(self) -> None:
        lines = self.lines
        i = _after_front_matter(lines)
        in_fence = False
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line):
                self.flush()
                in_fence = not in_fence
            elif not in_fence:
                self.line(line, i + 1)
            i += 1
        self.flush()

    def line(self, line: str, number: int) -> None:
        """One line outside a fenced block."""
        builder, pending = self.builder, self.pending
        if not line.strip() or (_RULE.match(line) and not (pending and _SETEXT.match(line))):
            self.flush()
        elif _ATX.match(line):
            self.flush()
            # The hashes are blanked, so a heading quoted as evidence reads as written (columns stay true).
            hashes = len(line) - len(line.lstrip(" ").lstrip("#"))
            builder.heading(clean(" " * hashes + line[hashes:]), line=number, column=1)
        elif len(pending) == 1 and _SETEXT.match(line) and self.pending_kind is BlockKind.TEXT:
            builder.heading(pending[0], line=self.pending_start, column=1)
            self.pending = []
        elif line.lstrip().startswith("|") or (self.pending_kind is BlockKind.TABLE and "|" in line):
            self.flush()
            if not _TABLE_SEP.match(line):
                builder.add(clean(line).replace("|", ";"), kind=BlockKind.TABLE, line=number, column=1)
        elif (lm := _LIST.match(line)) or line.lstrip().startswith(">"):
            self.flush()
            self.pending_kind = BlockKind.LIST if lm else BlockKind.QUOTE
            self.pending_start = number
            self.pending = [clean(line if lm else line.replace(">", " ", 1))]
        else:
            if pending and self.pending_kind is BlockKind.LIST and follows_item(line, pending[0]):
                self.flush()  # a lead-in at the margin straight after an item: see `follows_item`
                pending = self.pending
            if not pending:
                self.pending_start = number
                self.pending_kind = BlockKind.TEXT
            pending.append(clean(line))

    def flush(self) -> None:
        pending, start, builder = self.pending, self.pending_start, self.builder
        if pending and self.pending_kind is BlockKind.TEXT:
            if len(pending) == 1 and _BOLD_LINE.match(self.lines[start - 1]):
                builder.heading(pending[0], line=start, column=1)
            else:
                self._paragraphs()
        elif pending:
            builder.add("\n".join(pending), kind=self.pending_kind, line=start, column=1)
        self.pending = []

    def _paragraphs(self) -> None:
        """Text written one paragraph a line (a web page saved as text) is one block a paragraph, and a
        title line standing alone before a paragraph is its heading. (A title line before another short
        line is an item of a list, not a heading; a title line alone between blank lines is a heading, as
        a page saved as text shows its headings.)"""
        pending = self.pending
        runs = unwrapped_runs(pending)
        for k, (lo, hi) in enumerate(runs):
            line = self.pending_start + lo
            if (
                hi - lo == 1
                and is_title_line(pending[lo])
                and (len(runs) == 1 or (k + 1 < len(runs) and not is_title_line(pending[runs[k + 1][0]])))
            ):
                self.builder.heading(pending[lo], line=line, column=1)
            else:
                self.builder.add("\n".join(pending[lo:hi]), kind=BlockKind.TEXT, line=line, column=1)


def _after_front_matter(lines: list[str]) -> int:
    """The index of the first line after YAML front matter (0 when there is none)."""
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, min(len(lines), 200)) if lines[k].strip() in ("---", "...")), None)
        if end is not None:
            return end + 1
    return 0
