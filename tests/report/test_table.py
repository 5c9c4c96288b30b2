"""The terminal report: one line per document for several, every aim with --detail or for one, --quiet for
CI, a document not about SEND said once, and nothing cut off at 80 or 60 columns, or in a pipe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from send_align.strategies import load_catalogue

POLICY = (
    "# Inclusion policy\n\nWe involve parents and carers in every decision about their child's support, and the "
    "SENCO meets each family termly to review the plan together.\n\nPupils with special educational needs "
    "follow the graduated approach: assess, plan, do, review.\n"
)
VERGES = (
    "# Rural verge cutting 2026\n\nThis policy keeps roads safe by keeping sightlines clear at junctions.\n\n"
    "Wildflowers flourish where verges are cut less often, and early cuts are avoided.\n"
)
AIM_LINE = re.compile(r"^    [✔◐✘–] (\S+)(?:  (.*?))?(?:  (\d\.\d\d))?$")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "policies"
    d.mkdir()
    (d / "inclusion-policy-for-hilltop-primary-school-2026.md").write_text(POLICY, encoding="utf-8")
    (d / "verges.md").write_text(VERGES, encoding="utf-8")
    return d


def test_several_documents_get_one_line_each_then_totals_then_the_verdict(
    folder: Path, cli: Callable[..., Any]
) -> None:
    res = cli("check", "policies", cwd=folder.parent)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    rows = [ln for ln in lines if ln.startswith(("policies/", "…"))]  # a long name cut at its start
    assert len(rows) == 2  # one line per document, nothing else about them
    policy = next(r for r in rows if "inclusion" in r)
    figures = policy.split()[1:]
    assert len(figures) == 6 and all(re.fullmatch(r"\d+%", f) for f in figures[:5])  # 5 frameworks, gaps
    assert not any(AIM_LINE.match(ln) for ln in lines)  # no per-aim lines
    assert lines.index(next(ln for ln in lines if ln.startswith("Coverage by framework"))) > lines.index(policy)
    assert lines[-1] == "no gates set"  # the verdict comes last
    detail = cli("check", "policies", "--detail", cwd=folder.parent)
    assert any(AIM_LINE.match(ln) and "cop.participation" in ln for ln in detail.stdout.splitlines())
    # One document is shown in detail without being asked.
    one = cli("check", "policies/inclusion-policy-for-hilltop-primary-school-2026.md", cwd=folder.parent)
    assert sum(bool(AIM_LINE.match(ln)) for ln in one.stdout.splitlines()) == 65


def test_a_document_not_about_send_is_said_once_not_with_a_cross_per_aim(
    folder: Path, cli: Callable[..., Any]
) -> None:
    summary = cli("check", "policies", cwd=folder.parent)
    verges = next(ln for ln in summary.stdout.splitlines() if "verges.md" in ln)
    assert "not about SEND" in verges and "%" not in verges
    detail = cli("check", "policies/verges.md", cwd=folder.parent)
    out = detail.stdout
    assert out.count("not about SEND") == 1
    crossed = [m.group(1) for ln in out.splitlines() if (m := AIM_LINE.match(ln))]
    # Only the aims that need no SEND context (some of flourish's, for all children) are listed.
    assert crossed and all(aim.startswith("flourish.") for aim in crossed)
    assert "cop.vision" not in out
    # The SEND policy beside it is listed in full.
    both = cli("check", "policies", "--detail", cwd=folder.parent)
    assert both.stdout.count("not about SEND") == 1 and "cop.vision" in both.stdout


@pytest.mark.parametrize("columns", [80, 60])
def test_nothing_runs_off_the_line_and_no_score_falls_off(
    columns: int, folder: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    titles = {a.id: a.title for a in load_catalogue([], None).aims()}
    for args in (["policies"], ["policies", "--detail"]):
        res = cli("check", *args, cwd=folder.parent)
        assert res.code == 0, res.stderr
        lines = res.stdout.splitlines()
        assert max(cell_len(ln) for ln in lines) <= columns
        for ln in lines:
            m = AIM_LINE.match(ln)
            if not m:
                continue
            aim, title, score = m.groups()
            if ln.lstrip().startswith(("✔", "◐")):
                assert score is not None, ln  # the score is always there
            # A title is whole, or cut with an ellipsis: never a word cut short without one.
            if title:
                assert title == titles[aim] or (title.endswith("…") and titles[aim].startswith(title[:-1]))
        if "--detail" not in args:
            rows = [ln for ln in lines if "%" in ln and "verges" not in ln and "│" not in ln]
            assert rows and all(len(re.findall(r"\d+%", r)) == 5 for r in rows)  # every figure shown


def test_piped_output_is_laid_out_at_100_columns(
    folder: Path, run_cmd: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    res = run_cmd("check", "policies", "--detail", cwd=folder.parent)
    assert res.code == 0, res.stderr
    widest = max(cell_len(ln) for ln in res.stdout.splitlines())
    assert 80 < widest <= 100


def test_frameworks_wraps_to_the_terminal(run_cmd: Callable[..., Any]) -> None:
    wide = run_cmd("frameworks", env={"COLUMNS": "200"})
    narrow = run_cmd("frameworks", env={"COLUMNS": "60"})
    assert wide.code == narrow.code == 0
    assert max(len(ln) for ln in narrow.stdout.splitlines()) <= 60
    assert max(len(ln) for ln in wide.stdout.splitlines()) > 100
    # The same words, only wrapped.
    assert narrow.stdout.split() == wide.stdout.split()


def test_quiet_prints_only_errors_and_the_verdict(folder: Path, cli: Callable[..., Any]) -> None:
    res = cli("check", "policies", "--quiet", "--fail-under", "90", cwd=folder.parent)
    assert res.code == 1
    assert res.stdout.splitlines() == ["2 documents, " + res.stdout.split(", ", 1)[1].rstrip("\n")]
    assert "gate failed" in res.stdout and res.stderr == ""
    # With a report file: written, and no 'wrote' line; the verdict alone on stderr.
    out = cli("check", "policies", "-q", "-o", "report.json", cwd=folder.parent)
    assert out.code == 0 and out.stdout == ""
    assert (folder.parent / "report.json").stat().st_size > 0
    assert len(out.stderr.splitlines()) == 1 and "wrote" not in out.stderr and "2 documents" in out.stderr
    # Errors still show.
    bad = cli("check", "policies", "missing.md", "-q", cwd=folder.parent)
    assert bad.code == 2 and "error: missing.md: no such file or folder" in bad.stderr


def test_detail_and_quiet_can_be_set_in_the_configuration(folder: Path, cli: Callable[..., Any]) -> None:
    config = folder.parent / "send-align.toml"
    config.write_text('paths = ["policies"]\ndetail = true\n', encoding="utf-8")
    detail = cli("check", cwd=folder.parent)
    assert detail.code == 0, detail.stderr
    assert any(AIM_LINE.match(ln) for ln in detail.stdout.splitlines())
    config.write_text('paths = ["policies"]\nquiet = true\n', encoding="utf-8")
    quiet = cli("check", cwd=folder.parent)
    assert quiet.code == 0 and len(quiet.stdout.splitlines()) == 1 and "no gates set" in quiet.stdout
    config.write_text('paths = ["policies"]\nquiet = "yes"\n', encoding="utf-8")
    wrong = cli("check", cwd=folder.parent)
    assert wrong.code == 2 and "quiet" in wrong.stderr


def test_a_document_without_a_heading_is_named_by_its_first_line(tmp_path: Path, cli: Callable[..., Any]) -> None:
    filler = [f"Room {i} is open on weekdays from nine until four for visits and bookings." for i in range(20)]
    first = "This note for staff covers how pupils with SEND get help when they disagree with a decision."
    (tmp_path / "note.txt").write_text("\n\n".join([first, *filler]) + "\n", encoding="utf-8")
    (tmp_path / "titled.md").write_text("# Access policy\n\n" + "\n\n".join(filler) + "\n", encoding="utf-8")
    res = cli("check", "note.txt", "titled.md", "--format", "json", cwd=tmp_path)
    assert res.code == 0, res.stderr
    titles = {d["path"]: d["title"] for d in res.json()["documents"]}
    assert titles["titled.md"] == "Access policy"  # the heading, as the readers always took it
    assert titles["note.txt"] == "This note for staff covers how pupils with SEND get help when they disagree…"
    table = cli("check", "note.txt", cwd=tmp_path)
    assert "note.txt  This note for staff" in table.stdout
    # A first line names the document in reports only: it does not make the document about SEND as a
    # title that says SEND would.
    why = cli("explain", "note.txt", "cop.resolving-disagreements", "--format", "json", cwd=tmp_path).json()
    assert why["context"]["whole_document"] is False and "title" not in why["context"]["why"]


def test_the_readme_shows_the_terminal_report_as_it_is() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The terminal report") :]
    sample = section[section.index("```\n") + 4 : section.index("\n```", section.index("```\n") + 4)]
    golden = (root / "tests" / "golden" / "examples.txt").read_text(encoding="utf-8")
    assert sample.splitlines() == [ln.rstrip() for ln in golden.splitlines()]


def test_an_unreadable_document_has_its_line_with_the_error(folder: Path, cli: Callable[..., Any]) -> None:
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    res = cli("check", "policies", cwd=folder.parent)
    assert res.code == 2
    row = next(ln for ln in res.stdout.splitlines() if "broken.docx" in ln)
    assert row.startswith("policies/broken.docx") and row.count("broken.docx") == 1
    assert "error: not a valid Word" in row
    assert res.stderr.startswith("error: policies/broken.docx: not a valid Word")
