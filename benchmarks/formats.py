"""Every reader on the same content: whole `check` runs on one document written as .txt, .md, .html, .odt,
.pdf and .docx.

    python benchmarks/formats.py                       # 1,200 and 12,000 paragraphs, 5 rounds
    python benchmarks/formats.py --paragraphs 1200 --rounds 5

Each document holds the same headings and paragraphs (recombined from the .md/.txt files of --source, by
default ../shared/eval/dev when it is there, else the benchmark's sample sentences). Every round times
`send-align check --no-cache --format json -o /dev/null FILE` once per format, formats interleaved, so a
slow moment of the machine falls on all of them; the median of the rounds is reported, with MB of text per
second, pages per second (the PDF's page count stands for the content's length in every format) and the
ratio to .txt, beside the CPU time of each run and the processes it starts (on a shared machine wall times
wander; CPU time shows the work). Exits 1 when Word is over 1.5x or PDF over 2x the .txt time at any size. Needs the test
extras (fpdf2 writes the PDF).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_SOURCE, corpus_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    DEFAULT_SOURCE,
    ROOT.parent / "shared" / "eval" / "dev",
    ROOT.parent.parent / "shared" / "eval" / "dev",
]
FORMATS = (".txt", ".md", ".html", ".odt", ".pdf", ".docx")
TARGETS = {".docx": 1.5, ".pdf": 2.0}
PARAGRAPHS_PER_SECTION = 20
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"})


def prose(source: Path | None) -> list[str]:
    """Paragraphs of running text, one line each, in characters every writer here can set (Latin-1)."""
    out = []
    for para in corpus_paragraphs(source):
        text = " ".join(para.split()).translate(_PLAIN)
        text = text.encode("latin-1", "ignore").decode("latin-1")
        if len(text) > 60 and text[0].isalpha() and not re.search(r"[|#*_`\[\]<>]", text):
            out.append(text)
    return out


def content(paras: list[str], count: int, seed: int) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) sections holding `count` paragraphs in all."""
    rng = random.Random(seed)
    sections = []
    for n in range(0, count, PARAGRAPHS_PER_SECTION):
        body = [rng.choice(paras) for _ in range(min(PARAGRAPHS_PER_SECTION, count - n))]
        sections.append((f"Section {n // PARAGRAPHS_PER_SECTION + 1}: {body[0].split(',')[0][:40]}", body))
    return sections


def write_txt(path: Path, sections: list[tuple[str, list[str]]]) -> None:
    parts = [f"{heading.upper()}\n\n" + "\n\n".join(body) for heading, body in sections]
    path.write_text("\n\n".join(parts) + "\n", "utf-8")


def write_md(path: Path, sections: list[tuple[str, list[str]]]) -> None:
    parts = [f"## {heading}\n\n" + "\n\n".join(body) for heading, body in sections]
    path.write_text("# Policy\n\n" + "\n\n".join(parts) + "\n", "utf-8")


def write_html(path: Path, sections: list[tuple[str, list[str]]]) -> None:
    from html import escape

    parts = ["<!doctype html><html><head><title>Policy</title></head><body>"]
    for heading, body in sections:
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in body]
    parts.append("</body></html>")
    path.write_text("\n".join(parts), "utf-8")


def write_odt(path: Path, sections: list[tuple[str, list[str]]]) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    for heading, body in sections:
        doc.text.addElement(H(outlinelevel=2, text=heading))
        for p in body:
            doc.text.addElement(P(text=p))
    doc.save(str(path))


def write_docx(path: Path, sections: list[tuple[str, list[str]]]) -> None:
    import docx

    doc = docx.Document()
    doc.sections[0].footer.paragraphs[0].text = "Policy - draft for consultation"
    for heading, body in sections:
        doc.add_heading(heading, level=2)
        for p in body:
            doc.add_paragraph(p)
    doc.save(str(path))


def write_pdf(path: Path, sections: list[tuple[str, list[str]]]) -> int:
    from fpdf import FPDF

    class Paged(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Policy - page {self.page_no()}", align="C")

    pdf = Paged()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for heading, body in sections:
        pdf.set_font("Helvetica", style="B", size=14)
        pdf.multi_cell(0, 8, heading)
        pdf.ln(2)
        pdf.set_font("Helvetica", size=11)
        for p in body:
            pdf.multi_cell(0, 5.5, p)
            pdf.ln(3)
    pdf.output(str(path))
    return int(pdf.page_no())


WRITERS = {".txt": write_txt, ".md": write_md, ".html": write_html, ".odt": write_odt, ".docx": write_docx}


def command() -> list[str]:
    script = Path(sys.executable).with_name("send-align")
    if script.is_file():
        return [str(script)]
    found = shutil.which("send-align")
    return [found] if found else [sys.executable, "-m", "send_align"]


def run_once(cmd: list[str], path: Path) -> tuple[float, float]:
    """Wall time, and CPU time of the run and every process it started (a shared machine inflates the
    first; the second shows the work done)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [*cmd, "check", "--no-cache", "--format", "json", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"send-align failed on {path.name}: {done.stderr.strip()[:300]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def measure(folder: Path, count: int, paras: list[str], rounds: int, seed: int) -> bool:
    sections = content(paras, count, seed)
    files = {}
    for suffix in FORMATS:
        path = folder / f"policy-{count}{suffix}"
        if suffix == ".pdf":
            pages = write_pdf(path, sections)
        else:
            WRITERS[suffix](path, sections)
        files[suffix] = path
    text_mb = files[".txt"].stat().st_size / 1_000_000
    cmd = command()
    times: dict[str, list[float]] = {s: [] for s in FORMATS}
    cpus: dict[str, list[float]] = {s: [] for s in FORMATS}
    run_once(cmd, files[".txt"])  # warm the file system cache and Python's bytecode
    for _ in range(rounds):
        for suffix in FORMATS:
            wall, cpu = run_once(cmd, files[suffix])
            times[suffix].append(wall)
            cpus[suffix].append(cpu)
    base = statistics.median(times[".txt"])
    base_cpu = statistics.median(cpus[".txt"])
    print(f"\n{count:,} paragraphs: {text_mb * 1000:.0f} KB of text, {pages} pages as PDF, {rounds} rounds")
    print(
        f"{'format':8} {'file':>9} {'median':>8} {'MB/s':>6} {'pages/s':>8} {'vs .txt':>8} "
        f"{'CPU':>7} {'vs .txt':>8}  runs (wall)"
    )
    ok = True
    for suffix in FORMATS:
        t = statistics.median(times[suffix])
        cpu = statistics.median(cpus[suffix])
        ratio = t / base
        target = TARGETS.get(suffix)
        mark = "" if target is None else ("  ok" if ratio <= target else f"  OVER {target:g}x")
        ok = ok and (target is None or ratio <= target)
        runs = " ".join(f"{x:.2f}" for x in times[suffix])
        size = files[suffix].stat().st_size / 1000
        print(
            f"{suffix:8} {size:>7.0f}KB {t:>7.2f}s {text_mb / t:>6.2f} {pages / t:>8.0f} {ratio:>7.2f}x "
            f"{cpu:>6.2f}s {cpu / base_cpu:>7.2f}x  {runs}{mark}"
        )
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, action="append", help="repeatable; default 1200 and 12000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--source", type=Path, default=next((p for p in SOURCES if p.is_dir()), None))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the documents here and keep them")
    args = ap.parse_args()
    paras = prose(args.source)
    print(f"send-align: {' '.join(command())}; {len(paras)} source paragraphs")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for count in args.paragraphs or [1200, 12000]:
            ok = measure(folder, count, paras, max(1, args.rounds), args.seed) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
