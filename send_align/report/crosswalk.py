"""`crosswalk`'s output: local aims against national ones, as text, JSON, Markdown or a CSV matrix."""

from __future__ import annotations

import csv
import io

from send_align.crosswalk import SYMBOL, Crosswalk
from send_align.escaping import line, markdown
from send_align.model import Catalogue
from send_align.report.csv_report import BOM
from send_align.reporting import Format, RenderOptions, Reporter, as_json

LEGEND = "= equivalent to   ⊂ part of (subset of)   ⊃ includes (superset of)   ∩ overlaps with"


def to_text(cw: Crosswalk, catalogue: Catalogue, options: RenderOptions) -> str:
    """Each national aim with the local aims that meet it; national aims no local aim meets are listed. A line
    longer than the width ends in an ellipsis."""
    from send_align.report.table_lines import fit

    width = options.width
    out = [
        f"Crosswalk: {', '.join(f.id for f in cw.local)} against {', '.join(f.id for f in cw.national)}",
        "",
    ]
    for fw in cw.national:
        out.append(fit(f"{fw.id}  {line(fw.title)}", width))
        for aim in fw.aims:
            meets = cw.locals_for(aim.id)
            out.append(fit(f"  {aim.id}  {line(aim.title)}", width))
            if not meets:
                out.append("      (no local aim linked)")
            for p in meets:
                out.append(fit(f"      {SYMBOL[p.relation]} {p.local.id}  {line(p.local.title)}", width))
        out.append("")
    out.append(f"Local aim is: {LEGEND}")
    return "\n".join(out) + "\n"


def to_json(cw: Crosswalk, catalogue: Catalogue) -> dict[str, object]:
    return {
        "local": [f.id for f in cw.local],
        "national": [f.id for f in cw.national],
        "links": [
            {"local": p.local.id, "relation": p.relation, "national": p.national.id, "note": p.note or None}
            for p in cw.pairs
        ],
    }


def to_csv(cw: Crosswalk, catalogue: Catalogue, options: RenderOptions) -> str:
    """The matrix: one row per local aim, one column per national aim, the relation's symbol where linked.

    Written like `check`'s CSV (a byte-order mark, CRLF rows): Excel would read the symbols (⊂ ⊃ ∩) in the
    system's code page without the mark.
    """
    national = [a for f in cw.national for a in f.aims]
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["local aim", *[a.id for a in national]])
    for fw in cw.local:
        for aim in fw.aims:
            writer.writerow([aim.id, *[SYMBOL.get(cw.relation(aim.id, n.id) or "", "") for n in national]])
    return buf.getvalue()


def to_markdown(cw: Crosswalk, catalogue: Catalogue, options: RenderOptions) -> str:
    """One matrix per national framework: local aims down, national aims across."""
    out = ["# Crosswalk", "", f"Local aim is: {LEGEND}", ""]
    for nfw in cw.national:
        out += [f"## {markdown(nfw.title)} (`{nfw.id}`)", ""]
        cols = [a for a in nfw.aims]
        out.append("| Local aim | " + " | ".join(f"`{a.id.split('.', 1)[1]}`" for a in cols) + " |")
        out.append("|---|" + "---|" * len(cols))
        for lfw in cw.local:
            for aim in lfw.aims:
                cells = [SYMBOL.get(cw.relation(aim.id, n.id) or "", "") for n in cols]
                if any(cells):
                    out.append(f"| `{aim.id}` | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


CROSSWALK: dict[Format, Reporter[Crosswalk]] = {
    Format.TEXT: to_text,
    Format.JSON: as_json(to_json),
    Format.MARKDOWN: to_markdown,
    Format.CSV: to_csv,
}
