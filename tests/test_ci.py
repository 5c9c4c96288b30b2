"""CI features through the real CLI: configuration files, per-path gates, inline exemptions, baselines,
the GitHub format, and that every path ends in the exit code CONTRACTS.md gives it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import make_docx
from tests.test_check import PROPOSAL, report_of

POLICY = """# Hilltop SEND policy

We aim to identify needs as early as possible, starting from each child's strengths.
SEN support follows the graduated approach: assess, plan, do, review.
We meet parents each term to agree their child's outcomes; the parent carer forum helped write this policy.
Pupils share their views at every review, and our school council helped choose the new reading books.
"""


def aim_status(report: dict, path_end: str, aim: str) -> dict:  # type: ignore[type-arg]
    doc = next(d for d in report["documents"] if d["path"].endswith(path_end))
    return next(a for a in doc["aims"] if a["id"] == aim)  # type: ignore[no-any-return]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A policy repository: policies and proposals folders."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "send.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "proposals").mkdir()
    (tmp_path / "proposals" / "base.yaml").write_text(PROPOSAL, encoding="utf-8")
    return tmp_path


# --- configuration ------------------------------------------------------------------------------------


def test_config_is_found_upward_and_supplies_paths_frameworks_and_gates(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        'paths = ["policies"]\nframeworks = ["cop"]\nrequire = ["cop.vision"]\nformat = "json"\n', "utf-8"
    )
    sub = repo / "policies"
    res = cli("check", cwd=sub)
    assert res.code == 1, res.stderr  # cop.vision is not addressed: the configured gate fails
    data = report_of(res)
    assert [f["id"] for f in data["frameworks"]] == ["cop"]
    assert [d["path"] for d in data["documents"]] == [str(repo / "policies" / "send.md")]
    assert data["gate"]["failures"][0]["aim"] == "cop.vision"


def test_command_line_options_win_over_the_config(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text('frameworks = ["cop"]\nfail-under = 99\n', "utf-8")
    res = cli("check", "policies", "-f", "lfi", "--fail-under", "0", "--format", "json", cwd=repo)
    assert res.code == 0, res.stderr
    assert [f["id"] for f in report_of(res)["frameworks"]] == ["lfi"]


def test_pyproject_tool_table_is_a_config(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.send-align]\nframeworks = ["area-send"]\nformat = "json"\n', "utf-8"
    )
    res = cli("check", "policies", cwd=repo)
    assert res.code == 0, res.stderr
    assert [f["id"] for f in report_of(res)["frameworks"]] == ["area-send"]


def test_no_config_and_explicit_config(repo: Path, cli: Callable, tmp_path: Path) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text('frameworks = ["cop"]\n', "utf-8")
    other = tmp_path / "elsewhere.toml"
    other.write_text('frameworks = ["flourish"]\n', "utf-8")
    ignored = cli("check", "policies", "--no-config", "--format", "json", cwd=repo)
    assert len(report_of(ignored)["frameworks"]) == 5
    chosen = cli("check", "policies", "--config", str(other), "--format", "json", cwd=repo)
    assert [f["id"] for f in report_of(chosen)["frameworks"]] == ["flourish"]
    both = cli("check", "policies", "--config", str(other), "--no-config", cwd=repo)
    assert both.code == 2 and "contradict" in both.stderr


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("frameworks = [", "not valid TOML"),
        ('colour = "red"\n', "Additional properties are not allowed"),
        ("fail-under = 150\n", "fail-under"),
        ('frameworks = ["nope"]\n', "unknown framework 'nope'"),
        ('require = ["lfi.nothing-*"]\n', "matches no aim id"),
        ('[[gates]]\npaths = ["proposals/**"]\n', "gates[0]"),
        ('[[not-applicable]]\naim = "cop.vision"\n', "'reason' is a required property"),
        ('[[not-applicable]]\naim = "cop.nothing"\nreason = "n/a here"\n', "matches no aim id"),
    ],
)
def test_bad_config_is_one_line_per_problem_and_exit_2(
    repo: Path,
    cli: Callable,  # type: ignore[type-arg]
    toml: str,
    expected: str,
) -> None:
    (repo / "send-align.toml").write_text(toml, "utf-8")
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2
    assert expected in res.stderr
    assert "send-align.toml" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_config_error_names_the_line(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        'frameworks = ["lfi"]\n\n[[gates]]\npaths = ["a/**"]\nrequire = ["lfi.principle-1"]\n\n'
        '[[gates]]\npaths = ["b/**"]\nrequire-any = []\n',
        "utf-8",
    )
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2
    assert "send-align.toml:9: gates[1].require-any" in res.stderr


def test_config_not_utf8_is_bad_input(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_bytes('frameworks = ["lfi"] # caf\u00e9\n'.encode("utf-16"))
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2 and "UTF-8" in res.stderr


# --- gates per path, per document ---------------------------------------------------------------------


def test_gate_per_path_pattern_judges_each_matching_document(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        '[[gates]]\npaths = ["proposals/**"]\nrequire-any = ["area-send.*"]\n'
        '[[gates]]\npaths = ["policies/*.md"]\nrequire = ["cop.vision"]\n',
        "utf-8",
    )
    res = cli("check", "policies", "proposals", "--format", "json", cwd=repo)
    data = report_of(res)
    kinds = {(f["kind"], f["path"]) for f in data["gate"]["failures"]}
    assert ("require", "policies/send.md") in kinds
    assert res.code == 1
    # The proposal addresses an area-send priority, so its require-any gate holds.
    assert not any(f["kind"] == "require-any" for f in data["gate"]["failures"])
    (repo / "send-align.toml").write_text(
        '[[gates]]\npaths = ["proposals/"]\nrequire-any = ["flourish.priority-4"]\n', "utf-8"
    )
    res = cli("check", "policies", "proposals", "--format", "json", cwd=repo)
    failures = report_of(res)["gate"]["failures"]
    assert res.code == 1
    assert [(f["kind"], f["path"]) for f in failures if f["kind"] != "claim"] == [
        ("require-any", "proposals/base.yaml")
    ]


def test_per_document_applies_require_to_each_document(repo: Path, cli: Callable, tmp_path: Path) -> None:  # type: ignore[type-arg]
    (repo / "policies" / "verges.md").write_text(
        "Verges are cut twice a year to keep junctions safe.\n", "utf-8"
    )
    args = ("check", "policies", "--require", "cop.early-identification", "--format", "json")
    assert cli(*args, cwd=repo).code == 0  # the set addresses it
    res = cli(*args, "--per-document", cwd=repo)
    assert res.code == 1
    failures = report_of(res)["gate"]["failures"]
    assert [f["path"] for f in failures] == ["policies/verges.md"]


def test_per_document_fail_under(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    res = cli(
        "check", "policies", "-f", "cop", "--fail-under", "10", "--per-document", "--format", "json", cwd=repo
    )
    assert res.code == 0
    res = cli(
        "check", "policies", "-f", "cop", "--fail-under", "95", "--per-document", "--format", "json", cwd=repo
    )
    assert res.code == 1
    (failure,) = report_of(res)["gate"]["failures"]
    assert failure["kind"] == "fail-under" and failure["path"] == "policies/send.md"
    assert 0 < failure["value"] < 95


# --- exemptions ---------------------------------------------------------------------------------------


def test_inline_markdown_exemption_is_reported_and_satisfies_a_gate(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    doc = repo / "policies" / "send.md"
    doc.write_text(
        POLICY
        + "\n<!-- send-align: not-applicable cop.vision -- a school policy, the vision is the LA's -->\n",
        "utf-8",
    )
    res = cli("check", "policies", "--require", "cop.vision", "--format", "json", cwd=repo)
    assert res.code == 0, res.stdout
    aim = aim_status(report_of(res), "send.md", "cop.vision")
    assert aim["status"] == "not-applicable"
    assert "the vision is the LA's" in aim["reason"] and "line 8" in aim["reason"]
    for fmt, needle in [
        ("markdown", "the vision is the LA"),
        ("csv", "not-applicable"),
        ("table", "not applicable"),
    ]:
        out = cli("check", "policies", "--format", fmt, cwd=repo).stdout
        assert needle in out, fmt


def test_exemption_in_word_uses_a_paragraph_and_an_en_dash(tmp_path: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    path = make_docx(
        tmp_path / "policy.docx",
        [
            ("Heading 1", "SEND policy"),
            ("Normal", "We identify needs early and review support with parents each term."),
            (
                "Normal",
                "send-align: not-applicable dfe-ap.* – this is a school policy, not the national plan",
            ),
        ],
    )
    # A pattern in a document is allowed only when the configuration says so.
    (tmp_path / "send-align.toml").write_text("allow-wildcard-exemptions = true\n", "utf-8")
    res = cli("check", str(path), "--format", "json", cwd=tmp_path)
    data = report_of(res)
    statuses = {a["id"]: a["status"] for a in data["documents"][0]["aims"] if a["id"].startswith("dfe-ap.")}
    assert statuses and set(statuses.values()) == {"not-applicable"}
    assert not any(f["id"] == "dfe-ap" for f in data["frameworks"] if f["total"])


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ("<!-- send-align: not-applicable cop.vision -->", "gives no reason"),
        ("<!-- send-align: not-applicable cop.vision -- ok -->", "gives no reason"),
        ("<!-- send-align: ignore everything -->", "unknown send-align directive"),
        ("<!-- send-align: not-applicable cop.nope -- not relevant here -->", "names no known aim"),
    ],
)
def test_bad_inline_exemption_is_bad_input_and_others_still_checked(
    repo: Path,
    cli: Callable,  # type: ignore[type-arg]
    directive: str,
    message: str,
) -> None:
    (repo / "policies" / "bad.md").write_text(f"# Bad\n\n{directive}\n\nWe identify needs early.\n", "utf-8")
    res = cli("check", "policies", "--format", "json", cwd=repo)
    assert res.code == 2
    assert message in res.stderr and "bad.md:3" in res.stderr
    good = aim_status(json.loads(res.stdout), "send.md", "cop.early-identification")
    assert good["status"] == "addressed"


def test_config_not_applicable_for_matching_paths_only(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "other").mkdir()
    (repo / "other" / "send.md").write_text(POLICY, "utf-8")
    (repo / "send-align.toml").write_text(
        '[[not-applicable]]\naim = "area-send.priority-4"\nreason = "primary schools: adulthood is far off"\n'
        'paths = ["policies/**"]\n',
        "utf-8",
    )
    data = report_of(cli("check", "policies", "other", "--format", "json", cwd=repo))
    assert aim_status(data, "policies/send.md", "area-send.priority-4")["status"] == "not-applicable"
    assert "send-align.toml" in aim_status(data, "policies/send.md", "area-send.priority-4")["reason"]
    assert aim_status(data, "other/send.md", "area-send.priority-4")["status"] != "not-applicable"


# --- baseline -----------------------------------------------------------------------------------------


def test_baseline_accepts_old_gaps_and_fails_on_new_ones(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    gate = ("--require", "cop.vision", "--require", "cop.choice-and-control", "--format", "json")
    res = cli("check", "policies", *gate, "--baseline", str(base), "--update-baseline", cwd=repo)
    assert res.code == 0
    assert "2 accepted gate failures" in res.stderr
    accepted = json.loads(base.read_text("utf-8"))["accepted"]
    assert {a["aim"] for a in accepted} == {"cop.vision", "cop.choice-and-control"}
    # The same gaps: passes, and the report says what the baseline accepted.
    res = cli("check", "policies", *gate, "--baseline", str(base), cwd=repo)
    assert res.code == 0
    data = report_of(res)
    assert data["gate"]["passed"] and len(data["gate"]["baselined"]) == 2
    # A new gap fails.
    res = cli(
        "check",
        "policies",
        *gate,
        "--require",
        "cop.preparation-for-adulthood",
        "--baseline",
        str(base),
        cwd=repo,
    )
    assert res.code == 1
    assert [f["aim"] for f in report_of(res)["gate"]["failures"]] == ["cop.preparation-for-adulthood"]
    # Byte-identical baseline when nothing changed.
    before = base.read_bytes()
    cli("check", "policies", *gate, "--baseline", str(base), "--update-baseline", cwd=repo)
    assert base.read_bytes() == before


def test_baseline_coverage_may_not_fall(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    cli(
        "check",
        "policies",
        "-f",
        "cop",
        "--fail-under",
        "99",
        "--baseline",
        str(base),
        "--update-baseline",
        cwd=repo,
    )
    assert (
        cli("check", "policies", "-f", "cop", "--fail-under", "99", "--baseline", str(base), cwd=repo).code
        == 0
    )
    # Coverage falls: the accepted failure no longer covers it.
    (repo / "policies" / "send.md").write_text("# SEND policy\n\nWe identify needs early.\n", "utf-8")
    res = cli("check", "policies", "-f", "cop", "--fail-under", "99", "--baseline", str(base), cwd=repo)
    assert res.code == 1


@pytest.mark.parametrize(
    "content", ["not json", '{"schema_version": "9", "accepted": []}', '{"accepted": [1]}']
)
def test_bad_baseline_is_bad_input(repo: Path, cli: Callable, content: str) -> None:  # type: ignore[type-arg]
    base = repo / "baseline.json"
    base.write_text(content, "utf-8")
    res = cli("check", "policies", "--baseline", str(base), cwd=repo)
    assert res.code == 2 and "baseline" in res.stderr
    missing = cli("check", "policies", "--baseline", str(repo / "nope.json"), cwd=repo)
    assert missing.code == 2 and "--update-baseline" in missing.stderr


# --- GitHub -------------------------------------------------------------------------------------------


def test_github_format_is_chosen_in_actions_and_annotates(repo: Path, run_cmd: Callable) -> None:  # type: ignore[type-arg]
    summary = repo / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    res = run_cmd("check", "policies", "proposals", "--require", "cop.vision", cwd=repo, env=env)
    assert res.code == 1
    lines = res.stdout.splitlines()
    assert (
        "::error title=send-align%3A require gate (cop.vision)::required aim cop.vision is not addressed"
        in lines
    )
    claim = next(ln for ln in lines if ln.startswith("::error file=proposals/base.yaml,line="))
    assert "area-send.priority-4" in claim
    assert "# send-align coverage report" in summary.read_text("utf-8")


def test_github_annotations_cannot_be_injected_from_document_text(tmp_path: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    doc = tmp_path / "evil%0A::set-env name=X::1.md"
    doc.write_text("# T\n\nWe identify needs early.\n\n::add-mask::secret\n", "utf-8")
    res = cli("check", str(tmp_path), "--format", "github", "--require", "cop.vision")
    lines = res.stdout.splitlines()
    commands = [ln for ln in lines if ln.startswith("::")]
    # Only our own commands start a line outside the stop-commands fence, and file names are escaped.
    fence_start = next(i for i, ln in enumerate(lines) if ln.startswith("::stop-commands::"))
    token = lines[fence_start].split("::")[2]
    fence_end = lines.index(f"::{token}::")
    outside = [ln for i, ln in enumerate(lines) if ln.startswith("::") and not fence_start < i < fence_end]
    assert all(
        ln.split(" ", 1)[0].split("::")[1] in ("error", "notice", "group", "endgroup", "stop-commands", token)
        for ln in outside
    )
    assert commands


# --- determinism --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html", "csv", "junit", "sarif", "github"])
def test_two_runs_are_byte_identical(repo: Path, run_cmd: Callable, fmt: str) -> None:  # type: ignore[type-arg]
    outs = [repo / f"out{n}.{fmt}" for n in (1, 2)]
    for out in outs:
        res = run_cmd("check", "policies", "proposals", "--format", fmt, "-o", str(out), cwd=repo)
        assert res.code in (0, 1), res.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert outs[0].stat().st_size > 200


# --- documentation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_documented_configurations_are_valid(doc: str, tmp_path: Path) -> None:
    """Every TOML example in the docs loads and names only real frameworks and aims."""
    import re

    from send_align.config import config_problems, load_config
    from send_align.strategies import build, find_files

    text = (Path(__file__).resolve().parent.parent / doc).read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks
    catalogue = build(find_files([]))
    for n, block in enumerate(blocks):
        path = tmp_path / f"example{n}" / "send-align.toml"
        path.parent.mkdir()
        path.write_text(block, "utf-8")
        assert config_problems(catalogue, load_config(path)) == []


def test_config_error_in_docs_is_what_the_tool_prints(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        "[[gates]]\npaths = ['a/**']\nrequire = ['lfi.principle-1']\n" * 1
        + "\n[[gates]]\npaths = ['b/**']\nrequire-any = []\n",
        "utf-8",
    )
    res = cli("check", "policies", cwd=repo)
    assert "gates[1].require-any: [] should be non-empty" in res.stderr


# --- gates and exemptions in the CI formats -----------------------------------------------------------


def test_junit_shows_per_document_gates_and_exemptions(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    import xml.etree.ElementTree as ET

    (repo / "policies" / "send.md").write_text(
        POLICY
        + "\n<!-- send-align: not-applicable cop.local-offer -- the council publishes the Local Offer -->\n",
        "utf-8",
    )
    res = cli(
        "check",
        "policies",
        "--per-document",
        "--require",
        "cop.vision",
        "--fail-under",
        "90",
        "--format",
        "junit",
        cwd=repo,
    )
    assert res.code == 1
    root = ET.fromstring(res.stdout)
    suite = root.find("testsuite[@name='policies/send.md']")
    assert suite is not None
    vision = suite.find("testcase[@name='cop.vision Achieve well and lead happy and fulfilled lives']")
    assert vision is not None and vision.find("failure") is not None
    gate = suite.find("testcase[@name='fail-under gate']")
    assert gate is not None and "under 90%" in gate.find("failure").get("message", "")  # type: ignore[union-attr]
    skipped = [c for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert len(skipped) == 1 and "Local Offer" in skipped[0].find("skipped").get("message", "")  # type: ignore[union-attr]
    assert suite.get("skipped") == "1"


def test_sarif_marks_baselined_results_and_validates(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    from jsonschema import Draft7Validator

    base = repo / "baseline.json"
    cli(
        "check", "policies", "--require", "cop.vision", "--baseline", str(base), "--update-baseline", cwd=repo
    )
    res = cli(
        "check",
        "policies",
        "--require",
        "cop.vision",
        "--require",
        "cop.choice-and-control",
        "--baseline",
        str(base),
        "--format",
        "sarif",
        cwd=repo,
    )
    assert res.code == 1
    sarif = json.loads(res.stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.schema.json").read_text("utf-8"))
    assert not list(Draft7Validator(schema).iter_errors(sarif))
    states = {r["ruleId"]: (r["baselineState"], r["level"]) for r in sarif["runs"][0]["results"]}
    assert states == {"cop.vision": ("unchanged", "note"), "cop.choice-and-control": ("new", "error")}


def test_progress_bar_only_on_a_terminal(repo: Path, run_cmd: Callable) -> None:  # type: ignore[type-arg]
    import os
    import pty
    import subprocess
    import sys

    quiet = run_cmd("check", "policies", "--format", "json", cwd=repo)
    assert quiet.stderr == ""
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "send_align", "check", "policies", "proposals", "--format", "json"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=follower,
        timeout=120,
        env={**os.environ, "TERM": "xterm"},
    )
    os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:
        pass
    os.close(leader)
    assert done.returncode in (0, 1)
    assert b"checking" in shown
    json.loads(done.stdout)  # the report itself is untouched by the bar


def test_sarif_records_exemptions_as_not_applicable(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    from jsonschema import Draft7Validator

    (repo / "policies" / "send.md").write_text(
        POLICY
        + "\n<!-- send-align: not-applicable cop.local-offer -- the council publishes the Local Offer -->\n",
        "utf-8",
    )
    sarif = json.loads(cli("check", "policies", "--format", "sarif", cwd=repo).stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.schema.json").read_text("utf-8"))
    assert not list(Draft7Validator(schema).iter_errors(sarif))
    (na,) = [r for r in sarif["runs"][0]["results"] if r.get("kind") == "notApplicable"]
    assert na["ruleId"] == "cop.local-offer" and "publishes the Local Offer" in na["message"]["text"]
    assert na["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/send.md"
