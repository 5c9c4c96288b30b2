"""Word .docx: body paragraphs and tables in reading order, then headers and footers; heading styles give sections."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from send_align.extract.common import BlockBuilder, blank_urls, check_zip
from send_align.results import Document


def _heading_level(paragraph: Any) -> int | None:
    try:
        name = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return None
    if name == "Title":
        return 0
    if name.startswith("Heading"):
        tail = name[7:].strip()
        return int(tail) if tail.isdigit() else 1
    return None


def _table(builder: BlockBuilder, table: Any, depth: int = 0) -> None:
    seen: set[Any] = (
        set()
    )  # the cell elements themselves: holding them keeps lxml's proxies (and identity) stable
    for row in table.rows:
        cells = []
        for cell in row.cells:
            # Merged cells repeat the same underlying element across the grid.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = "\n".join(p.text for p in cell.paragraphs if p.text.strip())
            if text.strip():
                cells.append(text.strip())
            if depth < 3:
                for inner in cell.tables:
                    _table(builder, inner, depth + 1)
        if cells:
            builder.add(blank_urls("; ".join(cells)), kind="table")


def extract(path: Path, shown: str) -> Document:
    check_zip(path, shown, "Word document")
    import docx

    document = docx.Document(str(path))
    builder = BlockBuilder()
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            _table(builder, item)
            continue
        text = item.text
        if not text.strip():
            continue
        level = _heading_level(item)
        if level is not None:
            builder.heading(text)
        else:
            style = ""
            with contextlib.suppress(KeyError, AttributeError, ValueError):
                style = item.style.name if item.style is not None else ""
            builder.add(blank_urls(text), kind="list" if "List" in (style or "") else "text")
    seen: set[str] = set()
    for section in document.sections:
        for part, label in ((section.header, "Page header"), (section.footer, "Page footer")):
            try:
                paras = [p.text for p in part.paragraphs if p.text.strip()]
            except (AttributeError, KeyError, ValueError):
                continue
            for text in paras:
                if text not in seen:
                    seen.add(text)
                    builder.add(blank_urls(text), kind="text", section=label)
    title = None
    with contextlib.suppress(AttributeError, KeyError, ValueError):
        title = document.core_properties.title or None
    return Document(shown, "docx", tuple(builder.blocks), title or builder.title)
