"""What the command line knows of its surroundings (environment, terminal) and how it speaks on stderr.

With cli.py, app.py and commands.py, the only code that reads the environment, prints or chooses an exit
code. No typer here: the look-ups run without it (see cli.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from send_align.errors import Problem, SendAlignError, Stopped
from send_align.escaping import line
from send_align.model import Catalogue
from send_align.reporting import RenderOptions

if TYPE_CHECKING:
    from send_align.options import CheckFlags

# The status a shell gives a program stopped by SIGPIPE (128 + 13): the reader of standard output went away
# (`send-align check . | head -1`). Never a gate's 1 or bad input's 2.
BROKEN_PIPE = 141
INTERRUPTED = 130


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false", "no")


def cache_dir() -> Path | None:
    if env_flag("SEND_ALIGN_NO_CACHE"):
        return None
    if os.environ.get("SEND_ALIGN_CACHE_DIR"):
        return Path(os.environ["SEND_ALIGN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "send-align"


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    if env_flag("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def width() -> int:
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size((100, 24)).columns
    return 100


def render_options() -> RenderOptions:
    """How a command's output is rendered on standard output."""
    return RenderOptions(colour=use_colour(), width=width())


def catalogue(strategies: Iterable[Path] | None) -> Catalogue:
    """The catalogue (built-in and --strategies), its warnings printed."""
    from send_align.strategies import load_catalogue

    cat = load_catalogue(list(strategies or []), cache_dir())
    print_warnings(cat.warnings)
    return cat


def emit(text: Any) -> None:
    """A command's output on standard output, through the one writer (a closed pipe or a full disk handled)."""
    from send_align import output

    output.write(None, text, "output")


def print_problems(problems: Iterable[Problem]) -> None:
    for p in problems:
        sys.stderr.write(f"error: {line(str(p))}\n")


def print_warnings(warnings: Iterable[str]) -> None:
    for w in warnings:
        sys.stderr.write(f"warning: {line(w)}\n")


def silence() -> None:
    """Standard output and error both to the null device: what is still buffered for a closed pipe is
    dropped at exit instead of failing again."""
    from send_align import output

    output.silence_stdout()
    with contextlib.suppress(AttributeError, OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stderr.fileno())
        os.close(null)


@dataclass
class Failure:
    code: int | None = None
    """The exit code of what went wrong, or None."""


@contextmanager
def failures() -> Iterator[Failure]:
    """Catches what ends a command early, once for every command: bad input as one line per problem on
    stderr (exit 2); a signal as the shell's 128 + its number; a closed standard output (or error) quietly,
    with BROKEN_PIPE. The code is set on the Failure yielded."""
    import signal

    from send_align.output import PipeClosed

    failure = Failure()
    try:
        try:
            yield failure
        except SendAlignError as exc:
            print_problems(exc.problems)
            failure.code = 2
        except (KeyboardInterrupt, Stopped) as exc:
            signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
            sys.stderr.write(f"interrupted ({signal.Signals(signum).name})\n")
            failure.code = 128 + signum
    except (PipeClosed, BrokenPipeError):
        silence()
        failure.code = BROKEN_PIPE


def check_flags(given: dict[str, Any], no_cache: bool) -> CheckFlags:
    """The check command's options as typed (lists, None where not given), as CheckFlags with what the
    command line knows of its surroundings: the working folder, the cache, GitHub Actions."""
    from dataclasses import fields

    from send_align.options import CheckFlags

    many = {f.name for f in fields(CheckFlags) if f.default == ()}
    typed: dict[str, Any] = {k: tuple(v or ()) if k in many else v for k, v in given.items()}
    return CheckFlags(
        **typed,
        cache_dir=None if no_cache else cache_dir(),
        cwd=Path.cwd(),
        github_actions=in_github_actions(),
        step_summary=step_summary(),
    )


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def step_summary() -> Path | None:
    """GitHub's job summary file, when the run is a step that has one."""
    value = os.environ.get("GITHUB_STEP_SUMMARY")
    return Path(value) if value else None


# Standard input saved for a check is refused past this size, as the readers refuse a larger text file.
MAX_STDIN_BYTES = 512 * 1024 * 1024


@contextmanager
def stdin_document(name: str, wanted: bool) -> Iterator[tuple[Path, str] | None]:
    """When `wanted`, standard input saved to a file of its own named `name` (its suffix picks the reader),
    yielded with the name and removed afterwards; else None."""
    if not wanted:
        yield None
        return
    import tempfile

    base = Path(name).name
    if not base or base in (".", "..") or name.endswith(("/", os.sep)):
        raise SendAlignError(
            f"--stdin-name '{line(name)}' names no file", hint="give a file name such as policy.md: its suffix picks the reader"
        )
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise SendAlignError("'-' reads a document from standard input, but there is none", hint="pipe the document in")
    if sys.stdin.isatty():
        sys.stderr.write("reading the document from standard input (end it with Ctrl-D)\n")
    with tempfile.TemporaryDirectory(prefix="send-align-stdin-") as folder:
        path = Path(folder) / base
        with path.open("xb") as fh:
            size = 0
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > MAX_STDIN_BYTES:
                    raise SendAlignError(
                        f"standard input is over {MAX_STDIN_BYTES >> 20} MB", path=line(name), hint="save it as a file and check that"
                    )
                fh.write(chunk)
        yield path, name
