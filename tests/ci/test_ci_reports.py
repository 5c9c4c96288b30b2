"""The CI reports: two runs byte-identical in every format, gates and exemptions in JUnit and SARIF,
the progress bar only on a terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ci.support import POLICY


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html", "csv", "junit", "sarif", "github"])
def test_two_runs_are_byte_identical(repo: Path, run_cmd: Callable, fmt: str) -> None:  # type: ignore[type-arg]
    outs = [repo / f"out{n}.{fmt}" for n in (1, 2)]
    for out in outs:
        res = run_cmd("check", "policies", "proposals", "--format", fmt, "-o", str(out), cwd=repo)
        assert res.code in (0, 1), res.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert outs[0].stat().st_size > 200


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
    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.schema.json").read_text("utf-8"))
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
    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.schema.json").read_text("utf-8"))
    assert not list(Draft7Validator(schema).iter_errors(sarif))
    (na,) = [r for r in sarif["runs"][0]["results"] if r.get("kind") == "notApplicable"]
    assert na["ruleId"] == "cop.local-offer" and "publishes the Local Offer" in na["message"]["text"]
    assert na["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/send.md"
