"""The command line's entry point: the look-ups answered without typer, everything else through the app.

Typer (with its copy of click) takes about a third of a look-up's time just to import. A look-up is typed
at a terminal many times a day, so `frameworks`, `show` and `search` written the plain way (long or short
options each with its value, `--name=value`, words) are parsed here by the table FAST, which a test holds
to app.py's declarations, and run by the same code the app runs. Anything else (help, a mistake, a form
this parser does not take) goes to the app, which answers exactly as it always does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import typer


class Option(NamedTuple):
    names: tuple[str, ...]
    key: str
    many: bool = False
    """Repeatable: each value is kept, in order."""
    number: bool = False
    """A whole number of at least 1."""


class Command(NamedTuple):
    options: tuple[Option, ...]
    words: tuple[int, int | None]
    """How many arguments it takes: at least, and at most (None: any number)."""
    run: Callable[[list[str], dict[str, Any]], int]


_STRATEGIES = Option(("--strategies", "-s"), "strategies", many=True)
_FORMAT = Option(("--format",), "fmt")


def _frameworks(words: list[str], got: dict[str, Any]) -> int:
    from send_align import commands

    return commands.frameworks(got.get("strategies", []), got.get("fmt", "text"))


def _show(words: list[str], got: dict[str, Any]) -> int:
    from send_align import commands

    return commands.show(words[0], got.get("strategies", []), got.get("fmt", "text"))


def _search(words: list[str], got: dict[str, Any]) -> int:
    from send_align import commands

    return commands.search(
        words,
        got.get("strategies", []),
        got.get("fmt", "text"),
        got.get("limit", 10),
        got.get("framework", []),
    )


FAST: dict[str, Command] = {
    "frameworks": Command((_STRATEGIES, _FORMAT), (0, 0), _frameworks),
    "show": Command((_STRATEGIES, _FORMAT), (1, 1), _show),
    "search": Command(
        (
            _STRATEGIES,
            _FORMAT,
            Option(("--limit", "-n"), "limit", number=True),
            Option(("--framework", "-f"), "framework", many=True),
        ),
        (1, None),
        _search,
    ),
}
_NUMBER = re.compile(r"[0-9]+\Z")


def parse(argv: list[str]) -> tuple[Command, list[str], dict[str, Any]] | None:
    """A look-up's command, words and options, when written the plain way; None for anything else."""
    if not argv or argv[0] not in FAST:
        return None
    command = FAST[argv[0]]
    by_name = {name: opt for opt in command.options for name in opt.names}
    words: list[str] = []
    got: dict[str, Any] = {}
    rest = iter(argv[1:])
    for arg in rest:
        if not arg.startswith("-"):
            words.append(arg)
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        opt = by_name.get(name)
        if opt is None:
            return None  # help, `--`, `-` or an option this table does not know: the app answers
        if not eq:
            value = next(rest, "")
        if not value or value.startswith("-"):
            return None
        converted: Any = value
        if opt.number:
            if not _NUMBER.match(value) or int(value) < 1:
                return None
            converted = int(value)
        elif opt.key in ("strategies",):
            converted = Path(value)
        if opt.many:
            got.setdefault(opt.key, []).append(converted)
        else:
            got[opt.key] = converted
    least, most = command.words
    if len(words) < least or (most is not None and len(words) > most):
        return None
    return command, words, got


def _fast(argv: list[str]) -> int | None:
    """The exit code of a look-up run without typer, or None when the app must answer."""
    parsed = parse(argv)
    if parsed is None:
        return None
    import gc

    # A look-up builds the catalogue's tens of thousands of objects and keeps them until it exits; the cyclic
    # collector would walk them again and again (nearly half the time of decoding the cached catalogue) and
    # free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from send_align import console

        command, words, got = parsed
        code = 0
        with console.failures() as failure:
            code = command.run(words, got)
        return failure.code if failure.code is not None else code
    finally:
        if collecting:
            gc.enable()


def __getattr__(name: str) -> typer.Typer:
    """`cli.app`: the typer app, imported when first asked for."""
    if name == "app":
        from send_align.app import app

        return app
    raise AttributeError(name)


def main() -> None:
    """Run a command; bad input of any kind ends as one line per problem and exit 2, never a traceback."""
    from send_align.console import BROKEN_PIPE, INTERRUPTED, env_flag, silence

    try:
        code = _fast(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from send_align.app import app

        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(INTERRUPTED)
    except BrokenPipeError:  # a closed pipe outside any command (usage or help text)
        silence()
        sys.exit(BROKEN_PIPE)
    except Exception as exc:
        if env_flag("SEND_ALIGN_DEBUG"):
            raise
        from send_align.escaping import line

        sys.stderr.write(
            f"error: internal error ({type(exc).__name__}: {line(str(exc)[:200])}); "
            "please report it with the input that caused it (SEND_ALIGN_DEBUG=1 shows details)\n"
        )
        sys.exit(2)
