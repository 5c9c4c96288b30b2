"""Every report format rendered from the same real check: contents, escaping, schema or parser validity."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from send_align.report import formatters
from send_align.reporting import CHECK_FORMATS
from tests.test_check import PROPOSAL

HOSTILE = '<script>alert(1)</script> | [x](http://evil) =HYPERLINK("http://evil") \x0b ![img](a.png)'


@pytest.fixture
def checked(sample_dir: Path) -> Path:
    (sample_dir / "proposal.yaml").write_text(PROPOSAL, encoding="utf-8")
    # Plain text keeps hostile markup verbatim (the Markdown reader would blank it), so the formats must escape it.
    (sample_dir / "hostile.txt").write_text(
        f"SEND policy\n\nPupils with SEND follow the graduated approach {HOSTILE}.\n\n"
        "=SUM(A1) SEN support follows the graduated approach: assess, plan, do, review.\n\n"
        # (A line that only this one speaks for, so a formula-like cell is sure to be written.)
        "=SUM(A1) Each child's EHC plan is reviewed with the family every year.\n",
        encoding="utf-8",
    )
    return sample_dir


def run(cli: Callable[..., object], folder: Path, fmt: str, *extra: str):  # type: ignore[no-untyped-def]
    return cli("check", str(folder), "--format", fmt, "--require", "cop.resolving-disagreements", *extra)


def test_registry_matches_the_enum() -> None:
    assert set(formatters()) == set(CHECK_FORMATS)


def test_every_format_is_deterministic(checked: Path, cli: Callable[..., object]) -> None:
    for fmt in CHECK_FORMATS:
        first, second = run(cli, checked, fmt.value), run(cli, checked, fmt.value)
        assert first.stdout == second.stdout, fmt
        assert first.code == 1, (fmt, first.code, first.stderr)  # the require gate and a claim fail


def test_markdown_summary(checked: Path, cli: Callable[..., object]) -> None:
    out = cli("check", str(checked), "--format", "markdown").stdout
    assert out.startswith("# send-align coverage report")
    assert "| Local First Inclusion SEND and AP Improvement Programme (`lfi`) |" in out
    assert "## Gate failed" in out and "claim area-send.priority-4 is not supported" in out
    assert "| `area-send.priority-4` Preparing young people for adult life | ❌ unsupported |" in out
    assert "- ✅ `cop.graduated-approach`" in out and "Gaps: " in out
    assert "<script>" not in out and "](http://evil)" not in out
    assert "\\<script\\>" in out and "\\|" in out


def test_csv_rows_and_formula_neutralising(checked: Path, cli: Callable[..., object]) -> None:
    out = cli("check", str(checked), "--format", "csv").stdout
    assert out.startswith("\ufeffpath,")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:6] == ["path", "format", "framework", "aim", "title", "status"]
    assert rows[0][7:10] == ["evidence", "line", "column"] and rows[0][-1] == "paragraph"
    docs = {r[0] for r in rows[1:]}
    assert len(rows) - 1 == 65 * len(docs)
    graduated = next(r for r in rows if r[0].endswith("policy.md") and r[3] == "cop.graduated-approach")
    assert graduated[5] == "addressed" and graduated[8] == "11" and "assess, plan, do, review" in graduated[7]
    for r in rows[1:]:
        for value in r:
            assert not value.startswith(("=", "+", "-", "@")), value
    assert any(v.startswith("'=SUM(A1)") for r in rows for v in r)


def test_junit_is_valid_xml_with_failures(checked: Path, cli: Callable[..., object]) -> None:
    out = run(cli, checked, "junit").stdout
    root = ET.fromstring(out.encode())
    suites = root.findall("testsuite")
    assert {s.get("name") for s in suites} >= {str(checked / "policy.md"), str(checked / "proposal.yaml")}
    policy = next(s for s in suites if s.get("name", "").endswith("policy.md"))
    assert policy.get("tests") == "65"
    failing = [c.get("name", "") for c in policy.iter("testcase") if c.find("failure") is not None]
    assert [n.split()[0] for n in failing] == ["cop.resolving-disagreements"]
    proposal = next(s for s in suites if s.get("name", "").endswith("proposal.yaml"))
    claim_fail = [
        c for c in proposal.iter("testcase") if c.get("name", "").startswith("area-send.priority-4")
    ]
    assert claim_fail[0].find("failure") is not None
    assert int(root.get("failures", "0")) >= 2
    assert "\x0b" not in out


def test_junit_require_failure_marks_the_aim(checked: Path, cli: Callable[..., object]) -> None:
    out = cli(
        "check", str(checked / "policy.md"), "--format", "junit", "--require", "dfe-ap.tailored-lists"
    ).stdout
    root = ET.fromstring(out.encode())
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith("dfe-ap.tailored-lists"))
    assert "required aim dfe-ap.tailored-lists is not addressed" in case.find("failure").get("message", "")


def test_sarif_validates_against_the_official_schema(checked: Path, cli: Callable[..., object]) -> None:
    res = cli(
        "check", str(checked), "--format", "sarif", "--fail-under", "99", "--require", "dfe-ap.mediation"
    )
    assert res.code == 1
    sarif = json.loads(res.stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.schema.json").read_text())
    errors = list(Draft4Validator(schema).iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]
    run_ = sarif["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert len(rule_ids) == 66 and "lfi.principle-6" in rule_ids
    kinds = {r["ruleId"]: r for r in run_["results"]}
    assert "send-align.coverage" in kinds and "dfe-ap.mediation" in kinds
    claim = kinds["area-send.priority-4"]
    loc = claim["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("proposal.yaml") and loc["region"]["startLine"] == 10
    for r in run_["results"]:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]
