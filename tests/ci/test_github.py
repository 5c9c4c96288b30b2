"""GitHub: the format chosen in Actions, annotations that document text cannot inject into."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


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
