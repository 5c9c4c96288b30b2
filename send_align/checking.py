"""The check command without its command line: flags and configuration to options, the run, its outputs.

`check(flags, load)` is what `send-align check` does between parsing its options and printing: it reads
the configuration, loads the catalogue (through `load`, so the caller can say what it warns of), resolves
the options, refuses any output that would land on an input, runs the check, applies the baseline and
writes the report, the job summary and the baseline. It prints nothing and exits nowhere: the caller
prints the problems and chooses the exit code from what it returns.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from send_align import config, output
from send_align.errors import Problem
from send_align.model import Catalogue
from send_align.options import CheckFlags, CheckOptions
from send_align.paths import shown_path
from send_align.reporting import Format, RenderOptions
from send_align.results import Report

if TYPE_CHECKING:
    from send_align.report.json_report import StoredJson

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Checked:
    report: Report
    problems: list[Problem]
    """Every input problem (exit 2 when there is one)."""
    baseline: tuple[str, int] | None = None
    """The baseline written (its path from the repository's folder), and how many gate failures it accepts."""
    notes: tuple[str, ...] = ()
    """Things the user should know that are not problems (a configured baseline not written yet)."""
    quiet: bool = False
    """Only errors and the verdict line are to be printed (the report itself still written to a file)."""
    table_held: bool = False
    """The terminal report was not printed (--quiet): the verdict line takes its place on standard output."""
    output: str | None = None
    """The report file written, shown from the repository's folder; None for standard output."""

    @property
    def exit_code(self) -> int:
        if self.problems:
            return 2
        return 0 if self.report.gate_passed or self.baseline is not None else 1


def check(
    flags: CheckFlags,
    load: Callable[[list[Path]], Catalogue],
    progress: Callable[[], AbstractContextManager[Progress | None]] = lambda: nullcontext(None),
    colour: bool = False,
    width: int = 100,
) -> Checked:
    """Run a check as the flags say; SendAlignError for bad input that stops it before any document is read.
    `progress` gives a context for the run that yields what to call as each document is done."""
    from send_align.cache import RunCache
    from send_align.engine import run_check

    cfg, catalogue, options = configured(flags, load)
    _refuse_bad_outputs(options, config.strategy_folders(cfg, flags))
    accepted = None
    notes: list[str] = []
    if options.baseline is not None:
        from send_align.baseline import load_baseline

        if options.baseline == cfg.baseline and not os.path.lexists(options.baseline):
            # The configuration names a baseline no run has written yet (a new repository, the README's sample
            # configuration): nothing is accepted so far, which is not an error.
            accepted = {}
            notes.append(
                f"{shown_path(options.baseline, options.root)}: the configured baseline does not exist yet, so no gate"
                " failure is accepted; write it with --update-baseline"
            )
        else:
            accepted = load_baseline(options.baseline, options.root)
    # A JSON report writes unchanged documents as the cache kept them (see RunCache).
    cache = RunCache(options.cache, keep_json=options.format is Format.JSON) if options.cache else None
    with progress() as tick:
        report, problems = run_check(catalogue, options, cache=cache, on_progress=tick)
    if accepted is not None:
        from send_align.baseline import apply_baseline

        report = apply_baseline(report, accepted)
    held = options.quiet and options.format is Format.TABLE and output.is_stdout(options.output)
    if not held:
        render = RenderOptions(
            colour=colour, width=width, evidence_per_aim=options.evidence, gates=options.gates, detail=options.detail
        )
        _write(report, catalogue, options, cache.json if cache else None, render)
    written = None
    if options.update_baseline is not None:
        from send_align.baseline import write_baseline

        n = write_baseline(options.update_baseline, report)
        written = (shown_path(options.update_baseline, options.root), n)
    target = options.output
    shown_output = None if target is None or output.is_stdout(target) else shown_path(target, options.root)
    return Checked(report, problems, written, tuple(notes), options.quiet, held, shown_output)


def configured(flags: CheckFlags, load: Callable[[list[Path]], Catalogue]) -> tuple[config.Config, Catalogue, CheckOptions]:
    """The configuration found (or named) as the flags say, the catalogue with its strategy folders, and the
    options they resolve to: what a check reads before any document, and what explain, diff and annotate read
    so that they judge a document as a check would (its exemptions, frameworks and paths shown from the
    repository's folder). SendAlignError for a bad configuration."""
    cfg = config.for_check(flags)
    catalogue = load(config.strategy_folders(cfg, flags))
    if flags.rules_only:
        from send_align.learned.files import without_models

        catalogue = without_models(catalogue)
    return cfg, catalogue, config.resolve(cfg, flags, catalogue)


def _refuse_bad_outputs(options: CheckOptions, strategy_folders: list[Path]) -> None:
    """Before any work: an output that cannot be written, or that would land on a file the run reads."""
    from send_align.strategies import source_paths

    for target, what in options.outputs[:2]:
        output.check_target(target, what)
    strategy_files = [p for p, _, _ in source_paths(strategy_folders)]
    output.refuse_inputs(options.outputs, [*options.reads, *strategy_files])


def _write(
    report: Report,
    catalogue: Catalogue,
    options: CheckOptions,
    stored: StoredJson | None,
    render: RenderOptions,
) -> None:
    """The report where the options say, and the Markdown report in a GitHub job summary."""
    from send_align.report import formatter

    output.write(options.output, formatter(options.format, stored)(report, catalogue, render))
    if options.summary is not None:
        from send_align.report.github import summary_markdown

        output.append(options.summary, summary_markdown(report, catalogue, render), "job summary")
