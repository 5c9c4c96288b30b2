"""The look-ups answered without typer (cli.FAST) behave exactly as the typer app does, and stay light."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from send_align import cli
from send_align.app import app


def _typer_params(name: str) -> dict[str, Any]:
    import typer.main

    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return {p.name: p for p in command.params}


@pytest.mark.parametrize("name", sorted(cli.FAST))
def test_the_fast_table_agrees_with_the_app(name: str) -> None:
    params = _typer_params(name)
    command = cli.FAST[name]
    options = {p.name: p for p in params.values() if p.param_type_name == "option"}
    arguments = [p for p in params.values() if p.param_type_name == "argument"]
    for opt in command.options:
        declared = next(
            (p for p in options.values() if set(opt.names) == set(p.opts) | set(p.secondary_opts)), None
        )
        assert declared is not None, f"{name}: {opt.names} is not an option of the app"
        assert declared.multiple == opt.many, (name, opt.names)
        # A number here is a whole number of at least 1, as the app's range says.
        assert (getattr(declared.type, "min", None) == 1) == opt.number, (name, opt.names)
    fast_names = {n for opt in command.options for n in opt.names}
    assert fast_names == {n for p in options.values() for n in p.opts}
    least, most = command.words
    if not arguments:
        assert (least, most) == (0, 0)
    else:
        (arg,) = arguments
        assert least == (1 if arg.required else 0)
        assert most == (None if arg.nargs == -1 else arg.nargs)


ARGVS = [
    ["frameworks"],
    ["frameworks", "--format", "json"],
    ["frameworks", "--format=xml"],
    ["show", "lfi"],
    ["show", "--format", "json", "lfi.principle-6"],
    ["show", "lfx"],
    ["search", "early", "help"],
    ["search", "-n", "2", "--framework", "cop", "parents", "--format=json"],
    ["search", "parents", "-f", "nope"],
    ["search", "parents", "--limit", "0"],
    ["search", "parents", "--limit", "x"],
    ["show", "lfi", "--bogus"],
    ["show"],
    ["show", "lfi", "--format"],
    ["frameworks", "extra"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(a) for a in ARGVS])
def test_a_look_up_gives_what_the_app_gives(
    argv: list[str], cli: Callable[..., Any], run_cmd: Callable[..., Any]
) -> None:
    through_app = cli(*argv)
    through_main = run_cmd(*argv)
    # Usage and help name the program as it was started (`python -m send_align` in a subprocess).
    stdout, stderr = (
        s.replace("python -m send_align", "send-align") for s in (through_main.stdout, through_main.stderr)
    )
    assert (through_main.code, stdout, stderr) == (
        through_app.code,
        through_app.stdout,
        through_app.stderr,
    )


@pytest.mark.parametrize(
    "argv", [["show", "lfi"], ["search", "early", "help"], ["frameworks", "--format", "json"]]
)
def test_a_look_up_imports_neither_typer_nor_the_checking_side(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        f"sys.argv = ['send-align', *{argv!r}]\n"
        "from send_align.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich', 'jsonschema')\n"
        "    or m.split('.')[:2] in (['send_align', n] for n in ('matching', 'extract', 'report', 'engine')))\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout, done.stderr
    assert done.stderr == "[]"
