"""A sign-off summary in Markdown, fit for a pull-request comment or an email."""

from __future__ import annotations

from send_align.escaping import markdown as md
from send_align.model import Catalogue
from send_align.report.common import by_framework, title_of, where
from send_align.reporting import RenderOptions
from send_align.results import ClaimStatus, Report, Status


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    out = ["# send-align coverage report", ""]
    out += ["| Framework | Addressed | Partial | Coverage |", "|---|---:|---:|---:|"]
    for c in report.frameworks:
        out.append(
            f"| {md(c.title)} (`{c.id}`) | {c.addressed}/{c.total} | {c.partial} | {c.coverage:.1f}% |"
        )
    out.append("")
    if report.input_problems:
        pass  # no verdict on part of the input: the run's errors say what could not be read
    elif report.failures:
        out += ["## Gate failed", ""]
        out += [f"- {md(f.message)}" for f in report.failures]
    elif report.gates_set:
        out += ["**Gate passed.**"]
    else:
        out += ["No gates set."]
    if report.baselined:
        out += ["", f"Accepted by the baseline ({len(report.baselined)}):", ""]
        out += [f"- {md(f.message)}" for f in report.baselined]
    out.append("")
    for doc in report.documents:
        out += [f"## `{md(doc.path)}`" + (f": {md(doc.title)}" if doc.title else ""), ""]
        if doc.error:
            out += [f"**Could not be read:** {md(doc.error)}", ""]
            continue
        out += [f"**Note:** {md(note)}" for note in doc.notes] + ([""] if doc.notes else [])
        if doc.claims is not None:
            out += ["| Claim | Status |", "|---|---|"]
            for claim in doc.claims:
                mark = "✅ supported" if claim.status is ClaimStatus.SUPPORTED else "❌ unsupported"
                out.append(f"| `{claim.aim}` {md(title_of(catalogue, claim.aim))} | {mark} |")
            if doc.further:
                out += [
                    "",
                    "Also addresses (no claim names them): " + ", ".join(f"`{a}`" for a in doc.further),
                ]
            out.append("")
        for fid, results in by_framework(doc).items():
            got = [r for r in results if r.status is Status.ADDRESSED]
            gaps = [r for r in results if r.status in (Status.NOT_ADDRESSED, Status.PARTIAL)]
            out += [f"### {fid}: {len(got)} of {len(results)} addressed", ""]
            for r in got:
                ev = r.evidence[0]
                out.append(
                    f"- ✅ `{r.aim}` {md(title_of(catalogue, r.aim))}: “{md(ev.text)}” ({md(where(ev))})"
                )
            for r in results:
                if r.status is Status.NOT_APPLICABLE:
                    out.append(
                        f"- ➖ `{r.aim}` {md(title_of(catalogue, r.aim))}: not applicable ({md(r.reason)})"
                    )
            if gaps:
                out.append("")
                out.append(
                    "Gaps: "
                    + ", ".join(f"`{r.aim}`{' (partly)' if r.status is Status.PARTIAL else ''}" for r in gaps)
                )
            out.append("")
    if report.skipped:
        out += ["## Skipped files", ""] + [f"- `{md(p)}`: {md(why)}" for p, why in report.skipped] + [""]
    return "\n".join(out).rstrip() + "\n"
