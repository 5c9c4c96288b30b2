"""Turn a file into a Document of located blocks; one module per format, chosen by suffix."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from send_align.errors import SendAlignError
from send_align.results import Document


class Format(StrEnum):
    MARKDOWN = "markdown"
    TEXT = "text"
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    ODT = "odt"
    PROPOSAL = "proposal"


Extractor = Callable[[Path, str], Document]

SUFFIX_FORMAT: dict[str, Format] = {
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".docx": Format.DOCX,
    ".pdf": Format.PDF,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".odt": Format.ODT,
    ".yaml": Format.PROPOSAL,
    ".yml": Format.PROPOSAL,
    ".json": Format.PROPOSAL,
}


def _extractors() -> dict[Format, Extractor]:
    # Imported here so that look-up commands never load document readers.
    from send_align.extract import docx, html, markdown, odt, pdf, proposal, text

    return {
        Format.MARKDOWN: markdown.extract,
        Format.TEXT: text.extract,
        Format.DOCX: docx.extract,
        Format.PDF: pdf.extract,
        Format.HTML: html.extract,
        Format.ODT: odt.extract,
        Format.PROPOSAL: proposal.extract,
    }


def format_of(path: Path) -> Format | None:
    return SUFFIX_FORMAT.get(path.suffix.lower())


def extract(path: Path, shown: str) -> Document:
    """Read one document; raise SendAlignError naming the file for anything unreadable."""
    fmt = format_of(path)
    if fmt is None:
        raise SendAlignError(
            f"unsupported file type '{path.suffix}'",
            path=shown,
            hint="supported: " + ", ".join(sorted(SUFFIX_FORMAT)),
        )
    from send_align.extract.directives import take_directives
    from send_align.files import require_regular

    try:
        require_regular(path, shown)
        return take_directives(_extractors()[fmt](path, shown))
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
