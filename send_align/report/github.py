"""GitHub Actions: workflow-command annotations for gate failures and unreadable files, then the Markdown
summary in a collapsed log group (the command line also appends it to $GITHUB_STEP_SUMMARY).

Document text and file names never reach the log as a command: annotation data is made one line and
escaped as GitHub requires (escaping.github_data), and the summary is fenced by ::stop-commands:: with a
token derived from its own content.
"""

from __future__ import annotations

import hashlib
import os

from send_align.escaping import github_data, github_property
from send_align.model import Catalogue
from send_align.report import markdown
from send_align.reporting import RenderOptions
from send_align.results import GateFailure, GateKind, Report


def _annotation(level: str, message: str, title: str, path: str | None, line: int | None) -> str:
    props = []
    if path:
        props.append(f"file={github_property(path.replace(os.sep, '/'))}")
        if line:
            props.append(f"line={line}")
    props.append(f"title={github_property(title)}")
    return f"::{level} {','.join(props)}::{github_data(message)}"


def _line_of(report: Report, f: GateFailure) -> int | None:
    if f.kind is not GateKind.CLAIM or not f.path:
        return None
    doc = next((d for d in report.documents if d.path == f.path), None)
    claim = next((c for c in (doc.claims or ()) if c.aim == f.aim), None) if doc else None
    return claim.line if claim else None


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    out = []
    for doc in report.documents:
        if doc.error:
            out.append(_annotation("error", doc.error, "send-align: unreadable document", doc.path, None))
    # An annotation names its file: its message is the failure without the document's path.
    for f in report.failures:
        title = f"send-align: {f.kind} gate" + (f" ({f.aim})" if f.aim else "")
        out.append(_annotation("error", f.detail, title, f.path, _line_of(report, f)))
    for f in report.baselined:
        out.append(
            _annotation(
                "notice", f"accepted by the baseline: {f.detail}", "send-align: baseline", f.path, None
            )
        )
    summary = summary_markdown(report, catalogue, options)
    token = hashlib.sha256(summary.encode("utf-8")).hexdigest()[:32]
    out += [
        "::group::send-align report",
        f"::stop-commands::{token}",
        summary.rstrip("\n"),
        f"::{token}::",
        "::endgroup::",
    ]
    if report.input_problems:
        pass  # no verdict on part of the input: the errors above say what could not be read
    elif report.failures:
        out.append(
            f"send-align: gate failed ({len(report.failures)} failure{'s' if len(report.failures) != 1 else ''})"
        )
    else:
        out.append("send-align: gate passed" if report.gates_set else "send-align: no gates set")
    return "\n".join(out) + "\n"


def summary_markdown(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    """The job summary: the Markdown sign-off report."""
    return markdown.render(report, catalogue, options)
