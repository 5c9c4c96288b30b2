"""`check -o FILE`: the format the file's name asks for, and the one stderr line saying what was written."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.test_check import PROPOSAL

Cli = Callable[..., Result]


@pytest.fixture
def folder(sample_dir: Path) -> Path:
    """Our policy, a text file not about SEND, and a proposal with one unsupported claim."""
    (sample_dir / "proposal.yaml").write_text(PROPOSAL, encoding="utf-8")
    return sample_dir


def _json_report(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("report.html", lambda text: text.startswith("<!DOCTYPE html>")),
        ("REPORT.HTM", lambda text: text.startswith("<!DOCTYPE html>")),
        ("report.md", lambda text: text.startswith("# send-align coverage report")),
        ("report.json", lambda text: "documents" in json.loads(text)),
        ("report.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("scan.sarif.json", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("junit.xml", lambda text: ET.fromstring(text.encode()).tag == "testsuites"),
        ("report.csv", lambda text: text.lstrip("\ufeff").startswith("path,format,framework,aim")),
        ("report.txt", lambda text: "Coverage by framework" in text and not text.lstrip().startswith("{")),
    ],
)
def test_the_extension_chooses_the_format(
    folder: Path, tmp_path: Path, cli: Cli, name: str, looks_like: Callable[[str], bool]
) -> None:
    target = tmp_path / "out" / name
    res = cli("check", str(folder / "policy.md"), "-o", str(target))
    assert res.code == 0, res.stderr
    assert res.stdout == ""
    assert looks_like(target.read_text(encoding="utf-8")), target.read_text(encoding="utf-8")[:200]


def test_an_unknown_extension_keeps_the_table(folder: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "report.out"
    res = cli("check", str(folder / "policy.md"), "-o", str(target))
    assert res.code == 0, res.stderr
    assert "Coverage by framework" in target.read_text(encoding="utf-8")
    res = cli("check", str(folder / "policy.md"), "-o", str(target), "--format", "json")
    assert res.code == 0, res.stderr
    assert "documents" in _json_report(target)


def test_a_matching_format_is_accepted(folder: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "r.json"
    res = cli("check", str(folder / "policy.md"), "--format", "json", "-o", str(target))
    assert res.code == 0, res.stderr
    assert "documents" in _json_report(target)


def test_a_format_that_clashes_with_the_extension_is_refused(folder: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "report.html"
    res = cli("check", str(folder / "policy.md"), "--format", "json", "-o", str(target))
    assert res.code == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: ") and "--format is json" in lines[0] and "html" in lines[0]
    assert "Traceback" not in res.stderr
    assert not target.exists()


def test_the_configured_format_counts_as_given(folder: Path, tmp_path: Path, cli: Cli) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "policy.md").write_text((folder / "policy.md").read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "send-align.toml").write_text('paths = ["policy.md"]\nformat = "json"\n', encoding="utf-8")
    # an extension that says nothing: the configured format
    res = cli("check", "-o", "report.out", cwd=repo)
    assert res.code == 0, res.stderr
    assert "documents" in _json_report(repo / "report.out")
    # a clash with the configured format: refused, and --format on the command line settles it
    res = cli("check", "-o", "report.md", cwd=repo)
    assert res.code == 2 and "the configuration's format is json" in res.stderr
    assert "--format markdown" in res.stderr
    assert not (repo / "report.md").exists()
    res = cli("check", "-o", "report.md", "--format", "markdown", cwd=repo)
    assert res.code == 0, res.stderr
    assert (repo / "report.md").read_text(encoding="utf-8").startswith("# send-align coverage report")


def test_the_extension_wins_over_the_github_default(folder: Path, tmp_path: Path, run_cmd: Cli) -> None:
    target = tmp_path / "report.json"
    res = run_cmd(
        "check", str(folder / "policy.md"), "-o", str(target),
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": ""},
    )  # fmt: skip
    assert res.code == 0, res.stderr
    assert "documents" in _json_report(target)


def _wrote(res: Result) -> str:
    lines = [line for line in res.stderr.splitlines() if line.startswith("wrote ")]
    assert len(lines) == 1, res.stderr
    return lines[0]


def test_one_line_says_what_was_written_and_the_verdict(folder: Path, tmp_path: Path, run_cmd: Cli) -> None:
    target = tmp_path / "report.html"
    res = run_cmd("check", str(folder), "-o", str(target), "--no-progress")
    assert res.code == 1, res.stderr
    assert res.stdout == ""
    data = json.loads(run_cmd("check", str(folder), "--format", "json").stdout)
    addressed = sum(f["addressed"] for f in data["frameworks"])
    total = sum(f["total"] for f in data["frameworks"])
    assert total == 65
    said = _wrote(res)
    assert said == (
        f"wrote {target}: 3 documents, {addressed} of 65 aims addressed; gate failed: 1 unsupported claim"
    )


def test_the_verdict_names_each_kind_of_gate_failure(folder: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "r.csv"
    res = cli(
        "check", str(folder / "policy.md"), "-o", str(target),
        "--require", "cop.resolving-disagreements", "--require", "lfi.workstream-5", "--fail-under", "90",
    )  # fmt: skip
    assert res.code == 1
    said = _wrote(res)
    assert said.startswith(f"wrote {target}: 1 document, ")
    assert said.endswith("; gate failed: 1 coverage under the threshold, 2 required aims not addressed"), said


def test_the_verdict_passed_and_no_gates(folder: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "r.md"
    res = cli("check", str(folder / "policy.md"), "-o", str(target))
    assert _wrote(res).endswith("; no gates set")
    res = cli("check", str(folder / "policy.md"), "-o", str(target), "--fail-under", "1")
    assert res.code == 0 and _wrote(res).endswith("; gate passed")


def test_the_verdict_after_an_unreadable_document(folder: Path, tmp_path: Path, cli: Cli) -> None:
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    target = tmp_path / "r.json"
    res = cli("check", str(folder), "-o", str(target))
    assert res.code == 2
    said = _wrote(res)
    assert "1 input problem" in said and "gate" not in said
    assert target.exists()


def test_no_line_for_standard_output(folder: Path, cli: Cli) -> None:
    res = cli("check", str(folder / "policy.md"), "-o", "-", "--format", "json")
    assert res.code == 0
    assert "wrote" not in res.stderr
    assert json.loads(res.stdout)["documents"]


# --- the CSV report for spreadsheets ---------------------------------------------------------------------


def test_csv_has_a_bom_a_paragraph_column_and_no_formulas(tmp_path: Path, cli: Cli) -> None:
    from tests.conftest import make_docx

    doc = make_docx(
        tmp_path / "policy.docx",
        [
            ("h1", "Ashgrove School SEND policy"),
            ("p", "Our school is for every child, including children with special educational needs."),
            ("h2", "How we support pupils"),
            ("p", "=HYPERLINK(1) SEN support follows the graduated approach: assess, plan, do, review."),
        ],
    )
    target = tmp_path / "report.csv"
    res = cli("check", str(doc), "-o", str(target))
    assert res.code == 0, res.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpath,format,")  # UTF-8's byte-order mark, once, at the start
    assert raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    # The columns of the first release keep their places; paragraph, added later, is last.
    assert list(rows[0])[7:11] == ["evidence", "line", "column", "page"] and list(rows[0])[-1] == "paragraph"
    graduated = next(r for r in rows if r["aim"] == "cop.graduated-approach")
    assert graduated["status"] == "addressed"
    assert "assess, plan, do, review" in graduated["evidence"]
    # Word has no lines or pages to point at: the paragraph number does (the heading counts as one)
    assert graduated["paragraph"] == "4" and graduated["line"] == "" and graduated["page"] == ""
    assert graduated["evidence"].startswith("'=HYPERLINK(1)")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert all(r["paragraph"].isdigit() for r in rows if r["evidence"])


def test_csv_keeps_line_and_page_beside_the_paragraph(sample_dir: Path, tmp_path: Path, cli: Cli) -> None:
    from tests.conftest import make_pdf

    pdf = make_pdf(
        tmp_path / "offer.pdf",
        [
            ["Ashgrove local offer", "", "Our offer is published every spring."],
            ["SEN support follows the graduated approach: assess, plan, do, review."],
        ],
    )
    target = tmp_path / "r.csv"
    res = cli("check", str(sample_dir / "policy.md"), str(pdf), "-o", str(target))
    assert res.code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    md = next(r for r in rows if r["path"].endswith("policy.md") and r["aim"] == "cop.graduated-approach")
    assert md["line"] == "11" and md["paragraph"].isdigit() and int(md["paragraph"]) < 11
    on_pdf = next(r for r in rows if r["path"].endswith("offer.pdf") and r["aim"] == "cop.graduated-approach")
    assert (on_pdf["paragraph"], on_pdf["line"], on_pdf["page"]) == ("3", "1", "2")
