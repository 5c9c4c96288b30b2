"""Build a benchmark corpus: policy-sized text files recombined from real paragraphs, plus Word and PDF files.

    python benchmarks/corpus.py OUT --megabytes 30            # about 1,500 files of ~20 KB
    python benchmarks/corpus.py OUT --megabytes 30 --docx 20 --pdf 20

Paragraphs come from the .md/.txt files of --source (by default ../shared/eval/dev when it is there, else
the benchmark's own sample sentences). The same seed gives the same corpus. Word and PDF files need the
test extras (python-docx is a dependency; fpdf2 comes with `pip install -e '.[test]'`).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_SOURCE, corpus_paragraphs, recombine


def build(
    out: Path, megabytes: float, doc_kb: float, source: Path | None, docx: int, pdf: int, seed: int
) -> int:
    paras = corpus_paragraphs(source)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for chosen, _ in recombine(paras, megabytes, doc_kb, rng, joiner_bytes=2):
        folder = out / f"set{n // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"policy{n:05d}.txt").write_text("\n\n".join(chosen) + "\n", "utf-8")
        n += 1
    for i in range(docx):
        from docx import Document

        doc = Document()
        doc.add_heading(f"Policy {i}", level=1)
        for _ in range(40):
            doc.add_paragraph(rng.choice(paras))
        doc.save(str(out / f"word{i:03d}.docx"))
    for i in range(pdf):
        from fpdf import FPDF

        pdf_doc = FPDF()
        pdf_doc.set_font("Helvetica", size=11)
        pdf_doc.add_page()
        for _ in range(40):
            text = rng.choice(paras).encode("latin-1", "replace").decode("latin-1")
            pdf_doc.multi_cell(0, 6, text)
            pdf_doc.ln(2)
        pdf_doc.output(str(out / f"report{i:03d}.pdf"))
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--megabytes", type=float, default=30.0)
    ap.add_argument("--doc-kb", type=float, default=20.0)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else None)
    ap.add_argument("--docx", type=int, default=0)
    ap.add_argument("--pdf", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    n = build(args.out, args.megabytes, args.doc_kb, args.source, args.docx, args.pdf, args.seed)
    print(f"{n} text files ({args.megabytes:g} MB), {args.docx} Word and {args.pdf} PDF files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
