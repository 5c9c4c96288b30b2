"""Small helpers several formats share: locations as words, aims by framework, titles."""

from __future__ import annotations

from collections.abc import Callable

from send_align.model import Catalogue
from send_align.results import AimResult, DocumentResult, Evidence


def cut_section(name: str, limit: int = 60) -> str:
    """A section name of at most `limit` characters, a cut one ending in an ellipsis so it is not taken whole."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def where(ev: Evidence, section: Callable[[str], str] = cut_section) -> str:
    """'p.3, line 12, "Working with parents"' style location of a piece of evidence; `section` shortens a
    long section name (the terminal cuts it by display width, see report.table.where)."""
    parts = []
    if ev.page is not None:
        parts.append(f"p.{ev.page}")
    if ev.line is not None:
        parts.append(f"line {ev.line}")
    if not parts:
        parts.append(f"paragraph {ev.paragraph}")
    if ev.section:
        parts.append(f"“{section(ev.section)}”")
    return ", ".join(parts)


def by_framework(doc: DocumentResult) -> dict[str, list[AimResult]]:
    out: dict[str, list[AimResult]] = {}
    for res in doc.aims:
        out.setdefault(res.aim.split(".", 1)[0], []).append(res)
    return out


def title_of(catalogue: Catalogue, aim_id: str) -> str:
    aim = catalogue.aim(aim_id)
    return aim.title if aim else aim_id
