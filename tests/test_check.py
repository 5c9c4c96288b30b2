"""`check` and `explain` through the real CLI: the JSON contract, gates and exit codes, bad files among good."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from send_align.resources import schema
from tests.conftest import make_docx, make_pdf

PROPOSAL = """\
proposal:
  title: Open a resource base for autistic pupils at Hilltop Primary
  owner: Inclusion team
  summary: >
    Open a specialist resource base with twelve new places for autistic pupils with special educational
    needs, so that children can go to school close to home.
  claims:
    - aim: lfi.workstream-5
      how: Twelve new SRB places.
    - aim: area-send.priority-4
      how: Pupils will be ready for adult life.
  sections:
    - heading: What the base will do
      text: |
        The base will offer small-group teaching and speech and language therapy for autistic pupils
        with special educational needs.
"""


def report_of(res) -> dict:  # type: ignore[no-untyped-def, type-arg]
    data = json.loads(res.stdout)
    errors = sorted(Draft202012Validator(schema("report")).iter_errors(data), key=str)
    assert not errors, [e.message for e in errors]
    return data  # type: ignore[no-any-return]


def aim_status(doc: dict, aim_id: str) -> str:  # type: ignore[type-arg]
    return next(a["status"] for a in doc["aims"] if a["id"] == aim_id)


def test_json_report_follows_the_contract(sample_dir: Path, cli: Callable[..., object]) -> None:
    res = cli("check", str(sample_dir), "--format", "json")
    assert res.code == 0, res.stderr
    data = report_of(res)
    assert data["schema_version"] == "1" and data["tool"]["name"] == "send-align"
    paths = [d["path"] for d in data["documents"]]
    assert paths == [str(sample_dir / "policy.md"), str(sample_dir / "verges.txt")]
    policy, verges = data["documents"]
    assert len(policy["aims"]) == 65 and len({a["id"] for a in policy["aims"]}) == 65
    assert aim_status(policy, "cop.graduated-approach") == "addressed"
    assert aim_status(policy, "lfi.principle-6") == "addressed"
    ev = next(a for a in policy["aims"] if a["id"] == "cop.graduated-approach")["evidence"][0]
    assert (
        ev["line"] == 11 and ev["section"] == "Identifying needs" and "assess, plan, do, review" in ev["text"]
    )
    assert all(a["status"] == "not-addressed" for a in verges["aims"])
    assert "claims" not in policy
    lfi = next(f for f in data["frameworks"] if f["id"] == "lfi")
    assert lfi["total"] == 17 and lfi["coverage"] == round(100 * lfi["addressed"] / 17, 1)


def test_relative_paths_stay_relative(sample_dir: Path, cli: Callable[..., object]) -> None:
    data = report_of(cli("check", ".", "--format", "json", cwd=sample_dir))
    assert [d["path"] for d in data["documents"]] == ["policy.md", "verges.txt"]
    data = report_of(cli("check", "docs/policy.md", "--format", "json", cwd=sample_dir.parent))
    assert data["documents"][0]["path"] == "docs/policy.md"


def test_output_is_deterministic(sample_dir: Path, cli: Callable[..., object]) -> None:
    first = cli("check", str(sample_dir), "--format", "json").stdout
    second = cli("check", str(sample_dir), "--format", "json").stdout
    assert first == second


def test_framework_selection(sample_dir: Path, cli: Callable[..., object]) -> None:
    data = report_of(cli("check", str(sample_dir), "-f", "cop", "-f", "lfi", "--format", "json"))
    assert [f["id"] for f in data["frameworks"]] == ["cop", "lfi"]
    assert len(data["documents"][0]["aims"]) == 35
    bad = cli("check", str(sample_dir), "-f", "nope")
    assert bad.code == 2 and "unknown framework 'nope'" in bad.stderr


def test_fail_under_and_require_gates(sample_dir: Path, cli: Callable[..., object]) -> None:
    policy = str(sample_dir / "policy.md")
    assert cli("check", policy, "--fail-under", "5").code == 0
    res = cli("check", policy, "--fail-under", "99", "--format", "json")
    assert res.code == 1
    assert report_of(res)["gate"]["failures"][0]["kind"] == "fail-under"
    assert cli("check", policy, "--fail-under", "lfi=99").code == 1
    assert cli("check", policy, "--require", "cop.graduated-approach").code == 0
    res = cli("check", policy, "--require", "cop.tribunal-x")
    assert res.code == 2 and "matches no aim id" in res.stderr
    res = cli("check", policy, "--require", "dfe-ap.*", "--format", "json")
    assert res.code == 1
    failing = {f["aim"] for f in report_of(res)["gate"]["failures"]}
    assert "dfe-ap.tailored-lists" in failing and "dfe-ap.vision-inclusive-society" not in failing
    assert cli("check", policy, "--fail-under", "abc").code == 2


def test_proposal_claims(tmp_path: Path, cli: Callable[..., object]) -> None:
    p = tmp_path / "p.yaml"
    p.write_text(PROPOSAL, encoding="utf-8")
    res = cli("check", str(p), "--format", "json")
    assert res.code == 1  # one claim is unsupported
    doc = report_of(res)["documents"][0]
    assert doc["format"] == "proposal"
    assert {c["aim"]: c["status"] for c in doc["claims"]} == {
        "lfi.workstream-5": "supported",
        "area-send.priority-4": "unsupported",
    }
    assert "lfi.aim-right-support-locally" in doc["further_alignment"]
    assert "lfi.workstream-5" not in doc["further_alignment"]


def test_claim_with_unknown_aim_is_bad_input(
    tmp_path: Path, sample_dir: Path, cli: Callable[..., object]
) -> None:
    p = tmp_path / "p.yaml"
    p.write_text(PROPOSAL.replace("aim: lfi.workstream-5", "aim: lfi.workstream-55"), encoding="utf-8")
    res = cli("check", str(p), str(sample_dir / "policy.md"), "--format", "json")
    assert res.code == 2
    assert f"{p}:8: claim names unknown aim 'lfi.workstream-55'" in res.stderr
    docs = json.loads(res.stdout)["documents"]
    assert docs[0]["error"] and docs[1]["aims"]


def test_bad_files_are_reported_and_the_rest_checked(sample_dir: Path, cli: Callable[..., object]) -> None:
    (sample_dir / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (sample_dir / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (sample_dir / "notes.xyz").write_text("x")
    (sample_dir / ".hidden").mkdir()
    (sample_dir / ".hidden" / "secret.md").write_text("SEND")
    res = cli("check", str(sample_dir), "--format", "json")
    assert res.code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 2 and all(ln.startswith("error: ") for ln in lines)
    assert any("broken.pdf" in ln for ln in lines) and any(
        "locked.docx" in ln and "encrypted" in ln for ln in lines
    )
    data = report_of(res)
    by_path = {Path(d["path"]).name: d for d in data["documents"]}
    assert by_path["policy.md"]["aims"] and by_path["broken.pdf"]["error"]
    assert "secret.md" not in " ".join(by_path)
    assert [Path(s["path"]).name for s in data["skipped"]] == ["notes.xyz"]


def test_empty_document_is_an_error_not_zero_coverage(sample_dir: Path, cli: Callable[..., object]) -> None:
    (sample_dir / "blank.md").write_text("\n\n<!-- nothing yet -->\n", encoding="utf-8")
    res = cli("check", str(sample_dir), "--format", "json")
    assert res.code == 2 and "blank.md: no text to check" in res.stderr
    docs = {Path(d["path"]).name: d for d in report_of(res)["documents"]}
    assert docs["blank.md"]["error"] and docs["policy.md"]["aims"]


def test_missing_path_and_unsupported_file(tmp_path: Path, cli: Callable[..., object]) -> None:
    res = cli("check", str(tmp_path / "nope.md"))
    assert res.code == 2 and "no such file or folder" in res.stderr
    other = tmp_path / "x.xyz"
    other.write_text("hello")
    res = cli("check", str(other))
    assert res.code == 2 and "unsupported file type '.xyz'" in res.stderr


def test_output_file_and_refusing_to_overwrite_inputs(
    sample_dir: Path, tmp_path: Path, cli: Callable[..., object]
) -> None:
    out = tmp_path / "report.json"
    res = cli("check", str(sample_dir), "--format", "json", "-o", str(out))
    assert res.code == 0 and res.stdout == ""
    assert json.loads(out.read_text())["documents"]
    policy = sample_dir / "policy.md"
    before = policy.read_text()
    res = cli("check", str(policy), "-o", str(policy))
    assert res.code == 2 and "inputs are never overwritten" in res.stderr
    assert policy.read_text() == before
    res = cli("check", str(policy), "--format", "json", "-o", str(tmp_path / "new" / "dir" / "r.json"))
    assert res.code == 0 and json.loads((tmp_path / "new" / "dir" / "r.json").read_text())["documents"]
    res = cli("check", str(policy), "-o", str(policy / "r.json"))
    assert res.code == 2 and "policy.md is not a folder" in res.stderr


def test_table_report_reads_at_80_columns(
    sample_dir: Path, cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    res = cli("check", str(sample_dir), "--detail")  # two documents: each aim with --detail
    assert res.code == 0
    lines = res.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    assert "Coverage by framework" in res.stdout and "cop.graduated-approach" in res.stdout
    assert "line 11" in res.stdout and "\x1b[" not in res.stdout


def test_all_formats_in_one_folder(tmp_path: Path, cli: Callable[..., object]) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    make_docx(
        d / "a.docx",
        [
            ("h1", "SEND policy"),
            (
                "p",
                "Pupils with special educational needs follow the "
                "graduated approach: assess, plan, do, review.",
            ),
            ("p", "Our SENCo is a qualified teacher who leads SEN provision."),
        ],
    )
    make_pdf(
        d / "b.pdf",
        [
            [
                "SEN information report",
                "We contribute to the SEND Local Offer.",
                "SENDIASS gives parents impartial advice about SEND.",
            ]
        ],
    )
    data = report_of(cli("check", str(d), "--format", "json"))
    a, b = data["documents"]
    assert (
        aim_status(a, "cop.graduated-approach") == "addressed" and aim_status(a, "cop.senco") == "addressed"
    )
    assert aim_status(b, "cop.information-advice-support") == "addressed"
    ev = next(x for x in b["aims"] if x["id"] == "cop.information-advice-support")["evidence"][0]
    assert ev["page"] == 1 and ev["line"] is not None


def test_explain_shows_kept_and_discarded_hits(tmp_path: Path, cli: Callable[..., object]) -> None:
    p = tmp_path / "d.md"
    p.write_text(
        "# SEND report\n\nPupils with SEND are supported here.\n\n"
        "The council will no longer fund the resourced provision for deaf pupils.\n\n"
        "We follow advice from the Sensory Support service for pupils with a hearing impairment.\n",
        encoding="utf-8",
    )
    res = cli("explain", str(p), "cop.need-sensory-physical")
    assert res.code == 0
    # The need word stands after the negated verb's object: the rule's provision word there is not usable.
    assert "discarded: no usable word of the rule's group 1" in res.stdout
    assert "negated or stopped ('no longer' before it)" in res.stdout
    assert "✔ line 7" in res.stdout and "addressed" in res.stdout
    data = cli("explain", str(p), "cop.need-sensory-physical", "--format", "json").json()
    assert data["status"] == "addressed" and data["context"]["name"] == "send"
    rule = data["rules"][0]
    assert rule["kept"][0]["line"] == 7 and rule["discarded"][0]["line"] == 5
    assert cli("explain", str(p), "cop.nope").code == 2
    assert cli("explain", str(tmp_path / "missing.md"), "cop.senco").code == 2
