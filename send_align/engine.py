"""Run a check: find the files, read and scan each once, judge aims and claims, apply the gates."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from send_align import __version__
from send_align.checker import Checker
from send_align.discovery import Found, find_documents
from send_align.errors import Problem, SendAlignError
from send_align.exemptions import cache_key, exemptions_for
from send_align.extract.reading import Reading
from send_align.files import file_size
from send_align.gates import any_gate, evaluate_gates
from send_align.model import Catalogue, Framework
from send_align.options import CheckOptions, Exemptions, Gates
from send_align.proposals import unknown_claims
from send_align.results import (
    DocumentResult,
    Report,
)
from send_align.scoring import coverage

if TYPE_CHECKING:
    from send_align.cache import RunCache


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
    settings: Exemptions
    cache_path: Path | None
    time_limit: float | None = None
    """Processor seconds a document may take (see `timelimit.budget`); None for no limit."""
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


# A document the reader streams (text, HTML) is not kept in the cache of extracted documents over this size:
# keeping it would hold all its blocks in memory, where a run reads, scans and forgets them a piece at a
# time (memory bounded by the file's text, not by the blocks made from it).
STREAM_BYTES = 16 * 1024 * 1024


def _open(context: _Context, job: Job) -> Reading:
    """The document's reading: from the cache of extracted documents when its content is known there,
    else from its file (and kept in the cache once read)."""
    from send_align import extract

    cache = context.open_cache() if job.digest else None
    if cache is None or job.digest is None:
        return extract.open(job.path, job.shown)
    from send_align.cache import Cache

    key = Cache.document_key(job.digest)
    stored = cache.get_document(key)
    if stored is not None:
        return Reading.of(replace(stored, path=job.shown))
    reading = extract.open(job.path, job.shown)
    if reading.streams and file_size(job.path) > STREAM_BYTES:
        return reading
    return reading.kept(lambda document: _keep(cache, key, document))


def _keep(cache: Any, key: str, document: Any) -> None:
    from send_align.timelimit import held

    with held():  # a write the time limit never cuts off half-way
        cache.put_document(key, document)


def _check_job(context: _Context, job: Job) -> Outcome:
    """The document's outcome, read and checked within its time limit (see `timelimit`)."""
    from send_align.extract.proposal import NotAProposal
    from send_align.timelimit import limited

    _ = context.checker  # compiled once per process, outside any document's time
    try:
        with limited(context.time_limit, [job.path], job.shown):
            return Outcome(_read_and_check(context, job))
    except NotAProposal as exc:
        if job.explicit:
            return Outcome(
                DocumentResult(path=job.shown, format="proposal", error=str(exc.problems[0])),
                tuple(exc.problems),
            )
        return Outcome(None, skipped="YAML/JSON file that is not a proposal")
    except SendAlignError as exc:
        return Outcome(
            DocumentResult(path=job.shown, format=_format_name(job.path), error=str(exc.problems[0])),
            tuple(exc.problems),
        )


def _read_and_check(context: _Context, job: Job) -> DocumentResult:
    """The document's result; SendAlignError (NotAProposal for a YAML or JSON file that is not one) for bad input."""
    reading = _open(context, job)
    checker = context.checker
    first = None  # the first block's text, a title for a document without one (Checker.finish)
    if reading.streams and file_size(job.path) > STREAM_BYTES:
        scan = checker.scan(reading.blocks)
    else:
        # Read whole, as a sequence with its title: a rule the matcher settled on a guess about the
        # document's context can be scanned again (see scan_document).
        blocks = tuple(reading.blocks)
        first = blocks[0].text if blocks else None
        scan = checker.scan(blocks, title=reading.header().title)
    header = reading.header()
    if scan.paragraphs == 0:
        raise SendAlignError(
            "no text to check (the file is empty or holds only markup)",
            path=job.shown,
            hint="a silent 0% would mislead; check the file",
        )
    if header.claims is not None:
        bad = unknown_claims(context.catalogue, header.claims, job.shown)
        if bad:
            raise SendAlignError(bad)
    na = exemptions_for(context.catalogue, job.shown, header.exemptions, context.settings, job.rel)
    return checker.finish(job.shown, header, checker.judge(scan, header.title, na, header.claims is not None), scan, first)


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
    options: CheckOptions,
    *,
    cache: RunCache | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[Report, list[Problem]]:
    """The finished report, plus every input problem (each also recorded on its document).

    Documents are checked in `options.jobs` processes (default: one per core, for runs big enough to gain),
    and the report is the same as a serial run's, byte for byte. With a cache (`cache`, else one opened
    from `options.cache`), unchanged documents are not read again: their results come from the cache when
    neither they nor the strategies have changed. Outputs (`options.outputs`) are refused, before any
    document is read, when one is a document found."""
    frameworks = catalogue.select(options.frameworks)
    if cache is None and options.cache is not None:
        cache = RunCache(options.cache)
    context = _Context(
        catalogue,
        frameworks,
        options.exemptions,
        cache.path if cache is not None else None,
        time_limit=options.time_limit,
    )
    found, skipped, problems = find_documents(options.paths, options.root, options.stdin)
    if options.outputs:
        from send_align.output import refuse_inputs

        refuse_inputs(options.outputs, [item.path for item in found])
    if cache is not None:
        context.cache = cache.open()
    jobs = _jobs(found, options.root, cache is not None)
    keys = _result_keys(jobs, catalogue, frameworks, options.exemptions) if cache is not None else {}
    outcomes: list[Outcome | None] = [None] * len(jobs)
    if cache is not None and keys:
        wanted = [(key, jobs[i].shown) for i, key in keys.items()]
        for i, result in zip(keys, cache.results(wanted), strict=True):
            if result is not None:
                outcomes[i] = Outcome(result)
    pending = [i for i, o in enumerate(outcomes) if o is None]
    done = len(jobs) - len(pending)
    with closing(_checked(context, [jobs[i] for i in pending], options.jobs)) as fresh:
        for i, outcome in zip(pending, fresh, strict=True):
            if on_progress is not None:
                done += 1
                on_progress(done, len(jobs), jobs[i].shown)
            outcomes[i] = outcome
            if (
                cache is not None
                and i in keys
                and outcome.result is not None
                and outcome.result.error is None
            ):
                cache.keep(keys[i], outcome.result)
    if cache is not None:
        cache.close()
    docs: list[DocumentResult] = []
    for job, got in zip(jobs, outcomes, strict=True):
        assert got is not None
        problems.extend(got.problems)
        if got.result is not None:
            docs.append(got.result)
        elif got.skipped:
            skipped.append((job.shown, got.skipped))
    rel_of = {job.shown: job.rel for job in jobs}
    return _report(frameworks, docs, skipped, options.gates, rel_of, len(problems)), problems


def _jobs(found: list[Found], root: Path, hashed: bool) -> list[Job]:
    """A job per document found, with its path from the configuration's folder and (for the cache) a digest
    of its content."""
    from send_align.cache import content_hash
    from send_align.extract.common import MAX_TEXT_BYTES

    out = []
    real_root = os.path.realpath(root)
    for item in found:
        rel = item.rel(real_root)
        digest = content_hash(item.path, MAX_TEXT_BYTES) if hashed else None
        if digest is not None:
            # The same bytes read as another format are another document.
            digest += item.path.suffix.lower()
        out.append(Job(item.path, item.shown, item.explicit, rel, digest))
    return out


def _result_keys(
    jobs: list[Job], catalogue: Catalogue, frameworks: list[Framework], exemptions: Exemptions
) -> dict[int, str]:
    """Per job with a digest, the key its result is kept under."""
    from send_align.cache import Cache

    fw_ids = [f.id for f in frameworks]
    return {
        i: Cache.result_key(job.digest, catalogue.digest, fw_ids, cache_key(exemptions, job.rel))
        for i, job in enumerate(jobs)
        if job.digest is not None
    }


def _checked(context: _Context, jobs: list[Job], processes: int | None) -> Generator[Outcome, None, None]:
    """Each job's outcome in order: in worker processes when the run is big enough to gain (or is told how
    many to use), else in this one. Workers end with the run, whatever ends it."""
    workers = processes if processes is not None else default_jobs()
    workers = (
        min(workers, len(jobs) // PARALLEL_MIN_PER_WORKER) if processes is None else min(workers, len(jobs))
    )
    if workers <= 1:
        yield from (_check_job(context, job) for job in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from send_align.workers import end_workers, stop_on_signals

    _ = context.checker  # compile once here, so forked workers inherit it
    pool = None
    # A signal to the run ends its workers too, rather than leaving them holding its pipes.
    with stop_on_signals():
        try:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_init_worker,
                initargs=(context, os.getpid()),
            )
            # Not pool.map: its iterator cancels the futures when a signal interrupts it, and the pool then
            # fails on the cancelled futures (a traceback on stderr) as it sees its workers ended.
            futures = [pool.submit(_work, job) for job in jobs]
            yield from (f.result() for f in futures)
        except BaseException:
            if pool is not None:
                end_workers(pool)
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)


def _report(
    frameworks: list[Framework],
    docs: list[DocumentResult],
    skipped: list[tuple[str, str]],
    gates: Gates,
    rel_of: dict[str, str],
    input_problems: int,
) -> Report:
    """Coverage of the documents that could be read, and the gates judged on them."""
    readable = [d for d in docs if d.error is None]
    cov = coverage(frameworks, readable)
    failures = evaluate_gates(gates, frameworks, readable, cov, rel_of)
    return Report(
        version=__version__,
        documents=tuple(docs),
        frameworks=tuple(cov),
        gate_passed=not failures,
        failures=tuple(failures),
        skipped=tuple(skipped),
        gates_set=any_gate(gates, readable),
        input_problems=input_problems,
    )


def _format_name(path: Path) -> str:
    from send_align.extract import format_of

    fmt = format_of(path)
    return fmt.value if fmt else path.suffix.lstrip(".")
