"""Word XML that is hostile or incomplete: entities never resolved, nesting beyond limits, no body
or no styles part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from send_align.errors import SendAlignError
from send_align.extract import extract
from tests.readers.support import SEND_CONTEXT, W_NS, words


def _with_document_xml(path: Path, body: str, doctype: str = "") -> Path:
    """A real .docx whose main part is replaced by this body (and DOCTYPE)."""
    import zipfile

    import docx

    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W_NS}><w:body>{body}</w:body></w:document>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_docx_entities_are_never_resolved_or_fetched(tmp_path: Path, cli: Callable[..., Any]) -> None:
    import socket

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", "utf-8")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    docs = tmp_path / "docs"
    docs.mkdir()
    _with_document_xml(
        docs / "xxe.docx",
        _para("Pupils with SEND &file; &remote; are welcome.") + _para(SEND_CONTEXT[1]),
        f'<!DOCTYPE w:document [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/x">]>',
    )
    lol = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    _with_document_xml(
        docs / "laughs.docx", _para("SEND &j;") + _para(SEND_CONTEXT[1]), f"<!DOCTYPE w:document [{lol}]>"
    )
    res = cli("check", str(docs), "--format", "json", "--no-cache", "-f", "cop")
    with pytest.raises(TimeoutError):
        server.accept()  # nothing was fetched
    server.close()
    assert res.code in (0, 1, 2) and "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert "TOPSECRETVALUE" not in res.stdout and "lollol" not in res.stdout
    assert words(extract(docs / "xxe.docx", "xxe.docx")) == "Pupils with SEND are welcome. " + SEND_CONTEXT[1]
    for name in ("xxe.docx", "laughs.docx"):
        try:
            assert "lollol" not in words(extract(docs / name, name))
        except SendAlignError as exc:
            assert name in str(exc) and "\n" not in str(exc)


def test_docx_nested_beyond_limits_is_one_clear_error(tmp_path: Path, cli: Callable[..., Any]) -> None:
    deep = (
        "<w:p>"
        + "<w:hyperlink>" * 100_000
        + "<w:r><w:t>SEND</w:t></w:r>"
        + "</w:hyperlink>" * 100_000
        + "</w:p>"
    )
    path = _with_document_xml(tmp_path / "deep.docx", deep)
    with pytest.raises(SendAlignError, match=r"deep\.docx"):
        extract(path, "deep.docx")
    res = cli("check", str(path), "--no-cache")
    assert res.code == 2 and "Traceback" not in res.stderr and "deep.docx" in res.stderr
    # Nesting within the parser's limits is read, however the runs are wrapped.
    wrapped = (
        "<w:p>" + "<w:smartTag>" * 200 + "<w:r><w:t>Inside</w:t></w:r>" + "</w:smartTag>" * 200 + "</w:p>"
    )
    assert words(extract(_with_document_xml(tmp_path / "ok.docx", wrapped), "ok.docx")) == "Inside"


def test_docx_without_body_or_styles(tmp_path: Path) -> None:
    import zipfile

    bodiless = _with_document_xml(tmp_path / "nobody.docx", "")
    with zipfile.ZipFile(bodiless) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "word/document.xml"}
    with zipfile.ZipFile(bodiless, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(SendAlignError, match="no document body"):
        extract(bodiless, "nobody.docx")
    # No styles part: Word's built-in style ids still mark headings.
    styleless = _with_document_xml(
        tmp_path / "bare.docx",
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Our offer</w:t></w:r></w:p>'
        + _para("Text."),
    )
    with zipfile.ZipFile(styleless) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "word/styles.xml"}
    with zipfile.ZipFile(styleless, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    doc = extract(styleless, "bare.docx")
    assert [(b.kind, b.section) for b in doc.blocks] == [("heading", "Our offer"), ("text", "Our offer")]
