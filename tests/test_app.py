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
