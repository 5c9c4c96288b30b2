"""A document being read: its header and its blocks, one at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from send_align.results import Block, Claim, Document, Exemption


@dataclass(frozen=True, kw_only=True)
class Header:
    """What a document says about itself besides its text."""

    format: str
    title: str | None = None
    claims: tuple[Claim, ...] | None = None
    """Proposal claims; None for a document that is not a proposal."""
    exemptions: tuple[Exemption, ...] = ()
    pages: int | None = None
    notes: tuple[str, ...] = ()


class Reading:
    """A document being read: its blocks, once, in order; its header, complete once they are all read."""

    def __init__(self, blocks: Iterable[Block], header: Callable[[], Header], streams: bool = False) -> None:
        self.blocks: Iterator[Block] = iter(blocks)
        self._header = header
        self.streams = streams
        """Whether the blocks are made as the file is read (rather than all at once)."""

    def header(self) -> Header:
        return self._header()

    @classmethod
    def of(cls, document: Document) -> Reading:
        """A document already read."""
        header = Header(
            format=document.format,
            title=document.title,
            claims=document.claims,
            exemptions=document.exemptions,
            pages=document.pages,
            notes=document.notes,
        )
        return cls(document.blocks, lambda: header)

    def document(self, path: str) -> Document:
        """The whole document: every block read, then the header."""
        blocks = tuple(self.blocks)
        return as_document(path, self.header(), blocks)

    def kept(self, keep: Callable[[Document], None]) -> Reading:
        """The same reading; once its blocks have all been read, the whole document (its path left empty)
        goes to `keep`."""
        seen: list[Block] = []

        def blocks() -> Iterator[Block]:
            for block in self.blocks:
                seen.append(block)
                yield block
            keep(as_document("", self.header(), tuple(seen)))

        return Reading(blocks(), self._header, self.streams)


def as_document(path: str, header: Header, blocks: tuple[Block, ...]) -> Document:
    return Document(
        path=path,
        format=header.format,
        blocks=blocks,
        title=header.title,
        claims=header.claims,
        exemptions=header.exemptions,
        pages=header.pages,
        notes=header.notes,
    )
