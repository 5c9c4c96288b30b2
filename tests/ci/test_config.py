"""The configuration file: found upward, merged with the flags, one line per problem; the
configurations the documentation shows are valid and its error is what the tool prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_check import report_of


def test_config_is_found_upward_and_supplies_paths_frameworks_and_gates(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        'paths = ["policies"]\nframeworks = ["cop"]\nrequire = ["cop.vision"]\nformat = "json"\n', "utf-8"
    )
    sub = repo / "policies"
    res = cli("check", cwd=sub)
    assert res.code == 1, res.stderr  # cop.vision is not addressed: the configured gate fails
    data = report_of(res)
    assert [f["id"] for f in data["frameworks"]] == ["cop"]
    # Named from the repository's folder, not from the sub-folder the run started in.
    assert [d["path"] for d in data["documents"]] == ["policies/send.md"]
    assert data["gate"]["failures"][0]["aim"] == "cop.vision"


def test_command_line_options_win_over_the_config(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text('frameworks = ["cop"]\nfail-under = 99\n', "utf-8")
    res = cli("check", "policies", "-f", "lfi", "--fail-under", "0", "--format", "json", cwd=repo)
    assert res.code == 0, res.stderr
    assert [f["id"] for f in report_of(res)["frameworks"]] == ["lfi"]


def test_pyproject_tool_table_is_a_config(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.send-align]\nframeworks = ["area-send"]\nformat = "json"\n', "utf-8"
    )
    res = cli("check", "policies", cwd=repo)
    assert res.code == 0, res.stderr
    assert [f["id"] for f in report_of(res)["frameworks"]] == ["area-send"]


def test_no_config_and_explicit_config(repo: Path, cli: Callable, tmp_path: Path) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text('frameworks = ["cop"]\n', "utf-8")
    other = tmp_path / "elsewhere.toml"
    other.write_text('frameworks = ["flourish"]\n', "utf-8")
    ignored = cli("check", "policies", "--no-config", "--format", "json", cwd=repo)
    assert len(report_of(ignored)["frameworks"]) == 5
    chosen = cli("check", "policies", "--config", str(other), "--format", "json", cwd=repo)
    assert [f["id"] for f in report_of(chosen)["frameworks"]] == ["flourish"]
    both = cli("check", "policies", "--config", str(other), "--no-config", cwd=repo)
    assert both.code == 2 and "contradict" in both.stderr


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("frameworks = [", "not valid TOML"),
        ('colour = "red"\n', "Additional properties are not allowed"),
        ("fail-under = 150\n", "fail-under"),
        ('frameworks = ["nope"]\n', "unknown framework 'nope'"),
        ('require = ["lfi.nothing-*"]\n', "matches no aim id"),
        ('[[gates]]\npaths = ["proposals/**"]\n', "gates[0]"),
        ('[[not-applicable]]\naim = "cop.vision"\n', "'reason' is a required property"),
        ('[[not-applicable]]\naim = "cop.nothing"\nreason = "n/a here"\n', "matches no aim id"),
    ],
)
def test_bad_config_is_one_line_per_problem_and_exit_2(
    repo: Path,
    cli: Callable,  # type: ignore[type-arg]
    toml: str,
    expected: str,
) -> None:
    (repo / "send-align.toml").write_text(toml, "utf-8")
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2
    assert expected in res.stderr
    assert "send-align.toml" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_config_error_names_the_line(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        'frameworks = ["lfi"]\n\n[[gates]]\npaths = ["a/**"]\nrequire = ["lfi.principle-1"]\n\n'
        '[[gates]]\npaths = ["b/**"]\nrequire-any = []\n',
        "utf-8",
    )
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2
    assert "send-align.toml:9: gates[1].require-any" in res.stderr


def test_config_not_utf8_is_bad_input(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_bytes('frameworks = ["lfi"] # caf\u00e9\n'.encode("utf-16"))
    res = cli("check", "policies", cwd=repo)
    assert res.code == 2 and "UTF-8" in res.stderr


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_documented_configurations_are_valid(doc: str, tmp_path: Path) -> None:
    """Every TOML example in the docs loads and names only real frameworks and aims."""
    import re

    from send_align.config import config_problems, load_config
    from send_align.strategies import build, find_files

    text = (Path(__file__).resolve().parents[2] / doc).read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks
    catalogue = build(find_files([]))
    for n, block in enumerate(blocks):
        path = tmp_path / f"example{n}" / "send-align.toml"
        path.parent.mkdir()
        path.write_text(block, "utf-8")
        assert config_problems(catalogue, load_config(path)) == []


def test_config_error_in_docs_is_what_the_tool_prints(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "send-align.toml").write_text(
        "[[gates]]\npaths = ['a/**']\nrequire = ['lfi.principle-1']\n" * 1
        + "\n[[gates]]\npaths = ['b/**']\nrequire-any = []\n",
        "utf-8",
    )
    res = cli("check", "policies", cwd=repo)
    assert "gates[1].require-any: [] should be non-empty" in res.stderr
