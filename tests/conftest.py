"""Shared fixtures: the real CLI, an isolated cache, builders for real documents, and ../shared when present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from send_align.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHARED_CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
SHARED = next((p for p in SHARED_CANDIDATES if (p / "spec" / "AIMS.md").is_file()), None)


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_ALIGN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # Output is as wide as it is with no terminal (tests that want a width set one): a COLUMNS exported by the
    # shell or a test runner (COLUMNS=80 failed two tests: a table's paths elided, an explain quote wrapped) would
    # wrap and elide what tests look for.
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def shared() -> Path:
    if SHARED is None:
        pytest.skip("../shared is not present")
    return SHARED


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def json(self) -> object:
        return json.loads(self.stdout)


def explained(cli: Callable[..., Result], path: Path, aim: str, *more: str) -> dict[str, Any]:
    """`explain PATH AIM --format json` through `cli`, which must succeed: its report."""
    res = cli("explain", str(path), aim, *more, "--format", "json")
    assert res.code == 0, res.stderr
    data: dict[str, Any] = res.json()  # type: ignore[assignment]
    return data


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the real typer app in-process, through main()'s error handling, capturing both streams."""
    runner = CliRunner()

    def run(*args: str, cwd: Path | None = None) -> Result:
        old = Path.cwd()
        if cwd:
            os.chdir(cwd)
        try:
            res = runner.invoke(app, list(args), catch_exceptions=False)
            return Result(res.exit_code, res.stdout, res.stderr)
        finally:
            os.chdir(old)

    return run


@pytest.fixture
def run_cmd() -> Callable[..., Result]:
    """Run the installed console script in a subprocess: the real process, real exit codes, real streams."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
        input: str | None = None,
    ) -> Result:
        full_env = {**os.environ, **(env or {})}
        done = subprocess.run(
            [sys.executable, "-m", "send_align", *args],
            input=input,
            cwd=cwd,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


# --- builders for real documents ------------------------------------------------------------------------


def make_docx(
    path: Path, blocks: list[tuple[str, str]], table: list[list[str]] | None = None, header: str | None = None
) -> Path:
    """blocks: (style, text) where style is 'h1', 'h2' or 'p'."""
    import docx

    doc = docx.Document()
    for style, text in blocks:
        if style.startswith("h"):
            doc.add_heading(text, level=int(style[1]))
        else:
            doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    doc.save(str(path))
    return path


def make_pdf(path: Path, pages: list[list[str]], running_header: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for n, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if running_header:
            pdf.text(20, 12, running_header)
        y = 30
        for line in lines:
            pdf.text(20, y, line)
            y += 7
        pdf.text(100, 285, f"Page {n} of {len(pages)}")
    pdf.output(str(path))
    return path


def make_odt(path: Path, blocks: list[tuple[str, str]]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    for style, text in blocks:
        if style.startswith("h"):
            doc.text.addElement(H(outlinelevel=int(style[1]), text=text))
        else:
            doc.text.addElement(P(text=text))
    doc.save(str(path))
    return path


@pytest.fixture
def sample_dir(tmp_path: Path) -> Iterator[Path]:
    """A small folder of our own example documents in several formats."""
    d = tmp_path / "docs"
    d.mkdir()
    (d / "policy.md").write_text(SEND_POLICY_MD, encoding="utf-8")
    (d / "verges.txt").write_text(NON_SEND_TXT, encoding="utf-8")
    yield d


SEND_POLICY_MD = """# Hilltop Primary School SEND policy

## Our approach

Hilltop is a mainstream school where every child, including every child with SEND, belongs and can thrive.
We make reasonable adjustments so that pupils with special educational needs can join in with every lesson.

## Identifying needs

We aim to identify needs as early as possible, starting from each child's strengths and interests.
SEN support follows the graduated approach: assess, plan, do, review.

## Working with families

We meet parents each term to agree their child's outcomes, and the parent carer forum helped us write this policy.

## Mental health

Our ELSA and the mental health support team help pupils who feel anxious, and two staff are trained Thrive
practitioners supporting pupils with social, emotional and mental health needs.
"""

NON_SEND_TXT = """RURAL VERGE CUTTING 2026

1. PURPOSE

1.1 This policy keeps roads safe by keeping sightlines clear at junctions.

1.2 Wildflowers flourish where verges are cut less often, and early cuts are avoided.
"""
