"""A local framework replacing a built-in one: links into aims it left out warn, its own bad links fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


def _small_cop(folder: Path, extra_link: str | None = None) -> Path:
    """A local 'cop' with two of the built-in's aims and none of its links."""
    import yaml

    from send_align.strategies import builtin_dir

    data = yaml.safe_load((builtin_dir() / "cop.yaml").read_text("utf-8"))
    data["aims"] = [a for a in data["aims"] if a["id"] in ("cop.vision", "cop.participation")]
    for aim in data["aims"]:
        aim.pop("links", None)
    if extra_link:
        data["aims"][0]["links"] = [{"relation": "intersects-with", "aim": extra_link}]
    folder.mkdir()
    (folder / "cop.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return folder / "cop.yaml"


def _links_into_cop() -> int:
    from send_align.strategies import builtin_dir

    return sum(
        len(re.findall(r"aim: cop\.(?!vision\b|participation\b)", p.read_text("utf-8")))
        for p in builtin_dir().glob("*.yaml")
        if p.name != "cop.yaml"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["frameworks"],
        ["show", "lfi"],
        ["crosswalk"],
        ["validate"],
        ["check", "policy.md", "--format", "json"],
        ["search", "graduated", "approach"],
    ],
)
def test_local_framework_without_linked_aims_warns_and_runs(command: list[str], tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    _small_cop(tmp_path / "local")
    (tmp_path / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    res = run_cmd(*command, "--strategies", "local", cwd=tmp_path)
    assert res.code in (0, 1), res.stderr
    lines = res.stderr.splitlines()
    assert lines and all(ln.startswith("warning: local/cop.yaml:") for ln in lines), res.stderr
    assert len(lines) == _links_into_cop()
    assert "no aim 'cop.graduated-approach', which lfi.principle-3 links to (strategies/lfi.yaml:" in res.stderr
    if command[0] == "check":
        ids = {a["id"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
        assert "cop.vision" in ids and "cop.graduated-approach" not in ids


def test_local_framework_own_bad_link_is_still_an_error_naming_it(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    _small_cop(tmp_path / "local", extra_link="lfi.no-such-aim")
    res = run_cmd("frameworks", "--strategies", "local", cwd=tmp_path)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: local/cop.yaml:"), res.stderr
    assert "unknown aim 'lfi.no-such-aim'" in errors[0]
