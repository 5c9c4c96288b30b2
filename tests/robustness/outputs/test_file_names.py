"""File names that are not UTF-8, shown escaped in every format and channel."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD
from tests.robustness.outputs.support import assert_clean, run

FORMATS = ["table", "json", "markdown", "html", "csv", "junit", "sarif", "github"]


@pytest.fixture
def latin1_names(good: Path) -> Path:
    """A folder holding `café.md` written in Latin-1 (the byte 0xE9), one inside a folder named with 0xFF,
    and an ordinary file."""
    root = os.fsencode(good)
    with open(root + b"/caf\xe9.md", "wb") as fh:
        fh.write(SEND_POLICY_MD.replace("Hilltop", "Cafe").encode("utf-8"))
    os.mkdir(root + b"/dir\xff")
    with open(root + b"/dir\xff/inner.md", "wb") as fh:
        fh.write(SEND_POLICY_MD.encode("utf-8"))
    return good


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["stdout", "file"])
def test_names_that_are_not_utf8_are_shown_escaped_in_every_format(
    latin1_names: Path, tmp_path: Path, fmt: str, where: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    args = ["check", "--no-config", ".", "--format", fmt] + (["-o", str(out)] if where == "file" else [])
    if fmt == "sarif":  # gate failures, so that results name the files
        args += ["--require", "cop.*", "--per-document"]
    r = run(*args, cwd=latin1_names, env={"PYTHONIOENCODING": "utf-8"})
    assert r.code == (1 if fmt == "sarif" else 0), r.stderr
    assert_clean(r)
    text = (out.read_bytes() if where == "file" else r.out).decode("utf-8")  # UTF-8, whatever the names
    if fmt == "json":
        paths = {d["path"] for d in json.loads(text)["documents"]}
        assert paths == {"caf\\xe9.md", "dir\\xff/inner.md", "policy.md"}
    elif fmt == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]}
        assert {"caf%5Cxe9.md", "dir%5Cxff/inner.md", "policy.md"} <= uris
    else:
        shown = "caf\\\\xe9.md" if fmt in ("markdown", "github") else "caf\\xe9.md"
        assert shown in text and "inner.md" in text, text[:2000]


def test_a_name_that_is_not_utf8_given_on_the_command_line(latin1_names: Path) -> None:
    r = run("check", b"caf\xe9.md", "--format", "json", cwd=latin1_names)  # type: ignore[arg-type]
    assert r.code == 0, r.stderr
    assert json.loads(r.out)["documents"][0]["path"] == "caf\\xe9.md"
    r = run("check", b"missing-\xe9.md", cwd=latin1_names)  # type: ignore[arg-type]
    assert r.code == 2 and r.stderr == "error: missing-\\xe9.md: no such file or folder\n"
