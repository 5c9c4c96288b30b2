"""The small things a user meets first: the version flag, search's exit code, old Word files, percentages,
a configured baseline not written yet, and an aim asked for by its framework's id."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from send_align import __version__

README = Path(__file__).resolve().parents[1] / "README.md"

POLICY = (
    "# Inclusion policy\n\nWe involve parents and carers in every decision about their child's support, and "
    "the SENCO meets each family termly to review the plan together.\n"
)


def test_dash_capital_v_prints_the_version(run_cmd: Callable[..., Any]) -> None:
    for flag in ("-V", "--version"):
        res = run_cmd(flag)
        assert res.code == 0, res.stderr
        assert res.stdout.strip() == f"send-align {__version__}"


def test_search_exits_1_when_nothing_matches_as_grep_does(
    run_cmd: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    # The fast look-up path (a subprocess) and the typer app answer alike.
    for run in (run_cmd, cli):
        assert run("search", "qqzzxv").code == 1
        none = run("search", "qqzzxv", "--format", "json")
        assert none.code == 1 and none.json() == []
        found = run("search", "mediation")
        assert found.code == 0 and "mediation" in found.stdout.lower()


def test_old_word_files_say_to_save_as_docx_and_the_rest_is_checked(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    (tmp_path / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0 old binary Word")
    (tmp_path / "letter.rtf").write_text("{\\rtf1 hello}", encoding="ascii")
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    res = cli("check", "minutes.doc", "letter.rtf", "policy.md", "--format", "json", cwd=tmp_path)
    assert res.code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 2
    for name, line in zip(("minutes.doc", "letter.rtf"), lines, strict=True):
        assert line.startswith(f"error: {name}: unsupported file type")
        assert "save it as a Word document (.docx)" in line
    assert [d["path"] for d in res.json()["documents"]] == ["policy.md"]
    # A type that is simply unknown gets the list of what is read, without the Word advice.
    (tmp_path / "data.xyz").write_text("x", encoding="utf-8")
    other = cli("check", "data.xyz", "policy.md", cwd=tmp_path)
    assert other.code == 2 and "supported:" in other.stderr and ".docx) and check" not in other.stderr


def test_fail_under_takes_a_percent_sign(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    for plain, marked in (("1", "1%"), ("99", "99%"), ("cop=99", "cop=99%")):
        a = cli("check", "policy.md", "--format", "json", "--fail-under", plain, cwd=tmp_path)
        b = cli("check", "policy.md", "--format", "json", "--fail-under", marked, cwd=tmp_path)
        assert a.code == b.code and a.code in (0, 1), (a.stderr, b.stderr)
        assert a.json()["gate"] == b.json()["gate"]
    assert cli("check", "policy.md", "--fail-under", "99", cwd=tmp_path).code == 1
    bad = cli("check", "policy.md", "--fail-under", "sixty%", cwd=tmp_path)
    assert bad.code == 2 and "is not a percentage" in bad.stderr


def test_a_configured_baseline_not_written_yet_is_empty_with_a_note(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "send-align.toml").write_text('baseline = "gaps.json"\nfail-under = 99\n', encoding="utf-8")
    res = cli("check", "policy.md", cwd=tmp_path)
    assert res.code == 1  # the gate fails: nothing is accepted yet
    notes = [ln for ln in res.stderr.splitlines() if ln.startswith("note:")]
    assert len(notes) == 1 and "gaps.json" in notes[0] and "--update-baseline" in notes[0]
    assert "error:" not in res.stderr
    # Once written, the same run passes on the accepted gaps and says nothing more.
    assert cli("check", "policy.md", "--update-baseline", cwd=tmp_path).code == 0
    again = cli("check", "policy.md", cwd=tmp_path)
    assert again.code == 0 and "note:" not in again.stderr
    # A baseline named on the command line is a deliberate choice: missing, it is an error.
    typo = cli("check", "policy.md", "--baseline", "gasp.json", cwd=tmp_path)
    assert typo.code == 2 and "baseline file not found" in typo.stderr


def test_the_readme_sample_configuration_passes_its_first_run(tmp_path: Path, cli: Callable[..., Any]) -> None:
    sample = re.search(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert sample is not None, "the README has a sample send-align.toml"
    (tmp_path / "send-align.toml").write_text(sample.group(1), encoding="utf-8")
    for folder in ("policies", "proposals"):
        (tmp_path / folder).mkdir()
    (tmp_path / "policies" / "inclusion.md").write_text(POLICY, encoding="utf-8")
    res = cli("check", cwd=tmp_path)
    assert res.code in (0, 1), res.stderr  # a gate may fail; the run itself must work
    assert "error:" not in res.stderr and "Inclusion policy" in res.stdout


def test_explain_with_a_framework_id_asks_for_one_of_its_aims(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    res = cli("explain", "policy.md", "cop", cwd=tmp_path)
    assert res.code == 2
    assert "'cop' is a framework, not an aim" in res.stderr and "cop.vision" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    typo = cli("explain", "policy.md", "cop.particpation", cwd=tmp_path)
    assert typo.code == 2 and "did you mean cop.participation" in typo.stderr


def test_force_color_colours_piped_output_and_no_color_wins(
    tmp_path: Path, run_cmd: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)  # the suite sets it for every other test
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    plain = run_cmd("check", "policy.md", cwd=tmp_path)
    forced = run_cmd("check", "policy.md", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    both = run_cmd("check", "policy.md", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "\x1b[" not in both.stdout
    assert "\x1b[" in forced.stdout
    # Colour only: the words are the same.
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout) == plain.stdout
