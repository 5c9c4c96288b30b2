"""How local aims meet national ones, from the crosswalk links of the strategy files (either direction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from send_align.model import INVERSE_RELATION, Aim, Catalogue, Framework, Scope

SYMBOL = {"equivalent-to": "=", "subset-of": "⊂", "superset-of": "⊃", "intersects-with": "∩"}


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
