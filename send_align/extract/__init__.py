"""Read a file as a header and located blocks: one module per format behind one registry keyed by suffix.

`open` is the one way in: the blocks come one at a time (text and HTML are read and turned into blocks a
piece at a time, so a large file is scanned without all its blocks in memory), directives written as
paragraphs are taken out of them on the way, and the header is complete once the blocks are read.
`extract` reads a whole document at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.extract.reading import Header, Reading
from send_align.results import Block, Document


class Format(StrEnum):
    MARKDOWN = "markdown"
    TEXT = "text"
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    ODT = "odt"
    PROPOSAL = "proposal"


# The suffixes of each format; hints name the first (and a proposal's first two: YAML or JSON).
SUFFIXES: dict[Format, tuple[str, ...]] = {
    Format.MARKDOWN: (".md", ".markdown"),
    Format.TEXT: (".txt", ".text"),
    Format.DOCX: (".docx",),
    Format.PDF: (".pdf",),
    Format.HTML: (".html", ".htm"),
    Format.ODT: (".odt",),
    Format.PROPOSAL: (".yaml", ".json", ".yml"),
}
SUFFIX_FORMAT: dict[str, Format] = {suffix: fmt for fmt, suffixes in SUFFIXES.items() for suffix in suffixes}


# Older word-processor formats with no well-kept reader: every word processor saves them as .docx.
_SAVE_AS_DOCX = frozenset({".doc", ".dot", ".rtf", ".wpd", ".wps", ".pages"})


def supported(suffix: str = "") -> str:
    """The hint for a file of a type no reader reads (with what to do, for the old Word formats)."""
    if suffix.lower() in _SAVE_AS_DOCX:
        return f"save it as a Word document (.docx) and check that; {supported()}"
    documents = " ".join(suffixes[0] for fmt, suffixes in SUFFIXES.items() if fmt is not Format.PROPOSAL)
    yaml, json = SUFFIXES[Format.PROPOSAL][:2]
    return f"supported: {documents} and proposal {yaml}/{json}"


def format_of(path: Path) -> Format | None:
    return SUFFIX_FORMAT.get(path.suffix.lower())


Reader = Callable[[Path, str], Reading]


def _whole(read: Callable[[Path, str], Document]) -> Reader:
    """A reader that makes every block at once."""
    return lambda path, shown: Reading.of(read(path, shown))


def _extractors() -> dict[Format, Reader]:
    # Imported here so that look-up commands never load document readers.
    from send_align.extract import docx, html, markdown, odt, pdf, proposal, text

    return {
        Format.MARKDOWN: _whole(markdown.extract),
        Format.TEXT: text.reading,
        Format.DOCX: _whole(docx.extract),
        Format.PDF: _whole(pdf.extract),
        Format.HTML: html.reading,
        Format.ODT: _whole(odt.extract),
        Format.PROPOSAL: _whole(proposal.extract),
    }


def open(path: Path, shown: str) -> Reading:
    """Start reading one document; SendAlignError naming the file for anything unreadable, raised here or
    while its blocks are read."""
    fmt = format_of(path)
    if fmt is None:
        raise SendAlignError(
            f"unsupported file type '{path.suffix}'",
            path=shown,
            hint=supported(path.suffix),
        )
    from send_align.extract.directives import Directives
    from send_align.files import require_regular

    with _translated(fmt, shown):
        require_regular(path, shown)
        reading = _extractors()[fmt](path, shown)
    directives = Directives(shown)
    blocks = directives.taken_from(_guarded(reading.blocks, fmt, shown))

    def header() -> Header:
        inner = reading.header()
        # Comment directives first, then paragraph ones: the order the document gives them in.
        return (
            replace(inner, exemptions=(*inner.exemptions, *directives.found)) if directives.found else inner
        )

    return Reading(blocks, header, reading.streams)


def extract(path: Path, shown: str) -> Document:
    """Read one whole document; raise SendAlignError naming the file for anything unreadable."""
    return open(path, shown).document(shown)


def _guarded(blocks: Iterator[Block], fmt: Format, shown: str) -> Iterator[Block]:
    """The reader's blocks, its failures while making them translated (not those of whoever takes them)."""
    while True:
        with _translated(fmt, shown):
            block = next(blocks, None)
        if block is None:
            return
        yield block


@contextmanager
def _translated(fmt: Format, shown: str) -> Iterator[None]:
    """Any failure of a reader as one SendAlignError naming the file."""
    try:
        yield
    except SendAlignError:
        raise
    except MemoryError:
        raise SendAlignError("too large to read into memory", path=shown) from None
    except RecursionError:
        raise SendAlignError("nested too deeply to read", path=shown) from None
    except OSError as exc:
        raise SendAlignError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    except Exception as exc:
        kind = fmt.value.upper() if fmt is not Format.TEXT else "text"
        raise SendAlignError(
            f"cannot read this {kind} file: it looks corrupt or truncated "
            f"({type(exc).__name__}: {str(exc)[:120]})",
            path=shown,
        ) from None
