"""The command line: parse options, call the core, render, exit. The only module that prints or exits."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from send_align import __version__
from send_align import output as output_file
from send_align.errors import Problem, SendAlignError
from send_align.escaping import line
from send_align.model import Catalogue
from send_align.report import OutputFormat

# The status a shell gives a program stopped by SIGPIPE (128 + 13): the reader of standard output went away
# (`send-align check . | head -1`). Never a gate's 1 or bad input's 2.
BROKEN_PIPE = 141


class _Group(TyperGroup):
    """Catches the one user-facing error type once: one line per problem on stderr, exit 2; and a closed
    standard output (or error) quietly, with BROKEN_PIPE."""

    def invoke(self, ctx: Any) -> Any:

        from send_align.workers import Stopped

        try:
            try:
                return super().invoke(ctx)
            except SendAlignError as exc:
                _print_problems(exc.problems)
                raise typer.Exit(2) from None
            except (KeyboardInterrupt, Stopped) as exc:
                # The shell's convention, 128 + the signal's number (130 for Ctrl-C), never a gate's exit code.
                signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
                sys.stderr.write(f"interrupted ({signal.Signals(signum).name})\n")
                raise typer.Exit(128 + signum) from None
        except (output_file.PipeClosed, BrokenPipeError):
            _silence()
            raise typer.Exit(BROKEN_PIPE) from None


app = typer.Typer(
    cls=_Group,
    name="send-align",
    help="Which SEND strategy aims a policy document or proposal addresses, with the evidence.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


StrategiesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--strategies", "-s", help="Folder of extra strategy files (repeatable); same id replaces a built-in."
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false", "no")


def cache_dir() -> Path | None:
    if _env_flag("SEND_ALIGN_NO_CACHE"):
        return None
    if os.environ.get("SEND_ALIGN_CACHE_DIR"):
        return Path(os.environ["SEND_ALIGN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "send-align"


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    if _env_flag("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def width() -> int:
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size((100, 24)).columns
    return 100


def catalogue(strategies: list[Path] | None) -> Catalogue:
    from send_align.strategies import load_catalogue

    cat = load_catalogue(strategies or [], cache_dir())
    _print_warnings(cat.warnings)
    return cat


def fail(problems: list[Problem], code: int = 2) -> NoReturn:
    _print_problems(problems)
    raise typer.Exit(code)


def _lookup_format(fmt: str) -> str:
    if fmt not in ("text", "json"):
        raise SendAlignError(f"unknown format '{fmt}' for this command", hint="use text or json")
    return fmt


def _print_json(data: Any) -> None:
    import json

    _emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _emit(text: str) -> None:
    """A command's output on standard output, through the one writer (a closed pipe or a full disk handled)."""
    output_file.write(None, text, "output")


# --- look-ups ----------------------------------------------------------------------------------------


@app.command()
def frameworks(strategies: StrategiesOpt = None, fmt: FormatOpt = "text") -> None:
    """List the built-in (and --strategies) frameworks."""
    from send_align import lookup

    _lookup_format(fmt)
    cat = catalogue(strategies)
    if fmt == "json":
        _print_json(lookup.frameworks_json(cat))
    else:
        _emit(lookup.frameworks_text(cat, use_colour()))


@app.command()
def show(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A framework id (lfi) or an aim id (lfi.principle-6).")
    ],
    strategies: StrategiesOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Show a framework's aims as a tree, or one aim in full."""
    from send_align import lookup

    _lookup_format(fmt)
    cat = catalogue(strategies)
    if fmt == "json":
        _print_json(lookup.show_json(cat, ident))
    else:
        _emit(lookup.show_text(cat, ident, use_colour(), width()))


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help="Words to look for in titles, statements and phrases.")],
    strategies: StrategiesOpt = None,
    fmt: FormatOpt = "text",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many results at most.")] = 10,
    framework: Annotated[
        list[str] | None, typer.Option("--framework", "-f", help="Only these frameworks.")
    ] = None,
) -> None:
    """Find aims by words across all frameworks (word forms and small typos tolerated)."""
    from send_align import lookup

    _lookup_format(fmt)
    cat = catalogue(strategies)
    for fid in framework or []:
        cat.get_framework(fid)
    hits = lookup.search(cat, " ".join(words), limit, framework or [])
    if fmt == "json":
        _print_json(
            [{"id": a.id, "title": a.title, "framework": a.framework, "score": round(s, 3)} for s, a in hits]
        )
    else:
        _emit(lookup.search_text(hits, " ".join(words), use_colour(), width()))


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Strategy or proposal files; none: the loaded strategies.")
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Check strategy or proposal files against their schemas (and strategy examples against the rules)."""
    from send_align import lookup

    _lookup_format(fmt)
    summary, warnings = lookup.validate(paths or [], strategies or [], cache_dir())
    _print_warnings(warnings)
    if fmt == "json":
        _print_json({"valid": True, **summary, "warnings": list(warnings)})
    else:
        _emit(
            f"ok: {summary['files']} file(s), {summary['frameworks']} framework(s), "
            f"{summary['aims']} aims, {summary['examples']} examples checked"
            + (f", {summary['proposals']} proposal(s)" if summary["proposals"] else "")
            + (f", {len(warnings)} warning(s)" if warnings else "")
            + "\n"
        )


@app.command()
def phrases(
    framework: Annotated[
        list[str] | None, typer.Option("--framework", "-f", help="Only these frameworks.")
    ] = None,
    strategies: StrategiesOpt = None,
) -> None:
    """Print the compiled phrase list of the selected frameworks, one per line."""
    cat = catalogue(strategies)
    seen: set[str] = set()
    for fw in cat.select(framework or []):
        for aim in fw.aims:
            for rule in aim.rules:
                for group in rule.groups:
                    seen.update(group)
    _emit("".join(p + "\n" for p in sorted(seen)))


# --- checking ----------------------------------------------------------------------------------------


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Documents, proposals or folders to check (default: `paths` in the configuration)."
        ),
    ] = None,
    framework: Annotated[
        list[str] | None, typer.Option("--framework", "-f", help="Framework id (repeatable; default all).")
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="Report format (default table; github when GITHUB_ACTIONS is set)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-under", help="Fail (exit 1) under PCT coverage; FRAMEWORK=PCT for one framework."
        ),
    ] = None,
    require: Annotated[
        list[str] | None,
        typer.Option("--require", help="Aim id or glob (area-send.*) that must be addressed (repeatable)."),
    ] = None,
    per_document: Annotated[
        bool,
        typer.Option("--per-document", help="Apply --fail-under and --require to each document on its own."),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Configuration file (default: send-align.toml or pyproject.toml found upward)."
        ),
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any configuration file.")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", help="Accept the gate failures recorded in this file; fail only on new ones."
        ),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Record every current gate failure in the baseline and pass."),
    ] = False,
    evidence: Annotated[
        int, typer.Option("--evidence", min=0, max=20, help="Evidence quotes per aim in the table.")
    ] = 1,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: when it is a terminal)."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, max=64, help="Processes to check documents in (default: one per core)."
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Neither read nor write the cache of extracted text and results."),
    ] = False,
    allow_outside_paths: Annotated[
        bool,
        typer.Option(
            "--allow-outside-paths",
            help="Let the configuration name paths outside its own folder (refused by default).",
        ),
    ] = False,
) -> None:
    """Coverage report for documents and proposals."""
    from send_align.checking import check as run
    from send_align.options import CheckFlags

    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    flags = CheckFlags(
        paths=tuple(paths or ()),
        frameworks=tuple(framework or ()),
        strategies=tuple(strategies or ()),
        format=fmt.value if fmt else None,
        output=output,
        fail_under=tuple(fail_under or ()),
        require=tuple(require or ()),
        per_document=per_document,
        config=config,
        no_config=no_config,
        baseline=baseline,
        update_baseline=update_baseline,
        evidence=evidence,
        jobs=jobs,
        cache_dir=None if no_cache else cache_dir(),
        allow_outside_paths=allow_outside_paths,
        cwd=Path.cwd(),
        github_actions=os.environ.get("GITHUB_ACTIONS") == "true",
        step_summary=Path(step_summary) if step_summary else None,
    )
    show_progress = progress if progress is not None else sys.stderr.isatty()
    colour = output is None and sys.stdout.isatty() and use_colour()
    checked = run(flags, catalogue, lambda: _progress_bar(show_progress), colour, width())
    if checked.baseline is not None:
        path, n = checked.baseline
        sys.stderr.write(
            f"baseline written to {line(str(path))}: {n} accepted gate failure{'s' if n != 1 else ''}\n"
        )
    if checked.problems:
        fail(checked.problems, 2)
    if checked.exit_code:
        raise typer.Exit(checked.exit_code)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on stderr while documents are checked; nothing when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        auto_refresh=False,  # no refresh thread: worker processes are forked
    ) as bar:
        task = bar.add_task("", total=None)

        def tick(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=line(name)[-40:])
            bar.refresh()

        yield tick


@app.command()
def explain(
    path: Annotated[Path, typer.Argument(help="One document or proposal.")],
    aim_id: Annotated[str, typer.Argument(metavar="AIM_ID", help="The aim to explain.")],
    strategies: StrategiesOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Why an aim is or is not addressed by one document: every rule, hit and discarded hit."""
    from send_align import explaining

    _lookup_format(fmt)
    cat = catalogue(strategies)
    result = explaining.explain(cat, path, aim_id)
    if fmt == "json":
        _print_json(explaining.to_json(result))
    else:
        _emit(explaining.to_text(result, use_colour(), width()))


@app.command(name="eval")
def eval_(
    labels: Annotated[Path, typer.Argument(help="A labels file (schemas/labels.schema.json).")],
    framework: Annotated[
        list[str] | None,
        typer.Option("--framework", "-f", help="Score only these frameworks (default: the labels' own list, or all)."),
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: FormatOpt = "text",
    errors: Annotated[
        bool, typer.Option("--errors/--no-errors", help="List every miss and false hit with its quote.")
    ] = True,
    min_f1: Annotated[
        float | None, typer.Option("--min-f1", min=0.0, max=1.0, help="Exit 1 when micro F1 is under this.")
    ] = None,
) -> None:
    """Check labelled documents and compare with the labels: precision and recall per aim, every error."""
    from send_align import evaluating
    from send_align.engine import run_check as run
    from send_align.options import CheckOptions

    _lookup_format(fmt)
    cat = catalogue(strategies)
    labelled = evaluating.load_labels(labels, cat)
    frameworks = cat.select(list(framework or labelled.frameworks))
    scored = {a.id for f in frameworks for a in f.aims}
    options = CheckOptions(frameworks=tuple(f.id for f in frameworks), paths=tuple(d.path for d in labelled.documents))
    report, problems = run(cat, options)
    if problems:
        raise SendAlignError(problems)
    result = evaluating.evaluate(labelled, list(report.documents), scored)
    if fmt == "json":
        _print_json(evaluating.to_json(result))
    else:
        sys.stdout.write(evaluating.to_text(result, errors, line))
    if min_f1 is not None and result.micro.f1 < min_f1:
        sys.stderr.write(f"micro F1 {result.micro.f1:.3f} is under --min-f1 {min_f1:g}\n")
        raise typer.Exit(1)


@app.command()
def diff(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="OLD NEW | PATH", help="Two versions of a document, or one with --rev."),
    ],
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev", help="Compare PATH at two git revisions: A..B (A.. for A against the working copy)."
        ),
    ] = None,
    framework: Annotated[
        list[str] | None, typer.Option("--framework", "-f", help="Framework id (repeatable; default all).")
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or markdown.")] = "text",
    fail_on_loss: Annotated[
        bool, typer.Option("--fail-on-loss", help="Exit 1 when an aim the old version addressed is lost.")
    ] = False,
) -> None:
    """Aims gained and lost between two versions of a document, with their evidence."""
    from send_align import comparing

    if fmt not in ("text", "json", "markdown"):
        raise SendAlignError(f"unknown format '{fmt}' for this command", hint="use text, json or markdown")
    cat = catalogue(strategies)
    if rev is not None:
        if len(files) != 1:
            raise SendAlignError(
                "--rev compares one PATH with itself at two revisions; give exactly one PATH"
            )
        result = comparing.compare_revisions(cat, framework or [], files[0], rev)
    else:
        if len(files) != 2:
            raise SendAlignError("diff needs two files, OLD and NEW (or one PATH with --rev A..B)")
        result = comparing.compare_files(
            cat, framework or [], files[0], files[1], str(files[0]), str(files[1])
        )
    _emit(comparing.render(result, fmt, use_colour(), width()))
    if fail_on_loss and result.of("lost"):
        raise typer.Exit(1)


@app.command()
def crosswalk(
    framework: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FRAMEWORK]...", help="Narrow to these frameworks (local or national)."),
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json, markdown or csv (the matrix).")] = "text",
) -> None:
    """Local aims against national ones, from the strategies' crosswalk links."""
    from send_align import crosswalk as cw

    if fmt not in ("text", "json", "markdown", "csv"):
        raise SendAlignError(
            f"unknown format '{fmt}' for this command", hint="use text, json, markdown or csv"
        )
    cat = catalogue(strategies)
    _emit(cw.render(cw.build_crosswalk(cat, framework or []), fmt, width()))


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"send-align {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Which SEND strategy aims a policy document or proposal addresses, with the evidence."""


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        sys.stderr.write(f"error: {line(str(p))}\n")


def _silence() -> None:
    """Standard output and error both to the null device: what is still buffered for a closed pipe is
    dropped at exit instead of failing again."""
    output_file.silence_stdout()
    with contextlib.suppress(AttributeError, OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stderr.fileno())
        os.close(null)


def _print_warnings(warnings: Iterable[str]) -> None:
    for w in warnings:
        sys.stderr.write(f"warning: {line(w)}\n")


def main() -> None:
    """Run the app; bad input of any kind ends as one line per problem and exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # a closed pipe outside any command (usage or help text)
        _silence()
        sys.exit(BROKEN_PIPE)
    except Exception as exc:
        if _env_flag("SEND_ALIGN_DEBUG"):
            raise
        sys.stderr.write(
            f"error: internal error ({type(exc).__name__}: {line(str(exc)[:200])}); "
            "please report it with the input that caused it (SEND_ALIGN_DEBUG=1 shows details)\n"
        )
        sys.exit(2)
