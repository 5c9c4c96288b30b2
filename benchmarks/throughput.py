"""Scan throughput of the matcher on plain text with every built-in framework selected, in MB/s on one core.

    python benchmarks/throughput.py                 # 10 MB in 20 KB documents
    python benchmarks/throughput.py --source DIR    # paragraphs from the .md/.txt files in DIR

The corpus recombines real paragraphs (by default those of ../shared/eval/dev when present, else the
sample sentences below) into policy-sized documents, each scanned on its own as `check` does.
Target (issue 3): at least 5 MB/s, judged on the median of three passes (the first also stems each new
word once, as a run does; it is printed too). Extraction and rendering are left out: this measures
tokenising, stemming, the automaton and the judging filters, the part that grows with document size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from send_align.matching import compile_matcher, scan_document
from send_align.model import Catalogue
from send_align.results import Block
from send_align.strategies import build, find_files, find_models

SAMPLE = [
    "We aim to identify needs as early as possible and to meet them in a school close to home.",
    "All staff complete autism training, and the SENCo leads the graduated approach of assess, plan, do, review.",
    "The council will no longer fund the resource base for deaf pupils at the junior school.",
    "Parents and carers are invited to every review, and the parent carer forum helped to write this policy.",
    "Verges are cut twice a year so that wildflowers can flourish and roads stay safe at junctions.",
    "Young people told us they want more say in decisions about their support and their plans.",
    "The High Needs Block deficit will be reduced by creating local specialist places instead of "
    "independent placements.",
    "The library opens early on Saturdays and runs digital support sessions for adults in partnership with the college.",
]


def corpus_paragraphs(source: Path | None) -> list[str]:
    if source is None:
        return SAMPLE
    paras = []
    for path in sorted(source.rglob("*")):
        if path.suffix in (".md", ".txt") and path.is_file():
            paras += [p.strip() for p in path.read_text("utf-8", errors="replace").split("\n\n") if p.strip()]
    return paras or SAMPLE


DEFAULT_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"


def recombine(
    paras: list[str], megabytes: float, doc_kb: float, rng: random.Random, joiner_bytes: int = 0
) -> Iterator[tuple[list[str], int]]:
    """Documents of about `doc_kb` KB drawn from the paragraphs until `megabytes` MB, each with its size
    (counting `joiner_bytes` per paragraph for what joins them in a file)."""
    total = 0
    while total < megabytes * 1_000_000:
        chosen: list[str] = []
        size = 0
        while size < doc_kb * 1000:
            text = rng.choice(paras)
            chosen.append(text)
            size += len(text.encode("utf-8")) + joiner_bytes
        total += size
        yield chosen, size


def build_corpus(paras: list[str], megabytes: float, doc_kb: float) -> tuple[list[list[Block]], int]:
    docs: list[list[Block]] = []
    total = 0
    for chosen, size in recombine(paras, megabytes, doc_kb, random.Random(7)):
        docs.append([Block(text, n, n, 1) for n, text in enumerate(chosen, start=1)])
        total += size
    return docs, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=float, default=10.0)
    ap.add_argument("--doc-kb", type=float, default=20.0, help="size of each document")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else None)
    ap.add_argument("--target", type=float, default=5.0)
    ap.add_argument("--passes", type=int, default=3, help="passes over the corpus (the median is judged)")
    args = ap.parse_args()
    paras = corpus_paragraphs(args.source)
    docs, size = build_corpus(paras, args.megabytes, args.doc_kb)
    catalogue = build(find_files([]), find_models([]))
    t0 = time.perf_counter()
    matcher = compile_matcher(catalogue, catalogue.aims())
    compile_s = time.perf_counter() - t0
    times = []
    for _ in range(max(1, args.passes)):
        t0 = time.perf_counter()
        kept = 0
        for blocks in docs:
            scan = scan_document(matcher, blocks)
            kept += sum(len(v) for v in scan.evidence.values())
        times.append(time.perf_counter() - t0)
    # The first pass also learns the corpus's words (each distinct word is stemmed once, as in a run).
    scan_s = statistics.median(times)
    mbs = size / 1_000_000 / scan_s
    print(
        f"compiled {len(matcher.phrases)} phrases ({len(matcher.patterns)} distinct) for {len(matcher.aims)} aims in {compile_s * 1000:.0f} ms"
    )
    print(
        f"corpus: {len(paras)} paragraphs from {args.source or 'the sample sentences'}, "
        f"{len(docs)} documents of ~{args.doc_kb:g} KB"
    )
    print(
        f"scanned {size / 1_000_000:.1f} MB: {', '.join(f'{t:.2f}' for t in times)} s "
        f"(first pass {size / 1_000_000 / times[0]:.1f} MB/s, learning the words), {kept} pieces of evidence kept"
    )
    print(
        f"throughput {mbs:.1f} MB/s (target {args.target:g} MB/s): {'ok' if mbs >= args.target else 'UNDER'}"
    )
    learned_s = _learned_pass(catalogue, docs)
    if learned_s is not None:
        print(
            f"learned models: {size / 1_000_000 / learned_s:.1f} MB/s on their own; a check reads both, "
            f"{size / 1_000_000 / (scan_s + learned_s):.1f} MB/s together"
        )
    return 0 if mbs >= args.target else 1


def _learned_pass(catalogue: Catalogue, docs: list[list[Block]]) -> float | None:
    """Seconds for the built-in learned models to read the corpus (its words already stemmed by a first
    read, as in the matcher's passes after the first), or None without a model."""
    if not catalogue.models:
        return None
    from send_align.learned.files import load_models
    from send_align.learned.scoring import compile_models

    compiled = compile_models(load_models(catalogue), [a.id for a in catalogue.aims()])
    if compiled is None:
        return None
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        for blocks in docs:
            reader = compiled.reader()
            for block in blocks:
                reader.add(block)
            reader.verdicts()
        times.append(time.perf_counter() - t0)
    return times[-1]


if __name__ == "__main__":
    sys.exit(main())
