"""PDF via PDFium (pypdfium2), read in a bounded child process: running headers and footers dropped,
end-of-line hyphens rejoined, paragraphs rebuilt, headings told by their type (size and weight).

Locations are the page and the line on that page. A PDF with no text layer is an error, never 0%.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from send_align.errors import SendAlignError
from send_align.extract.common import BlockBuilder
from send_align.extract.pdf_layout import Paragraphs, boilerplate, dehyphenate, running_lines
from send_align.extract.sandbox import isolated_all
from send_align.results import Document

# A real policy runs to hundreds of pages; a file claiming more is refused before any page is read.
MAX_PAGES = 10_000
# What PDFium may use beyond the reading process's own data, and how long it may take: ordinary documents
# need a small part of either (820 pages: about 30 MB and 1.5 s).
READ_MEMORY = 256 * 1024 * 1024
READ_SECONDS = 120
# From this size on (about 60 pages of text), two processes read alternate pages.
SPLIT_BYTES = 128 * 1024
# More text than any policy holds (64 MB) is refused rather than handed back.
MAX_TEXT_CHARS = 64 * 1024 * 1024
# A line set this much larger than the body text, or bold where the body is not, is a heading.
HEADING_SCALE = 1.15
# A line this much further below the one above than the page's usual spacing starts a paragraph.
GAP_SCALE = 1.35
# A page with fewer lines of text than this is measured against the document's line width, not its own.
FEW_LINES = 5
BOLD = 600
_FORCE_BOLD = 1 << 18  # the font descriptor's ForceBold flag

_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _read(job: tuple[str, int, int]) -> dict[str, Any]:
    """Every `parts`-th page from page `part` on: each page's lines as PDFium sets them out, each with the
    size and weight of its first letter; and the document's title. Runs in a child process: it raises only
    SendAlignError for what it refuses."""
    path, part, parts = job
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SendAlignError(
                "this PDF is encrypted (password-protected)", hint="save an unprotected copy and check that"
            ) from None
        raise SendAlignError(f"cannot read this PDF file: it looks corrupt or truncated ({exc})") from None
    count = len(pdf)
    if count > MAX_PAGES:
        raise SendAlignError(
            f"refused: the PDF has {count} pages (limit {MAX_PAGES:,})", hint="split it, or check its source"
        )
    pages = []
    total = 0
    for number in range(part, count, parts):
        try:
            page = pdf[number]
        except pdfium.PdfiumError as exc:
            raise SendAlignError(
                f"cannot read this PDF file: page {number + 1} looks corrupt ({exc})"
            ) from None
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        total += len(text)
        if total > MAX_TEXT_CHARS // parts:
            raise SendAlignError(f"refused: more than {MAX_TEXT_CHARS // 1048576} MB of text in the PDF")
        simple = len(text) == textpage.count_chars()  # one character a code unit: no characters beyond U+FFFF
        lines: list[tuple[str, float, int, float]] = []
        offset = 0
        name = ctypes.create_string_buffer(128)
        x, y = ctypes.c_double(), ctypes.c_double()
        for whole in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            # PDFium joins a line ending in a hyphen to the next, marking the hyphen U+FFFE: both lines are
            # given back as they stand on the page (the hyphen rejoined later, knowing the document's words).
            start = 0
            for piece in whole.split("\ufffe"):
                line = piece if start + len(piece) == len(whole) else piece + "-"
                first = next((i for i, c in enumerate(piece) if c.isalnum()), None)
                size, weight, baseline = 0.0, 0, 0.0
                if first is not None:
                    at = offset + _units(whole[: start + first], simple)
                    index = at if simple else raw.FPDFText_GetCharIndexFromTextIndex(textpage, at)
                    if index >= 0:
                        if raw.FPDFText_GetCharOrigin(textpage, index, x, y):
                            baseline = round(y.value, 1)
                        # Only a short line can be a heading: long lines are sampled, enough to know the
                        # body's type.
                        if piece.count(" ") < 14 or len(lines) % 4 == 0:
                            size, weight = _type_of(raw, textpage, index, name)
                lines.append((line, size, weight, baseline))
                start += len(piece) + 1
            offset += _units(whole, simple) + 2
        pages.append(lines)
        textpage.close()
        page.close()
    title = pdf.get_metadata_dict().get("Title") or None
    pdf.close()
    return {"pages": pages, "title": title}


def _type_of(raw: Any, textpage: Any, index: int, name: Any) -> tuple[float, int]:
    """The size a character is set at (its font size through the text and page matrices) and its weight
    (700 for a bold face that declares no weight)."""
    matrix = raw.FS_MATRIX()
    size = float(raw.FPDFText_GetFontSize(textpage, index))
    if raw.FPDFText_GetMatrix(textpage, index, matrix):
        size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    weight = int(raw.FPDFText_GetFontWeight(textpage, index))
    flags = ctypes.c_int()
    if weight < BOLD and raw.FPDFText_GetFontInfo(textpage, index, name, len(name), ctypes.byref(flags)):
        face = name.value.split(b"+")[-1].lower()
        if flags.value & _FORCE_BOLD or any(w in face for w in (b"bold", b"black", b"heavy", b"semibold")):
            weight = 700
    return round(size, 1), weight


def _units(text: str, simple: bool) -> int:
    """Length in PDFium's text indices (UTF-16 code units)."""
    return len(text) if simple else len(text.encode("utf-16-le")) // 2


def _heading_marks(pages: list[list[list[Any]]]) -> list[list[tuple[float, bool] | None]] | None:
    """For each line set as a heading, its type (size against the body text's, bold), else None; None for the
    whole document when the type never changes (then headings are guessed from short standalone lines)."""
    by_size: Counter[float] = Counter()
    by_weight: Counter[bool] = Counter()
    for lines in pages:
        for text, size, weight, _ in lines:
            if size:
                by_size[size] += len(text)
                by_weight[weight >= BOLD] += len(text)
    if not by_size:
        return None
    body = by_size.most_common(1)[0][0]
    body_bold = by_weight.most_common(1)[0][0]
    marks = [
        [
            (round(size / body, 2), weight >= BOLD)
            if size and (size >= body * HEADING_SCALE or (weight >= BOLD and not body_bold))
            else None
            for _, size, weight, _ in lines
        ]
        for lines in pages
    ]
    return marks if any(m is not None for page in marks for m in page) else None


def _gaps(lines: list[list[Any]]) -> list[bool]:
    """Which lines of a page stand apart from the line before: below it by clearly more than the page's usual
    line spacing, or above it (a new column or table cell). A gap ends a paragraph, as a blank line does."""
    baselines = [line[3] for line in lines]
    steps = sorted(a - b for a, b in pairwise(baselines) if a and b and a > b)
    if not steps:
        return [False] * len(lines)
    usual = steps[len(steps) // 2]
    out = [False]
    for above, here in pairwise(baselines):
        step = above - here
        out.append(bool(above and here) and (step > GAP_SCALE * usual or step < -0.5 * usual))
    return out


def extract(path: Path, shown: str) -> Document:
    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise SendAlignError("not a PDF file (no %PDF header)", path=shown)
    import pypdfium2  # noqa: F401  # loaded once here, so each child process starts with PDFium ready

    # A long document's pages are read by two processes at once, alternate pages each.
    parts = 2 if (os.cpu_count() or 1) > 1 and path.stat().st_size >= SPLIT_BYTES else 1
    jobs = [(str(path), part, parts) for part in range(parts)]
    got = isolated_all(_read, jobs, memory=READ_MEMORY, seconds=READ_SECONDS, shown=shown, kind="PDF")
    count = sum(len(g["pages"]) for g in got)
    typed = [got[number % parts]["pages"][number // parts] for number in range(count)]
    pages = [[line[0] for line in lines] for lines in typed]
    if not _has_letters(pages, 20 * max(1, len(pages)) // 4 + 10):
        raise SendAlignError(
            f"this PDF has no extractable text ({len(pages)} page(s), perhaps a scan)",
            path=shown,
            hint="run OCR on it or check the source document instead",
        )
    marks = _heading_marks(typed)
    running = running_lines(pages)
    vocabulary = set(_WORD.findall("\n".join("\n".join(lines) for lines in pages).lower()))
    builder = BlockBuilder()
    paragraphs = Paragraphs(builder, vocabulary)
    texts = [["" if boilerplate(ln, running) else ln for ln in raw_lines] for raw_lines in pages]
    whole = _text_width([ln for lines in texts for ln in lines], 80)
    for number, raw_lines in enumerate(texts, start=1):
        lines = dehyphenate(raw_lines, vocabulary)
        # A page of a few lines (a title page, the end of a chapter) has no width of its own to measure
        # short lines against: its one line would be "full" and run on into the next page's first paragraph.
        width = _text_width(lines, whole) if sum(1 for ln in lines if ln.strip()) >= FEW_LINES else whole
        paragraphs.page(lines, number, width, marks[number - 1] if marks else None, _gaps(typed[number - 1]))
    paragraphs.flush()
    return Document(
        path=shown,
        format="pdf",
        blocks=tuple(builder.blocks),
        title=got[0]["title"] or builder.title,
        pages=len(pages),
    )


def _text_width(lines: list[str], default: int) -> int:
    """The width of a full line of text, in characters: the 80th percentile of the lines' lengths."""
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    return widths[int(len(widths) * 0.8)] if widths else default


def _has_letters(pages: list[list[str]], need: int) -> bool:
    for lines in pages:
        for line in lines:
            need -= sum(c.isalpha() for c in line)
            if need <= 0:
                return True
    return False
