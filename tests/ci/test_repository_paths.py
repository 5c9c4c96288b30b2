"""Paths from the repository's folder in every report and in the baseline, whatever the working folder:
a baseline written in one clone holds in another."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ci.support import POLICY
from tests.test_check import PROPOSAL

CONFIG = """\
paths = ["policies", "proposals"]
require = ["cop.vision"]
per-document = true
baseline = "send-align-baseline.json"
"""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """A policy repository with its configuration, committed, and cloned into two unrelated folders."""
    origin = tmp_path / "origin"
    (origin / "policies" / "older").mkdir(parents=True)
    (origin / "policies" / "send.md").write_text(POLICY, "utf-8")
    (origin / "policies" / "older" / "2024 policy.md").write_text(POLICY, "utf-8")
    (origin / "proposals").mkdir()
    (origin / "proposals" / "base.yaml").write_text(PROPOSAL, "utf-8")
    (origin / "send-align.toml").write_text(CONFIG, "utf-8")
    _git("init", "-q", "-b", "main", cwd=origin)
    _git("add", ".", cwd=origin)
    _git("commit", "-q", "-m", "policies", cwd=origin)
    first, second = tmp_path / "ci-runner" / "work" / "repo", tmp_path / "laptop" / "checkout"
    for clone in (first, second):
        clone.parent.mkdir(parents=True)
        _git("clone", "-q", str(origin), str(clone), cwd=tmp_path)
    return first, second


def test_a_baseline_written_in_one_clone_passes_in_another(
    clones: tuple[Path, Path],
    run_cmd: Callable,  # type: ignore[type-arg]
) -> None:
    first, second = clones
    # Written from a sub-folder of the first clone, with the documents named by the configuration.
    res = run_cmd("check", "--update-baseline", "--format", "json", cwd=first / "policies")
    assert res.code == 0, res.stderr
    assert "baseline written to send-align-baseline.json: 4 accepted gate failures" in res.stderr
    text = (first / "send-align-baseline.json").read_text("utf-8")
    assert str(first) not in text and str(first.parent) not in text
    accepted = json.loads(text)["accepted"]
    assert {a["path"] for a in accepted} == {
        "policies/send.md",
        "policies/older/2024 policy.md",
        "proposals/base.yaml",
    }
    # The other clone, at another path, run from its top and from a sub-folder: nothing new, so it passes.
    (second / "send-align-baseline.json").write_text(text, "utf-8")
    for cwd in (second, second / "proposals"):
        res = run_cmd("check", "--format", "json", cwd=cwd)
        assert res.code == 0, res.stderr
        gate = json.loads(res.stdout)["gate"]
        assert gate["failures"] == [] and len(gate["baselined"]) == 4
    # A new gap in the second clone still fails, named from the repository's folder.
    (second / "policies" / "new.md").write_text(POLICY, "utf-8")
    res = run_cmd("check", "--format", "json", cwd=second / "proposals")
    assert res.code == 1
    assert [f["path"] for f in json.loads(res.stdout)["gate"]["failures"]] == ["policies/new.md"]


def test_a_baseline_with_absolute_paths_from_before_still_matches(
    clones: tuple[Path, Path],
    run_cmd: Callable,  # type: ignore[type-arg]
) -> None:
    first, _ = clones
    res = run_cmd("check", "--update-baseline", cwd=first)
    assert res.code == 0, res.stderr
    base = first / "send-align-baseline.json"
    data = json.loads(base.read_text("utf-8"))
    for entry in data["accepted"]:
        # As earlier versions wrote it when the configuration named the documents: absolute paths.
        absolute = str(first / entry["path"])
        entry["key"] = entry["key"].replace(entry["path"], absolute)
        entry["path"] = absolute
    base.write_text(json.dumps(data), "utf-8")
    res = run_cmd("check", "--format", "json", cwd=first / "policies" / "older")
    assert res.code == 0, res.stderr
    assert len(json.loads(res.stdout)["gate"]["baselined"]) == 4
    # Entries about documents elsewhere match nothing here and accept nothing.
    for entry in data["accepted"]:
        entry["key"] = entry["key"].replace(str(first), "/elsewhere/repo")
    base.write_text(json.dumps(data), "utf-8")
    assert run_cmd("check", cwd=first).code == 1


FORMATS = ["table", "json", "markdown", "csv", "junit", "sarif", "html", "github"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_documents_from_the_repository(
    clones: tuple[Path, Path],
    run_cmd: Callable,
    fmt: str,  # type: ignore[type-arg]
) -> None:
    first, _ = clones
    res = run_cmd("check", "--format", fmt, "--no-progress", cwd=first / "policies" / "older")
    assert res.code == 1, (
        res.stderr
    )  # cop.vision is not addressed, and the proposal makes a claim it does not back
    out = res.stdout
    assert str(first) not in out and str(first) not in res.stderr
    assert "older/2024" not in out.replace("policies/older/2024", "")  # never from the working folder
    named = {
        "table": ["policies/older/2024 policy.md", "proposals/base.yaml: claim area-send.priority-4"],
        "json": ['"path": "policies/older/2024 policy.md"', '"path": "proposals/base.yaml"'],
        "markdown": [
            "## `policies/older/2024 policy.md`",
            "- proposals/base.yaml: claim area-send.priority-4",
        ],
        "csv": ["policies/older/2024 policy.md,markdown,", "proposals/base.yaml,proposal,"],
        "junit": ['<testsuite name="policies/older/2024 policy.md"', '<testsuite name="proposals/base.yaml"'],
        "sarif": ['"uri": "policies/older/2024%20policy.md"', '"uri": "proposals/base.yaml"'],
        "html": ["<code>policies/older/2024 policy.md</code>", '<a href="#doc-3"><code>proposals/base.yaml'],
        "github": ["::error file=policies/older/2024 policy.md,", "::error file=proposals/base.yaml,line="],
    }[fmt]
    for text in named:
        assert text in out, (fmt, text)


def test_paths_outside_the_repository_stay_as_given(tmp_path: Path, run_cmd: Callable) -> None:  # type: ignore[type-arg]
    repo, shared = tmp_path / "repo", tmp_path / "shared"
    (repo / "docs").mkdir(parents=True)
    shared.mkdir()
    (repo / "docs" / "send.md").write_text(POLICY, "utf-8")
    (shared / "county.md").write_text(POLICY, "utf-8")
    (repo / "send-align.toml").write_text('paths = ["docs", "../shared/county.md"]\n', "utf-8")
    res = run_cmd("check", "--format", "json", cwd=repo / "docs")
    assert res.code == 2 and "leads outside the configuration's folder" in res.stderr
    assert res.stderr.startswith("error: send-align.toml:1: paths: '../shared/county.md' leads outside")
    res = run_cmd("check", "--format", "json", "--allow-outside-paths", cwd=repo / "docs")
    assert res.code == 0, res.stderr
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["docs/send.md", "../shared/county.md"]
    # Named on the command line: inside the repository from its folder, outside it as typed.
    res = run_cmd(
        "check",
        "send.md",
        str(shared / "county.md"),
        "--format",
        "json",
        "--allow-outside-paths",
        cwd=repo / "docs",
    )
    assert res.code == 0, res.stderr
    paths = [d["path"] for d in json.loads(res.stdout)["documents"]]
    assert paths == ["docs/send.md", (shared / "county.md").as_posix()]


def test_without_a_configuration_paths_are_from_the_working_folder(
    tmp_path: Path,
    run_cmd: Callable,  # type: ignore[type-arg]
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "send.md").write_text(POLICY, "utf-8")
    res = run_cmd(
        "check", str(tmp_path / "a" / "b" / "send.md"), "missing.md", "--format", "json", cwd=tmp_path
    )
    assert res.code == 2
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["a/b/send.md"]
    assert "error: missing.md: no such file or folder" in res.stderr
