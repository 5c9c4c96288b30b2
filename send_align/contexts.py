"""Whether a document is about a context (SEND) as a whole, or only in some paragraphs: decided once."""

from __future__ import annotations

from dataclasses import dataclass

from send_align.model import Context
from send_align.results import DocumentScan, Evidence


@dataclass(frozen=True)
class ContextVerdict:
    """Whether a whole document is in a context, or only some of its paragraphs and sections."""

    name: str
    whole: bool
    why: str
    paragraphs: frozenset[int] = frozenset()
    sections: frozenset[str] = frozenset()

    def covers(self, ev: Evidence) -> bool:
        return self.whole or ev.paragraph in self.paragraphs or (ev.section or "") in self.sections


def decide_context(ctx: Context, scan: DocumentScan) -> ContextVerdict:
    """Decide once per document whether it is about a context (see `Context`)."""
    name = ctx.name.upper()
    found = scan.context_paragraphs.get(ctx.name, 0)
    # (Page numbers and the entries of a contents list or glossary, which name SEND without counting as mentions,
    # are not counted either: a college guide opening with thirty contents lines is still about SEND.)
    total = max(scan.readable, 1)
    counted = f"its {ctx.name} terms are in {found} of its {total} paragraph{'s' if total != 1 else ''}"
    if ctx.name in scan.title_contexts:
        return ContextVerdict(ctx.name, True, f"its title is about {name}")
    if found >= ctx.min_paragraphs and found >= ctx.min_share * total:
        return ContextVerdict(ctx.name, True, counted)
    if found and total <= ctx.short_document:
        return ContextVerdict(ctx.name, True, f"a short document, and {counted}")
    return ContextVerdict(
        ctx.name,
        False,
        f"the document is not about {name} as a whole ({counted}): only what they say counts",
        frozenset(scan.context_where.get(ctx.name, ())),
        frozenset(scan.context_sections.get(ctx.name, ())),
    )


def not_about(contexts: dict[str, Context], scan: DocumentScan) -> tuple[str, ...]:
    """The contexts a document is not about as a whole, by name (its title already read into the scan)."""
    return tuple(sorted(name for name, ctx in contexts.items() if not decide_context(ctx, scan).whole))
