"""How local aims meet national ones, from the crosswalk links of the strategy files (either direction)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from send_align.escaping import line, markdown
from send_align.model import INVERSE_RELATION, Aim, Catalogue, Framework, Scope

SYMBOL = {"equivalent-to": "=", "subset-of": "⊂", "superset-of": "⊃", "intersects-with": "∩"}
LEGEND = "= equivalent to   ⊂ part of (subset of)   ⊃ includes (superset of)   ∩ overlaps with"


@dataclass(frozen=True)
class Pair:
    local: Aim
    national: Aim
    relation: str
    """From the local aim's side: the local aim is <relation> the national one."""
    note: str = ""


@dataclass(frozen=True)
class Crosswalk:
    local: tuple[Framework, ...]
    national: tuple[Framework, ...]
    pairs: tuple[Pair, ...]

    def relation(self, local_id: str, national_id: str) -> str | None:
        return next(
            (p.relation for p in self.pairs if p.local.id == local_id and p.national.id == national_id), None
        )

    def locals_for(self, national_id: str) -> list[Pair]:
        return [p for p in self.pairs if p.national.id == national_id]


def build_crosswalk(catalogue: Catalogue, framework_ids: Sequence[str] = ()) -> Crosswalk:
    """Local frameworks' aims against national ones. A framework id narrows the view to that framework
    (local: its aims against every national framework; national: every local aim against it)."""
    locals_ = [f for f in catalogue.frameworks if f.scope is not Scope.NATIONAL]
    nationals = [f for f in catalogue.frameworks if f.scope is Scope.NATIONAL]
    for fid in framework_ids:
        catalogue.get_framework(fid)
    if framework_ids:
        chosen = set(framework_ids)
        if any(f.id in chosen for f in locals_):
            locals_ = [f for f in locals_ if f.id in chosen]
        if any(f.id in chosen for f in nationals):
            nationals = [f for f in nationals if f.id in chosen]
    local_ids = {a.id: a for f in locals_ for a in f.aims}
    national_ids = {a.id: a for f in nationals for a in f.aims}
    pairs: dict[tuple[str, str], Pair] = {}
    for aim in catalogue.aims():
        for link in aim.links:
            if aim.id in local_ids and link.target in national_ids:
                pair = Pair(aim, national_ids[link.target], link.relation, link.note)
            elif aim.id in national_ids and link.target in local_ids:
                pair = Pair(local_ids[link.target], aim, INVERSE_RELATION[link.relation], link.note)
            else:
                continue
            pairs.setdefault((pair.local.id, pair.national.id), pair)
    order = {a: i for i, a in enumerate([*local_ids, *national_ids])}
    ordered = sorted(pairs.values(), key=lambda p: (order[p.local.id], order[p.national.id]))
    return Crosswalk(tuple(locals_), tuple(nationals), tuple(ordered))


def to_text(cw: Crosswalk, width: int = 100) -> str:
    """Each national aim with the local aims that meet it; national aims no local aim meets are listed."""
    out = [
        f"Crosswalk: {', '.join(f.id for f in cw.local)} against {', '.join(f.id for f in cw.national)}",
        "",
    ]
    for fw in cw.national:
        out.append(f"{fw.id}  {line(fw.title)}"[:width])
        for aim in fw.aims:
            meets = cw.locals_for(aim.id)
            out.append(f"  {aim.id}  {line(aim.title)}"[:width])
            if not meets:
                out.append("      (no local aim linked)")
            for p in meets:
                out.append(f"      {SYMBOL[p.relation]} {p.local.id}  {line(p.local.title)}"[:width])
        out.append("")
    out.append(f"Local aim is: {LEGEND}")
    return "\n".join(out) + "\n"


def to_json(cw: Crosswalk) -> dict[str, object]:
    return {
        "local": [f.id for f in cw.local],
        "national": [f.id for f in cw.national],
        "links": [
            {"local": p.local.id, "relation": p.relation, "national": p.national.id, "note": p.note or None}
            for p in cw.pairs
        ],
    }


def to_csv(cw: Crosswalk) -> str:
    """The matrix: one row per local aim, one column per national aim, the relation's symbol where linked."""
    national = [a for f in cw.national for a in f.aims]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["local aim", *[a.id for a in national]])
    for fw in cw.local:
        for aim in fw.aims:
            writer.writerow([aim.id, *[SYMBOL.get(cw.relation(aim.id, n.id) or "", "") for n in national]])
    return buf.getvalue()


def to_markdown(cw: Crosswalk) -> str:
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


def render(cw: Crosswalk, fmt: str, width: int = 100) -> str:
    if fmt == "json":
        return json.dumps(to_json(cw), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(cw)
    if fmt == "markdown":
        return to_markdown(cw)
    return to_text(cw, width)
