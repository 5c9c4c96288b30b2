"""What the output tests share: send-align as its own process with the raw bytes of both streams,
the check that nothing but the tool's own problem lines reached stderr, and a strategy file full of
control characters."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Characters that must never reach a terminal or a log raw: ESC (every escape sequence and OSC starts with
# it), BEL (ends an OSC), the C1 controls, and the bidirectional overrides and isolates.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8")


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
    timeout: float = 120,
) -> Run:
    """send-align as its own process; raw bytes of both streams (a report that is not UTF-8 must fail)."""
    done = subprocess.run(
        [sys.executable, "-m", "send_align", *map(os.fsdecode, args)],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1", **(env or {})},
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout or b"", done.stderr)


def assert_clean(r: Run) -> None:
    """No traceback and no internal error: only the tool's own one-line problems."""
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-2000:]
    for row in r.stderr.splitlines():
        assert row.startswith(("error: ", "baseline written to ", "wrote ")), f"stray stderr line: {row!r}"


def hostile_strategy(folder: Path) -> Path:
    folder.mkdir()
    (folder / "evil.yaml").write_text(
        "schema_version: 1\n"
        "framework:\n"
        "  id: evil\n"
        '  title: "Evil\\e]0;owned\\a\\e[2J framework\\u202Eelif.exe\\nforged second line"\n'
        '  publisher: "Pub\\e[31mred"\n'
        "  year: 2024\n"
        '  version: "1"\n'
        '  source: "a source\\x85with a C1 line break"\n'
        "aims:\n"
        "  - id: evil.one\n"
        '    title: "Aim \\e[31mone\\u202Eeno\\nforged"\n'
        "    kind: aim\n"
        '    statement: "Identify needs early \\e]8;;http://example.invalid\\a here."\n'
        "    source: s\n"
        "    rules:\n"
        "      - id: r1\n"
        "        phrases: [special educational needs]\n"
        "    links:\n"
        "      - {relation: intersects-with, aim: dfe-ap.vision-early-dignified-affirmative}\n",
        "utf-8",
    )
    return folder
