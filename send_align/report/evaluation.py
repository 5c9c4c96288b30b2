"""`eval`'s output: precision and recall per aim, every miss and false hit, as text or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from send_align.escaping import line as safe
from send_align.evaluating import Counts, Evaluation
from send_align.model import Catalogue
from send_align.reporting import Format, RenderOptions, Reporter, as_json


@dataclass(frozen=True)
class Scored:
    """An evaluation, and whether its text lists every error."""

    evaluation: Evaluation
    errors: bool = True
    by_rule: bool = False
    """Whether the text adds the table of rules by the findings they carried (JSON always has it)."""


def headline(ev: Evaluation) -> str:
    m = ev.micro
    return (
        f"micro F1 {m.f1:.3f} precision {m.precision:.3f} recall {m.recall:.3f} "
        f"(tp {m.tp} fp {m.fp} fn {m.fn}) claims {ev.claims_right}/{ev.claims_total}"
    )


def to_text(scored: Scored, catalogue: Catalogue, options: RenderOptions) -> str:
    """The per-aim table (weakest first), every miss and false hit with its quote, the claims, the headline."""
    ev, errors, clean = scored.evaluation, scored.errors, safe
    out = [f"{clean(str(ev.labels))}: {ev.documents} documents, {len(ev.per_aim)} aims scored\n\n"]
    out.append(f"{'aim':<44} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6} {'F1':>6}\n")
    for aim_id, c in sorted(ev.per_aim.items(), key=lambda kv: (kv[1].f1, kv[0])):
        if c.tp + c.fp + c.fn == 0:
            continue
        out.append(
            f"{aim_id:<44} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>6.2f} {c.recall:>6.2f} {c.f1:>6.2f}\n"
        )
    if scored.by_rule and ev.per_rule:
        out.append(
            "\nrules by the findings they carried, the least precise first ('alone': findings resting on that rule "
            "only)\n"
        )
        out.append(
            f"{'aim':<36} {'rule':<32} {'right':>5} {'wrong':>5} {'prec':>6} {'alone right':>11} {'alone wrong':>11}\n"
        )
        for aim_id, rule, rc in ev.rules_by_precision():
            out.append(
                f"{aim_id:<36} {clean(rule):<32} {rc.right:>5} {rc.wrong:>5} {rc.precision:>6.2f} "
                f"{rc.alone_right:>11} {rc.alone_wrong:>11}\n"
            )
    if errors and ev.errors:
        out.append("\n")
        for e in ev.errors:
            head = f"{clean(e.file)}: {e.kind} {e.aim} ({e.status} {e.score:.2f})"
            if e.quote:
                out.append(f"{head} · {e.where} · rule {e.rule}\n    “{clean(e.quote)}”\n")
            else:
                out.append(f"{head}\n")
            if e.kind == "miss" and e.reason:
                out.append(f"    why: {clean(e.reason)}\n")
        kinds = ev.missed()
        if sum(kinds.values()):
            out.append(
                f"\nmisses: {kinds['no evidence']} with no evidence counted, {kinds['veto']} held at partial by the "
                f"learned model's veto, {kinds['partial']} with partial evidence only\n"
            )
        out.append("\n(`send-align explain FILE AIM` shows every hit, near miss and discarded hit)\n")
    for line in ev.claim_errors:
        out.append(clean(line) + "\n")
    out.append("\n" + headline(ev) + "\n")
    return "".join(out)


def to_json(scored: Scored, catalogue: Catalogue) -> dict[str, Any]:
    ev = scored.evaluation

    def counts(c: Counts) -> dict[str, Any]:
        return {
            "tp": c.tp,
            "fp": c.fp,
            "fn": c.fn,
            "precision": round(c.precision, 4),
            "recall": round(c.recall, 4),
            "f1": round(c.f1, 4),
        }

    return {
        "labels": str(ev.labels),
        "documents": ev.documents,
        "micro": counts(ev.micro),
        "aims": [{"id": a, **counts(c)} for a, c in sorted(ev.per_aim.items())],
        "errors": [
            {
                "file": e.file,
                "aim": e.aim,
                "kind": e.kind,
                "status": e.status,
                "score": e.score,
                "text": e.quote or None,
                "where": e.where or None,
                "rule": e.rule or None,
                "reason": e.reason or None,
                "missed": e.why_missed or None,
            }
            for e in ev.errors
        ],
        "misses": {k.replace(" ", "_"): n for k, n in ev.missed().items()},
        "rules": [
            {
                "aim": aim_id,
                "rule": rule,
                "right": c.right,
                "wrong": c.wrong,
                "precision": round(c.precision, 4),
                "alone_right": c.alone_right,
                "alone_wrong": c.alone_wrong,
            }
            for aim_id, rule, c in ev.rules_by_precision()
        ],
        "claims": {"right": ev.claims_right, "total": ev.claims_total, "errors": ev.claim_errors},
    }


EVAL: dict[Format, Reporter[Scored]] = {Format.TEXT: to_text, Format.JSON: as_json(to_json)}
