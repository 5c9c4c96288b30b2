"""The command line's own conveniences (app.py, cli.py): `text` and `table` as one format, help that lists
the exit codes and keeps each description whole, shell completion, and a document read from standard input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

POLICY = (
    "# Inclusion policy\n\nWe involve parents and carers in every decision about their child's support, and "
    "the SENCO meets each family termly to review the plan together.\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["frameworks"],
        ["show", "lfi"],
        ["search", "mediation"],
        ["validate"],
        ["crosswalk"],
        ["diff", "a.md", "b.md"],
        ["explain", "a.md", "cop.participation"],
    ],
)
def test_text_and_table_are_one_format_for_every_command(
    argv: list[str], tmp_path: Path, cli: Callable[..., Any], run_cmd: Callable[..., Any]
) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(POLICY, encoding="utf-8")
    runs = [cli] if argv[0] not in ("frameworks", "show", "search") else [cli, run_cmd]  # the fast path too
    for run in runs:
        text = run(*argv, "--format", "text", cwd=tmp_path)
        table = run(*argv, "--format", "table", cwd=tmp_path)
        assert text.code == table.code == 0, (text.stderr, table.stderr)
        assert text.stdout == table.stdout and text.stdout.strip()
        assert "error" not in table.stderr


def test_check_takes_text_for_its_table_on_the_command_line_and_in_the_configuration(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    table = cli("check", "policy.md", "--format", "table", cwd=tmp_path)
    text = cli("check", "policy.md", "--format", "text", cwd=tmp_path)
    assert table.code == text.code == 0, text.stderr
    assert text.stdout == table.stdout and "Inclusion policy" in text.stdout
    # A .txt report file is a table, so --format text does not clash with it.
    named = cli("check", "policy.md", "--format", "text", "-o", "report.txt", cwd=tmp_path)
    assert named.code == 0, named.stderr
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == table.stdout
    (tmp_path / "send-align.toml").write_text('format = "text"\n', encoding="utf-8")
    configured = cli("check", "policy.md", cwd=tmp_path)
    assert configured.code == 0, configured.stderr
    assert configured.stdout == table.stdout
    # Any other word is still refused, naming what is offered.
    bad = cli("check", "policy.md", "--format", "texts", "--no-config", cwd=tmp_path)
    assert bad.code == 2 and "'texts' is not one of" in bad.stderr


def test_a_dash_reads_the_document_from_standard_input(
    tmp_path: Path, run_cmd: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    from typer.testing import CliRunner

    from send_align.app import app

    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    from_file = cli("check", "policy.md", "--format", "json", cwd=tmp_path)
    runner = CliRunner()
    piped = runner.invoke(app, ["check", "-", "--stdin-name", "policy.md", "--format", "json"], input=POLICY)
    assert piped.exit_code == 0, piped.stderr
    import json

    doc = json.loads(piped.stdout)["documents"][0]
    assert doc["path"] == "policy.md" and doc["format"] == from_file.json()["documents"][0]["format"]
    assert [a["status"] for a in doc["aims"]] == [a["status"] for a in from_file.json()["documents"][0]["aims"]]
    # The default name is stdin.txt (read as plain text), and '-' sits among other paths.
    both = runner.invoke(app, ["check", "-", str(tmp_path / "policy.md"), "--format", "json"], input=POLICY)
    assert both.exit_code == 0, both.stderr
    paths = [d["path"] for d in json.loads(both.stdout)["documents"]]
    assert "stdin.txt" in paths and len(paths) == 2
    # A real pipe, through the installed command.
    real = run_cmd("check", "-", "--stdin-name", "a/b/policy.md", "--detail", cwd=tmp_path, input=POLICY)
    assert real.code == 0, real.stderr
    assert real.stdout.count("a/b/policy.md") == 1 and "Inclusion policy" in real.stdout


def test_bad_standard_input_is_one_line_and_exit_2(tmp_path: Path, run_cmd: Callable[..., Any]) -> None:
    empty = run_cmd("check", "-", "--stdin-name", "notes.md", cwd=tmp_path, input="")
    assert empty.code == 2 and empty.stderr.startswith("error: notes.md: no text to check")
    binary = run_cmd("check", "-", "--stdin-name", "report.docx", cwd=tmp_path, input="\x00\x01 not a zip")
    assert binary.code == 2 and binary.stderr.startswith("error: report.docx:")
    assert len(binary.stderr.strip().splitlines()) == 1 and "Traceback" not in binary.stderr
    odd = run_cmd("check", "-", "--stdin-name", "notes.xyz", cwd=tmp_path, input=POLICY)
    assert odd.code == 2 and "error: notes.xyz: unsupported file type" in odd.stderr
    nameless = run_cmd("check", "-", "--stdin-name", "docs/", cwd=tmp_path, input=POLICY)
    assert nameless.code == 2 and nameless.stderr.startswith("error: --stdin-name 'docs/' names no file")


def test_help_lists_the_exit_codes_and_each_command_whole(run_cmd: Callable[..., Any]) -> None:
    import typer.main

    from send_align.app import app

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    top = run_cmd("--help", env={"COLUMNS": "80"})
    assert top.code == 0 and "..." not in top.stdout.split("Commands:")[1]
    flat = " ".join(top.stdout.split())
    for name, command in commands.items():
        described = " ".join(command.help.split("\n\n")[0].split())
        assert f"{name} {described}" in flat, name
    for argv in (["--help"], ["check", "--help"], ["show", "-h"], ["diff", "--help"]):
        res = run_cmd(*argv, env={"COLUMNS": "80"})
        assert res.code == 0
        codes = res.stdout[res.stdout.index("Exit codes:") :]
        assert all(f"  {code} " in codes for code in (0, 1, 2, 130)) and "141" in codes
        assert max(len(ln) for ln in res.stdout.splitlines()) <= 80


def test_shell_completion_scripts_and_answers() -> None:
    import os
    import subprocess
    import sys

    # The console script users install: the completion is named after it.
    script = Path(sys.executable).with_name("send-align")
    if not script.exists():
        pytest.skip("the send-align console script is not installed beside this Python")

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], capture_output=True, text=True, env={**os.environ, **env})

    # typer finds the user's shell among the process's ancestors; a test run started outside a shell (a
    # detached job, some CI runners) has none, so the shell is named the way typer's own tests name it.
    bash = run("--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert bash.returncode == 0 and "_SEND_ALIGN_COMPLETE=complete_bash" in bash.stdout
    assert "complete -o default -F _send_align_completion send-align" in bash.stdout
    # What the script asks the command when the user presses Tab (the look-ups' fast path leaves it to typer).
    for words, cword, want in (
        ("send-align sh", "1", "show"),
        ("send-align check --fo", "2", "--format"),
        ("send-align search --li", "2", "--limit"),
    ):
        res = run(_SEND_ALIGN_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)
        assert res.returncode == 0, res.stderr
        assert want in res.stdout.split(), (words, res.stdout)
    zsh = run(_SEND_ALIGN_COMPLETE="source_zsh")  # what --show-completion prints when run from zsh
    assert zsh.returncode == 0 and "#compdef send-align" in zsh.stdout
