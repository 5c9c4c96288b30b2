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
from typing import Any

from send_align.errors import Problem, SendAlignError, Stopped
from send_align.escaping import line
from send_align.model import Catalogue
from send_align.reporting import RenderOptions

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


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def step_summary() -> Path | None:
    """GitHub's job summary file, when the run is a step that has one."""
    value = os.environ.get("GITHUB_STEP_SUMMARY")
    return Path(value) if value else None
