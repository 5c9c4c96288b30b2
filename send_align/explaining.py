"""`explain`: every rule of one aim tried on one document, each hit kept or discarded and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from send_align.engine import Checker, aim_by_id
from send_align.errors import SendAlignError
from send_align.model import Aim, Catalogue
from send_align.report.common import where
from send_align.report.json_report import evidence_json
from send_align.results import AimResult
from send_align.scoring import rule_strengths
from send_align.style import Styler, wrap


@dataclass(frozen=True)
class Explanation:
    path: str
    aim: Aim
    result: AimResult
    context_found: int | None
    context_needed: int | None


def explain(cat: Catalogue, path: Path, aim_id: str) -> Explanation:
    from send_align.extract import extract

    aim = aim_by_id(cat, aim_id)
    if not path.is_file():
        raise SendAlignError("no such file", path=str(path))
    document = extract(path, str(path))
    checker = Checker(cat, list(cat.frameworks))
    scan, results = checker.results(document, settle=False)
    result = next(r for r in results if r.aim == aim.id)
    found = scan.context_paragraphs.get(aim.context) if aim.context else None
    needed = checker.matcher.contexts.get(aim.context) if aim.context else None
    return Explanation(str(path), aim, result, found, needed)


def to_json(x: Explanation) -> dict[str, Any]:
    strengths = rule_strengths(x.result.evidence)
    return {
        "path": x.path,
        "aim": x.aim.id,
        "title": x.aim.title,
        "status": x.result.status.value,
        "score": x.result.score,
        "reason": x.result.reason,
        "context": None
        if x.aim.context is None
        else {"name": x.aim.context, "paragraphs": x.context_found, "needed": x.context_needed},
        "rules": [
            {
                "id": r.id,
                "weight": r.weight,
                "strength": round(strengths.get(r.id, 0.0), 3),
                "kept": [evidence_json(e) for e in x.result.evidence if e.rule == r.id],
                "discarded": [
                    {**evidence_json(e), "why": e.discarded} for e in x.result.discarded if e.rule == r.id
                ],
            }
            for r in x.aim.rules
        ],
    }


def to_text(x: Explanation, colour: bool, width: int) -> str:
    s = Styler(colour)
    colour_of = {"addressed": "green", "partial": "yellow", "not-addressed": "red", "not-applicable": "dim"}
    out = [s(f"{x.aim.id}", "bold") + f"  {s(x.aim.title)}\n", s(f"in {x.path}", "dim") + "\n\n"]
    if x.aim.context:
        ok = (x.context_found or 0) >= (x.context_needed or 0)
        out.append(
            f"context {x.aim.context}: found in {x.context_found} paragraph(s), {x.context_needed} needed "
            + s("✔" if ok else "✘ (the aim cannot count here)", "green" if ok else "red")
            + "\n\n"
        )
    strengths = rule_strengths(x.result.evidence)
    for r in x.aim.rules:
        kept = [e for e in x.result.evidence if e.rule == r.id]
        thrown = [e for e in x.result.discarded if e.rule == r.id]
        state = s(f"fired, strength {strengths[r.id]:.2f}", "green") if kept else s("no counted hit", "dim")
        out.append(f"rule {s(r.id, 'bold')} (weight {r.weight:g}): {state}\n")
        if not kept and not thrown:
            out.append(
                wrap(
                    "looked for: "
                    + "; ".join(r.source_phrases[0][:12])
                    + (" …" if len(r.source_phrases[0]) > 12 else ""),
                    width - 6,
                    "    ",
                )
            )
        for e in kept:
            out.append(s(f"  ✔ {where(e)}: ", "green") + f"matched “{s(e.phrase)}”\n")
            out.append(wrap(f"“{e.text}”", width - 6, "      "))
        for e in thrown:
            out.append(s(f"  ✘ {where(e)}: ", "red") + f"“{s(e.phrase)}” discarded: {s(e.discarded or '')}\n")
            out.append(wrap(f"“{e.text}”", width - 6, "      "))
    out.append(
        "\n"
        + s(f"{x.result.status.value}", "bold", colour_of[x.result.status.value])
        + f", score {x.result.score:.2f}: {s(x.result.reason)}\n"
    )
    return "".join(out)
