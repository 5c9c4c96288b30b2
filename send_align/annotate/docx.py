"""A copy of a Word document with the evidence commented: python-docx (1.2 writes comments), imported here only.

Each paragraph number the checker gives is found in the Word file by reading it again with the same reader,
told to note where each block comes from (a body paragraph, a table row, a footnote or endnote): the
numbering cannot drift from the one the evidence carries. A comment is anchored on the paragraph's own runs;
evidence where python-docx cannot anchor one (footnotes and endnotes, a paragraph whose text is all inside
tracked insertions or links) is listed in the comment at the top instead, with the gaps.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from send_align.escaping import prose, xml
from send_align.extract import docx as reader
from send_align.report.annotated import Annotation, Tag, by_aim
from send_align.results import Status

AUTHOR = "send-align"
INITIALS = "SA"
_W = reader._W


def _path_of(el: Any) -> tuple[int, ...]:
    steps = []
    while el.getparent() is not None:
        parent = el.getparent()
        steps.append(parent.index(el))
        el = parent
    return tuple(reversed(steps))


@dataclass
class _Places:
    starts: list[int] = field(default_factory=list)
    paths: list[tuple[int, ...] | None] = field(default_factory=list)

    def of(self, paragraph: int) -> tuple[int, ...] | None:
        import bisect

        i = bisect.bisect_right(self.starts, paragraph) - 1
        return self.paths[i] if i >= 0 else None


def locate(path: Path, shown: str) -> _Places:
    """Where each numbered paragraph of a Word document stands in its XML: the Word reader run again, told
    to note where each block comes from (a path of child indexes from the root; None for a note)."""
    places = _Places()

    class Locating(reader._Reader):
        def place(self, origin: Any) -> None:
            places.starts.append(self.builder.count + 1)
            places.paths.append(None if origin is None else _path_of(origin))

    reader.extract(path, shown, reader=Locating)
    return places


def _element(root: Any, path: tuple[int, ...]) -> Any:
    el = root
    for step in path:
        el = el[step]
    return el


def _anchor(document: Any, el: Any, quotes: list[str]) -> Any:
    """The paragraph a comment can be anchored on for a block's element: the paragraph itself, or in a table
    row the cell paragraph holding most of the quote (else the row's first); None when it has no runs of its own."""
    from docx.text.paragraph import Paragraph

    candidates = [el] if el.tag == _W + "p" else list(el.iter(_W + "p"))
    usable = [
        p for p in (Paragraph(c, document._body) for c in candidates) if any(r.text.strip() for r in p.runs)
    ]
    wanted = [" ".join(q.split()) for q in quotes if q.strip()]

    def overlap(para: Any) -> int:
        text = " ".join(para.text.split())
        return max((len(text) if text in q else len(q) if q in text else 0 for q in wanted), default=0)

    best = max(usable, key=overlap, default=None)
    if best is not None and overlap(best) > 0:
        return best
    return usable[0] if usable else None


def _clean(text: str) -> str:
    return xml(prose(text))


def _comment_text(tags: list[Tag]) -> str:
    lines = ["send-align: this paragraph is evidence for"]
    for s in by_aim(tags):
        partly = " (partly addressed)" if s.status is Status.PARTIAL else ""
        rules = ("rule " if len(s.rules) == 1 else "rules ") + ", ".join(s.rules)
        lines.append(f"{s.aim} {s.title}{partly}: {rules}")
    return "\n".join(_clean(line) for line in lines)


def commented(path: Path, shown: str, found: Annotation) -> bytes:
    """The Word document's bytes with a comment on each evidence paragraph and one at the top."""
    import docx

    places = locate(path, shown)
    document = docx.Document(str(path))
    root = document.element
    listed: list[tuple[int, list[Tag]]] = []
    for paragraph, tags in sorted(found.tags.items()):
        where = places.of(paragraph)
        quotes = found.quotes.get(paragraph, [])
        para = _anchor(document, _element(root, where), quotes) if where is not None else None
        if para is None:
            listed.append((paragraph, tags))
            continue
        document.add_comment(para.runs, text=_comment_text(tags), author=AUTHOR, initials=INITIALS)
    first = next((p for p in document.paragraphs if any(r.text.strip() for r in p.runs)), None)
    if first is None:
        first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
        if not first.runs:
            first.add_run(" ")
    document.add_comment(first.runs, text=_top_text(found, listed), author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _top_text(found: Annotation, listed: list[tuple[int, list[Tag]]]) -> str:
    aims = len(found.result.aims)
    addressed = sum(r.status is Status.ADDRESSED for r in found.result.aims)
    lines = [f"send-align: {addressed} of {aims} aims addressed; {len(found.gaps)} gaps."]
    if found.gaps:
        lines.append("Gaps (the aim, then wording that would count):")
        for g in found.gaps:
            statement = "" if g.statement.strip() == g.title.strip() else f": {g.statement}"
            lines.append(f"{g.aim} {g.title}{statement} For example: “{g.example}”")
    if listed:
        lines.append("Evidence in places a comment cannot mark (footnotes, tracked insertions, links):")
        for paragraph, tags in listed:
            quote = " … ".join(found.quotes.get(paragraph, []))
            aims_of = "; ".join(f"{s.aim} (rule {', '.join(s.rules)})" for s in by_aim(tags))
            lines.append(f"paragraph {paragraph}: “{quote}”: {aims_of}")
    return "\n".join(_clean(line) for line in lines)
