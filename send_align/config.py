"""The configuration file: send-align.toml, or [tool.send-align] in pyproject.toml, found upward from a folder.

Pure reading and checking; the command line merges it with its options (options win).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from send_align.errors import Problem, SendAlignError, location_text
from send_align.files import huge_number
from send_align.model import Catalogue

CONFIG_NAME = "send-align.toml"
MAX_CONFIG_BYTES = 1_000_000


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


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    """The file read; None when there is none."""
    root: Path = Path(".")
    """The folder relative paths in the file start from."""
    frameworks: tuple[str, ...] = ()
    strategies: tuple[Path, ...] = ()
    paths: tuple[Path, ...] = ()
    format: str | None = None
    fail_under: float | None = None
    fail_under_framework: dict[str, float] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    per_document: bool = False
    allow_wildcard_exemptions: bool = False
    """Whether a document's own not-applicable directive may use a pattern (`*`, `cop.*`)."""
    baseline: Path | None = None
    gates: tuple[PathGate, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    outside: tuple[Problem, ...] = ()
    """One problem per path the file names outside its own folder (links resolved): refused by the command
    line unless it is told to allow them, since whoever can change the file (a pull request) must not make
    a run read or write elsewhere on the machine."""

    @property
    def shown(self) -> str:
        return str(self.path) if self.path else "configuration"


def find_config(start: Path) -> Path | None:
    """The nearest send-align.toml, or pyproject.toml with a [tool.send-align] table, from `start` upward."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _mentions_us(pyproject):
            return pyproject
    return None


def _mentions_us(pyproject: Path) -> bool:
    try:
        head = pyproject.read_bytes()[:MAX_CONFIG_BYTES]
    except OSError:
        return False
    return re.search(rb"^\s*\[\s*tool\s*\.\s*[\"']?send-align[\"']?\s*[\].]", head, re.M) is not None


def load_config(path: Path) -> Config:
    """Read and check a configuration file; every problem at once, each naming the file and the key."""
    shown = str(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise SendAlignError(f"cannot read the configuration: {exc.strerror or exc}", path=shown) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise SendAlignError("configuration file over 1 MB", path=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SendAlignError(
            f"not UTF-8 text (byte {exc.start})", path=shown, hint="save the file as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise SendAlignError(f"not valid TOML: {_strip_position(str(exc))}", path=shown, line=line) from None
    except ValueError:
        raise huge_number(text, shown) from None
    except RecursionError:
        raise SendAlignError("nested too deeply to read", path=shown) from None
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "send-align" not in tool:
            raise SendAlignError("no [tool.send-align] table", path=shown)
        data = tool["send-align"]
        prefix = ("tool", "send-align")
        if not isinstance(data, dict):
            raise SendAlignError("[tool.send-align] must be a table", path=shown)
    problems = _schema_problems(data, text, shown, prefix)
    if problems:
        raise SendAlignError(problems)
    root = path.resolve().parent
    config = _to_config(data, path, root)
    return replace(config, outside=tuple(_outside(data, text, shown, prefix, root)))


PATH_KEYS = ("paths", "strategies", "baseline")


def _outside(data: dict[str, Any], text: str, shown: str, prefix: tuple[str, ...], root: Path) -> list[Problem]:
    """Paths named by the file that lead out of its folder, by '..', an absolute path or a link."""
    real_root = os.path.realpath(root)
    out = []
    for key in PATH_KEYS:
        values = data.get(key, ())
        for value in [values] if isinstance(values, str) else values:
            real = os.path.realpath(root / value)
            if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
                out.append(
                    Problem(
                        f"{key}: '{value}' leads outside the configuration's folder (to {real})",
                        shown,
                        _line_of(text, prefix, (key,)),
                        hint="name paths inside it, or give --allow-outside-paths to allow this",
                    )
                )
    return out


def _toml_error_line(message: str) -> int | None:
    m = re.search(r"at line (\d+)", message)
    return int(m.group(1)) if m else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)


def _schema_problems(data: Any, text: str, shown: str, prefix: tuple[str, ...]) -> list[Problem]:
    from jsonschema import Draft202012Validator

    from send_align.resources import schema

    validator = Draft202012Validator(schema("config"))
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        loc = tuple(err.absolute_path)
        where = location_text(loc)
        message = err.message if len(err.message) <= 200 else err.message[:197] + "..."
        if err.validator == "additionalProperties" and not loc:
            message += " (known keys: " + ", ".join(sorted(schema("config")["properties"])) + ")"
        problems.append(Problem(f"{where}: {message}", shown, _line_of(text, prefix, loc)))
    return problems


def _line_of(text: str, prefix: tuple[str, ...], loc: tuple[Any, ...]) -> int | None:
    """Best effort: the line of the key a schema error is about (TOML parsers do not keep positions)."""
    lines = text.split("\n")
    start = 0
    keys = [k for k in loc if isinstance(k, str)]
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        # An array of tables: the n-th [[name]] header.
        header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join((*prefix, loc[0]))) + r"\s*\]\]")
        seen = -1
        for n, line in enumerate(lines):
            if header.match(line):
                seen += 1
                if seen == loc[1]:
                    start = n
                    break
        keys = [k for k in loc[2:] if isinstance(k, str)]
        if not keys:
            return start + 1
    if not keys:
        return None
    key = re.compile(r"^\s*[\"']?" + re.escape(keys[-1]) + r"[\"']?\s*=")
    for n in range(start, len(lines)):
        if key.match(lines[n]):
            return n + 1
    return None


def _to_config(data: dict[str, Any], path: Path, root: Path) -> Config:
    fail_under = data.get("fail-under")
    overall = float(fail_under) if isinstance(fail_under, int | float) else None
    per = {k: float(v) for k, v in fail_under.items()} if isinstance(fail_under, dict) else {}
    return Config(
        path=path,
        root=root,
        frameworks=tuple(data.get("frameworks", ())),
        strategies=tuple(root / p for p in data.get("strategies", ())),
        paths=tuple(root / p for p in data.get("paths", ())),
        format=data.get("format"),
        fail_under=overall,
        fail_under_framework=per,
        require=tuple(data.get("require", ())),
        per_document=bool(data.get("per-document", False)),
        allow_wildcard_exemptions=bool(data.get("allow-wildcard-exemptions", False)),
        baseline=root / data["baseline"] if "baseline" in data else None,
        gates=tuple(
            PathGate(
                tuple(g["paths"]),
                tuple(g.get("require", ())),
                tuple(g.get("require-any", ())),
                float(g["fail-under"]) if "fail-under" in g else None,
            )
            for g in data.get("gates", ())
        ),
        not_applicable=tuple(
            NotApplicable(n["aim"], n["reason"].strip(), tuple(n.get("paths", ())))
            for n in data.get("not-applicable", ())
        ),
    )


def config_problems(catalogue: Catalogue, config: Config) -> list[Problem]:
    """Ids and patterns in a configuration that name nothing in the catalogue."""
    out = [
        Problem(
            f"frameworks: unknown framework '{fid}'",
            config.shown,
            hint="known: " + ", ".join(sorted(f.id for f in catalogue.frameworks)),
        )
        for fid in (*config.frameworks, *config.fail_under_framework)
        if catalogue.framework(fid) is None
    ]
    patterns = [("require", p) for p in config.require]
    for n, g in enumerate(config.gates):
        patterns += [(f"gates[{n}].require", p) for p in g.require]
        patterns += [(f"gates[{n}].require-any", p) for p in g.require_any]
    patterns += [(f"not-applicable[{n}].aim", e.aim) for n, e in enumerate(config.not_applicable)]
    for where, pattern in patterns:
        if not catalogue.aims_matching(pattern):
            out.append(
                Problem(
                    f"{where}: '{pattern}' matches no aim id", config.shown, hint="see `send-align search`"
                )
            )
    return out
