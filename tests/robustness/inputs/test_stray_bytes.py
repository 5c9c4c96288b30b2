"""UTF-8 with a stray byte stays UTF-8 (the byte replaced in place), small or streamed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from send_align.extract import common
from tests.robustness.inputs.support import PROPERTY

BUDGET = "SPENDING £100M ON INCLUSION\n\nThe council’s plan — £100m for every child’s place, café to classroom.\n"


def _with_stray_byte(text: str, at: int = 40) -> bytes:
    raw = text.encode("utf-8")
    return raw[:at] + b"\xff" + raw[at:]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("budget.txt", BUDGET),
        ("budget.md", "# " + BUDGET),
        ("budget.html", "<h1>SPENDING £100M ON INCLUSION</h1><p>The council’s plan — £100m for every child’s place.</p>"),
    ],
)
def test_stray_byte_in_utf8_keeps_utf8(name: str, body: str, tmp_path: Path) -> None:
    from send_align.extract import extract

    path = tmp_path / name
    raw = body.encode("utf-8")
    path.write_bytes(raw[:-10] + b"\xff" + raw[-10:])
    text = "\n".join(b.text for b in extract(path, name).blocks)
    assert "£100m" in text and "council’s" in text and "Â" not in text, text
    assert text.count("\ufffd") == 1


def test_stray_byte_in_a_large_streamed_file_keeps_utf8(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    """Over 16 MB, a text file is read and scanned a piece at a time: the first piece decides."""
    from send_align.engine import STREAM_BYTES

    path = tmp_path / "big.txt"
    filler = ("Roads and verges are cut each spring in the county’s rural parishes.\n\n" * 2000).encode()
    with path.open("wb") as fh:
        fh.write(_with_stray_byte(BUDGET, 60))
        while fh.tell() <= STREAM_BYTES:
            fh.write(filler)
    res = run_cmd("check", "big.txt", "--format", "json", "--no-cache", cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert json.loads(res.stdout)["documents"][0]["title"] == "SPENDING £100M ON INCLUSION"


def test_windows_1252_is_still_windows_1252(tmp_path: Path) -> None:
    from send_align.extract import extract

    path = tmp_path / "old.txt"
    # One accidental valid UTF-8 pair ('Â' then '£' in Windows-1252 is C2 A3) among many lone high bytes.
    path.write_bytes("Fees of £5 and £7 – the council’s “offer” costs Â£9.\n".encode("cp1252"))
    assert extract(path, "old.txt").blocks[0].text.startswith("Fees of £5 and £7 – the council’s “offer”")


@PROPERTY
@given(
    st.text(alphabet=st.sampled_from(list("abc £’—éü\n")), min_size=1, max_size=300),
    st.integers(min_value=0),
)
def test_one_stray_byte_in_utf8_with_accents_is_replaced_in_place(text: str, where: int) -> None:
    from hypothesis import assume

    assume(sum(ord(c) > 127 for c in text) >= 1)
    at = where % (len(text) + 1)
    raw = text[:at].encode() + b"\xff" + text[at:].encode()
    assert common.decode(raw, "t.txt") == text[:at] + "\ufffd" + text[at:]
