"""Hostile proposal files: one clear line each, in any encoding the tool reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.catalogue.support import assert_clean, bounded, report


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b]\n"
            "proposal: {title: t, claims: [], sections: [*c]}\n",
            "anchors (&name) are not allowed",
        ),
        ("proposal:\n  title: t\n  title: u\n  sections: []\n", "duplicate key"),
        ("proposal: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
        ("proposal:\n  title: " + "x" * 6_000_000 + "\n", "MB"),
        ("proposal:\n  title: 42\n  sections: nope\n", "proposal.title"),
    ],
)
def test_hostile_proposal_files(content: str, message: str, good: Path) -> None:
    (good / "bad.yaml").write_text(content, "utf-8")
    run = bounded("check", str(good), str(good / "bad.yaml"), "--format", "json")
    assert_clean(run)
    assert run.code == 2
    lines = [ln for ln in run.stderr.splitlines() if "bad.yaml" in ln]
    # Named and also inside the folder named: checked, and each problem reported, once.
    assert len(lines) == len(set(lines)) and message in run.stderr, run.stderr
    assert any(d["path"].endswith("policy.md") and "error" not in d for d in report(run)["documents"])


def test_proposal_in_utf16_and_latin1(good: Path) -> None:
    text = "proposal:\n  title: Café nurture base\n  summary: Pupils with SEND get SEN support in a nurture base.\n"
    (good / "utf16.yaml").write_bytes(text.encode("utf-16"))
    (good / "latin1.yaml").write_bytes(text.encode("latin-1"))
    run = bounded("check", str(good / "utf16.yaml"), str(good / "latin1.yaml"), "--format", "json")
    assert_clean(run)
    assert run.code in (0, 2)
    for line in run.stderr.splitlines():
        assert line.startswith("error: ") and (".yaml" in line)
