"""`validate`: strategy and proposal files checked against their schemas, and every strategy example
against its aim's own rules."""

from __future__ import annotations

import os
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
    skipped: tuple[str, ...] = ()
    """Files in folders named that are neither strategy files nor proposals: passed over."""


def check_examples(cat: Catalogue) -> tuple[int, list[Problem]]:
    """Run each aim's example sentences through its own rules: counts must hit, near misses must not."""
    from send_align.matching import compile_matcher, scan_document
    from send_align.matching.cues import CueSet
    from send_align.results import Block

    problems, n = [], 0
    aims = [aim for aim in cat.aims() if aim.examples]
    # The aims' rules alone: no context, so an example is judged as the sentence it is. One matcher for
    # them all: an aim's evidence is its own, whichever other aims are compiled beside it (every example
    # against every aim reads the same as with a matcher of one aim), and compiling once is ~5x faster.
    plain = [replace(aim, links=(), examples=(), context=None, path="", line=None) for aim in aims]
    matcher = compile_matcher(cat, plain, CueSet.build(cat.cues))
    for i, aim in enumerate(aims):
        for ex in aim.examples:
            n += 1
            scan = scan_document(matcher, [Block(ex.text, 1, 1, 1)])
            hit = bool(scan.evidence.get(i))
            if hit != ex.counts:
                why = "no rule counts it" if ex.counts else "rule " + scan.evidence[i][0].rule + " counts it"
                want = "should count" if ex.counts else "should not count"
                problems.append(
                    Problem(f"{aim.id}: example {want} but {why}: '{ex.text[:80]}'", aim.path, aim.line)
                )
    return n, problems


def validate(paths: list[Path], strategies: list[Path], cache_dir: Path | None) -> Validated:
    """What was checked, and the catalogue's warnings; SendAlignError with every problem found.

    Each file named, and each file under a folder named, is told apart by its content's shape: a strategy
    file (framework, aims, terms ...), a proposal (proposal:), or neither. Neither is an error for a file
    named, and is passed over (see Validated.skipped) in a folder. A built-in strategy file named again
    (the checkout's strategies/ in an editable install) is the built-in file, never a duplicate of it."""
    from send_align.strategies import build, builtin_dir, find_files, find_models, load_catalogue

    proposals: list[Path] = []
    strategy_files: list[Path] = []
    model_files: list[Path] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            kind = special_kind(p.stat().st_mode)
        except OSError:
            problems.append(Problem("no such file or folder", str(p)))
            continue
        if kind is not None:
            problems.append(Problem(f"not a regular file ({kind})", str(p)))
            continue
        named = not p.is_dir()
        found = [p] if named else _files_under(p)
        useful = 0
        for f in found:
            try:
                shape = _shape(f)
            except SendAlignError as exc:
                # YAML or JSON that cannot be read: its first problem, with its line.
                problems.append(exc.problems[0])
                useful += 1
                continue
            if shape == "strategy":
                strategy_files.append(f)
            elif shape == "model":
                model_files.append(f)
            elif shape == "proposal":
                proposals.append(f)
            elif named:
                problems.append(Problem(shape, str(f), hint=WHAT_VALIDATE_READS))
            else:
                skipped.append(str(f))
            useful += shape in ("strategy", "proposal", "model")
        if not named and not useful:
            problems.append(
                Problem("no strategy or proposal files in this folder", str(p), hint=WHAT_VALIDATE_READS)
            )
    if problems and not (strategy_files or proposals or model_files):
        raise SendAlignError(problems)
    builtin = {os.path.realpath(b) for b in (*builtin_dir().glob("*.yaml"), *builtin_dir().glob("*.model.json"))}
    own = [f for f in (*strategy_files, *model_files) if os.path.realpath(f) not in builtin]
    extra = strategies + own
    # Every problem at once: the files that could not be read, the strategies', then the proposals' (checked
    # against the built-in strategies when the others are broken).
    try:
        cat = (
            build(find_files(extra), find_models(extra), cache_dir)
            if strategy_files or model_files
            else load_catalogue(extra, cache_dir)
        )
    except SendAlignError as exc:
        if not proposals:
            raise SendAlignError([*problems, *exc.problems]) from None
        problems.extend(exc.problems)
        cat = load_catalogue(strategies, cache_dir)
        n_examples = 0
    else:
        n_examples, wrong = check_examples(cat)
        problems.extend(wrong)
    for p in proposals:
        problems.extend(_validate_proposal(cat, p))
    if problems:
        raise SendAlignError(problems)
    from send_align.lint import cue_warnings, rule_warnings

    summary = {
        "files": len(strategy_files) + len(proposals) if paths else len(find_files(extra)),
        "frameworks": len(cat.frameworks),
        "aims": len(cat.aims()),
        "examples": n_examples,
        "proposals": len(proposals),
        "skipped": len(skipped),
    }
    return Validated(summary, (*cat.warnings, *(str(w) for w in (*rule_warnings(cat), *cue_warnings(cat)))), cat, tuple(skipped))


WHAT_VALIDATE_READS = (
    "validate reads strategy files (with framework and aims, or terms) and proposals (with proposal:), "
    "as .yaml, .yml or .json, and learned models (NAME.model.json)"
)


def _files_under(folder: Path) -> list[Path]:
    """Every regular file under a folder, sorted, hidden files and folders left out."""
    return sorted(
        p
        for p in folder.rglob("*")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.is_file()
        and special_kind(p.stat().st_mode) is None
    )


# The top-level keys of a strategy file (schemas/strategy.schema.json): any one of them makes it one.
STRATEGY_KEYS = ("framework", "aims", "terms", "contexts", "masks", "cues", "genres", "rules")


def _shape(path: Path) -> str:
    """'strategy', 'proposal', or why the file is neither, by its name and the shape of its content;
    SendAlignError for YAML or JSON that cannot be read."""
    from send_align.files import decode_text, read_bytes_capped
    from send_align.learned.files import MODEL_SUFFIX
    from send_align.safeyaml import load_text
    from send_align.strategies import SUFFIXES

    if path.suffix.lower() not in SUFFIXES:
        return f"not a YAML or JSON file ('{path.suffix or path.name}')"
    if path.name.lower().endswith(MODEL_SUFFIX):
        return "model"  # checked whole against the loaded aims (send_align.learned.files.parse)
    text = decode_text(read_bytes_capped(path), str(path))
    data = load_text(text, str(path), json_mode=path.suffix.lower() == ".json").data
    if isinstance(data, dict) and "proposal" in data:
        return "proposal"
    if isinstance(data, dict) and any(key in data for key in STRATEGY_KEYS):
        return "strategy"
    return "neither a strategy file (framework, aims, terms ...) nor a proposal (proposal:)"


def _validate_proposal(cat: Catalogue, path: Path) -> list[Problem]:
    from send_align.extract.proposal import extract
    from send_align.proposals import unknown_claims

    try:
        doc = extract(path, str(path))
    except SendAlignError as exc:
        return exc.problems
    return unknown_claims(cat, doc.claims or (), str(path))
