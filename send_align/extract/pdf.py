"""PDF via pypdf: running headers and footers dropped, end-of-line hyphens rejoined, paragraphs rebuilt.

Locations are the page and the line on that page. A PDF with no text layer is an error, never 0%.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.extract.common import BlockBuilder, blank_urls, is_page_number
from send_align.results import Document

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
_LIST_START = re.compile(r"^\s*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s")


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits folded) that open or close at least half the pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [ln for ln in lines if ln.strip()]
        keys = {re.sub(r"\d+", "#", ln.strip()) for ln in edge[:3] + edge[-3:]}
        counts.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need and len(k) < 120}


def _dehyphenate(lines: list[str], vocabulary: set[str]) -> list[str]:
    out = list(lines)
    for i in range(len(out) - 1):
        m = re.search(r"([A-Za-z]+)-$", out[i].rstrip())
        nxt = re.match(r"^\s*([a-z]+)(.*)$", out[i + 1])
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


def extract(path: Path, shown: str) -> Document:
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    from pypdf import PdfReader

    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise SendAlignError("not a PDF file (no %PDF header)", path=shown)
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            raise SendAlignError(
                "this PDF is encrypted (password-protected)",
                path=shown,
                hint="save an unprotected copy and check that",
            )
    pages = [(page.extract_text() or "").replace("\r", "\n").split("\n") for page in reader.pages]
    letters = sum(sum(c.isalpha() for c in ln) for lines in pages for ln in lines)
    if letters < 20 * max(1, len(pages)) // 4 + 10:
        raise SendAlignError(
            f"this PDF has no extractable text ({len(pages)} page(s), perhaps a scan)",
            path=shown,
            hint="run OCR on it or check the source document instead",
        )
    running = _running_lines(pages)
    vocabulary = {
        w.lower() for lines in pages for ln in lines for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", ln)
    }
    builder = BlockBuilder()
    paragraphs = _Paragraphs(builder, vocabulary)
    for number, raw_lines in enumerate(pages, start=1):
        lines = [
            "" if (is_page_number(ln) or re.sub(r"\d+", "#", ln.strip()) in running) else ln
            for ln in raw_lines
        ]
        lines = _dehyphenate(lines, vocabulary)
        widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
        width = widths[int(len(widths) * 0.8)] if widths else 80
        paragraphs.page(lines, number, width)
    paragraphs.flush()
    meta_title = None
    try:
        meta_title = reader.metadata.title if reader.metadata else None
    except Exception:
        meta_title = None
    return Document(shown, "pdf", tuple(builder.blocks), meta_title or builder.title, pages=len(pages))


# Where a sentence ends inside a line: a stop, perhaps a closing quote or bracket, then a space or the line's end.
_SENTENCE_STOP = re.compile(r"[.!?][\"'’”)\]]*(?=\s|$)")


class _Paragraphs:
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

    def flush(self) -> None:
        if self.run:
            self.builder.add(
                blank_urls("\n".join(self.run)),
                line=self.start,
                column=self.column,
                page=self.start_page,
                kind="list" if _LIST_START.match(self.run[0]) else "text",
            )
        self.run = []
        self.column = 1
        self.carried = False

    def page(self, lines: list[str], page: int, width: int) -> None:
        # Blank (or removed header and footer) lines above the first and below the last line of text are the
        # page's margins, not paragraph breaks.
        body = [i for i, ln in enumerate(lines) if ln.strip()]
        if not body:
            return
        first, last = body[0], body[-1]
        self.carried = bool(self.run)
        for idx in range(first + 1, last + 2):
            line = lines[idx - 1]
            s = line.strip()
            if not s:
                self.flush()
                self.ended = True
                continue
            short = len(s) < 0.7 * width
            words = s.split()
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
            if heading and (self.ended or idx == first + 1):
                self.flush()
                self.builder.heading(s, line=idx, column=1, page=page)
                self.ended = True
                continue
            if _LIST_START.match(line) or (self.ended and not self.run) or re.fullmatch(r"\d{1,2}", s):
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
        if self.ended:
            self.flush()

    def _carry_on(self, line: str, idx: int, page: int) -> None:
        """Finish the sentence cut by the page break on the last line above it; start the rest anew."""
        stop = _SENTENCE_STOP.search(line)
        head, rest = (line, "") if stop is None else (line[: stop.end()], line[stop.end() :])
        above, below = _dehyphenate([self.run[-1], head], self.vocabulary)
        self.run[-1] = above.rstrip() + " " + below.strip() if below.strip() else above.rstrip()
        if stop is None:
            return
        self.flush()
        if rest.strip():
            self.run = [rest.strip()]
            self.start, self.start_page = idx, page
            self.column = len(line) - len(rest.lstrip()) + 1
