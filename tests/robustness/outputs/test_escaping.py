"""Escaping per channel: file names and strategy titles never drive a terminal or a CI log, and
SARIF artifact URIs are percent-encoded and valid."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.outputs.support import RAW_CONTROLS, assert_clean, hostile_strategy, run

INJECTION = "a\n::error file=README.md,line=1::forged\n::add-mask::x\nb.md"
OURS = ("::error file=", "::notice file=", "::group::", "::stop-commands::", "::endgroup::")


def test_file_names_cannot_inject_github_workflow_commands(good: Path) -> None:
    (good / INJECTION).write_text("", "utf-8")  # empty: an error naming the file on stderr and stdout
    (good / "b.md").write_text("# B\n\nWe identify special educational needs early.\n", "utf-8")
    r = run("check", good, "--format", "github", "--require", "cop.*", "--per-document")
    assert r.code == 2
    assert_clean(r)
    for row in r.stderr.splitlines():
        assert not row.lstrip().startswith("::"), row
    assert "a\\n::error file=README.md,line=1::forged\\n::add-mask::x\\nb.md: no text to check" in r.stderr
    rows = r.stdout.splitlines()
    start = next(i for i, row in enumerate(rows) if row.startswith("::stop-commands::"))
    token = rows[start].split("::")[2]
    end = rows.index(f"::{token}::")
    outside = rows[:start] + rows[end + 1 :]
    commands = [row for row in outside if row.lstrip().startswith("::")]
    assert commands and all(row.startswith(OURS) for row in commands), commands
    assert not any(row.startswith(("::error file=README.md", "forged")) for row in rows)


HOSTILE_NAMES = ["esc\x1b]0;owned\x07.md", "bidi\u202egnp.md", "bell\x07and\x1b[2Jclear.md", "tab\there.md"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "github"])
def test_hostile_file_names_are_shown_escaped_on_every_channel(good: Path, fmt: str) -> None:
    for name in HOSTILE_NAMES:
        (good / name).write_text(SEND_POLICY_MD, "utf-8")
    (good / "empty\u202e.md").write_text("", "utf-8")  # an error line naming it on stderr
    r = run("check", good, "--format", fmt, "--require", "cop.*", "--per-document", env={"FORCE_COLOR": "1"})
    assert r.code == 2
    assert_clean(r)
    for stream in (r.stderr, r.stdout if fmt != "table" else re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)):
        bad = RAW_CONTROLS.findall(stream)
        assert not bad, bad
    assert "empty\\u202e.md: no text to check" in r.stderr
    shown = {"table": "bidi\\u202egnp.md", "markdown": "bidi\\\\u202egnp.md", "github": "bidi\\u202egnp.md"}
    assert shown[fmt] in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["frameworks"],
        ["show", "evil"],
        ["show", "evil.one"],
        ["search", "aim", "one"],
        ["check", "--no-config", "-f", "evil", "--evidence", "2", "--require", "evil.one", "DOC"],
        ["explain", "DOC", "evil.one"],
        ["crosswalk"],
    ],
)
def test_strategy_titles_never_drive_the_terminal(tmp_path: Path, args: list[str]) -> None:
    strategies = hostile_strategy(tmp_path / "strategies")
    doc = tmp_path / "doc.md"
    doc.write_text("# Policy\n\nWe review support for special educational needs each term.\n", "utf-8")
    r = run(*[str(doc) if a == "DOC" else a for a in args], "--strategies", strategies)
    assert r.code in (0, 1), r.stderr
    assert_clean(r)
    bad = RAW_CONTROLS.findall(r.stdout + r.stderr)
    assert not bad, bad
    assert not any(row.lstrip().startswith("forged") for row in r.stdout.splitlines())
    if args[0] in ("frameworks", "show") and args[-1] != "evil.one":
        assert "\\u202eelif.exe\\nforged second line" in r.stdout


def test_sarif_uris_are_percent_encoded_and_valid(tmp_path: Path) -> None:
    from jsonschema import Draft4Validator, FormatChecker

    folder = tmp_path / "odd names"
    folder.mkdir()
    names = ["hash#frag.txt", "sp ace.txt", "café – naïve.md", "per%cent.md", "q?uery.md", "co:lon.md"]
    for name in names:
        (folder / name).write_text(SEND_POLICY_MD, "utf-8")
    r = run("check", ".", "--format", "sarif", "--require", "cop.*", "--per-document", cwd=folder)
    assert r.code == 1, r.stderr
    sarif = json.loads(r.stdout)
    schema = json.loads((Path(__file__).parents[2] / "data" / "sarif-2.1.0.schema.json").read_text())
    checker = FormatChecker()
    assert "uri-reference" in checker.checkers, "install rfc3986-validator (the test extras)"
    errors = list(Draft4Validator(schema, format_checker=checker).iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    from urllib.parse import unquote

    assert {unquote(u) for u in uris} == set(names)
    assert {"hash%23frag.txt", "sp%20ace.txt", "caf%C3%A9%20%E2%80%93%20na%C3%AFve.md", "co%3Alon.md"} <= uris
