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
    for number, raw_lines in enumerate(pages, start=1):
        lines = [
            "" if (is_page_number(ln) or re.sub(r"\d+", "#", ln.strip()) in running) else ln
            for ln in raw_lines
        ]
        lines = _dehyphenate(lines, vocabulary)
        widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
        width = widths[int(len(widths) * 0.8)] if widths else 80
        _page_blocks(builder, lines, number, width)
    meta_title = None
    try:
        meta_title = reader.metadata.title if reader.metadata else None
    except Exception:
        meta_title = None
    return Document(shown, "pdf", tuple(builder.blocks), meta_title or builder.title, pages=len(pages))


def _page_blocks(builder: BlockBuilder, lines: list[str], page: int, width: int) -> None:
    run: list[str] = []
    start = 1
    ended = True  # whether the previous line closed a paragraph

    def flush() -> None:
        nonlocal run
        if run:
            builder.add(
                blank_urls("\n".join(run)),
                line=start,
                column=1,
                page=page,
                kind="list" if _LIST_START.match(run[0]) else "text",
            )
        run = []

    for idx, line in enumerate(lines, start=1):
        s = line.strip()
        if not s:
            flush()
            ended = True
            continue
        short = len(s) < 0.7 * width
        words = s.split()
        nxt = next((ln.strip() for ln in lines[idx:] if ln.strip()), "")
        if (
            ended
            and short
            and not s.endswith((*_SENTENCE_END, ","))
            and s[0].isupper()
            and len(words) <= 12
            and not _LIST_START.match(line)
            and (not nxt or nxt[0].isupper() or nxt[0].isdigit())
        ):
            flush()
            builder.heading(s, line=idx, column=1, page=page)
            ended = True
            continue
        if _LIST_START.match(line) or (ended and not run) or re.fullmatch(r"\d{1,2}", s):
            flush()
        if not run:
            start = idx
        run.append(line)
        # A short line ends its paragraph; a full-width line ending a sentence may, if the next one starts anew.
        ended = short or (s.endswith((".", "!", "?", ":")) and len(s) < 0.9 * width)
        if short:
            flush()
