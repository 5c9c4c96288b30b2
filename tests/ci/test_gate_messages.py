"""What every report says about gates: "no gates set" when none applied, nothing when an input could not be
read, and a document's failure naming its path once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ci.support import POLICY

Cli = Callable  # type: ignore[type-arg]

# What each format says, per verdict; `None` marks a format that states no verdict in words.
VERDICTS = {
    "table": {"none": "no gates set", "passed": "gate passed", "failed": "gate failed:"},
    "markdown": {"none": "No gates set.", "passed": "**Gate passed.**", "failed": "## Gate failed"},
    "github": {"none": "send-align: no gates set", "passed": "send-align: gate passed", "failed": "send-align: gate failed"},
    "html": {"none": "<strong>No gates set.</strong>", "passed": "<strong>Gate passed.</strong>", "failed": "<strong>Gate failed:</strong>"},
}  # fmt: skip


def _said(out: str, fmt: str) -> set[str]:
    return {verdict for verdict, words in VERDICTS[fmt].items() if words in out}


@pytest.mark.parametrize("fmt", sorted(VERDICTS))
def test_no_gates_set_is_said_rather_than_passed(repo: Path, cli: Cli, fmt: str) -> None:
    res = cli("check", "policies", "--format", fmt, cwd=repo)
    assert res.code == 0, res.stderr
    assert _said(res.stdout, fmt) == {"none"}
    res = cli("check", "policies", "--format", fmt, "--fail-under", "1", cwd=repo)
    assert res.code == 0 and _said(res.stdout, fmt) == {"passed"}
    res = cli("check", "policies", "--format", fmt, "--fail-under", "99", cwd=repo)
    assert res.code == 1 and _said(res.stdout, fmt) == {"failed"}


def test_a_proposals_claims_are_a_gate_and_json_says_whether_any_was_set(repo: Path, cli: Cli) -> None:
    none = json.loads(cli("check", "policies", "--format", "json", cwd=repo).stdout)["gate"]
    assert none["passed"] is True and none["set"] is False
    floor = json.loads(cli("check", "policies", "--format", "json", "--fail-under", "1", cwd=repo).stdout)
    assert floor["gate"]["set"] is True
    # The proposal makes a claim its body does not back: its claims are judged with no option given.
    res = cli("check", "proposals", "--format", "json", cwd=repo)
    assert res.code == 1 and json.loads(res.stdout)["gate"]["set"] is True


def _scanned_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")  # a page that is a picture: no text to read
    pdf.output(str(path))


UNREADABLE = {
    "missing": lambda folder: None,
    "corrupt": lambda folder: (folder / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip"),
    "scanned": lambda folder: _scanned_pdf(folder / "bad.pdf"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
@pytest.mark.parametrize("fmt", sorted(VERDICTS))
def test_nothing_about_gates_when_an_input_could_not_be_read(
    repo: Path, cli: Cli, case: str, fmt: str
) -> None:
    UNREADABLE[case](repo / "policies")
    bad = {"missing": "policies/gone.md", "corrupt": "policies/bad.docx", "scanned": "policies/bad.pdf"}[case]
    args = ("check", "policies/send.md", bad, "--format", fmt)
    for gates in ((), ("--fail-under", "1"), ("--fail-under", "99")):
        res = cli(*args, *gates, cwd=repo)
        assert res.code == 2, res.stderr
        assert f"error: {bad}: " in res.stderr
        assert _said(res.stdout, fmt) == set(), (gates, res.stdout[-400:])
        assert "policies/send.md" in res.stdout  # the document that could be read is still reported
        if fmt == "html":
            assert "1 input could not be read" in res.stdout


def test_a_documents_gate_failure_names_its_path_once(repo: Path, cli: Cli) -> None:
    (repo / "policies" / "second.md").write_text(POLICY, "utf-8")
    gates = ("--per-document", "--fail-under", "99", "--require", "cop.vision")
    table = cli("check", "policies", *gates, cwd=repo)
    assert table.code == 1
    verdict = [row.strip() for row in table.stdout.split("gate failed:", 1)[1].strip().splitlines()]
    assert len(verdict) == 4 and any(r.startswith("policies/send.md: coverage ") for r in verdict)
    assert "policies/second.md: required aim cop.vision is not addressed" in verdict
    for row in verdict:
        assert row.count("policies/") == 1, row
    markdown = cli("check", "policies", *gates, "--format", "markdown", cwd=repo).stdout
    gate = markdown.split("## Gate failed", 1)[1].split("\n## ", 1)[0]
    rows = [r for r in gate.splitlines() if r.startswith("- ")]
    assert len(rows) == 4 and all(r.count("policies/") == 1 for r in rows)
    data = json.loads(cli("check", "policies", *gates, "--format", "json", cwd=repo).stdout)
    failure = next(
        f for f in data["gate"]["failures"] if f["kind"] == "require" and f["path"] == "policies/send.md"
    )
    assert failure["message"] == "policies/send.md: required aim cop.vision is not addressed"
    # Where the format names the document beside the message, the message does not name it again.
    sarif = json.loads(cli("check", "policies", *gates, "--format", "sarif", cwd=repo).stdout)
    for result in sarif["runs"][0]["results"]:
        assert "policies/" not in result["message"]["text"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("policies/")
    github = cli("check", "policies", *gates, "--format", "github", cwd=repo).stdout
    ours = [x for x in github.splitlines() if x.startswith("::error file=policies/second.md,")]
    said = [x.rsplit("::", 1)[1] for x in ours]
    assert len(said) == 2 and said[0].startswith("coverage ") and said[0].endswith("is under 99%25")
    assert said[1] == "required aim cop.vision is not addressed"


def test_the_html_gate_box_names_and_links_the_document(repo: Path, cli: Cli) -> None:
    res = cli("check", "policies", "proposals", "--format", "html", "--require", "cop.vision", "--per-document", cwd=repo)  # fmt: skip
    assert res.code == 1
    box = res.stdout.split('<ul id="gate-failures">', 1)[1].split("</ul>", 1)[0]
    assert '<li><a href="#doc-1"><code>policies/send.md</code></a>: required aim cop.vision is not addressed</li>' in box  # fmt: skip
    claim = '<li><a href="#doc-2"><code>proposals/base.yaml</code></a>: claim area-send.priority-4 is not supported'
    assert claim in box
    assert '<h2 id="doc-2"><code>proposals/base.yaml</code>' in res.stdout  # the link's target
    assert box.count("proposals/base.yaml") == 2  # the claim and the required aim, each naming it once
