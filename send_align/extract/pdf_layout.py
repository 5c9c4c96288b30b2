"""A PDF's lines to paragraphs and headings: running headers and footers dropped, end-of-line hyphens
rejoined, paragraphs rebuilt across lines and page breaks, headings told by their type or their shape."""

from __future__ import annotations

import re
from collections import Counter

from send_align.extract.common import BlockBuilder, blank_urls, is_page_number
from send_align.results import BlockKind

# Prefixes that English keeps hyphenated ("co-production", "post-16"): an end-of-line hyphen after one stays.
_KEEP_HYPHEN = {
    "co",
    "non",
    "pre",
    "post",
    "self",
    "well",
    "multi",
    "cross",
    "short",
    "long",
    "full",
    "part",
    "one",
    "two",
    "three",
    "four",
    "five",
    "half",
    "semi",
    "anti",
    "inter",
    "sub",
    "ex",
    "high",
    "low",
    "year",
    "age",
    "early",
    "face",
    "mid",
    "on",
    "off",
    "up",
    "out",
    "all",
    "re",
}
_SENTENCE_END = (".", ":", "!", "?", ";")
# An item numbered without a stop ("3 Training for every school."), after a line that closed a sentence.
_NUMBERED_ITEM = re.compile(r"\d{1,2}\s+[A-Z]")
_ITEM_END = (".", "!", "?", ":")
_BULLET = re.compile(r"^\s*[-•*▪◦●]")
_LIST_START = re.compile(r"^\s*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s")


_DIGITS = re.compile(r"\d+")
_NUMBER_ONLY = re.compile(r"\d{1,2}")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_HYPHEN_END = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-$")  # the lookbehind keeps it linear on long lines
_GOES_ON = re.compile(r"^\s*([a-z]+)(.*)$", re.S)


def running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits folded) that open or close at least half the pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [ln for ln in lines if ln.strip()]
        keys = {_DIGITS.sub("#", ln.strip()) for ln in edge[:3] + edge[-3:]}
        counts.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need and len(k) < 120}


def dehyphenate(lines: list[str], vocabulary: set[str]) -> list[str]:
    out = list(lines)
    for i in range(len(out) - 1):
        if not out[i].rstrip().endswith("-"):
            continue
        m = _HYPHEN_END.search(out[i].rstrip())
        nxt = _GOES_ON.match(out[i + 1])
        if not m or not nxt:
            continue
        head, tail = m.group(1), nxt.group(1)
        joined = (head + tail).lower()
        keep = joined not in vocabulary and (
            head.lower() in _KEEP_HYPHEN or f"{head}-{tail}".lower() in vocabulary
        )
        # The word moves up to the first line whole: "special educa-/tional" -> "special educational".
        out[i] = out[i].rstrip()[: None if keep else -1] + tail
        out[i + 1] = nxt.group(2).lstrip()
    return out


def boilerplate(line: str, running: set[str]) -> bool:
    """A page number, or a running header or footer."""
    s = line.strip()
    # A page number line is short or starts "Page N of M": only those are tried against the patterns.
    if (len(s) <= 30 or s[:4].lower() == "page") and is_page_number(line):
        return True
    return bool(running) and _DIGITS.sub("#", s) in running


# Words a line of a sentence cannot end on: the line stops short only because its column (a table's cell, a
# narrow box) does, and its sentence goes on below.
_GOES_ON_AFTER = frozenset(
    {
        "a", "an", "the", "of", "to", "for", "with", "and", "or", "but", "in", "on", "at", "by", "from", "into",
        "onto", "our", "their", "your", "its", "his", "her", "this", "that", "these", "those", "who", "which",
        "where", "when", "than", "as", "if", "so", "such", "each", "every", "all", "any", "some", "both",
        "either", "nor", "per", "via",
    }
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")


def goes_on(line: str, below: str) -> bool:
    """Whether a short line runs on into the line below it: a sentence set in a narrow column (a table's
    cell) stops short on every line. It runs on when it closes no sentence or clause and the line below goes
    on in lower case, or when it ends on a word no sentence ends on ("the", "and", "for")."""
    s, b = line.rstrip(), below.lstrip()
    if not s or not b or s.endswith(_SENTENCE_END) or _LIST_START.match(below):
        return False
    if b[0].islower():
        return True  # (after a comma too: "disabilities," / "with advice from")
    last = _LAST_WORD.search(s)
    return not s.endswith(",") and last is not None and last.group(1).lower() in _GOES_ON_AFTER and b[0].isalnum()


# Where a sentence ends inside a line: a stop, perhaps a closing quote or bracket, then a space or the line's end.
_SENTENCE_STOP = re.compile(r"[.!?][\"'’”)\]]*(?=\s|$)")


class Paragraphs:
    """Rebuilds paragraphs line by line. A paragraph still open at the foot of a page (its last line neither
    short nor closing a sentence) goes on over the page break: the sentence cut by the break is finished on
    the last line of its page (so it is read whole and found where it starts), and the paragraph's rest
    starts a block on the next page where it stands."""

    def __init__(self, builder: BlockBuilder, vocabulary: set[str]) -> None:
        self.builder = builder
        self.vocabulary = vocabulary
        self.run: list[str] = []
        self.start = 1
        self.column = 1
        self.start_page = 1
        self.ended = True
        """Whether the previous line closed a paragraph."""
        self.carried = False
        """Whether `run` came over a page break and its last sentence is still open."""
        self.heading: list[str] = []
        """A heading being read (its lines), the line it starts on, and its last line's page, line and type."""
        self.heading_start = 1
        self.heading_at: tuple[int, int, tuple[float, bool] | None] = (0, 0, None)

    def flush(self) -> None:
        if self.run:
            self.builder.add(
                blank_urls("\n".join(self.run)),
                line=self.start,
                column=self.column,
                page=self.start_page,
                kind=BlockKind.LIST if _LIST_START.match(self.run[0]) else BlockKind.TEXT,
            )
        self.run = []
        self.column = 1
        self.carried = False

    def close_heading(self) -> None:
        if self.heading:
            page = self.heading_at[0]
            self.builder.heading(" ".join(self.heading), line=self.heading_start, column=1, page=page)
            self.heading = []

    def page(
        self,
        lines: list[str],
        page: int,
        width: int,
        marks: list[tuple[float, bool] | None] | None = None,
        gaps: list[bool] | None = None,
    ) -> None:
        """One page's lines; `marks` gives the type of those set as headings, where the type tells (else
        headings are guessed from short standalone lines); `gaps` the lines set apart from the one above."""
        # Blank (or removed header and footer) lines above the first and below the last line of text are the
        # page's margins, not paragraph breaks.
        body = [i for i, ln in enumerate(lines) if ln.strip()]
        if not body:
            return
        first, last = body[0], body[-1]
        self.carried = bool(self.run)
        for idx in range(first + 1, last + 2):
            self._line(lines, idx, idx == first + 1, page, width, marks, gaps)
        self.close_heading()
        # Only a sentence cut by the page break goes on over it.
        if self.ended or (self.run and _SENTENCE_STOP.search(self.run[-1].rstrip()[-3:])):
            self.flush()

    def _line(
        self,
        lines: list[str],
        idx: int,
        top: bool,
        page: int,
        width: int,
        marks: list[tuple[float, bool] | None] | None,
        gaps: list[bool] | None,
    ) -> None:
        """Line `idx` (from 1) of a page; `top`: the page's first line of text."""
        line = lines[idx - 1]
        s = line.strip()
        if not s:
            self.flush()
            self.ended = True
            return
        if gaps and gaps[idx - 1] and not top:
            self.flush()
            self.ended = True
        short = len(s) < 0.7 * width
        if short and idx < len(lines) and not (gaps and gaps[idx]) and goes_on(s, lines[idx]):
            short = False  # a line of a narrow column: its sentence goes on below
        words = s.split()
        if marks is not None:
            if self._typed_heading(s, words, idx, page, width, marks[idx - 1]):
                return
            self.close_heading()
            heading = False
        else:
            nxt = next((ln.strip() for ln in lines[idx:] if ln.strip()), "")
            heading = (
                short
                and not s.endswith((*_SENTENCE_END, ","))
                and s[0].isupper()
                and len(words) <= 12
                and not _LIST_START.match(line)
                and (not nxt or nxt[0].isupper() or nxt[0].isdigit())
            )
        # A heading at the top of a page closes a paragraph left open at the foot of the last.
        if heading and (self.ended or top):
            self.flush()
            self.builder.heading(s, line=idx, column=1, page=page)
            self.ended = True
            return
        self._text(line, s, idx, page, width, short)

    def _typed_heading(
        self, s: str, words: list[str], idx: int, page: int, width: int, kind: tuple[float, bool] | None
    ) -> bool:
        """Whether the line is (part of) a heading by its type; a heading set over two lines in one type
        is one heading, when the first line is full (for its type's size) or the second goes on in lower
        case."""
        if kind is None or len(words) > 14 or len(s) > 120 or s.endswith((".", ",", ";")) or _BULLET.match(s):
            return False
        self.flush()
        wrapped = self.heading and (len(self.heading[-1]) * kind[0] >= 0.6 * width or s[0].islower())
        if not (wrapped and self.heading_at == (page, idx - 1, kind)):
            self.close_heading()
            self.heading_start = idx
        self.heading.append(s)
        self.heading_at = (page, idx, kind)
        self.ended = True
        return True

    def _text(self, line: str, s: str, idx: int, page: int, width: int, short: bool) -> None:
        """A line of running text: it starts, goes on or ends a paragraph."""
        numbered = _NUMBERED_ITEM.match(s) and self.run and self.run[-1].rstrip().endswith(_ITEM_END)
        if _LIST_START.match(line) or (self.ended and not self.run) or _NUMBER_ONLY.fullmatch(s) or numbered:
            self.flush()
        if self.carried:
            self._carry_on(line, idx, page)
        else:
            if not self.run:
                self.start, self.start_page = idx, page
            self.run.append(line)
        # A short line ends its paragraph; a full-width line ending a sentence may, if the next one starts
        # anew.
        self.ended = short or (s.endswith((".", "!", "?", ":")) and len(s) < 0.9 * width)
        if short:
            self.flush()

    def _carry_on(self, line: str, idx: int, page: int) -> None:
        """Finish the sentence cut by the page break on the last line above it; start the rest anew."""
        stop = _SENTENCE_STOP.search(line)
        head, rest = (line, "") if stop is None else (line[: stop.end()], line[stop.end() :])
        above, below = dehyphenate([self.run[-1], head], self.vocabulary)
        self.run[-1] = above.rstrip() + " " + below.strip() if below.strip() else above.rstrip()
        if stop is None:
            return
        self.flush()
        if rest.strip():
            self.run = [rest.strip()]
            self.start, self.start_page = idx, page
            self.column = len(line) - len(rest.lstrip()) + 1
