"""What each command does once its options are parsed: call the core, render through the command's own
registry of reporters, write through the one writer, and return the exit code.

Every command picks its format the same way (`reporting.choose`, before anything is loaded) and writes the
same way (`console.emit`). No typer here: app.py declares the options and cli.py runs the look-ups
without it. SendAlignError is left to the caller (console.failures), which prints it once.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from send_align import console
from send_align.errors import SendAlignError
from send_align.escaping import line
from send_align.reporting import choose
from send_align.timelimit import limited

if TYPE_CHECKING:
    from send_align.checking import Checked
    from send_align.model import Catalogue
    from send_align.options import CheckFlags, CheckOptions


def frameworks(strategies: Sequence[Path], fmt: str) -> int:
    from send_align import lookup

    reporter = choose(fmt, lookup.FRAMEWORKS)
    cat = console.catalogue(strategies)
    console.emit(reporter(cat, cat, console.render_options()))
    return 0


def show(ident: str, strategies: Sequence[Path], fmt: str) -> int:
    from send_align import lookup

    reporter = choose(fmt, lookup.SHOW)
    cat = console.catalogue(strategies)
    console.emit(reporter(cat.get(ident), cat, console.render_options()))
    return 0


def search(
    words: Sequence[str], strategies: Sequence[Path], fmt: str, limit: int, framework: Sequence[str]
) -> int:
    from send_align import lookup
    from send_align.search import Found, load_index, search

    reporter = choose(fmt, lookup.SEARCH)
    cat = console.catalogue(strategies)
    for fid in framework:
        cat.get_framework(fid)
    query = " ".join(words)
    found = Found(query, search(cat, query, limit, list(framework), load_index(cat, console.cache_dir())))
    console.emit(reporter(found, cat, console.render_options()))
    return 0 if found.hits else 1  # like grep: 1 when nothing matched


def validate(paths: Sequence[Path], strategies: Sequence[Path], fmt: str) -> int:
    from send_align import lookup
    from send_align.validating import validate

    reporter = choose(fmt, lookup.VALIDATE)
    checked = validate(list(paths), list(strategies), console.cache_dir())
    console.print_warnings(checked.warnings)
    if checked.skipped:
        n, names = (
            len(checked.skipped),
            ", ".join(checked.skipped[:3]) + (", ..." if len(checked.skipped) > 3 else ""),
        )
        sys.stderr.write(
            f"note: passed over {n} file{'s' if n != 1 else ''} neither a strategy file nor a proposal: {line(names)}\n"
        )
    console.emit(reporter(checked, checked.catalogue, console.render_options()))
    return 0


def phrases(framework: Sequence[str], strategies: Sequence[Path]) -> int:
    cat = console.catalogue(strategies)
    seen: set[str] = set()
    for fw in cat.select(framework):
        for aim in fw.aims:
            for rule in aim.rules:
                for group in rule.groups:
                    seen.update(group)
    console.emit("".join(p + "\n" for p in sorted(seen)))
    return 0


def crosswalk(framework: Sequence[str], strategies: Sequence[Path], fmt: str) -> int:
    from send_align.crosswalk import build_crosswalk
    from send_align.report.crosswalk import CROSSWALK

    reporter = choose(fmt, CROSSWALK)
    cat = console.catalogue(strategies)
    console.emit(reporter(build_crosswalk(cat, framework), cat, console.render_options()))
    return 0


def _configured(flags: CheckFlags) -> tuple[Catalogue, CheckOptions]:
    """The catalogue and options a command on documents reads, found as check finds them (checking.configured):
    the same configuration, strategy folders, frameworks and exemptions, and the same errors for a bad one."""
    from send_align.checking import configured

    _, cat, options = configured(flags, console.catalogue)
    return cat, options


def explain(flags: CheckFlags, aim_id: str, fmt: str, stdin_name: str = "stdin.txt") -> int:
    """Every rule of one aim on the one document in `flags.paths` (`-`: standard input, named `stdin_name`)."""
    from dataclasses import replace

    from send_align.checker import Checker
    from send_align.discovery import one_document
    from send_align.explaining import explain
    from send_align.report.explain import EXPLAIN

    reporter = choose(fmt, EXPLAIN)
    with console.stdin_document(stdin_name, str(flags.paths[0]) == "-") as stdin:
        cat, options = _configured(replace(flags, stdin=stdin))
        cat.get_aim(aim_id)  # an unknown aim before the document is read
        doc = one_document(flags.paths[0], options.root, stdin)
        rel = doc.rel(options.root)
        checker = Checker(cat, list(cat.frameworks))  # compiled outside the document's time
        with limited(options.time_limit, [doc.path], doc.shown):
            found = explain(cat, doc.path, aim_id, doc.shown, options.exemptions, rel, checker)
    console.emit(reporter(found, cat, console.render_options()))
    return 0


def diff(flags: CheckFlags, rev: str | None, fmt: str, fail_on_loss: bool, stdin_name: str = "stdin.txt") -> int:
    """Aims gained and lost between OLD and NEW (either may be `-`: standard input, named `stdin_name`), or
    between two revisions of one PATH."""
    from dataclasses import replace

    from send_align import comparing
    from send_align.checker import Checker
    from send_align.discovery import one_document
    from send_align.paths import relative_path, shown_path
    from send_align.report.diff import DIFF

    reporter = choose(fmt, DIFF)
    files = flags.paths
    if rev is not None and len(files) != 1:
        raise SendAlignError("--rev compares one PATH with itself at two revisions; give exactly one PATH")
    if rev is None and len(files) != 2:
        raise SendAlignError("diff needs two files, OLD and NEW (or one PATH with --rev A..B)")
    piped = [str(p) == "-" for p in files]
    if rev is not None and piped[0]:
        raise SendAlignError("--rev reads PATH from git, not standard input", hint="name the file in the repository")
    if all(piped):
        raise SendAlignError("OLD and NEW cannot both be standard input ('-')", hint="save one of them as a file")
    with console.stdin_document(stdin_name, any(piped)) as stdin:
        cat, options = _configured(replace(flags, stdin=stdin))
        root, frameworks = options.root, options.frameworks
        checker = Checker(cat, cat.select(frameworks))  # compiled outside the documents' time
        if rev is not None:
            path = files[0]  # at a revision: it need not be in the working copy
            # Two revisions read from git: the time two of the working copy's size allow.
            with limited(options.time_limit, [path, path], shown_path(path, root)):
                result = comparing.compare_revisions(
                    cat,
                    frameworks,
                    path,
                    rev,
                    shown_path(path, root),
                    options.exemptions,
                    relative_path(path, root),
                    checker,
                )
        else:
            old, new = (one_document(p, root, stdin) for p in files)
            with limited(options.time_limit, [old.path, new.path], f"{old.shown} and {new.shown}"):
                result = comparing.compare_files(
                    cat,
                    frameworks,
                    old.path,
                    new.path,
                    old.shown,
                    new.shown,
                    options.exemptions,
                    (old.rel(root), new.rel(root)),
                    checker,
                )
    console.emit(reporter(result, cat, console.render_options()))
    return 1 if fail_on_loss and result.of("lost") else 0


def evaluate(
    labels: Path,
    framework: Sequence[str],
    strategies: Sequence[Path],
    fmt: str,
    errors: bool,
    min_f1: float | None,
    rules_only: bool = False,
    by_rule: bool = False,
) -> int:
    from send_align import evaluating
    from send_align.engine import run_check
    from send_align.options import CheckOptions
    from send_align.report.evaluation import EVAL, Scored

    reporter = choose(fmt, EVAL)
    cat = console.catalogue(strategies)
    if rules_only:
        from send_align.learned.files import without_models

        cat = without_models(cat)
    labelled = evaluating.load_labels(labels, cat)
    selected = cat.select(list(framework or labelled.frameworks))
    options = CheckOptions(
        frameworks=tuple(f.id for f in selected), paths=tuple(d.path for d in labelled.documents)
    )
    report, problems = run_check(cat, options)
    if problems:
        raise SendAlignError(problems)
    scored = {a.id for f in selected for a in f.aims}
    result = evaluating.evaluate(labelled, list(report.documents), scored, options.root)
    console.emit(reporter(Scored(result, errors, by_rule), cat, console.render_options()))
    if min_f1 is not None and result.micro.f1 < min_f1:
        sys.stderr.write(f"micro F1 {result.micro.f1:.3f} is under --min-f1 {min_f1:g}\n")
        return 1
    return 0


BUILTIN_MODEL_WORD = "builtin"
"""What `train --from` takes for the built-in model file, wherever the package is installed."""
BUILTIN_MODEL = "send-align.model.json"


def train(
    labels: Sequence[Path],
    out: Path,
    framework: Sequence[str],
    strategies: Sequence[Path],
    threshold: float | None,
    min_documents: int,
    about: str | None = None,
    veto: float | None = None,
    one_window_threshold: float | None = None,
    veto_only: Sequence[str] = (),
    no_veto: Sequence[str] = (),
    start: Path | None = None,
) -> int:
    """The train command: a model file written from labelled documents, and what was fitted; with `start`
    (--from), each aim refitted toward that model file's."""
    from send_align import output, training
    from send_align.learned.files import MODEL_SUFFIX

    if not out.name.lower().endswith(MODEL_SUFFIX):
        raise SendAlignError(
            f"a model file's name must end in {MODEL_SUFFIX}",
            path=str(out),
            hint=f"checks read models from a --strategies folder by that ending, e.g. {out.stem}{MODEL_SUFFIX}",
        )
    if veto is not None and not 0 < veto < 0.5:
        raise SendAlignError(f"--veto must be over 0 and under 0.5, not {veto:g}")
    cat = console.catalogue(strategies)
    begun = None
    if start is not None:
        from send_align.learned import files
        from send_align.strategies import builtin_dir

        shown = str(start)
        if shown == BUILTIN_MODEL_WORD:
            start, shown = builtin_dir() / BUILTIN_MODEL, f"the built-in model (strategies/{BUILTIN_MODEL})"
        begun = files.load(start, shown, {a.id for f in cat.frameworks for a in f.aims})
    text, fitted = training.train(
        labels,
        cat,
        framework,
        threshold=threshold,
        min_documents=min_documents,
        about=about,
        veto=veto,
        one_window_threshold=one_window_threshold,
        veto_only=veto_only,
        no_veto=no_veto,
        start=begun,
    )
    output.write(out, text, "model")
    lines = [
        f"fitted {len(fitted.aims)} aim model(s) on {fitted.documents} labelled documents "
        f"({fitted.features:,} features); wrote {out}"
    ]
    vetoing = [a for a in veto_only if a in fitted.aims]
    if vetoing:
        lines.append(f"{len(vetoing)} model(s) never add their aim, only veto: {', '.join(vetoing)}")
    unvetoing = [a for a in no_veto if a in fitted.aims]
    if unvetoing:
        lines.append(f"{len(unvetoing)} model(s) never veto their aim: {', '.join(unvetoing)}")
    if begun is not None:
        lines.append(f"each refitted toward {begun.path}")
    if fitted.kept and begun is not None:
        lines.append(
            f"{len(fitted.kept)} aim(s) too few (or too many) documents address kept their model from "
            f"{begun.path}: " + ", ".join(sorted(fitted.kept))
        )
    new_skips = {a: n for a, n in fitted.skipped.items() if a not in fitted.kept}
    if new_skips:
        few = ", ".join(f"{aim} ({n})" for aim, n in sorted(new_skips.items()))
        lines.append(f"no model for {len(new_skips)} aim(s) too few (or too many) documents address: {few}")
    console.emit("\n".join(lines) + "\n")
    return 0


def check(flags: CheckFlags, progress: bool | None, stdin_name: str = "stdin.txt") -> int:
    """The check command (see checking.check): the report written, problems printed, the exit code. A path
    `-` is a document read from standard input, shown as `stdin_name`."""
    from dataclasses import replace

    from send_align.checking import check

    show_progress = progress if progress is not None else sys.stderr.isatty() and not flags.quiet
    colour = flags.output is None and console.use_colour()  # FORCE_COLOR colours a pipe too
    with console.stdin_document(stdin_name, any(str(p) == "-" for p in flags.paths)) as stdin:
        flags = replace(flags, stdin=stdin)
        checked = check(flags, console.catalogue, lambda: _progress_bar(show_progress), colour, console.width())
    if checked.baseline is not None and not checked.quiet:
        path, n = checked.baseline
        sys.stderr.write(
            f"baseline written to {line(path)}: {n} accepted gate failure{'s' if n != 1 else ''}\n"
        )
    for note in () if checked.quiet else checked.notes:
        sys.stderr.write(f"note: {line(note)}\n")
    console.print_problems(checked.problems)
    if checked.table_held:  # --quiet: the verdict line is all the terminal report says
        console.emit(verdict(checked) + "\n")
    elif checked.quiet:
        sys.stderr.write(verdict(checked) + "\n")
    elif flags.output is not None and str(flags.output) != "-":
        sys.stderr.write(f"wrote {line(checked.output or str(flags.output))}: {verdict(checked)}\n")
    return checked.exit_code


def verdict(checked: Checked) -> str:
    """A report file's run in a line: documents, aims addressed, and the gates' verdict."""
    report = checked.report
    n = len(report.documents)
    addressed = sum(f.addressed for f in report.frameworks)
    total = sum(f.total for f in report.frameworks)
    said = f"{n} document{'s' if n != 1 else ''}, {addressed} of {total} aims addressed"
    if checked.problems:
        k = len(checked.problems)
        return f"{said}; {k} input problem{'s' if k != 1 else ''} (see above)"
    if report.failures:
        kinds = Counter(str(f.kind) for f in report.failures)
        parts = [_count(kinds[kind], *words) for kind, words in _GATE_WORDS.items() if kinds[kind]]
        return f"{said}; gate failed: {', '.join(parts)}"
    accepted = f" ({len(report.baselined)} accepted by the baseline)" if report.baselined else ""
    if checked.baseline is not None:
        return f"{said}; baseline written"
    if not report.gates_set:
        return f"{said}; no gates set"
    return f"{said}; gate passed{accepted}"


# Gate kinds (results.GateKind) in words, in the order the verdict names them.
_GATE_WORDS = {
    "fail-under": ("coverage under the threshold", "coverages under the threshold"),
    "require": ("required aim not addressed", "required aims not addressed"),
    "require-any": ("required group not addressed", "required groups not addressed"),
    "claim": ("unsupported claim", "unsupported claims"),
}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on stderr while documents are checked; nothing when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,  # no refresh thread: worker processes are forked
    ) as bar:
        task = bar.add_task("", total=None)

        def tick(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=line(name)[-40:])
            bar.refresh()

        yield tick


def annotate(flags: CheckFlags, out: Path, stdin_name: str = "stdin.txt") -> int:
    """A copy of the one document in `flags.paths` (`-`: standard input, named `stdin_name`) with its evidence
    shown (Word comments in a .docx, highlights in .html), judged as check judges it (the configuration's
    frameworks and exemptions), written to OUT through the one writer, never over DOC or any file the run reads;
    a line on stderr says what was written unless quiet."""
    from dataclasses import replace

    from send_align import annotate, config, output
    from send_align.checker import Checker
    from send_align.checking import configured
    from send_align.discovery import one_document
    from send_align.paths import shown_path
    from send_align.strategies import source_paths

    given = flags.paths[0]
    from_stdin = str(given) == "-"
    annotate.target_kind(Path(stdin_name) if from_stdin else given, out)
    output.check_target(out, "annotated copy")
    with console.stdin_document(stdin_name, from_stdin) as stdin:
        flags = replace(flags, stdin=stdin)
        cfg, cat, options = configured(flags, console.catalogue)
        strategy_files = [p for p, _, _ in source_paths(config.strategy_folders(cfg, flags))]
        inputs = [*([] if from_stdin else [given]), *options.reads, *strategy_files]
        output.refuse_inputs([(out, "annotated copy")], inputs)
        doc = one_document(given, options.root, stdin)
        rel = doc.rel(options.root)
        checker = Checker(cat, cat.select(list(options.frameworks)))  # compiled outside the document's time
        with limited(options.time_limit, [doc.path], doc.shown):
            data, found = annotate.run(
                cat, list(options.frameworks), doc.path, out, doc.shown, options.exemptions, rel, checker
            )
    output.write(out, data, "annotated copy")
    if options.quiet:  # --quiet, or quiet = true in the configuration
        return 0
    gaps = len(found.gaps)
    shown = str(out) if output.is_stdout(out) else shown_path(out, options.root)
    sys.stderr.write(
        f"wrote {line(shown)}: {len(found.tags)} paragraph{'s' if len(found.tags) != 1 else ''} of "
        f"evidence marked, {gaps} gap{'s' if gaps != 1 else ''} listed\n"
    )
    return 0
