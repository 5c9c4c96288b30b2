"""`validate`: strategy and proposal files checked against their schemas, and every strategy example
against its aim's own rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from send_align.errors import Problem, SendAlignError
from send_align.files import special_kind
from send_align.model import Catalogue


@dataclass(frozen=True)
class Validated:
    """What `validate` checked (files, frameworks, aims, examples, proposals), and what it warns of."""

    summary: dict[str, int]
    warnings: tuple[str, ...]
    catalogue: Catalogue


def check_examples(cat: Catalogue) -> tuple[int, list[Problem]]:
    """Run each aim's example sentences through its own rules: counts must hit, near misses must not."""
    from send_align.matching import compile_matcher, scan_document
    from send_align.results import Block

    problems, n = [], 0
    for aim in cat.aims():
        if not aim.examples:
            continue
        # The aim's rules alone: no context, so an example is judged as the sentence it is.
        plain = replace(aim, links=(), examples=(), context=None, path="", line=None)
        matcher = compile_matcher(cat, [plain])
        for ex in aim.examples:
            n += 1
            scan = scan_document(matcher, [Block(ex.text, 1, 1, 1)])
            hit = bool(scan.evidence.get(0))
            if hit != ex.counts:
                why = "no rule counts it" if ex.counts else "rule " + scan.evidence[0][0].rule + " counts it"
                want = "should count" if ex.counts else "should not count"
                problems.append(
                    Problem(f"{aim.id}: example {want} but {why}: '{ex.text[:80]}'", aim.path, aim.line)
                )
    return n, problems


def validate(paths: list[Path], strategies: list[Path], cache_dir: Path | None) -> Validated:
    """What was checked, and the catalogue's warnings; SendAlignError with every problem found."""
    from send_align.strategies import build, find_files, load_catalogue

    proposals: list[Path] = []
    strategy_files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            kind = special_kind(p.stat().st_mode)
        except OSError:
            problems.append(Problem("no such file or folder", str(p)))
            continue
        if kind is not None:
            problems.append(Problem(f"not a regular file ({kind})", str(p)))
        elif p.is_dir():
            strategy_files.append(p)
        elif _is_proposal(p):
            proposals.append(p)
        else:
            strategy_files.append(p)
    if problems:
        raise SendAlignError(problems)
    extra = strategies + strategy_files
    cat = build(find_files(extra)) if strategy_files else load_catalogue(extra, cache_dir)
    n_examples, problems = check_examples(cat)
    for p in proposals:
        problems.extend(_validate_proposal(cat, p))
    if problems:
        raise SendAlignError(problems)
    from send_align.lint import rule_warnings

    summary = {
        "files": len(paths) or len(find_files(extra)),
        "frameworks": len(cat.frameworks),
        "aims": len(cat.aims()),
        "examples": n_examples,
        "proposals": len(proposals),
    }
    return Validated(summary, (*cat.warnings, *(str(w) for w in rule_warnings(cat))), cat)


def _is_proposal(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r'^\s*(?:\{\s*)?"?proposal"?\s*:', head, re.M))


def _validate_proposal(cat: Catalogue, path: Path) -> list[Problem]:
    from send_align.extract.proposal import extract
    from send_align.proposals import unknown_claims

    try:
        doc = extract(path, str(path))
    except SendAlignError as exc:
        return exc.problems
    return unknown_claims(cat, doc.claims or (), str(path))
