"""OpenDocument text (.odt) through odfpy: headings, paragraphs, list items and table cells in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from send_align.extract.common import BlockBuilder, blank_urls, check_zip
from send_align.results import BlockKind, Document


def _text(node: Any) -> str:
    from odf import teletype

    return str(teletype.extractText(node))


def _walk(node: Any, builder: BlockBuilder, depth: int = 0) -> None:
    from odf.namespaces import TABLENS, TEXTNS

    if depth > 200:
        return
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname == (TEXTNS, "h"):
            builder.heading(_text(child))
        elif qname == (TEXTNS, "p"):
            builder.add(blank_urls(_text(child)), kind=BlockKind.LIST if depth and _in_list(child) else BlockKind.TEXT)
        elif qname == (TABLENS, "table-row"):
            cells = []
            for cell in child.childNodes:
                if getattr(cell, "qname", None) == (TABLENS, "table-cell"):
                    t = " ".join(
                        _text(p) for p in cell.childNodes if getattr(p, "qname", None) == (TEXTNS, "p")
                    )
                    if t.strip():
                        cells.append(t.strip())
            if cells:
                builder.add(blank_urls("; ".join(cells)), kind=BlockKind.TABLE)
        elif qname is not None:
            _walk(child, builder, depth + 1)


def _in_list(node: Any) -> bool:
    from odf.namespaces import TEXTNS

    parent = getattr(node, "parentNode", None)
    return getattr(parent, "qname", None) == (TEXTNS, "list-item")


def extract(path: Path, shown: str) -> Document:
    check_zip(path, shown, "OpenDocument file")
    from odf.opendocument import load

    doc = load(str(path))
    builder = BlockBuilder()
    _walk(doc.text, builder)
    return Document(path=shown, format="odt", blocks=tuple(builder.blocks), title=builder.title)
