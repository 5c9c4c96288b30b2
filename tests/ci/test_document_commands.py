"""explain, diff and annotate read the configuration as check does: its strategy folders, its frameworks and its
exemptions, the same errors for a bad one, and paths shown from the repository's folder, run from a sub-folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ci.support import POLICY
from tests.conftest import make_docx
from tests.test_check import report_of

TOWN = """schema_version: 1
framework: {id: town, title: Town Charter, publisher: Town Council, year: 2025, version: "1", source: Charter}
aims:
  - id: town.voice
    title: Pupils have a say
    kind: commitment
    statement: Pupils' views shape the school's choices.
    source: Charter 1
    rules:
      - id: council
        phrases: [school council]
"""
CONFIG = """\
strategies = ["local"]
frameworks = ["town", "cop"]
paths = ["policies"]

[[not-applicable]]
aim = "cop.participation"
reason = "the trust's own policy covers parents"
paths = ["policies/**"]
"""
EXEMPT = "cop.participation"  # addressed by POLICY (pupils' views at every review), exempted by CONFIG
Cli = Callable[..., Any]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with its configuration, a local strategy folder, a policy, and a sub-folder to work in."""
    (tmp_path / "send-align.toml").write_text(CONFIG, "utf-8")
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "town.yaml").write_text(TOWN, "utf-8")
    (tmp_path / "policies" / "drafts").mkdir(parents=True)
    (tmp_path / "policies" / "send.md").write_text(POLICY, "utf-8")
    (tmp_path / "review").mkdir()
    return tmp_path


def _checked(cli: Cli, cwd: Path, doc: str = "../send.md", *more: str) -> dict[str, dict[str, Any]]:
    """Each aim of the document as check reports it, by id."""
    res = cli("check", doc, "--format", "json", *more, cwd=cwd)
    assert res.code in (0, 1), res.stderr
    (document,) = report_of(res)["documents"]
    assert document["path"] == "policies/send.md"
    return {a["id"]: a for a in document["aims"]}


def test_explain_agrees_with_check_on_exemptions_and_local_aims(repo: Path, cli: Cli) -> None:
    here = repo / "policies" / "drafts"
    aims = _checked(cli, here)
    assert aims[EXEMPT]["status"] == "not-applicable" and aims["town.voice"]["status"] == "addressed"
    for aim in (EXEMPT, "town.voice", "cop.senco"):
        res = cli("explain", "../send.md", aim, "--format", "json", cwd=here)
        assert res.code == 0, res.stderr
        got = res.json()
        assert got["path"] == "policies/send.md"
        assert (got["status"], got["reason"]) == (aims[aim]["status"], aims[aim]["reason"]), aim
    assert "the trust's own policy covers parents (send-align.toml)" in aims[EXEMPT]["reason"]
    text = cli("explain", "../send.md", EXEMPT, cwd=here).stdout
    assert "in policies/send.md" in text and "not-applicable" in text
    # Without the configuration the aim is judged on its words, and the local framework is unknown.
    plain = cli("explain", "../send.md", EXEMPT, "--format", "json", "--no-config", cwd=here).json()
    assert plain["status"] == "addressed" and plain["path"] == "../send.md"
    unknown = cli("explain", "../send.md", "town.voice", "--no-config", cwd=here)
    assert unknown.code == 2 and "town.voice" in unknown.stderr


def test_annotate_marks_what_check_counts_and_leaves_exempted_evidence_out(repo: Path, cli: Cli) -> None:
    here = repo / "policies" / "drafts"
    aims = _checked(cli, here)
    res = cli("annotate", "../send.md", "-o", "../../review/send.html", cwd=here)
    assert res.code == 0, res.stderr
    gaps = sum(a["status"] == "not-addressed" for a in aims.values())
    assert res.stderr == f"wrote review/send.html: 3 paragraphs of evidence marked, {gaps} gaps listed\n"
    page = (repo / "review" / "send.html").read_text("utf-8")
    assert "town.voice" in page and EXEMPT not in page
    assert "lfi." not in page  # the configuration's frameworks, not all five
    # --framework overrides the configuration's list, as it does for check.
    only = cli("annotate", "../send.md", "-o", "../../review/town.html", "-f", "town", cwd=here)
    assert only.code == 0 and "0 gaps listed" in only.stderr
    assert "cop." not in (repo / "review" / "town.html").read_text("utf-8")
    # --no-config: the exempted evidence is marked again, named as typed.
    res = cli("annotate", "../send.md", "-o", "plain.html", "--no-config", cwd=here)
    assert res.code == 0 and res.stderr.startswith("wrote plain.html: ")
    assert EXEMPT in (here / "plain.html").read_text("utf-8")


def test_word_comments_leave_the_exempted_aim_out(repo: Path, cli: Cli) -> None:
    import docx

    make_docx(
        repo / "policies" / "send.docx",
        [("h1", "Hilltop SEND policy"), *(("p", line) for line in POLICY.splitlines()[2:] if line)],
    )
    here = repo / "policies" / "drafts"
    check = cli("check", "../send.docx", "--format", "json", cwd=here)
    (document,) = report_of(check)["documents"]
    assert {a["id"]: a["status"] for a in document["aims"]}[EXEMPT] == "not-applicable"
    res = cli("annotate", "../send.docx", "-o", "../../review/send.docx", cwd=here)
    assert res.code == 0 and res.stderr.startswith("wrote review/send.docx: "), res.stderr
    comments = [c.text for c in docx.Document(str(repo / "review" / "send.docx")).comments]
    assert any("town.voice" in c for c in comments)
    assert not any(EXEMPT in c for c in comments)
    plain = cli("annotate", "../send.docx", "-o", "plain.docx", "--no-config", "-f", "cop", cwd=here)
    assert plain.code == 0
    assert any(EXEMPT in c.text for c in docx.Document(str(here / "plain.docx")).comments)


def test_diff_takes_the_configuration_s_frameworks_and_exemptions(repo: Path, cli: Cli) -> None:
    before = repo / "policies" / "before.md"
    # Without the pupils' views or the termly meeting where parents agree outcomes (which alone reads as
    # participation in decisions): an older draft that addressed neither EXEMPT nor town.voice.
    before.write_text(
        "\n".join(line for line in POLICY.splitlines() if "views" not in line and "parents" not in line) + "\n",
        "utf-8",
    )
    here = repo / "policies" / "drafts"
    res = cli("diff", "../before.md", "../send.md", "--format", "json", cwd=here)
    assert res.code == 0, res.stderr
    data = res.json()
    assert (data["old"], data["new"]) == ("policies/before.md", "policies/send.md")
    assert [f["id"] for f in data["frameworks"]] == ["town", "cop"]
    changes = {c["aim"]: c["change"] for c in data["changes"]}
    assert changes["town.voice"] == "gained"  # the local strategy folder's aim
    assert EXEMPT not in changes  # not applicable in both: no change
    plain = cli("diff", "../before.md", "../send.md", "--format", "json", "--no-config", cwd=here).json()
    assert (plain["old"], plain["new"]) == ("../before.md", "../send.md")
    assert {"aim": EXEMPT, "change": "gained"}.items() <= next(
        c for c in plain["changes"] if c["aim"] == EXEMPT
    ).items()
    assert len(plain["frameworks"]) == 5
    only = cli("diff", "../before.md", "../send.md", "--format", "json", "-f", "town", cwd=here).json()
    assert [f["id"] for f in only["frameworks"]] == ["town"]


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "../send.md", "cop.senco"],
        ["annotate", "../send.md", "-o", "out.html"],
        ["diff", "../send.md", "../send.md"],
    ],
)
def test_a_bad_configuration_is_one_line_and_exit_2_and_no_config_ignores_it(
    repo: Path, cli: Cli, args: list[str]
) -> None:
    here = repo / "policies" / "drafts"
    (repo / "send-align.toml").write_text(CONFIG.replace('frameworks = ["town", "cop"]', "frameworks = ["), "utf-8")
    res = cli(*args, cwd=here)
    assert res.code == 2 and res.stdout == ""
    assert res.stderr.startswith("error: send-align.toml:") and res.stderr.count("\n") == 1, res.stderr
    assert "not valid TOML" in res.stderr
    assert not (here / "out.html").exists()
    # The same words as check for a configuration that names an unknown framework.
    (repo / "send-align.toml").write_text(CONFIG.replace('"town", "cop"', '"town", "nope"'), "utf-8")
    same = cli("check", "../send.md", cwd=here)
    res = cli(*args, cwd=here)
    assert res.code == 2 and res.stderr == same.stderr and "unknown framework 'nope'" in res.stderr
    ok = cli(*args, "--no-config", cwd=here)
    assert ok.code == 0, ok.stderr
    named = cli(*args, "--config", "missing.toml", cwd=here)
    assert named.code == 2 and named.stderr == "error: missing.toml: configuration file not found\n"


def test_standard_input_is_read_as_check_reads_it(repo: Path, run_cmd: Cli) -> None:
    here = repo / "policies" / "drafts"
    name = ["--stdin-name", "policies/piped.md"]
    check = run_cmd("check", "-", *name, "--format", "json", cwd=here, input=POLICY)
    (document,) = json.loads(check.stdout)["documents"]
    status = {a["id"]: a["status"] for a in document["aims"]}
    res = run_cmd("explain", "-", "town.voice", *name, "--format", "json", cwd=here, input=POLICY)
    assert res.code == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["path"] == document["path"] == "policies/piped.md"
    assert got["status"] == status["town.voice"] == "addressed"
    # The configuration's path patterns match the name given, as they would a file saved under it.
    exempt = run_cmd("explain", "-", EXEMPT, *name, "--format", "json", cwd=here, input=POLICY)
    assert status[EXEMPT] == json.loads(exempt.stdout)["status"] == "not-applicable"
    res = run_cmd("annotate", "-", "-o", "../../review/piped.html", *name, cwd=here, input=POLICY)
    assert res.code == 0, res.stderr
    gaps = sum(s == "not-addressed" for s in status.values())
    assert res.stderr.endswith(f", {gaps} gaps listed\n") and res.stderr.startswith("wrote review/piped.html:")
    page = (repo / "review" / "piped.html").read_text("utf-8")
    assert "policies/piped.md" in page and "town.voice" in page
    # A Word document piped in is written back with comments: the name's suffix picks the reader.
    nameless = run_cmd("annotate", "-", "-o", "x.docx", cwd=here, input=POLICY)
    assert nameless.code == 2 and nameless.stderr.count("\n") == 1 and "Word comments" in nameless.stderr


def test_diff_reads_one_version_from_standard_input(repo: Path, run_cmd: Cli) -> None:
    here = repo / "policies" / "drafts"
    older = POLICY.replace(", and our school council helped choose the new reading books", "")
    assert older != POLICY
    res = run_cmd("diff", "-", "../send.md", "--stdin-name", "policies/old.md", "--format", "json", cwd=here, input=older)
    assert res.code == 0, res.stderr
    got = json.loads(res.stdout)
    assert (got["old"], got["new"]) == ("policies/old.md", "policies/send.md")
    gained = {c["aim"] for c in got["changes"] if c["change"] == "gained"}
    assert gained == {"town.voice"}, got["changes"]
    # The other way round the aim is lost, and --fail-on-loss fails on it.
    res = run_cmd("diff", "../send.md", "-", "--fail-on-loss", "--format", "json", cwd=here, input=older)
    assert res.code == 1, res.stderr
    got = json.loads(res.stdout)
    assert got["new"] == "stdin.txt" and {c["aim"] for c in got["changes"] if c["change"] == "lost"} == {"town.voice"}
    for args, words in (
        (["-", "-"], "OLD and NEW cannot both be standard input"),
        (["-", "--rev", "HEAD.."], "--rev reads PATH from git, not standard input"),
    ):
        res = run_cmd("diff", *args, cwd=here, input=older)
        assert res.code == 2 and res.stdout == "", args
        assert res.stderr.startswith(f"error: {words}") and res.stderr.count("\n") == 1, res.stderr


def test_annotate_is_quiet_on_request_or_by_configuration(repo: Path, cli: Cli) -> None:
    here = repo / "policies" / "drafts"
    loud = cli("annotate", "../send.md", "-o", "../../review/a.html", cwd=here)
    assert loud.code == 0 and loud.stderr.startswith("wrote review/a.html: "), loud.stderr
    quiet = cli("annotate", "../send.md", "-o", "../../review/b.html", "-q", cwd=here)
    assert quiet.code == 0 and quiet.stderr == "" and quiet.stdout == ""
    (repo / "send-align.toml").write_text("quiet = true\n" + CONFIG, "utf-8")
    configured = cli("annotate", "../send.md", "-o", "../../review/c.html", cwd=here)
    assert configured.code == 0 and configured.stderr == ""
    pages = [(repo / "review" / f"{n}.html").read_text("utf-8") for n in "abc"]
    assert pages[0] == pages[1] == pages[2] and "town.voice" in pages[0]  # the same copy, only said or not
    # Errors are still printed.
    bad = cli("annotate", "../missing.md", "-o", "../../review/d.html", "-q", cwd=here)
    assert bad.code == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1


def test_a_folder_is_not_a_document(repo: Path, cli: Cli) -> None:
    for args in (["explain", "..", "cop.senco"], ["annotate", "..", "-o", "x.html"], ["diff", "..", "../send.md"]):
        res = cli(*args, cwd=repo / "policies" / "drafts")
        assert res.code == 2, args
        assert res.stderr == "error: policies: a folder, not a document (name one document in it)\n", args


def test_check_says_where_it_wrote_from_the_repository(repo: Path, cli: Cli) -> None:
    res = cli("check", "../send.md", "-o", "../../review/report.json", cwd=repo / "policies" / "drafts")
    assert res.stderr.startswith("wrote review/report.json: 1 document, "), res.stderr
    assert json.loads((repo / "review" / "report.json").read_text("utf-8"))["documents"][0]["path"] == (
        "policies/send.md"
    )
