"""Hostile documents: zip bombs, external links and macros, huge attributes and nesting, NUL bytes,
huge lines and tokens, each in bounded time and memory."""

from __future__ import annotations

import io
import os
import socket
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD, make_docx
from tests.robustness.catalogue.support import assert_clean, bounded, report


def test_nested_zip_bomb_inside_a_docx(good: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (200 * 1024 * 1024))
    docx = make_docx(good / "nested.docx", [("Normal", "We identify special educational needs early.")])
    with zipfile.ZipFile(docx, "a") as z:
        z.writestr("word/media/archive.zip", inner.getvalue())  # a bomb inside, never opened
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    paths = {d["path"]: d for d in report(run)["documents"]}
    assert not paths[str(good / "nested.docx")].get("error")  # the document's own text is read


def test_docx_with_external_links_and_macros_fetches_and_runs_nothing(good: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    docx = make_docx(good / "linked.docx", [("Normal", "Pupils with SEND are supported at SEN support.")])
    with zipfile.ZipFile(docx, "a") as z:
        z.writestr(
            "word/_rels/settings.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/attachedTemplate" '
            f'Target="http://127.0.0.1:{port}/template.dotm" TargetMode="External"/></Relationships>',
        )
        z.writestr("word/vbaProject.bin", b'Attribute VB_Name = "Evil"\nShell "touch /tmp/pwned"\n' * 10)
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    with pytest.raises(TimeoutError):
        server.accept()  # nobody connected
    server.close()
    assert not Path("/tmp/pwned").exists()
    doc = next(d for d in report(run)["documents"] if d["path"].endswith("linked.docx"))
    assert "error" not in doc


def test_html_with_huge_attributes_and_deep_nesting(good: Path) -> None:
    (good / "deep.html").write_text(
        "<html><body>"
        + "<div>" * 200_000
        + "<p>We identify SEN early.</p>"
        + "</div>" * 200_000
        + "</body></html>",
        "utf-8",
    )
    (good / "attrs.html").write_text(
        '<html><body><p title="' + "x" * 20_000_000 + '">Parents are partners in every SEN support plan.</p>'
        '<iframe src="http://127.0.0.1:9/"></iframe><script>while(1){}</script></body></html>',
        "utf-8",
    )
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    docs = {Path(d["path"]).name: d for d in report(run)["documents"]}
    assert "policy.md" in docs and not docs["policy.md"].get("error")
    for name in ("deep.html", "attrs.html"):
        assert name in docs  # read, or reported with a reason: never a crash


def test_text_with_mixed_line_endings_and_nul_bytes(good: Path) -> None:
    (good / "mixed.txt").write_bytes(
        b"SEND POLICY\r\n\r\nWe identify special educational needs early.\rPupils with SEND\n"
        b"have SEN support plans.\r\n\r\nParents are partners.\x00\n"
    )
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    doc = next(d for d in report(run)["documents"] if d["path"].endswith("mixed.txt"))
    aim = next(a for a in doc["aims"] if a["id"] == "cop.early-identification")
    assert aim["status"] == "addressed" and aim["evidence"][0]["line"] == 3


@pytest.mark.slow
def test_single_100_mb_line_finishes_in_bounded_memory(tmp_path: Path) -> None:
    sentence = b"Pupils with special educational needs get SEN support and their parents are partners. "
    path = tmp_path / "one-line.txt"
    with path.open("wb") as fh:
        for _ in range(100 * 1024 * 1024 // len(sentence)):
            fh.write(sentence)
    run = bounded("check", str(path), "--format", "json", "-o", os.devnull, timeout=1200)
    # Memory is the hard bound; the time bound only says the run ends (its speed is benchmarks/' business).
    assert_clean(run, seconds=900)
    assert run.code == 0


@pytest.mark.slow
def test_150_mb_text_file_finishes_in_bounded_memory(tmp_path: Path) -> None:
    para = (SEND_POLICY_MD.replace("#", "").strip() + "\n\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        for _ in range(150 * 1024 * 1024 // len(para)):
            fh.write(para)
    run = bounded("check", str(path), "--format", "json", "-o", os.devnull, timeout=1200)
    # Memory is the hard bound; the time bound only says the run ends (its speed is benchmarks/' business).
    assert_clean(run, seconds=900)
    assert run.code == 0


def test_one_huge_token_without_spaces(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_text("SEND POLICY\n\nWe identify SEN early.\n\n" + "QUJD" * 2_000_000 + "\n", "utf-8")
    run = bounded("check", str(path), "--format", "json")
    assert_clean(run)
    assert run.code == 0
