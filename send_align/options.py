"""A check's options as plain values: the flags as given, and what they resolve to with the configuration.

The command line fills `CheckFlags` (options as typed, plus what it reads of the terminal and the
environment); `config.resolve` merges them with the configuration file into `CheckOptions` (flags win);
`engine.run_check` takes those. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from send_align.reporting import Format
from send_align.timelimit import DEFAULT_SECONDS


@dataclass(frozen=True)
class PathGate:
    """Gates for each document whose path matches one of `patterns`."""

    patterns: tuple[str, ...]
    require: tuple[str, ...] = ()
    require_any: tuple[str, ...] = ()
    fail_under: float | None = None

    def describe(self) -> str:
        return " ".join(self.patterns)


@dataclass(frozen=True)
class NotApplicable:
    aim: str
    """An aim id or glob."""
    reason: str
    patterns: tuple[str, ...] = ()
    """Documents it applies to; empty for every document."""


@dataclass(frozen=True, kw_only=True)
class Gates:
    fail_under: float | None = None
    fail_under_framework: dict[str, float] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    per_document: bool = False
    """Apply fail_under and require to each document rather than to the set."""
    by_path: tuple[PathGate, ...] = ()
    """Gates for documents whose paths match a pattern (from the configuration)."""


@dataclass(frozen=True, kw_only=True)
class Exemptions:
    """What the configuration says about aims that do not apply."""

    not_applicable: tuple[NotApplicable, ...] = ()
    source: str = "configuration"
    """Where the not-applicable entries come from, for reports."""
    allow_wildcards: bool = False
    """Whether a document may exempt aims by a pattern rather than naming each one."""


@dataclass(frozen=True, kw_only=True)
class CheckFlags:
    """The check command's options as given (empty or None where not given), and what the command line
    knows of its surroundings."""

    paths: tuple[Path, ...] = ()
    frameworks: tuple[str, ...] = ()
    strategies: tuple[Path, ...] = ()
    format: str | None = None
    output: Path | None = None
    fail_under: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    per_document: bool = False
    config: Path | None = None
    no_config: bool = False
    baseline: Path | None = None
    update_baseline: bool = False
    evidence: int = 1
    jobs: int | None = None
    time_limit: float | None = None
    """--time-limit as given (0: no limit); None when not given."""
    cache_dir: Path | None = None
    """The cache folder; None for no cache."""
    allow_outside_paths: bool = False
    cwd: Path = Path(".")
    """Where the configuration is looked for."""
    github_actions: bool = False
    """Whether the run is a GitHub Actions step (the default format is then `github`)."""
    step_summary: Path | None = None
    """GitHub's job summary file, when there is one."""
    detail: bool = False
    quiet: bool = False
    rules_only: bool = False
    """No learned model adds an aim (the catalogue is used without its model files)."""
    stdin: tuple[Path, str] | None = None
    """A document read from standard input (`-` among the paths): the file it was saved to, and its name."""


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    """Everything a check needs, resolved."""

    paths: tuple[Path, ...] = ()
    frameworks: tuple[str, ...] = ()
    gates: Gates = Gates()
    exemptions: Exemptions = Exemptions()
    root: Path = Path(".")
    """The folder path patterns start from (the configuration's)."""
    jobs: int | None = None
    """Processes to check documents in (None: one per core, for runs big enough to gain)."""
    time_limit: float | None = DEFAULT_SECONDS
    """Processor seconds a document may take to be read and checked, per started 10 MB of its file (None: no
    limit); see `timelimit`."""
    cache: Path | None = None
    """The cache file; None for no cache."""
    format: Format = Format.TABLE
    """The report's format: one `check` offers (reporting.CHECK_FORMATS)."""
    output: Path | None = None
    evidence: int = 1
    baseline: Path | None = None
    """The baseline to read (None when there is none, or when it is being written)."""
    update_baseline: Path | None = None
    """The baseline to write."""
    summary: Path | None = None
    """A job summary to add the Markdown report to."""
    outputs: tuple[tuple[Path | None, str], ...] = ()
    """Every file the run writes (None: standard output) with what it is: none may be a document found."""
    reads: tuple[Path, ...] = ()
    """Files the run reads besides documents (the configuration, the baseline, strategy files): no output
    may land on one."""
    detail: bool = False
    """The terminal report lists every aim of every document, not one line per document."""
    quiet: bool = False
    """Only errors and the verdict line: no terminal report, no notes, no 'wrote FILE' line."""
    stdin: tuple[Path, str] | None = None
    """A document read from standard input (`-` among the paths): the file it was saved to, and its name."""
