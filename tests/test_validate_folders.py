"""`validate` on a folder: strategy files, proposals and other files told apart by their content; built-in
files are never duplicates of themselves; a problem is its path, line and message, never the whole file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_check import PROPOSAL
from tests.test_strategies import LOCAL_FRAMEWORK

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., object]

# Markdown that YAML would read as an alias (`*bold*`) and an anchor (`&`): not YAML at all.
NOTES = "# Our strategies\n\n*Read this first.* Ask &co before editing.\n"
WORKFLOW = "name: validate\non: [push]\njobs: {}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A repository's strategy folder as people keep it: a strategy, a proposal, notes and other YAML."""
    root = tmp_path / "strategies"
    (root / "proposals").mkdir(parents=True)
    (root / "mine.yaml").write_text(LOCAL_FRAMEWORK, "utf-8")
    (root / "proposals" / "base.yaml").write_text(PROPOSAL, "utf-8")
    (root / "README.md").write_text(NOTES, "utf-8")
    (root / "workflow.yml").write_text(WORKFLOW, "utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "broken.yaml").write_text("framework: [", "utf-8")
    return root


def test_a_folder_holds_strategies_proposals_and_other_files(folder: Path, cli: Cli) -> None:
    res = cli("validate", str(folder))
    assert res.code == 0, res.stderr  # type: ignore[attr-defined]
    said = res.stdout  # type: ignore[attr-defined]
    assert said.startswith("ok: 2 file(s), 6 framework(s), 66 aims, ") and said.endswith(", 1 proposal(s)\n")
    # The other files are passed over in one note line, and none is read as YAML.
    assert res.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"note: passed over 2 files neither a strategy file nor a proposal: {folder / 'README.md'}, "
        f"{folder / 'workflow.yml'}"
    ]
    data = cli("validate", str(folder), "--format", "json").json()  # type: ignore[attr-defined]
    assert data["files"] == 2 and data["proposals"] == 1 and data["skipped"] == 2 and data["aims"] == 66


def test_the_checkouts_own_strategies_are_the_built_in_ones(cli: Cli) -> None:
    res = cli("validate", str(ROOT / "strategies"))
    assert res.code == 0, res.stderr  # type: ignore[attr-defined]
    assert "already defined" not in res.stderr and "duplicate" not in res.stderr  # type: ignore[attr-defined]
    assert res.stdout.startswith("ok: 7 file(s), 5 framework(s), 65 aims")  # type: ignore[attr-defined]
    res = cli("validate", "strategies/cop.yaml", "examples", cwd=ROOT)
    assert res.code == 0, res.stderr  # type: ignore[attr-defined]
    assert "1 proposal(s)" in res.stdout  # type: ignore[attr-defined]
    assert "examples/oakfield-send-information-report.md" in res.stderr  # type: ignore[attr-defined]


def test_a_file_named_that_is_neither_is_one_error_line(folder: Path, cli: Cli) -> None:
    for name, said in [
        ("README.md", "README.md: not a YAML or JSON file ('.md')"),
        ("workflow.yml", "workflow.yml: neither a strategy file (framework, aims, terms ...) nor a proposal"),
    ]:
        res = cli("validate", str(folder / name))
        assert res.code == 2
        lines = res.stderr.splitlines()  # type: ignore[attr-defined]
        assert len(lines) == 1 and said in lines[0] and "alias" not in lines[0], lines
    res = cli("validate", str(folder / "proposals" / "base.yaml"), str(folder / "README.md"))
    assert res.code == 2 and res.stderr.count("\n") == 1  # type: ignore[attr-defined]


def test_a_folder_with_nothing_to_validate_is_bad_input(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "notes.md").write_text(NOTES, "utf-8")
    res = cli("validate", str(tmp_path))
    assert res.code == 2
    assert f"error: {tmp_path}: no strategy or proposal files in this folder" in res.stderr  # type: ignore[attr-defined]


def test_problems_name_the_path_and_line_never_the_whole_file(folder: Path, cli: Cli) -> None:
    long_title = "A very long strategy title that goes on and on " * 5
    (folder / "half.yaml").write_text(
        f"schema_version: 1\ntitle: {long_title}\naims:\n  - id: half.one\n", "utf-8"
    )
    (folder / "proposals" / "unknown.yaml").write_text(
        "proposal:\n  title: A new base\n  claims:\n    - aim: lfi.workstream-9\n", "utf-8"
    )
    (folder / "typo.yaml").write_text("framework:\n  id: typo\n   title: off by one\n", "utf-8")
    res = cli("validate", str(folder))
    assert res.code == 2
    lines = res.stderr.splitlines()  # type: ignore[attr-defined]
    assert f"error: {folder / 'half.yaml'}:1: (top level): needs one of the keys framework, terms, contexts, masks, cues, genres, rules" in lines  # fmt: skip
    assert any(f"{folder / 'typo.yaml'}:3: YAML syntax error" in x for x in lines), lines
    # The proposal is still checked, against the built-in strategies, in the same run.
    assert any(f"{folder / 'proposals' / 'unknown.yaml'}:4: claim names unknown aim" in x for x in lines), (
        lines
    )
    for x in lines:
        assert x.startswith("error: ") and "{'" not in x and long_title not in x and len(x) < 260, x


def test_every_top_level_key_of_the_strategy_schema_makes_a_strategy_file() -> None:
    """validate tells a strategy file by its keys: a key the schema gains (genres) must be one of them."""
    from send_align.resources import schema
    from send_align.validating import STRATEGY_KEYS

    assert {k for alt in schema("strategy")["anyOf"] for k in alt["required"]} <= set(STRATEGY_KEYS)
