"""The command line: parse options, call the core, render, exit. The only module that prints or exits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from send_align import __version__
from send_align.errors import Problem, SendAlignError
from send_align.model import Catalogue
from send_align.report import OutputFormat


class _Group(TyperGroup):
    """Catches the one user-facing error type once: one line per problem on stderr, exit 2."""

    def invoke(self, ctx: Any) -> Any:

        try:
            return super().invoke(ctx)
        except SendAlignError as exc:
            _print_problems(exc.problems)
            raise typer.Exit(2) from None


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

    return load_catalogue(strategies or [], cache_dir())


def fail(problems: list[Problem], code: int = 2) -> NoReturn:
    _print_problems(problems)
    raise typer.Exit(code)


def _lookup_format(fmt: str) -> str:
    if fmt not in ("text", "json"):
        raise SendAlignError(f"unknown format '{fmt}' for this command", hint="use text or json")
    return fmt


def _print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
        sys.stdout.write(lookup.frameworks_text(cat, use_colour()))


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
        sys.stdout.write(lookup.show_text(cat, ident, use_colour(), width()))


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
    if framework:
        from send_align.engine import select_frameworks

        select_frameworks(cat, framework)
    hits = lookup.search(cat, " ".join(words), limit, framework or [])
    if fmt == "json":
        _print_json(
            [{"id": a.id, "title": a.title, "framework": a.framework, "score": round(s, 3)} for s, a in hits]
        )
    else:
        sys.stdout.write(lookup.search_text(hits, " ".join(words), use_colour(), width()))


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
    summary = lookup.validate(paths or [], strategies or [], cache_dir())
    if fmt == "json":
        _print_json({"valid": True, **summary})
    else:
        sys.stdout.write(
            f"ok: {summary['files']} file(s), {summary['frameworks']} framework(s), "
            f"{summary['aims']} aims, {summary['examples']} examples checked"
            + (f", {summary['proposals']} proposal(s)" if summary["proposals"] else "")
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
    from send_align.engine import select_frameworks

    cat = catalogue(strategies)
    seen: set[str] = set()
    for fw in select_frameworks(cat, framework or []):
        for aim in fw.aims:
            for rule in aim.rules:
                for group in rule.groups:
                    seen.update(group)
    sys.stdout.write("".join(p + "\n" for p in sorted(seen)))


# --- checking ----------------------------------------------------------------------------------------


def _parse_fail_under(values: list[str]) -> tuple[float | None, dict[str, float]]:
    overall: float | None = None
    per: dict[str, float] = {}
    for value in values:
        key, _, num = value.rpartition("=")
        try:
            pct = float(num)
        except ValueError:
            raise SendAlignError(
                f"--fail-under '{value}' is not a percentage",
                hint="use a number like 60, or FRAMEWORK=PCT like lfi=60",
            ) from None
        if not 0 <= pct <= 100:
            raise SendAlignError(f"--fail-under {pct:g} is outside 0-100")
        if key:
            per[key] = pct
        else:
            overall = pct
    return overall, per


def _write_output(text: str, output: Path | None, inputs: list[Path]) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    resolved = output.resolve()
    for p in inputs:
        if p.exists() and p.resolve() == resolved:
            raise SendAlignError(
                "the output file is one of the inputs; inputs are never overwritten", path=str(output)
            )
    if not output.parent.is_dir():
        raise SendAlignError("the output folder does not exist", path=str(output), hint="create it first")
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, output)
    except OSError as exc:
        raise SendAlignError(f"cannot write the report: {exc.strerror or exc}", path=str(output)) from None


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Documents, proposals or folders to check.")],
    framework: Annotated[
        list[str] | None, typer.Option("--framework", "-f", help="Framework id (repeatable; default all).")
    ] = None,
    strategies: StrategiesOpt = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Report format.")] = OutputFormat.TABLE,
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
    evidence: Annotated[
        int, typer.Option("--evidence", min=0, max=20, help="Evidence quotes per aim in the table.")
    ] = 1,
) -> None:
    """Coverage report for documents and proposals."""
    from send_align.engine import Gates, check_require_patterns, run_check
    from send_align.report import RenderOptions, formatters

    cat = catalogue(strategies)
    overall, per = _parse_fail_under(fail_under or [])
    if per:
        from send_align.engine import select_frameworks

        select_frameworks(cat, list(per))
    check_require_patterns(cat, require or [])
    gates = Gates(overall, per, tuple(require or ()))
    report, problems = run_check(cat, framework or [], paths, gates)
    to_terminal = output is None and sys.stdout.isatty()
    options = RenderOptions(colour=to_terminal and use_colour(), width=width(), evidence_per_aim=evidence)
    text = formatters()[fmt](report, cat, options)
    _write_output(text, output, list(paths))
    if problems:
        fail(problems, 2)
    if not report.gate_passed:
        raise typer.Exit(1)


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
        sys.stdout.write(explaining.to_text(result, use_colour(), width()))


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
        sys.stderr.write(f"error: {p}\n")


def main() -> None:
    """Run the app; bad input of any kind ends as one line per problem and exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:
        if _env_flag("SEND_ALIGN_DEBUG"):
            raise
        sys.stderr.write(
            f"error: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
            "please report it with the input that caused it (SEND_ALIGN_DEBUG=1 shows details)\n"
        )
        sys.exit(2)
