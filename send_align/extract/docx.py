"""Word .docx read from its XML: body paragraphs and tables in order, heading styles giving sections, tracked
changes read as accepted, footnotes and endnotes after the text that cites them; page headers, footers
and reviewers' comments left out (boilerplate and remarks, not the document's text).

The package's parts are parsed once each with lxml, safely (no entities resolved, no network, no DTD,
lxml's size limits), and styles are resolved through one map per document: python-docx's object layer
looked each paragraph's style up by scanning every style, a cost that grew with paragraphs x styles.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from send_align.errors import SendAlignError
from send_align.extract.common import BlockBuilder, blank_urls, check_zip
from send_align.results import BlockKind, Document

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"

BODY, P, TBL, TR, TC, R = _W + "body", _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
PPR, PSTYLE, VAL, ID, TYPE = _W + "pPr", _W + "pStyle", _W + "val", _W + "id", _W + "type"
TCPR, VMERGE, SDT_CONTENT = _W + "tcPr", _W + "vMerge", _W + "sdtContent"
INS, DEL, MOVE_FROM, MOVE_TO = _W + "ins", _W + "del", _W + "moveFrom", _W + "moveTo"
FOOTNOTE_REF, ENDNOTE_REF = _W + "footnoteReference", _W + "endnoteReference"

# A run's content as text, as Word shows it (a line break is a new line; page and column breaks are not).
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
# Wrappers whose runs are the paragraph's text: links, tracked insertions and moves (read as accepted),
# smart tags, custom XML, simple fields' results, inline content controls, text direction. Deletions
# (`w:del`, `w:moveFrom`) and everything else (comment marks, bookmarks, properties) are not text.
_INLINE = {
    _W + "hyperlink",
    INS,
    MOVE_TO,
    _W + "smartTag",
    _W + "customXml",
    _W + "fldSimple",
    _W + "sdt",
    SDT_CONTENT,
    _W + "dir",
    _W + "bdo",
}
# python-docx showed these built-in style names in their user-interface spelling; kept so names compare alike.
_BUILT_IN_ID = re.compile(r"^Heading([1-9])$")
_UI_NAMES = {"heading " + str(n): "Heading " + str(n) for n in range(1, 10)} | {"title": "Title"}


def _parser() -> Any:
    from lxml import etree

    # lxml's default limits stay on (no huge_tree): a member with a gigantic text node or nesting is refused.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


@dataclass
class _Package:
    """The parts of a .docx this reader uses, found through the package's relationships."""

    zf: zipfile.ZipFile
    names: set[str]
    parser: Any

    def xml(self, name: str | None) -> Any:
        if name is None or name not in self.names:
            return None
        from lxml import etree

        return etree.fromstring(self.zf.read(name), self.parser)

    def related(self, source: str) -> dict[str, str]:
        """Relationship type (its last word: 'styles', 'footnotes' ...) -> part name, for one part."""
        folder, base = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, str] = {}
        if rels is None:
            return out
        for rel in rels.iter(_REL_NS + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue  # nothing outside the package is ever fetched
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out.setdefault(kind, posixpath.normpath(name))
        return out


@dataclass
class _Styles:
    """Paragraph style id -> name, built once per document."""

    names: dict[str, str] = field(default_factory=dict)
    default: str = ""
    bare: bool = False
    """The package has no styles part."""

    @classmethod
    def read(cls, root: Any) -> _Styles:
        if root is None:
            return cls(default="Normal", bare=True)
        styles = cls()
        for style in root.iter(_W + "style"):
            if style.get(TYPE) != "paragraph":
                continue
            name_el = style.find(_W + "name")
            name = name_el.get(VAL, "") if name_el is not None else ""
            name = _UI_NAMES.get(name, name)
            sid = style.get(_W + "styleId")
            if sid is not None and sid not in styles.names:
                styles.names[sid] = name
            if style.get(_W + "default") in ("1", "true", "on"):
                styles.default = name  # the last default in document order wins, as the standard says
        return styles

    def of(self, p: Any) -> str:
        ppr = p.find(PPR)
        pstyle = ppr.find(PSTYLE) if ppr is not None else None
        sid = pstyle.get(VAL) if pstyle is not None else None
        if sid is None:
            return self.default
        if self.bare:
            # No styles part: Word's built-in ids stand for their names ("Heading2" is "Heading 2").
            return _BUILT_IN_ID.sub(r"Heading \1", sid)
        return self.names.get(sid, self.default)


def _heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    if style.startswith("Heading"):
        tail = style[7:].strip()
        return int(tail) if tail.isdigit() else 1
    return None


def _text(parent: Any, out: list[str], cited: list[tuple[str, str]]) -> None:
    """A paragraph's text into `out`, and the footnotes and endnotes it cites into `cited`."""
    for child in parent:
        tag = child.tag
        if tag == R:
            for el in child:
                t = el.tag
                if t == _W + "t":
                    out.append(el.text or "")
                    if len(el):  # an unresolved entity inside the text: its reference is left out
                        out += [c.tail or "" for c in el]
                elif t == _W + "br":
                    if el.get(TYPE, "textWrapping") == "textWrapping":
                        out.append("\n")
                elif t in _RUN_TEXT:
                    out.append(_RUN_TEXT[t])
                elif t == FOOTNOTE_REF:
                    cited.append(("footnote", el.get(ID, "")))
                elif t == ENDNOTE_REF:
                    cited.append(("endnote", el.get(ID, "")))
        elif tag in _INLINE:
            _text(child, out, cited)


def paragraph_text(p: Any, cited: list[tuple[str, str]] | None = None) -> str:
    out: list[str] = []
    _text(p, out, [] if cited is None else cited)
    return "".join(out)


@dataclass
class _Reader:
    builder: BlockBuilder
    styles: _Styles
    notes: dict[tuple[str, str], list[str]]
    """(kind, id) -> the note's paragraphs."""
    shown: set[tuple[str, str]] = field(default_factory=set)

    def place(self, origin: Any) -> None:
        """Where the next blocks come from (a body paragraph, a table row, or None for a note): nothing here;
        `send-align annotate` overrides it to find each numbered paragraph in the Word file."""

    def body(self, container: Any) -> None:
        for el in container:
            if el.tag == P:
                self.paragraph(el)
            elif el.tag == TBL:
                self.table(el)

    def paragraph(self, p: Any) -> None:
        cited: list[tuple[str, str]] = []
        text = paragraph_text(p, cited)
        if text.strip():
            self.place(p)
            style = self.styles.of(p)
            if _heading_level(style) is not None:
                self.builder.heading(text)
            else:
                self.builder.add(blank_urls(text), kind=BlockKind.LIST if "List" in style else BlockKind.TEXT)
        self.cite(cited)

    def cite(self, cited: list[tuple[str, str]]) -> None:
        """Footnotes and endnotes follow the text that cites them, each once."""
        for key in cited:
            if key in self.shown:
                continue
            self.shown.add(key)
            self.place(None)
            for text in self.notes.get(key, ()):
                self.builder.add(blank_urls(text), kind=BlockKind.TEXT)

    def table(self, tbl: Any, depth: int = 0) -> None:
        for tr in tbl.iterchildren(TR):
            cells = []
            cited: list[tuple[str, str]] = []
            for tc in tr.iterchildren(TC):
                # A cell continuing a vertical merge repeats the cell above, already read; a horizontal
                # merge is one element spanning several columns.
                tcpr = tc.find(TCPR)
                vmerge = tcpr.find(VMERGE) if tcpr is not None else None
                if vmerge is not None and vmerge.get(VAL, "continue") == "continue":
                    continue
                texts = (paragraph_text(p, cited) for p in tc.iterchildren(P))
                text = "\n".join(t for t in texts if t.strip())
                if text.strip():
                    cells.append(text.strip())
                if depth < 3:
                    for inner in tc.iterchildren(TBL):
                        self.table(inner, depth + 1)
            if cells:
                self.place(tr)
                self.builder.add(blank_urls("; ".join(cells)), kind=BlockKind.TABLE)
            self.cite(cited)


def _notes(root: Any, kind: str) -> Iterator[tuple[tuple[str, str], list[str]]]:
    """Each real footnote or endnote (not the separator lines Word keeps among them) with its paragraphs."""
    if root is None:
        return
    for note in root.iterchildren(_W + kind):
        if note.get(TYPE, "normal") != "normal":
            continue
        texts = [paragraph_text(p) for p in note.iter(P)]
        yield (kind, note.get(ID, "")), [t.strip() for t in texts if t.strip()]


def _changes(roots: Iterable[Any]) -> str | None:
    """A note saying the document holds tracked changes nobody has accepted or rejected yet, or None."""
    inserted = deleted = marks = 0
    for root in roots:
        if root is None:
            continue
        for el in root.iter(INS, DEL, MOVE_FROM, MOVE_TO):
            if el.getparent().tag in (_W + "rPr", _W + "trPr"):
                marks += 1  # a paragraph mark or a table row marked as inserted or deleted
            elif el.tag in (INS, MOVE_TO):
                inserted += 1
            else:
                deleted += 1
    if inserted or deleted:
        return (
            f"unaccepted tracked changes ({inserted} insertion(s), {deleted} deletion(s)): "
            "read as if accepted, deleted text left out"
        )
    if marks:
        return "unaccepted tracked changes to paragraphs or table rows: read as if accepted"
    return None


def extract(path: Path, shown: str, reader: type[_Reader] | None = None) -> Document:
    """Read a Word document; `reader` a subclass of the reader that also notes where each block stands."""
    check_zip(path, shown, "Word document")
    with zipfile.ZipFile(path) as zf:
        package = _Package(zf, set(zf.namelist()), _parser())
        main = package.related("").get("officeDocument", "word/document.xml")
        root = package.xml(main)
        body = root.find(BODY) if root is not None else None
        if body is None:
            raise SendAlignError("not a Word document (no document body in the package)", path=shown)
        parts = package.related(main)
        styles = _Styles.read(package.xml(parts.get("styles")))
        footnotes, endnotes = package.xml(parts.get("footnotes")), package.xml(parts.get("endnotes"))
        notes = dict(_notes(footnotes, "footnote")) | dict(_notes(endnotes, "endnote"))
        builder = BlockBuilder()
        (reader or _Reader)(builder, styles, notes).body(body)
        note = _changes((root, footnotes, endnotes))
        core = package.xml(package.related("").get("core-properties", "docProps/core.xml"))
    title = None
    if core is not None:
        found = core.find(_DC_TITLE)
        title = (found.text or None) if found is not None else None
    return Document(
        path=shown,
        format="docx",
        blocks=tuple(builder.blocks),
        title=title or builder.title,
        notes=(note,) if note else (),
    )
