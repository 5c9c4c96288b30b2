"""The typer app: each command's options and arguments, handed to commands.py.

Loaded only for commands that need it: cli.py answers the look-ups without typer (see cli.FAST).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from send_align import __version__, commands, console
from send_align.options import CheckFlags
from send_align.reporting import CHECK_FORMATS


class _Group(TyperGroup):
    """Every command's errors handled once (console.failures): bad input, signals, a closed output."""

    def invoke(self, ctx: Any) -> Any:
        with console.failures() as failure:
            return super().invoke(ctx)
        raise typer.Exit(failure.code)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands with their descriptions whole (click cuts each to 45 characters and '...')."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, " ".join((command.help or "").split("\n\n")[0].split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# Shown under every command's help; `\b` keeps click from joining the lines.
EXIT_CODES = """\b
Exit codes:
  0    success: every gate passed (or none was set)
  1    a gate failed: coverage, a required aim, an unsupported claim;
       search found no aim; diff --fail-on-loss, eval --min-f1 failed
  2    bad input or usage: one 'error:' line per problem on stderr
  130  interrupted; 141: standard output closed before the end"""


app = typer.Typer(
    cls=_Group,
    name="send-align",
    help="Which SEND strategy aims a policy document or proposal addresses, with the evidence.",
    add_completion=True,  # typer's --install-completion and --show-completion (README: Shell completion)
    epilog=EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _exit(code: int) -> None:
    if code:
        raise typer.Exit(code)


Strategies = Annotated[
    list[Path] | None,
    typer.Option(
        "--strategies", "-s", help="Folder of extra strategy files (repeatable); same id replaces a built-in."
    ),
]
TextOrJson = Annotated[str, typer.Option("--format", help="text (or table) or json.")]
Frameworks = Annotated[list[str] | None, typer.Option("--framework", "-f", help="Only these frameworks.")]
SomeFrameworks = Annotated[
    list[str] | None, typer.Option("--framework", "-f", help="Framework id (repeatable; default all).")
]


@app.command(epilog=EXIT_CODES)
def frameworks(strategies: Strategies = None, fmt: TextOrJson = "text") -> None:
    """List the built-in (and --strategies) frameworks."""
    _exit(commands.frameworks(strategies or [], fmt))


@app.command(epilog=EXIT_CODES)
def show(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A framework id (lfi) or an aim id (lfi.principle-6).")
    ],
    strategies: Strategies = None,
    fmt: TextOrJson = "text",
) -> None:
    """Show a framework's aims as a tree, or one aim in full."""
    _exit(commands.show(ident, strategies or [], fmt))


@app.command(epilog=EXIT_CODES)
def search(
    words: Annotated[list[str], typer.Argument(help="Words to look for in titles, statements and phrases.")],
    strategies: Strategies = None,
    fmt: TextOrJson = "text",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many results at most.")] = 10,
    framework: Frameworks = None,
) -> None:
    """Find aims by words across all frameworks (word forms and small typos tolerated)."""
    _exit(commands.search(words, strategies or [], fmt, limit, framework or []))


@app.command(epilog=EXIT_CODES)
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Strategy or proposal files; none: the loaded strategies.")
    ] = None,
    strategies: Strategies = None,
    fmt: TextOrJson = "text",
) -> None:
    """Check strategy or proposal files against their schemas (and strategy examples against the rules)."""
    _exit(commands.validate(paths or [], strategies or [], fmt))


@app.command(epilog=EXIT_CODES)
def phrases(framework: Frameworks = None, strategies: Strategies = None) -> None:
    """Print the compiled phrase list of the selected frameworks, one per line."""
    _exit(commands.phrases(framework or [], strategies or []))


def _check_format(value: str | None) -> str | None:
    """`--format` of check: one of CHECK_FORMATS (typer's own message for any other value)."""
    if value is not None and value not in CHECK_FORMATS and value != "text":
        offered = ", ".join(repr(f.value) for f in CHECK_FORMATS)
        raise typer.BadParameter(f"{value!r} is not one of {offered}.")
    return value


Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Documents, proposals or folders to check (default: `paths` in the configuration)."),
]
ReportFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="<" + "|".join(CHECK_FORMATS) + ">",
        callback=_check_format,
        help="Report format (default table; github when GITHUB_ACTIONS is set).",
    ),
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")]
FailUnder = Annotated[
    list[str] | None,
    typer.Option("--fail-under", help="Fail (exit 1) under PCT coverage; FRAMEWORK=PCT for one framework."),
]
Require = Annotated[
    list[str] | None,
    typer.Option("--require", help="Aim id or glob (area-send.*) that must be addressed (repeatable)."),
]
PerDocument = Annotated[
    bool, typer.Option("--per-document", help="Apply --fail-under and --require to each document on its own.")
]
Config = Annotated[
    Path | None,
    typer.Option(
        "--config", help="Configuration file (default: send-align.toml or pyproject.toml found upward)."
    ),
]
NoConfig = Annotated[bool, typer.Option("--no-config", help="Ignore any configuration file.")]
Baseline = Annotated[
    Path | None,
    typer.Option("--baseline", help="Accept the gate failures recorded in this file; fail only on new ones."),
]
UpdateBaseline = Annotated[
    bool,
    typer.Option("--update-baseline", help="Record every current gate failure in the baseline and pass."),
]
Evidence = Annotated[
    int, typer.Option("--evidence", min=0, max=20, help="Evidence quotes per aim in the table.")
]
Progress = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when it is a terminal)."),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, max=64, help="Processes to check documents in (default: one per core)."
    ),
]
TimeLimit = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        min=0,
        max=86400,
        metavar="SECONDS",
        help="Processor seconds a document may take to be read and checked, per started 10 MB of its file "
        "(default 120; 0: no limit). A document over it is an error; the others are still checked.",
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the cache of extracted text and results.")
]
AllowOutside = Annotated[
    bool,
    typer.Option(
        "--allow-outside-paths",
        help="Let the configuration name paths outside its own folder (refused by default).",
    ),
]


RulesOnly = Annotated[
    bool,
    typer.Option(
        "--rules-only", help="Judge by the rules alone: no learned model adds an aim the rules missed."
    ),
]
Detail = Annotated[
    bool, typer.Option("--detail", help="Every aim of every document with its evidence (one document: always).")
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only errors and the verdict line (no 'wrote FILE' line).")
]
StdinName = Annotated[
    str,
    typer.Option(
        "--stdin-name", metavar="NAME", help="The name of a document read from standard input (PATH -); its "
        "suffix picks the reader."
    ),
]


@app.command(epilog=EXIT_CODES)
def check(
    paths: Paths = None,
    frameworks: SomeFrameworks = None,
    strategies: Strategies = None,
    format: ReportFormat = None,
    output: Output = None,
    fail_under: FailUnder = None,
    require: Require = None,
    per_document: PerDocument = False,
    config: Config = None,
    no_config: NoConfig = False,
    baseline: Baseline = None,
    update_baseline: UpdateBaseline = False,
    evidence: Evidence = 1,
    progress: Progress = None,
    jobs: Jobs = None,
    time_limit: TimeLimit = None,
    no_cache: NoCache = False,
    allow_outside_paths: AllowOutside = False,
    detail: Detail = False,
    quiet: Quiet = False,
    rules_only: RulesOnly = False,
    stdin_name: StdinName = "stdin.txt",
) -> None:
    """Coverage report for documents and proposals."""
    given = {k: v for k, v in locals().items() if k not in ("progress", "no_cache", "stdin_name")}
    _exit(commands.check(console.check_flags(given, no_cache), progress, stdin_name))


def _document_flags(paths: list[Path], **given: Any) -> CheckFlags:
    """The options a command on documents shares with check, as check's flags (see commands._configured)."""
    return console.check_flags({"paths": paths, **given}, no_cache=True)


@app.command(epilog=EXIT_CODES)
def explain(
    path: Annotated[Path, typer.Argument(help="One document or proposal (- for standard input).")],
    aim_id: Annotated[str, typer.Argument(metavar="AIM_ID", help="The aim to explain.")],
    strategies: Strategies = None,
    fmt: TextOrJson = "text",
    config: Config = None,
    no_config: NoConfig = False,
    allow_outside_paths: AllowOutside = False,
    rules_only: RulesOnly = False,
    time_limit: TimeLimit = None,
    stdin_name: StdinName = "stdin.txt",
) -> None:
    """Why an aim is or is not addressed by one document: every rule, hit and discarded hit."""
    flags = _document_flags(
        [path],
        strategies=strategies,
        config=config,
        no_config=no_config,
        allow_outside_paths=allow_outside_paths,
        rules_only=rules_only,
        time_limit=time_limit,
    )
    _exit(commands.explain(flags, aim_id, fmt, stdin_name))


@app.command(name="eval", epilog=EXIT_CODES)
def eval_(
    labels: Annotated[Path, typer.Argument(help="A labels file (schemas/labels.schema.json).")],
    framework: Annotated[
        list[str] | None,
        typer.Option(
            "--framework", "-f", help="Score only these frameworks (default: the labels' own list, or all)."
        ),
    ] = None,
    strategies: Strategies = None,
    fmt: TextOrJson = "text",
    errors: Annotated[
        bool, typer.Option("--errors/--no-errors", help="List every miss and false hit with its quote.")
    ] = True,
    min_f1: Annotated[
        float | None, typer.Option("--min-f1", min=0.0, max=1.0, help="Exit 1 when micro F1 is under this.")
    ] = None,
    rules_only: RulesOnly = False,
    by_rule: Annotated[
        bool,
        typer.Option(
            "--by-rule",
            help="Add a table of every rule by the findings it carried, right and wrong, the least precise first.",
        ),
    ] = False,
) -> None:
    """Check labelled documents and compare with the labels: precision and recall per aim, every error."""
    _exit(commands.evaluate(labels, framework or [], strategies or [], fmt, errors, min_f1, rules_only, by_rule))


@app.command(epilog=EXIT_CODES)
def train(
    labels: Annotated[
        list[Path], typer.Argument(metavar="LABELS...", help="Labels files (schemas/labels.schema.json).")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The model file to write: NAME.model.json, for a --strategies folder.")
    ],
    framework: Annotated[
        list[str] | None,
        typer.Option("--framework", "-f", help="Fit models for these frameworks' aims (default: the labels' own list, or all)."),
    ] = None,
    strategies: Strategies = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.5,
            max=1.0,
            help="Probability at which a model adds an aim (default 0.8, or with --from each aim's own).",
        ),
    ] = None,
    min_documents: Annotated[
        int, typer.Option("--min-documents", min=1, help="Leave out words fewer documents than this hold.")
    ] = 3,
    about: Annotated[
        str | None,
        typer.Option("--about", help="What the model was fitted on, in words, kept in the file (trained_on)."),
    ] = None,
    veto: Annotated[
        float | None,
        typer.Option(
            "--veto",
            help="Probability (over 0, under 0.5) under which a model holds one rule's finding at partial on a "
            "document of 150 words to a window.",
        ),
    ] = None,
    one_window_threshold: Annotated[
        float | None,
        typer.Option(
            "--one-window-threshold",
            min=0.5,
            max=1.0,
            help="Probability at which a model adds an aim to a document of at most one window (350 words), "
            "where lower than --threshold.",
        ),
    ] = None,
    veto_only: Annotated[
        list[str] | None,
        typer.Option(
            "--veto-only",
            metavar="AIM_ID",
            help="An aim whose model may hold a weak finding at partial (--veto) but never adds the aim where the "
            "rules miss it: where its additions were measured mostly wrong (repeatable).",
        ),
    ] = None,
    no_veto: Annotated[
        list[str] | None,
        typer.Option(
            "--no-veto",
            metavar="AIM_ID",
            help="An aim whose model never holds a weak finding of the rules at partial, whatever --veto says: "
            "where its vetoes were measured mostly wrong (repeatable).",
        ),
    ] = None,
    start: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="MODEL",
            help="A model file to start from, or 'builtin' for the built-in model: each aim is refitted toward its "
            "weights, so the labels adjust that model rather than replace it; its settings carry over unless given.",
        ),
    ] = None,
) -> None:
    """Fit a learned model per aim on labelled documents (needs the `train` extra: scikit-learn)."""
    _exit(
        commands.train(
            labels,
            out,
            framework or [],
            strategies or [],
            threshold,
            min_documents,
            about,
            veto,
            one_window_threshold,
            veto_only or [],
            no_veto or [],
            start,
        )
    )


@app.command(epilog=EXIT_CODES)
def diff(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="OLD NEW | PATH", help="Two versions of a document (either may be - for standard input), or one with --rev."),
    ],
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev", help="Compare PATH at two git revisions: A..B (A.. for A against the working copy)."
        ),
    ] = None,
    framework: SomeFrameworks = None,
    strategies: Strategies = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or markdown.")] = "text",
    fail_on_loss: Annotated[
        bool, typer.Option("--fail-on-loss", help="Exit 1 when an aim the old version addressed is lost.")
    ] = False,
    config: Config = None,
    no_config: NoConfig = False,
    allow_outside_paths: AllowOutside = False,
    rules_only: RulesOnly = False,
    time_limit: TimeLimit = None,
    stdin_name: StdinName = "stdin.txt",
) -> None:
    """Aims gained and lost between two versions of a document, with their evidence."""
    flags = _document_flags(
        files,
        frameworks=framework,
        strategies=strategies,
        config=config,
        no_config=no_config,
        allow_outside_paths=allow_outside_paths,
        rules_only=rules_only,
        time_limit=time_limit,
    )
    _exit(commands.diff(flags, rev, fmt, fail_on_loss, stdin_name))


@app.command(epilog=EXIT_CODES)
def crosswalk(
    framework: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FRAMEWORK]...", help="Narrow to these frameworks (local or national)."),
    ] = None,
    strategies: Strategies = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json, markdown or csv (the matrix).")] = "text",
) -> None:
    """Local aims against national ones, from the strategies' crosswalk links."""
    _exit(commands.crosswalk(framework or [], strategies or [], fmt))


@app.command(epilog=EXIT_CODES)
def annotate(
    doc: Annotated[
        Path, typer.Argument(metavar="DOC", help="The document (a .docx for Word comments; - for standard input).")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The annotated copy: .docx (Word comments, from a .docx) or .html (any DOC)."
        ),
    ],
    framework: SomeFrameworks = None,
    strategies: Strategies = None,
    config: Config = None,
    no_config: NoConfig = False,
    allow_outside_paths: AllowOutside = False,
    stdin_name: StdinName = "stdin.txt",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors (no 'wrote FILE' line).")
    ] = False,
    rules_only: RulesOnly = False,
    time_limit: TimeLimit = None,
) -> None:
    """Show the evidence in a copy of the document: Word comments, or highlighted HTML with the gaps."""
    flags = _document_flags(
        [doc],
        frameworks=framework,
        strategies=strategies,
        config=config,
        no_config=no_config,
        allow_outside_paths=allow_outside_paths,
        quiet=quiet,
        rules_only=rules_only,
        time_limit=time_limit,
    )
    _exit(commands.annotate(flags, output, stdin_name))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"send-align {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Which SEND strategy aims a policy document or proposal addresses, with the evidence."""
