"""Numbers too long to read and nesting too deep, in every kind of file the tool reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD

DIGITS = "7" * 5000


def _cop_with_year(folder: Path, year: str) -> Path:
    from send_align.strategies import builtin_dir

    text = (builtin_dir() / "cop.yaml").read_text("utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("year:"))
    folder.mkdir()
    (folder / "cop.yaml").write_text(text.replace(line, line.split(":")[0] + ": " + year, 1), "utf-8")
    return folder / "cop.yaml"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("config-number", "send-align.toml:2: a number with more than 4300 digits"),
        ("config-deep", "send-align.toml: nested too deeply to read"),
        ("baseline-deep", "b.json: not a send-align baseline (JSON nested too deeply to read)"),
        ("baseline-number", "b.json:1: a number with more than 4300 digits"),
        ("strategy-number", "local/cop.yaml:{line}: a number with more than 4300 digits"),
        ("proposal-number", "p.json:1: a number with more than 4300 digits"),
        ("proposal-date", "p.yaml:3: cannot read the value '2026-13-45': month must be in 1..12"),
    ],
)
def test_huge_numbers_and_deep_nesting_name_the_file(case: str, expected: str, tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    args = ["check", "policy.md"]
    if case == "config-number":
        (tmp_path / "send-align.toml").write_text(f'format = "json"\nfail-under = {DIGITS}\n', "utf-8")
    elif case == "config-deep":
        (tmp_path / "send-align.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    elif case == "baseline-deep":
        (tmp_path / "b.json").write_text('{"accepted": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
        args += ["--baseline", "b.json"]
    elif case == "baseline-number":
        (tmp_path / "b.json").write_text('{"schema_version": "1", "accepted": [], "n": ' + DIGITS + "}", "utf-8")
        args += ["--baseline", "b.json"]
    elif case == "strategy-number":
        path = _cop_with_year(tmp_path / "local", DIGITS)
        number_line = next(n for n, ln in enumerate(path.read_text().splitlines(), 1) if DIGITS in ln)
        expected = expected.format(line=number_line)
        args += ["--strategies", "local"]
    elif case == "proposal-number":
        (tmp_path / "p.json").write_text('{"proposal": {"title": "A plan", "n": ' + DIGITS + "}}", "utf-8")
        args = ["check", "p.json"]
    else:
        (tmp_path / "p.yaml").write_text("proposal:\n  title: A plan\n  date: 2026-13-45\n", "utf-8")
        args = ["check", "p.yaml"]
    res = run_cmd(*args, cwd=tmp_path)
    assert res.code == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert expected in lines[0], lines[0]
    assert "internal error" not in res.stderr



def test_thousands_of_lists_under_their_lead_ins_are_read_flat(tmp_path: Path) -> None:
    """A long text file of lists each written straight under its lead-in line ("Each week we will:" then "- ..."
    lines) is read list by list without nesting: once, each lead-in split the rest of its paragraph by calling
    itself on it, so 3,000 such lists went 3,000 calls deep ("nested too deeply to read", or gigabytes where the
    limit was raised)."""
    from send_align.extract import extract
    from send_align.results import BlockKind

    lists = 3000
    part = "Each week our SENCO will:\n- meet the class teachers of pupils with SEND\n- update each pupil's plan\n"
    path = tmp_path / "weekly.txt"
    path.write_text(part * lists, "utf-8")
    blocks = extract(path, path.name).blocks
    # Each lead-in, then its list of items (a lead-in on the line after the last list's item is a paragraph of
    # its own: see common.follows_item).
    assert len(blocks) == 2 * lists
    leads, items = blocks[::2], blocks[1::2]
    assert all(b.kind is BlockKind.TEXT and b.text == "Each week our SENCO will:" for b in leads)
    assert all(b.kind is BlockKind.LIST and b.text.startswith("- meet") for b in items)
    assert [b.line for b in items[:3]] == [2, 5, 8] and items[-1].line == 3 * lists - 1
    assert [b.line for b in leads[:3]] == [1, 4, 7] and leads[-1].line == 3 * lists - 2
