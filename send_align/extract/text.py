"""Plain text: paragraphs between blank lines, headings by shape, page-number footers dropped."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.extract.common import (
    HEADING_WORDS,
    LIST_ITEM,
    MAX_TEXT_BYTES,
    BlockBuilder,
    blank_urls,
    in_capitals,
    is_page_number,
    is_title_line,
    looks_like_heading,
    paragraphs,
    sniff_encoding,
)
from send_align.extract.reading import Header, Reading
from send_align.files import require_regular
from send_align.results import Block, BlockKind

_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,}|\*{3,})\s*$")


def _is_capitals(line: str) -> bool:
    """A numbered line in capitals ("1. WHAT PREPARING FOR ADULTHOOD MEANS", "2) SUPPORT IN SCHOOL") is a section's
    heading, not an item of a list."""
    return in_capitals(LIST_ITEM.sub("", line))


def _entry(line: str) -> str:
    """A list item's words, for comparing a contents entry with a heading: no marker, case, punctuation or page
    number ("  1. What 'SEN support' means ..... 4" -> "what sen support means")."""
    words = re.sub(r"[^\w\s]", " ", LIST_ITEM.sub("", line)).lower().split()
    while words and words[-1].isdigit():
        words.pop()
    return " ".join(words)


def clean_lines(text: str) -> list[str]:
    """Lines with form feeds, page numbers and running headers (short lines repeated 3+ times) blanked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\t", " ").split("\n")
    # Only short lines with a number can be page numbers or running "Page n" lines.
    keys = {
        i: _DIGITS.sub("#", ln.strip())
        for i, ln in enumerate(lines)
        if 0 < len(ln.strip()) < 80 and _DIGIT.search(ln)
    }
    counts = Counter(keys.values())
    out = lines
    for i, key in keys.items():
        if is_page_number(lines[i]) or (counts[key] >= 3 and "page" in key.lower()):
            out[i] = ""
    return out


def build_blocks(
    lines: list[str], builder: BlockBuilder, page: int | None = None, first_line: int = 1
) -> None:
    numbered = list(enumerate(lines, start=first_line))
    pieces = list(paragraphs(numbered))
    menu = _menu_pieces(pieces)
    # The items of the lists read so far: a numbered line standing alone that repeats one ("1. Getting about"
    # after a contents list that holds it) heads its section.
    entries: set[str] = set()
    for n, (start, run) in enumerate(pieces):
        # A one-line piece before another short one is an item of a list written without bullets, unless
        # the run of such lines has no lead-in: then it is a page's list of its sections (a menu), titles.
        # A line over a dateline ("Published: 25 March 2021") is a news item's title, not an item.
        listed = (
            len(run) == 1
            and n + 1 < len(pieces)
            and is_title_line(pieces[n + 1][1][0])
            and n not in menu
            and not _DATELINE.match(pieces[n + 1][1][0])
        )
        i = 0
        if n <= MENU_AT and builder.count <= MENU_AT and not _led_in(pieces, n):
            # A site's menu copied with the page's text, at its top: links, not statements.
            for i, ln in enumerate(run[: _bullet_menu(run)], start=1):
                builder.heading(ln, line=start + i - 1, page=page, titles=False)
        while i < len(run):
            ln = run[i]
            prev_blank = i == 0 and not listed
            next_blank = i == len(run) - 1
            if i + 1 < len(run) and _UNDERLINE.match(run[i + 1]):
                builder.heading(ln, line=start + i, page=page)
                i += 2
                continue
            if _UNDERLINE.match(ln):
                i += 1
                continue
            # A page's first line standing alone is its title, which may be longer than a heading.
            longest = PAGE_TITLE_WORDS if builder.count == 0 else HEADING_WORDS
            if looks_like_heading(ln, prev_blank, next_blank, longest) and (
                not LIST_ITEM.match(ln) or _is_capitals(ln) or (len(run) == 1 and _entry(ln) in entries)
            ):
                builder.heading(ln, line=start + i, page=page, titles=n not in menu)
                i += 1
                continue
            # The rest of the run up to the next heading-shaped line is one block.
            j = i + 1
            while j < len(run) and not (
                looks_like_heading(run[j], False, j == len(run) - 1) and run[j].strip().isupper()
            ):
                j += 1
            body = "\n".join(blank_urls(x) for x in run[i:j])
            kind = BlockKind.LIST if LIST_ITEM.match(run[i]) else BlockKind.TEXT
            if kind == BlockKind.LIST:
                entries.update(_entry(x) for x in run[i:j])
            builder.add(body, kind=kind, line=start + i, column=1, page=page)
            i = j


# The date a page or news item was published or updated, on a line of its own under its title.
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
_DATELINE = re.compile(
    rf"^\s*(?:published|posted|(?:last\s+)?updated|date\s+published|(?:last\s+)?reviewed)(?:\s+on)?\s*:?\s*"
    rf"(?:\d|(?:{_MONTHS})[a-z]*\b)",
    re.I,
)

# How many words a page's first line standing alone may hold and still be its title (within 90 characters).
PAGE_TITLE_WORDS = 14

# A run of this many title lines, each a paragraph of its own, with no lead-in, is a list of sections.
MENU_LINES = 4


# A bulleted menu is looked for among a text's first this many paragraphs (where a copied page's navigation stands).
MENU_AT = 2

# Words of a menu entry that may stand in lower case ("Choosing a School or College", "SEN Support in Schools").
_MINOR = frozenset(["a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"])


def _bullet_menu(run: list[str]) -> int:
    """How many of a run's first lines are a bulleted menu of a site's sections ("- SEN Support in Mainstream
    Schools", "- Choosing a School or College", "- Appeals and Mediation"), with the menu's own title before it
    if it has one: MENU_LINES or more list items, each a short title in title case with no closing punctuation;
    0 for none. Items of a list of what is done are written as sentences ("- Support with preparing for
    adulthood.") or in sentence case ("- Speech and language therapy")."""
    head = 1 if run and not LIST_ITEM.match(run[0]) and is_title_line(run[0]) else 0
    k = head
    while k < len(run) and _menu_entry(run[k]):
        k += 1
    return k if k - head >= MENU_LINES else 0


def _menu_entry(line: str) -> bool:
    """A list item that reads as a link's title: short, title case, no closing punctuation."""
    if not LIST_ITEM.match(line):
        return False
    item = LIST_ITEM.sub("", line).strip()
    words = re.findall(r"[A-Za-z][\w'’]*", item)
    if not words or len(item) > 70 or not is_title_line(item):
        return False
    return not any(w[0].islower() and w not in _MINOR for w in words)


def _menu_pieces(pieces: list[tuple[int, list[str]]]) -> set[int]:
    """The pieces that are a page's list of its own sections or links ("Identifying need", "Support for
    families", "Make a complaint", one a line): a run of MENU_LINES or more one-line title pieces whose first
    follows no lead-in (a paragraph ending with a colon) and is not the first of the text (a title and its
    subtitle, there, say what the page is). Each is read as a heading, not as a statement."""
    out: set[int] = set()
    n = 0
    while n < len(pieces):
        m = n
        while m < len(pieces) and len(pieces[m][1]) == 1 and is_title_line(pieces[m][1][0]):
            m += 1
        if m - n >= MENU_LINES and n and not _led_in(pieces, n):
            out.update(range(n, m))
        n = max(m, n + 1)
    return out


def _led_in(pieces: list[tuple[int, list[str]]], n: int) -> bool:
    """Whether a lead-in (a line ending with a colon) stands before piece `n`, across the one-line items of its
    list that come first ("we provide:", "Training for all staff.", then the title lines)."""
    k = n - 1
    while k >= 0:
        line = pieces[k][1][-1].rstrip().rstrip("-–— ")
        if line.endswith(":"):
            return True
        if len(pieces[k][1]) > 1 or len(line.split()) > LED_ITEM_WORDS:
            return False
        k -= 1
    return False


# An item of a list longer than this many words is a paragraph: a lead-in is not looked for before it.
LED_ITEM_WORDS = 30


# Text is read and turned into blocks this much at a time, cut at a paragraph break: memory stays bounded
# however large the file (a 150 MB export), and the blocks can be scanned as they come.
PIECE_BYTES = 4 * 1024 * 1024


def stream(path: Path, shown: str) -> tuple[BlockBuilder, Iterator[Block]]:
    """The file's blocks, read a piece at a time; the builder's title is known once they are consumed."""
    size = require_regular(path, shown)
    if size > MAX_TEXT_BYTES:
        raise SendAlignError(
            f"file is {size // 1048576} MB, over the {MAX_TEXT_BYTES // 1048576} MB limit", path=shown
        )
    builder = BlockBuilder()
    fh = path.open("rb")
    first = fh.read(PIECE_BYTES)
    try:
        encoding = sniff_encoding(first, shown, complete=len(first) < PIECE_BYTES)
    except BaseException:
        fh.close()
        raise

    def blocks() -> Iterator[Block]:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        carry = ""
        line = 1
        chunk = first
        with fh:
            while True:
                final = len(chunk) < PIECE_BYTES
                text = carry + decoder.decode(chunk, final=final)
                if not final and text.endswith("\r"):
                    text, carry = text[:-1], "\r"  # a CR LF split between pieces stays one line end
                else:
                    carry = ""
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                if final:
                    piece, rest = text, ""
                else:
                    cut = text.rfind("\n\n")
                    if cut < len(text) // 4:
                        cut = text.rfind("\n")
                    if cut <= 0:
                        cut = len(text)  # one enormous line: blocks are cut to size further on
                    piece, rest = text[:cut], text[cut:]
                carry = rest + carry
                build_blocks(clean_lines(piece), builder, first_line=line)
                line += piece.count("\n")
                yield from builder.drain()
                if final:
                    if carry:
                        build_blocks(clean_lines(carry), builder, first_line=line)
                        yield from builder.drain()
                    return
                chunk = fh.read(PIECE_BYTES)

    return builder, blocks()


def reading(path: Path, shown: str) -> Reading:
    builder, blocks = stream(path, shown)
    return Reading(blocks, lambda: Header(format="text", title=builder.title), streams=True)
