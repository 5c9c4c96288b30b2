"""GitHub: the format chosen in Actions, annotations that document text cannot inject into, the action."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml


def test_github_format_is_chosen_in_actions_and_annotates(repo: Path, run_cmd: Callable) -> None:  # type: ignore[type-arg]
    summary = repo / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    res = run_cmd("check", "policies", "proposals", "--require", "cop.vision", cwd=repo, env=env)
    assert res.code == 1
    lines = res.stdout.splitlines()
    assert (
        "::error title=send-align%3A require gate (cop.vision)::required aim cop.vision is not addressed"
        in lines
    )
    claim = next(ln for ln in lines if ln.startswith("::error file=proposals/base.yaml,line="))
    assert "area-send.priority-4" in claim
    assert "# send-align coverage report" in summary.read_text("utf-8")


def test_github_annotations_cannot_be_injected_from_document_text(tmp_path: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    doc = tmp_path / "evil%0A::set-env name=X::1.md"
    doc.write_text("# T\n\nWe identify needs early.\n\n::add-mask::secret\n", "utf-8")
    res = cli("check", str(tmp_path), "--format", "github", "--require", "cop.vision")
    lines = res.stdout.splitlines()
    commands = [ln for ln in lines if ln.startswith("::")]
    # Only our own commands start a line outside the stop-commands fence, and file names are escaped.
    fence_start = next(i for i, ln in enumerate(lines) if ln.startswith("::stop-commands::"))
    token = lines[fence_start].split("::")[2]
    fence_end = lines.index(f"::{token}::")
    outside = [ln for i, ln in enumerate(lines) if ln.startswith("::") and not fence_start < i < fence_end]
    assert all(
        ln.split(" ", 1)[0].split("::")[1] in ("error", "notice", "group", "endgroup", "stop-commands", token)
        for ln in outside
    )
    assert commands


ACTION = Path(__file__).resolve().parents[2] / "action.yml"


def test_the_github_action_parses_and_its_check_step_runs(tmp_path: Path) -> None:
    """action.yml is read by GitHub as YAML: a plain scalar holding ': ' once made the whole action unloadable."""
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    inputs = action["inputs"]
    text = ACTION.read_text("utf-8")
    assert set(re.findall(r"inputs\.([\w-]+)", text)) <= set(inputs)
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    # Run the step's script as the runner would, with the inputs' defaults and one document to check.
    script = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: str(inputs[m.group(1)]["default"]), step["run"])
    (tmp_path / "policy.md").write_text("# Our SEND policy\n\nWe identify needs early.\n", "utf-8")
    out = tmp_path / "github-output"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(out),
        "SEND_ALIGN_PATHS": "policy.md",
        "SEND_ALIGN_ARGS": "",
    }
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8").strip() == "exit-code=0"
    assert (tmp_path / "send-align.sarif").stat().st_size > 0
