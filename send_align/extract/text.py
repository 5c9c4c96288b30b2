"""Plain text: paragraphs between blank lines, headings by shape, page-number footers dropped."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from send_align.extract.common import (
    BlockBuilder,
    blank_urls,
    decode,
    is_page_number,
    looks_like_heading,
    paragraphs,
    read_bytes,
)
from send_align.results import Document

_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,}|\*{3,})\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s+")


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


def build_blocks(lines: list[str], builder: BlockBuilder, page: int | None = None) -> None:
    numbered = list(enumerate(lines, start=1))
    for start, run in paragraphs(numbered):
        i = 0
        while i < len(run):
            ln = run[i]
            prev_blank = i == 0
            next_blank = i == len(run) - 1
            if i + 1 < len(run) and _UNDERLINE.match(run[i + 1]):
                builder.heading(ln, line=start + i, page=page)
                i += 2
                continue
            if _UNDERLINE.match(ln):
                i += 1
                continue
            if looks_like_heading(ln, prev_blank, next_blank) and not _LIST_ITEM.match(ln):
                builder.heading(ln, line=start + i, page=page)
                i += 1
                continue
            # The rest of the run up to the next heading-shaped line is one block.
            j = i + 1
            while j < len(run) and not (
                looks_like_heading(run[j], False, j == len(run) - 1) and run[j].strip().isupper()
            ):
                j += 1
            body = "\n".join(blank_urls(x) for x in run[i:j])
            kind = "list" if _LIST_ITEM.match(run[i]) else "text"
            builder.add(body, kind=kind, line=start + i, column=1, page=page)
            i = j


def extract(path: Path, shown: str) -> Document:
    text = decode(read_bytes(path, shown), shown)
    builder = BlockBuilder()
    build_blocks(clean_lines(text), builder)
    return Document(shown, "text", tuple(builder.blocks), builder.title)
