"""Run a check: find the files, read and scan each once, judge aims and claims, apply the gates."""

from __future__ import annotations

import errno
import fnmatch
import gc
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from send_align import __version__
from send_align.config import Config, NotApplicable, PathGate, path_matches
from send_align.errors import Problem, SendAlignError
from send_align.escaping import file_name
from send_align.files import special_kind
from send_align.model import Catalogue, Framework
from send_align.proposals import further_alignment, judge_claims, unknown_claims
from send_align.results import (
    AimResult,
    Block,
    ClaimStatus,
    Document,
    DocumentResult,
    DocumentScan,
    Exemption,
    FrameworkCoverage,
    GateFailure,
    GateKind,
    Report,
    Status,
)
from send_align.scoring import best_status, coverage, judge

if TYPE_CHECKING:
    from send_align.matching import Matcher


@dataclass(frozen=True)
class Gates:
    fail_under: float | None = None
    fail_under_framework: dict[str, float] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    per_document: bool = False
    """Apply fail_under and require to each document rather than to the set."""
    by_path: tuple[PathGate, ...] = ()
    """Gates for documents whose paths match a pattern (from the configuration)."""


@dataclass(frozen=True)
class Settings:
    """What the configuration adds to a check besides gates."""

    not_applicable: tuple[NotApplicable, ...] = ()
    root: Path = Path(".")
    """The folder path patterns start from."""
    source: str = "configuration"
    """Where the not-applicable entries come from, for reports."""
    allow_wildcard_exemptions: bool = False
    """Whether a document may exempt aims by a pattern rather than naming each one."""


@dataclass(frozen=True)
class Found:
    path: Path
    shown: str
    explicit: bool
    real: str = ""
    """The file's real path (links resolved)."""


def find_documents(paths: Sequence[Path]) -> tuple[list[Found], list[tuple[str, str]], list[Problem]]:
    """Files named, and supported files under folders named (hidden folders skipped, loops avoided)."""
    from send_align.extract import format_of

    found: list[Found] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def add(item: Found) -> None:
        """A file reached twice (named, and inside a folder named) is checked once."""
        try:
            real = os.path.realpath(item.path)
        except (OSError, ValueError):
            real = str(item.path)
        if real in seen:
            first = found[seen[real]]
            if item.explicit:
                found[seen[real]] = replace(first, explicit=True)
            elif item.path.is_symlink() or first.path.is_symlink():
                skipped.append((item.shown, f"the same file as {first.shown}"))
            return
        seen[real] = len(found)
        found.append(replace(item, real=real))

    for arg in paths:
        shown = file_name(str(arg))
        try:
            mode = os.stat(arg).st_mode
        except OSError as exc:
            missing = exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.lexists(arg)
            problems.append(
                Problem("no such file or folder" if missing else f"cannot read: {exc.strerror}", shown)
            )
            continue
        if stat.S_ISDIR(mode):
            for path, why, failed in _walk(arg):
                # A name that is not UTF-8 is shown with its bytes escaped (caf\xe9.md): every format can
                # print it, and the file itself is still read by its real name.
                rel = file_name(str(path) if shown not in (".", "./") else str(path.relative_to(arg)))
                if failed:
                    problems.append(Problem(why or "cannot read", rel, hint="the rest was still checked"))
                elif why is not None:
                    skipped.append((rel, why))
                elif format_of(path) is None:
                    skipped.append((rel, f"unsupported file type '{path.suffix or path.name}'"))
                else:
                    add(Found(path, rel, False))
        elif special_kind(mode) is not None:
            problems.append(
                Problem(
                    f"not a regular file ({special_kind(mode)})",
                    shown,
                    hint="only documents saved as files can be checked",
                )
            )
        elif format_of(arg) is None:
            problems.append(
                Problem(
                    f"unsupported file type '{arg.suffix}'",
                    shown,
                    hint="supported: .md .txt .docx .pdf .html .odt and proposal .yaml/.json",
                )
            )
        else:
            add(Found(arg, shown, True))
    return found, skipped, problems


def _walk(root: Path) -> Iterator[tuple[Path, str | None, bool]]:
    """Files under a folder in sorted order, each with None or why it is passed over, and whether that is a
    problem (a folder or file that cannot be read: the run ends with exit 2, never a silent gap). Symbolic
    links to folders are not followed (no loops); a link to a file outside the folder is not read, so a
    pull request cannot make the report quote a file from elsewhere on the machine. Named pipes, devices
    and sockets are listed as passed over, never opened."""
    real_root = root.resolve()
    seen: set[tuple[int, int]] = set()
    failures: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=failures.append, followlinks=False):
        yield from _unreadable(failures)
        here = Path(folder)
        try:
            st = os.stat(folder)
        except OSError as exc:
            dirs[:] = []
            yield here, f"cannot read this folder: {exc.strerror}", True
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        linked: list[str] = []
        kept: list[str] = []
        for d in sorted(dirs):
            if d.startswith(".") or d in ("__pycache__", "node_modules"):
                continue
            try:
                (linked if (here / d).is_symlink() else kept).append(d)
            except OSError as exc:
                yield here / d, f"cannot read this folder: {exc.strerror}", True
        for d in linked:
            yield here / d, "a symbolic link to a folder (not followed)", False
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            p = here / name
            try:
                why = _passed_over(p, real_root)
            except OSError as exc:
                yield p, f"cannot read: {exc.strerror}", True
                continue
            yield p, why, False
    yield from _unreadable(failures)


def _unreadable(failures: list[OSError]) -> Iterator[tuple[Path, str, bool]]:
    """Folders the walk could not list (no permission, a path longer than the system allows)."""
    for exc in failures:
        yield Path(exc.filename), f"cannot read this folder: {exc.strerror}", True
    failures.clear()


def _passed_over(p: Path, real_root: Path) -> str | None:
    """Why a file in a folder is not checked, or None when it is."""
    if p.is_symlink():
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a broken or looping symbolic link"
        if not target.is_relative_to(real_root):
            return "a symbolic link to a file outside the folder (not read)"
    kind = special_kind(p.stat().st_mode)
    return f"not a regular file ({kind})" if kind else None


@dataclass
class Checker:
    """A compiled matcher for every aim of the catalogue; reports show the selected frameworks."""

    catalogue: Catalogue
    frameworks: list[Framework]
    matcher: Matcher = field(init=False)
    selected: set[str] = field(init=False)
    """Ids of the aims of the selected frameworks: the ones reports show."""

    def __post_init__(self) -> None:
        from send_align.matching import compile_matcher  # a run answered from the cache never needs it

        self.matcher = compile_matcher(self.catalogue, self.catalogue.aims())
        self.selected = {a.id for f in self.frameworks for a in f.aims}

    def results(
        self, document: Document, settle: bool = True, not_applicable: dict[str, str] | None = None
    ) -> tuple[DocumentScan, list[AimResult]]:
        """The document's scan, and every aim's result (all aims, so claims on any framework are judged)."""
        from send_align.matching import scan_document

        scan = scan_document(self.matcher, document.blocks, settle, document.title)
        if not_applicable is None:
            # No gate is judged here (explain, diff): a document's patterns are taken as written.
            not_applicable = exemptions_for(
                self.catalogue, document, Settings(allow_wildcard_exemptions=True)
            )
        return scan, judge(self.matcher.aims, scan, self.matcher.contexts, not_applicable)

    def check(self, document: Document, not_applicable: dict[str, str] | None = None) -> DocumentResult:
        _, results = self.results(document, not_applicable=not_applicable)
        return self.finish(document, results)

    def finish(self, document: Document, results: list[AimResult]) -> DocumentResult:
        by_id = {r.aim: r for r in results}
        shown = tuple(r for r in results if r.aim in self.selected)
        if document.claims is None:
            return DocumentResult(
                path=document.path, format=document.format, aims=shown, title=document.title, notes=document.notes
            )
        claims = judge_claims(document.claims, by_id)
        further = further_alignment(document.claims, shown)
        return DocumentResult(
            path=document.path,
            format=document.format,
            aims=shown,
            claims=tuple(claims),
            further=tuple(further),
            title=document.title,
        )


def relative_path(path: Path, root: Path | str, real: str = "") -> str:
    """A document's path from the configuration's folder (for path patterns), else as given.
    `root`, and the document's `real` path, may be given already resolved, as a run does for thousands
    of documents."""
    real_root = root if isinstance(root, str) else os.path.realpath(root)
    real = real or os.path.realpath(path)
    if real.startswith(real_root.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(real, real_root)).as_posix()
    return path.as_posix()


def exemptions_for(
    catalogue: Catalogue, document: Document, settings: Settings, rel: str | None = None
) -> dict[str, str]:
    """Aim id -> reason for every aim declared not applicable to this document (configuration, then inline).

    An inline exemption naming no known aim is bad input."""
    out: dict[str, str] = {}
    for entry in settings.not_applicable:
        if not entry.patterns or path_matches(entry.patterns, rel or document.path):
            for aim_id in catalogue.aims_matching(entry.aim):
                out[aim_id] = f"{entry.reason} ({settings.source})"
    bad = []
    for ex in document.exemptions:
        if not settings.allow_wildcard_exemptions and any(c in ex.aim for c in "*?["):
            # One line in a pull request must not switch off every gate: a document names the aims it
            # exempts; patterns belong in the configuration, which the repository decides.
            bad.append(
                Problem(
                    f"not-applicable '{ex.aim}' is a pattern; a document may only exempt aims it names",
                    document.path,
                    ex.line,
                    hint="name each aim, or put the pattern under [[not-applicable]] in send-align.toml, "
                    "or set allow-wildcard-exemptions = true there",
                )
            )
            continue
        ids = catalogue.aims_matching(ex.aim)
        if not ids:
            bad.append(
                Problem(
                    f"not-applicable names no known aim: '{ex.aim}'",
                    document.path,
                    ex.line,
                    hint="see `send-align search WORDS` for ids",
                )
            )
        where = f"line {ex.line}" if ex.line else "in the document"
        for aim_id in ids:
            out[aim_id] = f"{ex.reason} ({where})"
    if bad:
        raise SendAlignError(bad)
    return out


@dataclass(frozen=True)
class Job:
    """One document to check, with what the cache needs to know about it."""

    path: Path
    shown: str
    explicit: bool
    rel: str
    digest: str | None = None


@dataclass(frozen=True)
class Outcome:
    result: DocumentResult | None
    """None when the file was passed over (a YAML file found in a folder that is not a proposal)."""
    problems: tuple[Problem, ...] = ()
    skipped: str | None = None


@dataclass
class _Context:
    """What checking one document needs; built once per process."""

    catalogue: Catalogue
    frameworks: list[Framework]
    settings: Settings
    cache_path: Path | None
    cache: Any = None
    compiled: Checker | None = None

    @property
    def checker(self) -> Checker:
        """Compiled on first use: a run answered wholly from the cache never compiles the matcher."""
        if self.compiled is None:
            self.compiled = Checker(self.catalogue, self.frameworks)
        return self.compiled

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["cache"] = None  # a connection never crosses processes
        return state

    def open_cache(self) -> Any:
        if self.cache is None and self.cache_path is not None:
            from send_align.cache import Cache

            self.cache = Cache(self.cache_path)
        return self.cache


_WORKER: _Context | None = None
_INHERITED: list[Any] = []


def _init_worker(context: _Context, parent: int) -> None:
    global _WORKER
    from send_align.workers import die_with_parent

    die_with_parent(parent)
    if context.cache is not None:
        # A forked worker must neither use nor close the parent's connection: keep it, open its own.
        _INHERITED.append(context.cache)
        context.cache = None
    _WORKER = context


def _work(job: Job) -> Outcome:
    assert _WORKER is not None
    return _check_job(_WORKER, job)


def _read(context: _Context, job: Job) -> Document:
    """The document's text: from the cache of extracted documents when its content is known."""
    from send_align.extract import extract

    cache = context.open_cache() if job.digest else None
    if cache is not None and job.digest:
        from send_align.cache import Cache

        key = Cache.document_key(job.digest)
        stored = cache.get_document(key)
        if isinstance(stored, Document):
            return replace(stored, path=job.shown)
        document = extract(job.path, job.shown)
        cache.put_document(key, replace(document, path=""))
        return document
    return extract(job.path, job.shown)


def _nothing_to_check(shown: str) -> SendAlignError:
    return SendAlignError(
        "no text to check (the file is empty or holds only markup)",
        path=shown,
        hint="a silent 0% would mislead; check the file",
    )


# Text and HTML files over this size are read, scanned and forgotten a piece at a time (memory stays
# bounded by the file's text, not by the blocks made from it).
STREAM_BYTES = 16 * 1024 * 1024


def _check_streamed(context: _Context, job: Job) -> Outcome:
    """A large text or HTML file: blocks scanned as they are read, directives collected on the way, so
    its blocks are never all in memory at once."""
    from send_align.extract import html, text
    from send_align.extract.directives import DIRECTIVE, parse_directive

    exemptions: list[Exemption] = []
    blocks: Iterator[Block]
    reader = None
    if job.path.suffix.lower() in (".html", ".htm"):
        reader, blocks = html.stream(job.path, job.shown)
        builder, fmt = reader.builder, "html"
    else:
        builder, blocks = text.stream(job.path, job.shown)
        fmt = "text"

    def scanned() -> Iterator[Block]:
        for block in blocks:
            if DIRECTIVE.match(block.text):
                exemptions.append(parse_directive(block.text, job.shown, block.line))
            else:
                yield block

    from send_align.matching import scan_document
    from send_align.matching.judge import title_contexts

    checker = context.checker
    scan = scan_document(checker.matcher, scanned())
    if builder.count == 0:
        raise _nothing_to_check(job.shown)
    title = (reader.title if reader is not None else None) or builder.title
    scan.title_contexts = title_contexts(checker.matcher, title)
    # Comment directives first, then paragraph ones: the order a whole-file read gives.
    comments = reader.exemptions if reader is not None else []
    document = Document(path=job.shown, format=fmt, blocks=(), title=title, exemptions=(*comments, *exemptions))
    na = exemptions_for(context.catalogue, document, context.settings, job.rel)
    results = judge(checker.matcher.aims, scan, checker.matcher.contexts, na)
    return Outcome(checker.finish(document, results))


_STREAMED = (".txt", ".text", ".html", ".htm")


def _check_job(context: _Context, job: Job) -> Outcome:
    from send_align.extract.proposal import NotAProposal

    catalogue = context.catalogue
    try:
        if job.path.suffix.lower() in _STREAMED and _size(job.path) > STREAM_BYTES:
            return _check_streamed(context, job)
        document = _read(context, job)
        if not document.blocks:
            raise _nothing_to_check(job.shown)
        if document.claims is not None:
            bad = unknown_claims(catalogue, document.claims, job.shown)
            if bad:
                raise SendAlignError(bad)
        na = exemptions_for(catalogue, document, context.settings, job.rel)
        return Outcome(context.checker.check(document, na))
    except NotAProposal as exc:
        if job.explicit:
            return Outcome(
                DocumentResult(path=job.shown, format="proposal", error=str(exc.problems[0])), tuple(exc.problems)
            )
        return Outcome(None, skipped="YAML/JSON file that is not a proposal")
    except SendAlignError as exc:
        return Outcome(
            DocumentResult(path=job.shown, format=_format_name(job.path), error=str(exc.problems[0])),
            tuple(exc.problems),
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# A run with fewer documents than this per worker stays in one process (starting workers costs more).
PARALLEL_MIN_PER_WORKER = 4


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A run keeps every document's result (thousands of small objects, none in a cycle) until the report:
    Python's full collections would walk them all again and again (0.56 s of a 30 MB run). Collections
    of young objects still run, so a reader's short-lived cycles are freed as before."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_fewer_collections()
def run_check(
    catalogue: Catalogue,
    framework_ids: Sequence[str],
    paths: Sequence[Path],
    gates: Gates,
    settings: Settings | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    jobs: int | None = None,
    cache_path: Path | None = None,
    json_only: bool = False,
    outputs: Sequence[tuple[Path | None, str]] = (),
) -> tuple[Report, list[Problem]]:
    """The finished report, plus every input problem (each also recorded on its document).

    Documents are checked in `jobs` processes (default: one per core, for runs big enough to gain), and
    the report is the same as a serial run's, byte for byte. With a cache, unchanged documents are not
    read again: their results come from the cache when neither they nor the strategies have changed.
    `outputs` (path or None for standard output, what it is) are refused, before any document is read, when
    one is a document found."""
    from send_align.cache import Cache, content_hash
    from send_align.extract.common import MAX_TEXT_BYTES

    settings = settings or Settings()
    frameworks = catalogue.select(framework_ids)
    context = _Context(catalogue, frameworks, settings, cache_path)
    found, skipped, problems = find_documents(paths)
    if outputs:
        from send_align.output import refuse_inputs

        refuse_inputs(outputs, [item.path for item in found])
    cache = context.open_cache()
    jobs_list = []
    rel_of: dict[str, str] = {}
    real_root = os.path.realpath(settings.root)
    for item in found:
        rel = relative_path(item.path, real_root, item.real)
        rel_of[item.shown] = rel
        digest = content_hash(item.path, MAX_TEXT_BYTES) if cache is not None else None
        if digest is not None:
            # The same bytes read as another format are another document.
            digest += item.path.suffix.lower()
        jobs_list.append(Job(item.path, item.shown, item.explicit, rel, digest))
    outcomes: list[Outcome | None] = [None] * len(jobs_list)
    result_keys: dict[int, str] = {}
    fw_ids = [f.id for f in frameworks]
    for i, job in enumerate(jobs_list):
        if cache is not None and job.digest is not None:
            result_keys[i] = Cache.result_key(
                job.digest, catalogue.digest, fw_ids, _config_exemptions_key(settings, job.rel)
            )
    if cache is not None and result_keys:
        # The JSON report of an unchanged document is kept whole: then no evidence needs loading.
        stored = cache.get_results(list(result_keys.values()), light=json_only)
        for i, key in result_keys.items():
            hit = stored.get(key)
            if hit is None:
                continue
            result, rendered = hit
            if isinstance(result, DocumentResult):
                outcomes[i] = Outcome(replace(result, path=jobs_list[i].shown, rendered_json=rendered))
    pending = [i for i, o in enumerate(outcomes) if o is None]
    done = len(jobs_list) - len(pending)
    workers = jobs if jobs is not None else default_jobs()
    workers = (
        min(workers, len(pending) // PARALLEL_MIN_PER_WORKER) if jobs is None else min(workers, len(pending))
    )
    fresh: Iterator[Outcome]
    pool = None
    signals = ExitStack()
    try:
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from send_align.workers import stop_on_signals

            _ = context.checker  # compile once here, so forked workers inherit it
            # A signal to the run ends its workers too, rather than leaving them holding its pipes.
            signals.enter_context(stop_on_signals())
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_init_worker,
                initargs=(context, os.getpid()),
            )
            # Not pool.map: its iterator cancels the futures when a signal interrupts it, and the pool then
            # fails on the cancelled futures (a traceback on stderr) as it sees its workers ended.
            futures = [pool.submit(_work, jobs_list[i]) for i in pending]
            fresh = (f.result() for f in futures)
        else:
            fresh = (_check_job(context, jobs_list[i]) for i in pending)
        for i, outcome in zip(pending, fresh, strict=True):
            if on_progress is not None:
                done += 1
                on_progress(done, len(jobs_list), jobs_list[i].shown)
            outcomes[i] = outcome
            if (
                cache is not None
                and i in result_keys
                and outcome.result is not None
                and outcome.result.error is None
            ):
                from send_align.report.json_report import after_path

                stored = replace(outcome.result, path="")
                # Encoded as the writer encodes a fresh report, so a cached run's bytes are the same.
                cache.put_result(
                    result_keys[i], stored, after_path(stored).encode("utf-8", "backslashreplace")
                )
    except BaseException:
        if pool is not None:
            from send_align.workers import end_workers

            end_workers(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        signals.close()
    if cache is not None:
        cache.prune()
        cache.close()
    docs: list[DocumentResult] = []
    for job, got in zip(jobs_list, outcomes, strict=True):
        assert got is not None
        problems.extend(got.problems)
        if got.result is not None:
            docs.append(got.result)
        elif got.skipped:
            skipped.append((job.shown, got.skipped))
    readable = [d for d in docs if d.error is None]
    cov = coverage(frameworks, readable)
    failures = evaluate_gates(gates, frameworks, readable, cov, rel_of)
    report = Report(
        version=__version__,
        documents=tuple(docs),
        frameworks=tuple(cov),
        gate_passed=not failures,
        failures=tuple(failures),
        skipped=tuple(skipped),
    )
    return report, problems


def _config_exemptions_key(settings: Settings, rel: str) -> str:
    """The configuration's exemptions that apply to a path, as a cache key part."""
    parts = [
        f"{e.aim}\x1f{e.reason}"
        for e in settings.not_applicable
        if not e.patterns or path_matches(e.patterns, rel)
    ]
    if settings.allow_wildcard_exemptions:
        parts.append("allow-wildcard-exemptions")
    return "\x1e".join([settings.source, *parts])


def _format_name(path: Path) -> str:
    from send_align.extract import format_of

    fmt = format_of(path)
    return fmt.value if fmt else path.suffix.lstrip(".")


def evaluate_gates(
    gates: Gates,
    frameworks: Sequence[Framework],
    docs: Sequence[DocumentResult],
    covs: Sequence[FrameworkCoverage],
    rel_of: dict[str, str] | None = None,
) -> list[GateFailure]:
    failures: list[GateFailure] = []
    all_ids = [a.id for f in frameworks for a in f.aims]
    if gates.per_document:
        for d in docs:
            failures += _document_gates(d, frameworks, all_ids, gates.require, gates.fail_under, "")
        set_gates = replace(gates, fail_under=None, require=())
    else:
        set_gates = gates
    for pg in gates.by_path:
        for d in docs:
            if path_matches(pg.patterns, (rel_of or {}).get(d.path, d.path)):
                failures += _document_gates(
                    d, frameworks, all_ids, pg.require, pg.fail_under, f" (gate for {pg.describe()})"
                )
                if pg.require_any:
                    ids = [i for i in all_ids if any(fnmatch.fnmatchcase(i, p) for p in pg.require_any)]
                    by_id = {r.aim: r.status for r in d.aims}
                    if not any(by_id.get(i) is Status.ADDRESSED for i in ids):
                        failures.append(
                            GateFailure(
                                kind=GateKind.REQUIRE_ANY,
                                message=f"{d.path} addresses none of {', '.join(pg.require_any)}"
                                f" (gate for {pg.describe()})",
                                path=d.path,
                            )
                        )
    gates = set_gates
    if gates.fail_under is not None:
        addressed = sum(c.addressed for c in covs)
        total = sum(c.total for c in covs)
        pct = 100 * addressed / total if total else 0.0
        if pct < gates.fail_under:
            failures.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"coverage {pct:.1f}% is under {gates.fail_under:g}%",
                    value=round(pct, 1),
                )
            )
    for fid, limit in sorted(gates.fail_under_framework.items()):
        c = next((c for c in covs if c.id == fid), None)
        if c is None:
            continue
        if c.coverage < limit:
            failures.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"{fid} coverage {c.coverage:.1f}% is under {limit:g}%",
                    framework=fid,
                    value=c.coverage,
                )
            )
    best = best_status(docs)
    for pattern in gates.require:
        ids = [i for i in all_ids if fnmatch.fnmatchcase(i, pattern)]
        for aim_id in ids:
            if best.get(aim_id) is not Status.ADDRESSED and best.get(aim_id) is not Status.NOT_APPLICABLE:
                failures.append(
                    GateFailure(
                        kind=GateKind.REQUIRE, message=f"required aim {aim_id} is not addressed", aim=aim_id
                    )
                )
    for d in docs:
        for claim in d.claims or ():
            if claim.status is ClaimStatus.UNSUPPORTED:
                failures.append(
                    GateFailure(
                        kind=GateKind.CLAIM,
                        message=f"claim {claim.aim} is not supported by the proposal's body",
                        aim=claim.aim,
                        path=d.path,
                    )
                )
    return failures


def _document_gates(
    d: DocumentResult,
    frameworks: Sequence[Framework],
    all_ids: Sequence[str],
    require: Sequence[str],
    fail_under: float | None,
    why: str,
) -> list[GateFailure]:
    """One document judged on its own: its coverage and the aims it must address."""
    out: list[GateFailure] = []
    if fail_under is not None:
        covs = coverage(frameworks, [d])
        addressed = sum(c.addressed for c in covs)
        total = sum(c.total for c in covs)
        pct = 100 * addressed / total if total else 0.0
        if pct < fail_under:
            out.append(
                GateFailure(
                    kind=GateKind.FAIL_UNDER,
                    message=f"{d.path}: coverage {pct:.1f}% is under {fail_under:g}%{why}",
                    path=d.path,
                    value=round(pct, 1),
                )
            )
    by_id = {r.aim: r.status for r in d.aims}
    for pattern in require:
        for aim_id in (i for i in all_ids if fnmatch.fnmatchcase(i, pattern)):
            if by_id.get(aim_id) not in (Status.ADDRESSED, Status.NOT_APPLICABLE):
                out.append(
                    GateFailure(
                        kind=GateKind.REQUIRE,
                        message=f"{d.path} does not address required aim {aim_id}{why}",
                        aim=aim_id,
                        path=d.path,
                    )
                )
    return out


def config_problems(catalogue: Catalogue, config: Config) -> list[Problem]:
    """Ids and patterns in a configuration that name nothing in the catalogue."""
    out = [
        Problem(
            f"frameworks: unknown framework '{fid}'",
            config.shown,
            hint="known: " + ", ".join(sorted(f.id for f in catalogue.frameworks)),
        )
        for fid in (*config.frameworks, *config.fail_under_framework)
        if catalogue.framework(fid) is None
    ]
    patterns = [("require", p) for p in config.require]
    for n, g in enumerate(config.gates):
        patterns += [(f"gates[{n}].require", p) for p in g.require]
        patterns += [(f"gates[{n}].require-any", p) for p in g.require_any]
    patterns += [(f"not-applicable[{n}].aim", e.aim) for n, e in enumerate(config.not_applicable)]
    for where, pattern in patterns:
        if not catalogue.aims_matching(pattern):
            out.append(
                Problem(
                    f"{where}: '{pattern}' matches no aim id", config.shown, hint="see `send-align search`"
                )
            )
    return out


def check_require_patterns(catalogue: Catalogue, patterns: Sequence[str]) -> None:
    bad = [p for p in patterns if not catalogue.aims_matching(p)]
    if bad:
        raise SendAlignError(
            [Problem(f"--require '{p}' matches no aim id", hint="see `send-align search`") for p in bad]
        )

