"""Run a check: find the files, read and scan each once, judge aims and claims, apply the gates."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from send_align import __version__
from send_align.errors import Problem, SendAlignError
from send_align.matching import DocumentScan, Matcher, compile_matcher, scan_document
from send_align.model import Aim, Catalogue, Framework
from send_align.proposals import further_alignment, judge_claims, unknown_claims
from send_align.results import (
    AimResult,
    Document,
    DocumentResult,
    FrameworkCoverage,
    GateFailure,
    Report,
    Status,
)
from send_align.scoring import best_status, coverage, judge


@dataclass(frozen=True)
class Gates:
    fail_under: float | None = None
    fail_under_framework: dict[str, float] = field(default_factory=dict)
    require: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    path: Path
    shown: str
    explicit: bool


def select_frameworks(catalogue: Catalogue, ids: Sequence[str]) -> list[Framework]:
    if not ids:
        return list(catalogue.frameworks)
    out = []
    for fid in ids:
        fw = catalogue.framework(fid)
        if fw is None:
            raise SendAlignError(
                f"unknown framework '{fid}'", hint="known: " + ", ".join(f.id for f in catalogue.frameworks)
            )
        if fw not in out:
            out.append(fw)
    return out


def find_documents(paths: Sequence[Path]) -> tuple[list[Found], list[tuple[str, str]], list[Problem]]:
    """Files named, and supported files under folders named (hidden folders skipped, loops avoided)."""
    from send_align.extract import format_of

    found: list[Found] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for arg in paths:
        shown = str(arg)
        if arg.is_dir():
            for path in _walk(arg):
                rel = str(path) if shown not in (".", "./") else str(path.relative_to(arg))
                if format_of(path) is None:
                    skipped.append((rel, f"unsupported file type '{path.suffix or path.name}'"))
                else:
                    found.append(Found(path, rel, False))
        elif arg.is_file():
            if format_of(arg) is None:
                problems.append(
                    Problem(
                        f"unsupported file type '{arg.suffix}'",
                        shown,
                        hint="supported: .md .txt .docx .pdf .html .odt and proposal .yaml/.json",
                    )
                )
            else:
                found.append(Found(arg, shown, True))
        else:
            problems.append(Problem("no such file or folder", shown))
    return found, skipped, problems


def _walk(root: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules")
        )
        for name in sorted(files):
            if not name.startswith("."):
                p = Path(folder) / name
                if p.is_file():
                    yield p


@dataclass
class Checker:
    """A compiled matcher for every aim of the catalogue; reports show the selected frameworks."""

    catalogue: Catalogue
    frameworks: list[Framework]
    matcher: Matcher = field(init=False)
    selected: set[str] = field(init=False)
    """Ids of the aims of the selected frameworks: the ones reports show."""

    def __post_init__(self) -> None:
        self.matcher = compile_matcher(self.catalogue, self.catalogue.aims())
        self.selected = {a.id for f in self.frameworks for a in f.aims}

    def results(self, document: Document, settle: bool = True) -> tuple[DocumentScan, list[AimResult]]:
        """The document's scan, and every aim's result (all aims, so claims on any framework are judged)."""
        scan = scan_document(self.matcher, document.blocks, settle)
        na = {e.aim: e.reason for e in document.exemptions}
        return scan, judge(self.matcher.aims, scan, self.matcher.contexts, na)

    def check(self, document: Document) -> DocumentResult:
        _, results = self.results(document)
        by_id = {r.aim: r for r in results}
        shown = tuple(r for r in results if r.aim in self.selected)
        if document.claims is None:
            return DocumentResult(document.path, document.format, shown, title=document.title)
        claims = judge_claims(document.claims, by_id)
        further = further_alignment(document.claims, shown)
        return DocumentResult(
            document.path, document.format, shown, tuple(claims), tuple(further), title=document.title
        )


def run_check(
    catalogue: Catalogue,
    framework_ids: Sequence[str],
    paths: Sequence[Path],
    gates: Gates,
) -> tuple[Report, list[Problem]]:
    """The finished report, plus every input problem (each also recorded on its document)."""
    from send_align.extract import extract
    from send_align.extract.proposal import NotAProposal

    frameworks = select_frameworks(catalogue, framework_ids)
    checker = Checker(catalogue, frameworks)
    found, skipped, problems = find_documents(paths)
    docs: list[DocumentResult] = []
    for item in found:
        try:
            document = extract(item.path, item.shown)
            if not document.blocks:
                raise SendAlignError(
                    "no text to check (the file is empty or holds only markup)",
                    path=item.shown,
                    hint="a silent 0% would mislead; check the file",
                )
            if document.claims is not None:
                bad = unknown_claims(catalogue, document.claims, item.shown)
                if bad:
                    raise SendAlignError(bad)
            docs.append(checker.check(document))
        except NotAProposal as exc:
            if item.explicit:
                problems.extend(exc.problems)
                docs.append(DocumentResult(item.shown, "proposal", error=str(exc.problems[0])))
            else:
                skipped.append((item.shown, "YAML/JSON file that is not a proposal"))
        except SendAlignError as exc:
            problems.extend(exc.problems)
            docs.append(DocumentResult(item.shown, _format_name(item.path), error=str(exc.problems[0])))
    readable = [d for d in docs if d.error is None]
    cov = coverage(frameworks, readable)
    failures = evaluate_gates(gates, frameworks, readable, cov)
    report = Report(__version__, tuple(docs), tuple(cov), not failures, tuple(failures), tuple(skipped))
    return report, problems


def _format_name(path: Path) -> str:
    from send_align.extract import format_of

    fmt = format_of(path)
    return fmt.value if fmt else path.suffix.lstrip(".")


def evaluate_gates(
    gates: Gates,
    frameworks: Sequence[Framework],
    docs: Sequence[DocumentResult],
    covs: Sequence[FrameworkCoverage],
) -> list[GateFailure]:
    failures: list[GateFailure] = []
    if gates.fail_under is not None:
        addressed = sum(c.addressed for c in covs)
        total = sum(c.total for c in covs)
        pct = 100 * addressed / total if total else 0.0
        if pct < gates.fail_under:
            failures.append(GateFailure("fail-under", f"coverage {pct:.1f}% is under {gates.fail_under:g}%"))
    for fid, limit in sorted(gates.fail_under_framework.items()):
        c = next((c for c in covs if c.id == fid), None)
        if c is None:
            continue
        if c.coverage < limit:
            failures.append(
                GateFailure("fail-under", f"{fid} coverage {c.coverage:.1f}% is under {limit:g}%")
            )
    all_ids = [a.id for f in frameworks for a in f.aims]
    best = best_status(docs)
    for pattern in gates.require:
        ids = [i for i in all_ids if fnmatch.fnmatchcase(i, pattern)]
        for aim_id in ids:
            if best.get(aim_id) is not Status.ADDRESSED and best.get(aim_id) is not Status.NOT_APPLICABLE:
                failures.append(GateFailure("require", f"required aim {aim_id} is not addressed", aim_id))
    for d in docs:
        for claim in d.claims or ():
            if claim.status == "unsupported":
                failures.append(
                    GateFailure(
                        "claim",
                        f"claim {claim.aim} is not supported by the proposal's body",
                        claim.aim,
                        d.path,
                    )
                )
    return failures


def check_require_patterns(catalogue: Catalogue, patterns: Sequence[str]) -> None:
    ids = [a.id for a in catalogue.aims()]
    bad = [p for p in patterns if not any(fnmatch.fnmatchcase(i, p) for i in ids)]
    if bad:
        raise SendAlignError(
            [Problem(f"--require '{p}' matches no aim id", hint="see `send-align search`") for p in bad]
        )


def aim_by_id(catalogue: Catalogue, aim_id: str) -> Aim:
    aim = catalogue.aim(aim_id)
    if aim is None:
        raise SendAlignError(f"unknown aim id '{aim_id}'", hint="see `send-align search WORDS` for ids")
    return aim
