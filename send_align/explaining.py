"""`explain`: every rule of one aim tried on one document, each hit kept or discarded and why."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from send_align.contexts import ContextVerdict, decide_context
from send_align.engine import Checker, aim_by_id
from send_align.errors import SendAlignError
from send_align.model import Aim, Catalogue, strength_name
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
    context: ContextVerdict | None


def explain(cat: Catalogue, path: Path, aim_id: str) -> Explanation:
    from send_align.extract import extract

    aim = aim_by_id(cat, aim_id)
    if not os.path.lexists(path):
        raise SendAlignError("no such file", path=str(path))
    document = extract(path, str(path))
    checker = Checker(cat, list(cat.frameworks))
    scan, results = checker.results(document, settle=False)
    result = next(r for r in results if r.aim == aim.id)
    found = scan.context_paragraphs.get(aim.context) if aim.context else None
    ctx = checker.matcher.contexts.get(aim.context) if aim.context else None
    verdict = decide_context(ctx, scan) if ctx else None
    return Explanation(str(path), aim, result, found, verdict)


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
        if x.context is None
        else {
            "name": x.context.name,
            "paragraphs": x.context_found,
            "whole_document": x.context.whole,
            "why": x.context.why,
        },
        "rules": [
            {
                "id": r.id,
                "weight": r.weight,
                "strength_name": strength_name(r.weight),
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
    if x.context:
        scope = "the whole document" if x.context.whole else "only the paragraphs and sections that mention it"
        out.append(
            f"context {x.context.name}: {scope} ({x.context.why}) "
            + s("✔" if x.context.whole else "◐", "green" if x.context.whole else "yellow")
            + "\n\n"
        )
    strengths = rule_strengths(x.result.evidence)
    for r in x.aim.rules:
        kept = [e for e in x.result.evidence if e.rule == r.id]
        thrown = [e for e in x.result.discarded if e.rule == r.id]
        state = s(f"fired, strength {strengths[r.id]:.2f}", "green") if kept else s("no counted hit", "dim")
        out.append(f"rule {s(r.id, 'bold')} ({strength_name(r.weight)}): {state}\n")
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
