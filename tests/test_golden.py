"""Golden files: every format's full output for the example documents, compared byte for byte.

The outputs are deterministic, so any change to a format, a rule or the scoring shows up here as a diff to
review. After an intended change, regenerate them with `SEND_ALIGN_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py` and read the diff before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FORMATS = {
    "table": "txt",
    "json": "json",
    "markdown": "md",
    "html": "html",
    "csv": "csv",
    "junit": "xml",
    "sarif": "sarif",
    "github": "log",
}


@pytest.mark.parametrize("fmt", [*sorted(FORMATS), "table --detail"])
def test_format_matches_its_golden_file(fmt: str, cli: Callable, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the HTML report's date: 2026-01-01
    res = cli("check", "examples", "--no-config", "--format", *fmt.split(), cwd=ROOT)
    assert res.code == 0, res.stderr
    # The terminal report's detail (every aim, for several documents) has a golden file of its own.
    golden = GOLDEN / ("examples.detail.txt" if "--detail" in fmt else f"examples.{FORMATS[fmt]}")
    if os.environ.get("SEND_ALIGN_UPDATE_GOLDEN") == "1":
        golden.write_text(res.stdout, "utf-8", newline="")
    assert golden.is_file(), f"missing {golden}; run with SEND_ALIGN_UPDATE_GOLDEN=1"
    assert res.stdout == golden.read_text("utf-8"), f"{fmt} output differs from {golden.name}"
