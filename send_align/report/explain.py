"""`explain`'s output: every rule of one aim on one document, as text or JSON."""

from __future__ import annotations

from typing import Any

from send_align.explaining import Explanation
from send_align.learned.files import LEARNED_RULE as RULE
from send_align.model import Catalogue, strength_name
from send_align.report.common import where
from send_align.report.json_report import evidence_json
from send_align.reporting import Format, RenderOptions, Reporter, as_json
from send_align.scoring import ADDRESSED_AT, rule_strengths, score_of
from send_align.style import Styler, wrap


def to_json(x: Explanation, catalogue: Catalogue) -> dict[str, Any]:
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
        "genres": [{"name": g.name, "holds": g.holds, "why": g.why, "quote": g.quote} for g in x.genres],
        "rules": [
            {
                "id": r.id,
                "weight": r.weight,
                "strength_name": strength_name(r.weight),
                "strength": round(strengths.get(r.id, 0.0), 3),
                "kept": [
                    {**evidence_json(e), **({"capped_at": e.weight} if e.weight < r.weight else {})}
                    for e in x.result.evidence
                    if e.rule == r.id
                ],
                "discarded": [
                    {**evidence_json(e), "why": e.discarded} for e in x.result.discarded if e.rule == r.id
                ],
            }
            for r in x.aim.rules
        ],
        "learned": _learned_json(x),
    }


def _learned_json(x: Explanation) -> dict[str, Any] | None:
    lv = x.learned
    if lv is None:
        return None
    return {
        "model": lv.source,
        "probability": lv.probability,
        "threshold": lv.threshold,
        "adds": lv.adds,
        "vetoes": lv.may_veto,
        "counted": any(e.rule == RULE for e in x.result.evidence),
        "refused": next((e.discarded for e in x.result.discarded if e.rule == RULE), None),
        "veto": lv.veto,
        "vetoed": _vetoed(x),
        "words": [{"text": text, "weight": round(w, 3)} for text, w in lv.strongest()],
    }


def _vetoed(x: Explanation) -> bool:
    """Whether the model held the rules' finding at partial."""
    return (
        x.learned is not None
        and x.learned.vetoes
        and x.result.status.value == "partial"
        and score_of(x.result.evidence) >= ADDRESSED_AT  # the rules' own score, before the veto halved it
    )


def _learned_text(x: Explanation, s: Styler, width: int) -> str:
    """The learned model's line: its probability, whether it counted, and why not."""
    lv = x.learned
    if lv is None:
        return ""
    kept = [e for e in x.result.evidence if e.rule == RULE]
    refused = [e for e in x.result.discarded if e.rule == RULE]
    if kept:
        state = s("counted: it adds the aim the rules missed", "green")
    elif refused:
        state = s(f"not counted: {refused[0].discarded}", "yellow")
    elif _vetoed(x):
        state = s(f"under its veto of {lv.veto:.2f}: it holds the rules' one finding at partial", "yellow")
    elif not lv.sure:
        state = s(
            "below its threshold"
            + ("" if lv.may_veto else "; its model file never lets it veto this aim (vetoes: false)"),
            "dim",
        )
    elif not lv.adds and x.result.status.value != "addressed":
        state = s("not counted: its model file lets it veto this aim but never add it (adds: false)", "dim")
    elif x.result.status.value == "addressed":
        state = s("not needed: the rules address the aim", "dim")
    else:
        state = s("not counted", "dim")
    out = [
        f"learned model {s(RULE, 'bold')} ({lv.source}): probability {lv.probability:.2f}, "
        f"{lv.threshold:.2f} needed: {state}\n"
    ]
    words = lv.strongest()
    if words:
        out.append(wrap("words it weighs most here: " + ", ".join(f"“{t}”" for t, _ in words), width - 6, "    "))
    for e in kept:
        out.append(s(f"  ✔ {where(e)}: ", "green") + f"weighed most “{s(e.phrase)}”\n")
        out.append(wrap(f"“{e.text}”", width - 6, "      "))
    for e in refused:
        out.append(s(f"  ✘ {where(e)}: ", "red") + f"weighed most “{s(e.phrase)}”\n")
        out.append(wrap(f"“{e.text}”", width - 6, "      "))
    return "".join(out)


def to_text(x: Explanation, catalogue: Catalogue, options: RenderOptions) -> str:
    s, width = Styler(options.colour), options.width
    colour_of = {"addressed": "green", "partial": "yellow", "not-addressed": "red", "not-applicable": "dim"}
    out = [s(f"{x.aim.id}", "bold") + f"  {s(x.aim.title)}\n", s(f"in {x.path}", "dim") + "\n\n"]
    if x.context:
        scope = (
            "the whole document" if x.context.whole else "only the paragraphs and sections that mention it"
        )
        out.append(
            f"context {x.context.name}: {scope} ({x.context.why}) "
            + s("✔" if x.context.whole else "◐", "green" if x.context.whole else "yellow")
            + "\n\n"
        )
    for g in x.genres:
        out.append(
            f"genre {g.name}: {'the document is one' if g.holds else 'not this document'} ({g.why}) "
            + s("✔" if g.holds else "✘", "green" if g.holds else "dim")
            + "\n"
        )
        if g.quote:
            out.append(wrap(f"“{g.quote}”", width - 6, "    "))
    if x.genres:
        out.append("\n")
    strengths = rule_strengths(x.result.evidence)
    for r in x.aim.rules:
        kept = [e for e in x.result.evidence if e.rule == r.id]
        thrown = [e for e in x.result.discarded if e.rule == r.id]
        state = s(f"fired, strength {strengths[r.id]:.2f}", "green") if kept else s("no counted hit", "dim")
        out.append(f"rule {s(r.id, 'bold')} ({strength_name(r.weight)}): {state}\n")
        if not kept and not thrown and r.source_phrases[0]:
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
            capped = (
                f", capped at {strength_name(e.weight)}: an item of a list whose lead-in points elsewhere"
                if e.weight < r.weight
                else ""
            )
            out.append(s(f"  ✔ {where(e)}: ", "green") + f"matched “{s(e.phrase)}”{s(capped, 'yellow')}\n")
            out.append(wrap(f"“{e.text}”", width - 6, "      "))
        for e in thrown:
            out.append(s(f"  ✘ {where(e)}: ", "red") + f"“{s(e.phrase)}” discarded: {s(e.discarded or '')}\n")
            out.append(wrap(f"“{e.text}”", width - 6, "      "))
    out.append(_learned_text(x, s, width))
    out.append(
        "\n"
        + s(f"{x.result.status.value}", "bold", colour_of[x.result.status.value])
        + f", score {x.result.score:.2f}: {s(x.result.reason)}\n"
    )
    return "".join(out)


EXPLAIN: dict[Format, Reporter[Explanation]] = {Format.TEXT: to_text, Format.JSON: as_json(to_json)}
