"""Helpers every extractor shares: decoding text, zip-bomb checks, block building, headings."""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.results import Block, BlockKind

MAX_TEXT_BYTES = 512 * 1024 * 1024
ZIP_MAX_TOTAL = 256 * 1024 * 1024
ZIP_MAX_MEMBER = 128 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 200


def read_bytes(path: Path, shown: str) -> bytes:
    from send_align.files import require_regular

    size = require_regular(path, shown)
    if size > MAX_TEXT_BYTES:
        raise SendAlignError(
            f"file is {size // 1048576} MB, over the {MAX_TEXT_BYTES // 1048576} MB limit", path=shown
        )
    return path.read_bytes()


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _binary(shown: str) -> SendAlignError:
    return SendAlignError(
        "this is a binary file, not text",
        path=shown,
        hint="check the file's type; only documents with readable text can be checked",
    )


def sniff_encoding(sample: bytes, shown: str, complete: bool) -> str:
    """The codec for a text file from its first bytes (all of them when `complete`); SendAlignError when it
    is binary. The one decision every text reader uses, whole (`decode`) or a piece at a time (large files).

    BOMs first, then UTF-16 without one, then UTF-8, UTF-8 with a few stray bytes (replaced, not read as
    another code page), Windows-1252 (the usual English export), and only then charset-normalizer's guess."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = sample[:65536]
    if head.count(b"\x00") > len(head) // 8 and len(head) > 16:
        # UTF-16 without a BOM has a NUL in every other byte; anything else with many NULs is binary.
        for enc in ("utf-16-le", "utf-16-be"):
            text = head[: len(head) // 2 * 2].decode(enc, errors="replace")
            if sum(c.isprintable() or c.isspace() for c in text[:2000]) > 0.95 * min(len(text), 2000):
                return enc
        raise _binary(shown)
    # Text has almost no control bytes other than tab, newlines and form feed; binary data has many.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if len(head) >= 64 and controls > 0.02 * len(head):
        raise _binary(shown)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if mostly_utf8(sample, complete):
        return "utf-8"
    # English documents that are not UTF-8 are nearly always Windows-1252 exports ("£", curly quotes);
    # a detector guesses other code pages for short texts, so it only decides what cp1252 cannot decode.
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[: 4 * 1024 * 1024]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return "cp1252" if encoding in ("ascii", "utf_8") else encoding


# UTF-8 text damaged in a few places (a stray 0xFF from a bad copy, a character cut in two) is still
# UTF-8: reading it as Windows-1252 would garble every accent, pound sign and curly quote in the file
# ("Â£100m"). "A few": no more invalid sequences than valid multi-byte characters, and at most 8 plus one
# per 1,000 bytes. A Windows-1252 file fails the first test: its high bytes seldom form valid UTF-8.
MAX_STRAY_FIXED = 8
MAX_STRAY_PER_BYTES = 1000


def mostly_utf8(sample: bytes, complete: bool = True) -> bool:
    """Whether bytes that are not valid UTF-8 are valid UTF-8 but for a few stray bytes."""
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=complete)
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    multibyte = non_ascii - invalid
    return 0 < invalid <= multibyte and invalid <= MAX_STRAY_FIXED + len(sample) // MAX_STRAY_PER_BYTES


def decode(raw: bytes, shown: str) -> str:
    """A whole text file's text in any common encoding (see `sniff_encoding`); bad bytes are replaced."""
    return raw.decode(sniff_encoding(raw, shown, complete=True), errors="replace")


def check_zip(path: Path, shown: str, kind: str) -> None:
    """Refuse a zip-based document whose members claim to unpack to more than we will ever read."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise SendAlignError(
            f"this {kind} is encrypted (password-protected) or an old binary Word file",
            path=shown,
            hint="save an unprotected copy in the .docx/.odt format",
        )
    if not magic.startswith(b"PK"):
        raise SendAlignError(f"not a valid {kind} file (it is not a zip package)", path=shown)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SendAlignError(f"not a valid {kind} file ({exc})", path=shown) from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise SendAlignError(
            f"refused: {len(infos)} members in the {kind} package (limit {ZIP_MAX_MEMBERS})", path=shown
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_MAX_MEMBER or (ratio > ZIP_MAX_RATIO and info.file_size > 16 * 1024 * 1024):
            raise SendAlignError(
                f"refused: member '{info.filename[:60]}' would unpack to "
                f"{info.file_size // 1048576} MB (a zip bomb?)",
                path=shown,
            )
    if total > ZIP_MAX_TOTAL:
        raise SendAlignError(
            f"refused: the {kind} package would unpack to {total // 1048576} MB (a zip bomb?)", path=shown
        )


# A block longer than this (a 100 MB line, a table exported as one paragraph) is cut at sentence ends or
# spaces, so no block's work grows without bound.
MAX_BLOCK_CHARS = 20_000


def split_long(text: str, limit: int = MAX_BLOCK_CHARS) -> Iterable[tuple[int, str]]:
    """(offset, piece) pieces of at most `limit` characters, cut after a sentence end or at a space."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("\n"), window.rfind("? "), window.rfind("! "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= limit // 4 else limit
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


# A list item's marker at a line's start: a bullet, or a number, a letter or a roman numeral followed by "."
# or ")" or in brackets ("- ", "• ", "1. ", "2) ", "a) ", "B. ", "(c) ", "iv. ", "(ii) "), then a space.
_MARKER = r"[ \t]*+(?:[-–•*+▪◦●‣]|(?:\d{1,3}|[a-zA-Z]|[ivx]{2,5}|[IVX]{2,5})[.)]|\((?:\d{1,3}|[a-zA-Z]|[ivx]{2,5}|[IVX]{2,5})\))[ \t]"
ITEM_MARKER = re.compile(_MARKER)
# A list's lead-in ending a line ("The service enables children to:", "we will:-") with an item on the next.
_LEAD_THEN_ITEM = re.compile(r":[ \t]*+(?:[-–—][ \t]*+)?\n(?=" + _MARKER + ")")


def follows_item(line: str, before: str) -> bool:
    """Whether `line`, a lead-in written on the line straight after a list item `before` (no blank line
    between: "- meet parents" then "Each week our team will:"), starts a paragraph of its own rather than
    going on with the item: it stands at the margin, opens with a capital and is no item itself, while the
    line before is an item or an indented line of one. (Markdown reads such a line as the item's lazy
    continuation; its writer means a new paragraph.)"""
    return (
        line[:1].isupper()
        and not ITEM_MARKER.match(line)
        and (ITEM_MARKER.match(before) is not None or before[:1] in (" ", "\t"))
        and introduces_list(line)
    )


def introduces_list(text: str) -> bool:
    """Whether a paragraph ends as a list's lead-in does: with a colon ("The service enables children to:"),
    or a colon and a dash ("we will:-")."""
    return text.rstrip().rstrip("-–— ").endswith(":")


class BlockBuilder:
    """Collects blocks in reading order, numbering paragraphs and tracking the current heading."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.section: str | None = None
        self.title: str | None = None
        self.count = 0
        """Blocks made so far (`drain` empties `blocks`, numbering goes on)."""
        self.listing = False
        """Whether the last block is a list's lead-in or an item: a hand-numbered paragraph next is an item."""

    def drain(self) -> list[Block]:
        out, self.blocks = self.blocks, []
        return out

    def heading(
        self,
        text: str,
        *,
        line: int | None = None,
        column: int | None = None,
        page: int | None = None,
        titles: bool = True,
    ) -> None:
        """A heading: the section of what follows, and the document's title if it is the first (unless
        `titles` is false: a menu's line heads a section but does not name the page)."""
        clean = " ".join(text.split()).strip(" #*_:")
        if not clean:
            return
        if titles:
            self.title = self.title or clean
        self.section = clean
        self.add(text, kind=BlockKind.HEADING, line=line, column=column, page=page)

    def add(
        self,
        text: str,
        *,
        kind: BlockKind = BlockKind.TEXT,
        line: int | None = None,
        column: int | None = None,
        page: int | None = None,
        section: str | None = None,
    ) -> None:
        if not text.strip():
            return
        if (
            (kind is BlockKind.TEXT or kind is BlockKind.LIST)
            and (lead := _LEAD_THEN_ITEM.search(text)) is not None
            and text[: lead.start()].strip()
        ):
            # Items written straight under their lead-in ("The service enables children to:" then
            # "- make friends" on the next line, no blank line between) are a list of their own, as
            # they are after a blank line: the lead-in and its items are read as one list. (A loop, not
            # a call per lead-in on the rest of the text: a long file of such lists would nest as deep as
            # it has lists and hold a copy of its rest at every depth.)
            start = 0
            while lead is not None:
                cut = lead.end()
                own = text.rfind("\n", start, cut - 1) + 1  # where the lead-in's line starts
                before = max(start, text.rfind("\n", 0, own - 1) + 1)  # and the line before it
                if own > start and follows_item(text[own : cut - 1], text[before:own]):
                    # A lead-in on the line straight after another list's last item is a paragraph of its own.
                    self._add(text[start : own - 1], kind, line, column, page, section)
                    if line is not None:
                        line += text.count("\n", start, own)
                    start, kind, column = own, BlockKind.TEXT, 1
                self._add(text[start : cut - 1], kind, line, column, page, section)
                if line is not None:
                    line += text.count("\n", start, cut)
                start, kind, column = cut, BlockKind.LIST, 1
                lead = _LEAD_THEN_ITEM.search(text, cut)
            self._add(text[start:], kind, line, column, page, section)
            return
        self._add(text, kind, line, column, page, section)

    def _add(
        self,
        text: str,
        kind: BlockKind,
        line: int | None,
        column: int | None,
        page: int | None,
        section: str | None,
    ) -> None:
        """One block (or its pieces, when long) of a paragraph no lead-in parts: see `add`."""
        if not text.strip():
            return
        if kind is BlockKind.TEXT and self.listing and ITEM_MARKER.match(text):
            # A paragraph numbered or bulleted by hand ("a) make friends") under a lead-in, or after such an
            # item, is an item of its list.
            kind = BlockKind.LIST
        self.listing = introduces_list(text) if kind is not BlockKind.LIST else True
        if kind is BlockKind.TEXT and self.section is not None and is_prose(text) and _CONTENTS.match(self.section):
            # A contents list holds titles and page numbers, never prose: a paragraph of sentences means the
            # list has ended, though no heading was recognised after it (a heading in bold type only, a
            # PDF's heading in the body's font). Without this, the whole document would be the contents'.
            self.section = None
        section = section if section is not None else self.section
        if len(text) <= MAX_BLOCK_CHARS:
            self.count += 1
            self.blocks.append(Block(text, self.count, line, column, page, section, kind))
            return
        for offset, piece in split_long(text):
            if not piece.strip():
                continue
            at_line, at_col = line, column
            if line is not None:
                newlines = text.count("\n", 0, offset)
                at_line = line + newlines
                at_col = offset - text.rfind("\n", 0, offset) if newlines else (column or 1) + offset
            self.count += 1
            self.blocks.append(Block(piece, self.count, at_line, at_col, page, section, kind))


_CONTENTS = re.compile(r"(?:table\s+of\s+)?contents(?:\s+page)?$", re.I)
_PROSE_END = re.compile(r"""[.!?]["'”’)\]]*\s*$""")


def is_prose(text: str) -> bool:
    """Whether a paragraph reads as prose, not as a title or a contents entry: at least fifteen words ending
    as a sentence ends, with no dot leader ("Our vision ..... 3")."""
    return (
        _PROSE_END.search(text) is not None
        and len(text.split()) >= 15
        and "...." not in text
        and "…" not in text
        and ". . ." not in text
    )


_NUMBERED_HEADING = re.compile(
    r"^\s*(?:(?:section|part|appendix)\s+)?[0-9]{1,2}(?:\.[0-9]{1,2})*\.?\s+\S", re.I
)


def in_capitals(text: str) -> bool:
    """Whether every letter of a text (more than two of them) is a capital: "WHAT THE WORDS MEAN"."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 2 and all(c.isupper() for c in letters)


# How many words a heading standing alone may hold.
HEADING_WORDS = 10


def looks_like_heading(line: str, prev_blank: bool, next_blank: bool, max_words: int = HEADING_WORDS) -> bool:
    """A short line that stands alone and reads as a title, not a sentence (a page's first line, its title,
    may run to `max_words`)."""
    s = line.strip()
    if not s or len(s) > 90 or _closed(s).endswith((".", ",", ";", "?", "!")) or s[0] in "-•*▪◦●(":
        return False
    words = s.split()
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return False
    if len(words) <= 12 and in_capitals(s):
        return True
    if (
        _NUMBERED_HEADING.match(s)
        and len(words) <= 10
        and not re.match(r"^\s*\d+\.\d+\s+\w+\s+\w+\s+\w+\s+\w+", s)
    ):
        return prev_blank or next_blank
    return prev_blank and next_blank and len(words) <= max_words and s[0].isupper()


def _closed(s: str) -> str:
    """A line without its closing quotes and brackets: a sentence may end inside them ("We call this 'transitions.'")."""
    return s.rstrip("'\"’”)]") or s


def paragraphs(lines: Iterable[tuple[int, str]]) -> Iterable[tuple[int, list[str]]]:
    """Group (line number, text) pairs into runs separated by blank lines, each cut further where it was
    written one paragraph a line (see `unwrapped_runs`)."""
    run: list[str] = []
    start = 0
    for number, text in lines:
        if text.strip():
            if not run:
                start = number
            run.append(text)
        elif run:
            yield from _pieces(start, run)
            run = []
    if run:
        yield from _pieces(start, run)


def _pieces(start: int, run: list[str]) -> Iterable[tuple[int, list[str]]]:
    for lo, hi in unwrapped_runs(run):
        yield start + lo, run[lo:hi]


# A line that starts a list item: a bullet, or a number or letter with its stop or bracket ("1.", "a)", "(ii)").
LIST_ITEM = re.compile(r"^\s*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s+")
# A line that ends a sentence, or a short line that reads as a title.
_LINE_END = re.compile(r"""[.!?:;]["'”’)\]]*\s*$""")
# Wrapped text is never wider than this; a run with a longer line was written one paragraph a line.
WRAP_WIDTH = 120


def is_title_line(line: str) -> bool:
    """A short line with no closing punctuation that starts with a capital or a number, or a short question
    on a line of its own (the headings of a page of questions and answers)."""
    s = line.strip()
    if not s or not (s[0].isupper() or s[0].isdigit()):
        return False
    if s.endswith("?"):
        return len(s) <= 120 and len(s.split()) <= 18
    if s.endswith(("-", "–", "—")):
        s = s.rstrip("-–— ")  # a lead-in written "we will:-"
    return len(s) <= 90 and len(s.split()) <= 12 and not _closed(s).endswith((".", ",", ";", ":", "!"))


def _starts_anew(line: str) -> bool:
    s = line.lstrip(" -•*▪◦●")
    return bool(s) and (s[0].isupper() or s[0].isdigit())


def _ends_paragraph(line: str, nxt: str) -> bool:
    """Whether a paragraph ends after `line` in text written one paragraph a line. A lead-in ending with a
    colon runs on into the lower-case items under it ("Needs are identified through:" / "baseline tests" /
    "observations"): lead-in and items are one statement. Items end where a long sentence starts anew."""
    if line.rstrip().endswith(":") and not _starts_anew(nxt):
        return False
    if _LINE_END.search(line) or (is_title_line(line) and _starts_anew(nxt)):
        return True
    if LIST_ITEM.match(nxt) and LIST_ITEM.match(line):
        return False  # an item that ends no sentence runs on with the items after it, as wrapped text did
    if LIST_ITEM.match(line) and nxt[:1].isupper() and nxt.rstrip().endswith(":"):
        return True  # a list ends where the next list's lead-in starts
    return len(line.split()) <= 12 and _starts_anew(nxt) and len(nxt) >= 60


def unwrapped_runs(run: list[str]) -> list[tuple[int, int]]:
    """A run of lines with no blank line between them, as (first, one past last) line ranges, one per
    paragraph. Text wrapped at a width stays one paragraph. Text written one paragraph a line (web pages
    copied as text, minutes, exports) has long lines or ends every line with a sentence or a title: it is
    cut after each line that ends a sentence or is a title, and kept together where a line breaks off
    mid-sentence."""
    if len(run) < 2:
        return [(0, len(run))]
    ends = [_ends_paragraph(ln, nxt) for ln, nxt in pairwise(run)]
    # A line that runs on into a list item ("- keep receipts" then "- provide evidence") is an item, not text
    # wrapped at a width: only a line breaking off before a line that is no item says the run is wrapped.
    if max(len(ln) for ln in run) <= WRAP_WIDTH and any(
        not end and not LIST_ITEM.match(nxt) for end, nxt in zip(ends, run[1:], strict=False)
    ):
        return [(0, len(run))]
    out, lo = [], 0
    for i, end in enumerate(ends):
        if end:
            out.append((lo, i + 1))
            lo = i + 1
    out.append((lo, len(run)))
    return out


# Bounded where a pattern could start at every character of a long run and scan to its end (quadratic
# time on 'www.-www.-...' or 200,000 letters before an '@'): a host name has at most 253 characters and
# an address's local part at most 64.
_URL = re.compile(r"https?://\S+|www\.[\w.-]{1,253}?\.\w+\S*|[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_PAGE_LINE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match with spaces of the same length, so columns stay true."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def blank_urls(text: str) -> str:
    # Most lines hold no address: a substring test is far cheaper than the expression.
    if "://" not in text and "www." not in text and "@" not in text:
        return text
    return blank(text, _URL)


def is_page_number(line: str) -> bool:
    return bool(_PAGE_LINE.match(line)) or bool(re.match(r"^\s*page \d+ of \d+\b", line, re.I))
