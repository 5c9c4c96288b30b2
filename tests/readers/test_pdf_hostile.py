"""Hostile and encrypted PDFs: refused or read within bounds, one clear line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from send_align.errors import SendAlignError
from send_align.extract import extract
from tests.readers.support import SEND_CONTEXT, words, write_pdf


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object (objects numbered from 1; 1 is the catalogue), with a true xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


TEXT_OPS = b"BT /F1 11 Tf 72 720 Td (Pupils with SEND are supported by the SENCo at SEN support.) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def a_page(contents: int, parent: int = 2, font: int = 4) -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (parent, font, contents)
    )


def a_stream(data: bytes, flate: bool = False) -> bytes:
    if flate:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def hostile_pdfs(folder: Path) -> dict[str, Path]:
    import zlib

    catalogue = b"<< /Type /Catalog /Pages 2 0 R >>"
    made = {}
    # Flate bomb: one page whose content inflates to 400 MB.
    squeeze = zlib.compressobj(1)
    data = squeeze.compress(TEXT_OPS) + b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(400))
    data += squeeze.flush()
    made["bomb"] = raw_pdf(
        [catalogue, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", a_page(5), FONT, a_stream(data, True)]
    )
    # Page-count bomb: 20,000 pages sharing one small content stream.
    n = 20_000
    kids = b" ".join(b"%d 0 R" % i for i in range(5, 5 + n))
    made["pages"] = raw_pdf(
        [catalogue, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n), a_stream(TEXT_OPS), FONT]
        + [a_page(3)] * n
    )
    # A page tree whose nodes list themselves and each other.
    made["cyclic"] = raw_pdf(
        [
            catalogue,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 6 0 R] /Count 3 >>",
            a_page(5),
            FONT,
            a_stream(TEXT_OPS),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>",
        ]
    )
    # A page tree 5,000 levels deep.
    depth = 5000
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + i) for i in range(depth)]
    leaf = 2 + depth
    made["deep"] = raw_pdf(
        [catalogue, *nodes, a_page(leaf + 2, parent=leaf - 1, font=leaf + 1), FONT, a_stream(TEXT_OPS)]
    )
    # A count claiming two billion pages over one real page.
    made["claimed"] = raw_pdf(
        [
            catalogue,
            b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
            a_page(5),
            FONT,
            a_stream(TEXT_OPS),
        ]
    )
    paths = {}
    for name, content in made.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(content)
    return paths


# Runs a command as its own child and reports the peak memory and CPU time of that child and what it starts
# (its readers): the pytest process's own children include every earlier test's, whose peak is not this check's.
_MEASURED = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[2:], capture_output=True, timeout=120)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"maxrss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime}, out)
sys.stdout.buffer.write(done.stdout)
sys.stderr.buffer.write(done.stderr)
sys.exit(done.returncode)
"""


def test_hostile_pdfs_are_refused_or_read_within_bounds(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import Result

    folder = tmp_path / "pdfs"
    folder.mkdir()
    hostile_pdfs(folder)
    (folder / "fine.md").write_text("# Support\n\nPupils with SEND are supported by the SENCo.\n", "utf-8")
    usage_file = tmp_path / "usage.json"
    command = [sys.executable, "-m", "send_align", "check", str(folder), "--format", "json", "--no-cache", "-f", "cop"]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(usage_file), *command], capture_output=True, text=True, timeout=150
    )
    res = Result(done.returncode, done.stdout, done.stderr)
    usage = json.loads(usage_file.read_text())
    assert res.code == 2 and "Traceback" not in res.stderr and "internal error" not in res.stderr
    by_name = {Path(d["path"]).name: d for d in res.json()["documents"]}  # type: ignore[index]
    assert "error" not in by_name["fine.md"]  # the other documents are still checked
    assert "decompression bomb" in by_name["bomb.pdf"]["error"]
    assert "20000 pages (limit 10,000)" in by_name["pages.pdf"]["error"]
    assert "corrupt" in by_name["deep.pdf"]["error"]
    assert "error" not in by_name["claimed.pdf"]  # its one real page is read
    # The cycle is walked once: its one page three times over, its text then a running header.
    assert "no text to check" in by_name["cyclic.pdf"]["error"]
    for line in res.stderr.strip().splitlines():
        assert line.startswith("error: ") and "\n" not in line
    # Peak memory of the check and the reader it starts stays bounded (the bomb inflates to 400 MB).
    assert usage["maxrss_kb"] < 500 * 1024, usage
    assert usage["cpu_s"] < 60


def test_encrypted_pdfs(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [[*SEND_CONTEXT]])
    for name, user, algorithm in (("locked.pdf", "secret", "RC4-128"), ("owner-only.pdf", "", "RC4-40")):
        writer = PdfWriter()
        for page in PdfReader(str(plain)).pages:
            writer.add_page(page)
        writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
        with (tmp_path / name).open("wb") as fh:
            writer.write(fh)
    with pytest.raises(SendAlignError, match=r"locked\.pdf: this PDF is encrypted \(password-protected\)"):
        extract(tmp_path / "locked.pdf", "locked.pdf")
    # Restricted (printing, copying) but opening without a password: read like any other.
    assert SEND_CONTEXT[0] in words(extract(tmp_path / "owner-only.pdf", "owner-only.pdf"))
