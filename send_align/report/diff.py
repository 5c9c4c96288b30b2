"""`diff`'s output: aims gained and lost between two versions of a document, as text, JSON or Markdown."""

from __future__ import annotations

from typing import Any

from send_align.comparing import Comparison
from send_align.escaping import markdown as md
from send_align.model import Catalogue
from send_align.report.common import where
from send_align.report.json_report import evidence_json
from send_align.reporting import Format, RenderOptions, Reporter, as_json
from send_align.style import Styler, wrap


def to_json(c: Comparison, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "old": c.old_label,
        "new": c.new_label,
        "changes": [
            {
                "aim": ch.aim,
                "title": ch.title,
                "change": ch.direction,
                "old": {"status": ch.old.status.value, "score": ch.old.score},
                "new": {"status": ch.new.status.value, "score": ch.new.score},
                "old_evidence": [evidence_json(e) for e in ch.old.evidence[:3]],
                "new_evidence": [evidence_json(e) for e in ch.new.evidence[:3]],
            }
            for ch in c.changes
        ],
        "unchanged": c.unchanged,
        "frameworks": [
            {"id": o.id, "old_coverage": o.coverage, "new_coverage": n.coverage}
            for o, n in zip(c.old_coverage, c.new_coverage, strict=True)
        ],
    }


_HEADINGS = (
    ("gained", "Gained (now addressed)"),
    ("lost", "Lost (no longer addressed)"),
    ("better", "Stronger, not yet addressed"),
    ("worse", "Weaker"),
)


def to_text(c: Comparison, catalogue: Catalogue, options: RenderOptions) -> str:
    st, width = Styler(options.colour), options.width
    out = [st(f"{c.old_label} → {c.new_label}", "bold"), ""]
    for o, n in zip(c.old_coverage, c.new_coverage, strict=True):
        delta = n.coverage - o.coverage
        out.append(st(f"  {o.id:<10} {o.coverage:5.1f}% → {n.coverage:5.1f}%  ({delta:+.1f})"))
    out.append("")
    for key, heading in _HEADINGS:
        items = c.of(key)
        if not items:
            continue
        out.append(st(f"{heading}: {len(items)}", "bold"))
        for ch in items:
            sign = "+" if key in ("gained", "better") else "-"
            out.append(
                st(
                    f"  {sign} {ch.aim}  {ch.title}  ({ch.old.status.value} → {ch.new.status.value})",
                    "green" if sign == "+" else "red",
                )
            )
            shown = ch.new if key in ("gained", "better") else ch.old
            label = "now" if shown is ch.new else "was"
            for ev in shown.evidence[:1]:
                out.append(wrap(f"{label}: “{ev.text}” ({where(ev)})", width - 6, "      "))
        out.append("")
    out.append(f"{c.unchanged} aims unchanged.")
    return "\n".join(out) + "\n"


def to_markdown(c: Comparison, catalogue: Catalogue, options: RenderOptions) -> str:
    out = [
        f"# `{md(c.old_label)}` → `{md(c.new_label)}`",
        "",
        "| Framework | Before | After |",
        "|---|---:|---:|",
    ]
    for o, n in zip(c.old_coverage, c.new_coverage, strict=True):
        out.append(f"| `{o.id}` | {o.coverage:.1f}% | {n.coverage:.1f}% |")
    out.append("")
    for key, heading in _HEADINGS:
        items = c.of(key)
        if not items:
            continue
        out += [f"## {heading}: {len(items)}", ""]
        for ch in items:
            shown = ch.new if key in ("gained", "better") else ch.old
            quote = (
                f": “{md(shown.evidence[0].text)}” ({md(where(shown.evidence[0]))})" if shown.evidence else ""
            )
            out.append(f"- `{ch.aim}` {md(ch.title)} ({ch.old.status.value} → {ch.new.status.value}){quote}")
        out.append("")
    out.append(f"{c.unchanged} aims unchanged.")
    return "\n".join(out) + "\n"


DIFF: dict[Format, Reporter[Comparison]] = {
    Format.TEXT: to_text,
    Format.JSON: as_json(to_json),
    Format.MARKDOWN: to_markdown,
}
