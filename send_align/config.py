"""The configuration file: send-align.toml, or [tool.send-align] in pyproject.toml, found upward from a folder;
and `resolve`, which merges it with the check command's flags (flags win) into the check's options.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from send_align.errors import Problem, SendAlignError, location_text
from send_align.files import huge_number, require_regular
from send_align.model import Catalogue
from send_align.options import CheckFlags, CheckOptions, Exemptions, Gates, NotApplicable, PathGate
from send_align.reporting import Format, format_of_file

CONFIG_NAME = "send-align.toml"
MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True, kw_only=True)
class Config:
    path: Path | None = None
    """The file read; None when there is none."""
    root: Path = Path(".")
    """The folder relative paths in the file start from."""
    frameworks: tuple[str, ...] = ()
    strategies: tuple[Path, ...] = ()
    paths: tuple[Path, ...] = ()
    format: str | None = None
    detail: bool = False
    quiet: bool = False
    fail_under: float | None = None
    fail_under_framework: dict[str, float] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    per_document: bool = False
    time_limit: float | None = None
    """`time-limit`: processor seconds a document may take (0: no limit); None when the file does not say."""
    allow_wildcard_exemptions: bool = False
    """Whether a document's own not-applicable directive may use a pattern (`*`, `cop.*`)."""
    baseline: Path | None = None
    gates: tuple[PathGate, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    outside: tuple[Problem, ...] = ()
    """One problem per path the file names outside its own folder (links resolved): refused by the command
    line unless it is told to allow them, since whoever can change the file (a pull request) must not make
    a run read or write elsewhere on the machine."""

    name: str = ""
    """The file as messages name it (see load_config)."""

    @property
    def shown(self) -> str:
        return self.name or (str(self.path) if self.path else "configuration")


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


def load_config(path: Path, shown: str | None = None) -> Config:
    """Read and check a configuration file; every problem at once, each naming the file (`shown`, else as
    given) and the key."""
    shown = shown or str(path)
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
    return replace(config, name=shown, outside=tuple(_outside(data, text, shown, prefix, root)))


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
    from send_align.resources import schema
    from send_align.validation import validator

    problems = []
    for err in sorted(validator("config").iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
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
        detail=bool(data.get("detail", False)),
        quiet=bool(data.get("quiet", False)),
        fail_under=overall,
        fail_under_framework=per,
        require=tuple(data.get("require", ())),
        per_document=bool(data.get("per-document", False)),
        time_limit=float(data["time-limit"]) if "time-limit" in data else None,
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


# --- the check's options ---------------------------------------------------------------------------


def for_check(flags: CheckFlags) -> Config:
    """The configuration a check uses: the file named, else the nearest one found (none with --no-config).
    Paths it names outside its own folder are refused unless the flags allow them."""
    if flags.config is not None and flags.no_config:
        raise SendAlignError("--config and --no-config contradict each other", hint="give one of them")
    if flags.config is not None:
        if not flags.config.exists():
            raise SendAlignError("configuration file not found", path=str(flags.config))
        require_regular(flags.config, str(flags.config))
        cfg = load_config(flags.config)
    else:
        found = None if flags.no_config else find_config(flags.cwd)
        # Found upward: it stands in the repository's folder, which every path is shown from.
        cfg = load_config(found, found.name) if found else Config()
    if cfg.outside and not flags.allow_outside_paths:
        raise SendAlignError(list(cfg.outside))
    return cfg


def resolve(cfg: Config, flags: CheckFlags, catalogue: Catalogue) -> CheckOptions:
    """The check's options: the flags, else the configuration, else the defaults. Every id and pattern is
    checked against the catalogue first (in the order a reader meets them: the file's, then the flags')."""
    bad = config_problems(catalogue, cfg)
    if bad:
        raise SendAlignError(bad)
    overall, per = _parse_fail_under(flags.fail_under)
    for fid in per:
        catalogue.get_framework(fid)
    unmatched = [p for p in flags.require if not catalogue.aims_matching(p)]
    if unmatched:
        raise SendAlignError(
            [Problem(f"--require '{p}' matches no aim id", hint="see `send-align search`") for p in unmatched]
        )
    paths = flags.paths or cfg.paths
    if not paths:
        raise SendAlignError(
            "nothing to check", hint="give documents or folders, or list them as `paths` in send-align.toml"
        )
    fmt = _report_format(flags, cfg)
    baseline = flags.baseline or cfg.baseline
    if flags.update_baseline and baseline is None:
        baseline = cfg.root / "send-align-baseline.json"
    reads = [p for p in (cfg.path, None if flags.update_baseline else baseline) if p is not None]
    summary = flags.step_summary if fmt == "github" else None
    outputs: list[tuple[Path | None, str]] = [(flags.output, "report")]
    if flags.update_baseline:
        outputs.append((baseline, "baseline"))
    if summary is not None:
        outputs.append((summary, "job summary"))
    return CheckOptions(
        paths=tuple(paths),
        frameworks=flags.frameworks or cfg.frameworks,
        gates=Gates(
            fail_under=overall if overall is not None else cfg.fail_under,
            fail_under_framework={**cfg.fail_under_framework, **per},
            require=(*cfg.require, *flags.require),
            per_document=flags.per_document or cfg.per_document,
            by_path=cfg.gates,
        ),
        exemptions=Exemptions(
            not_applicable=cfg.not_applicable,
            source=cfg.path.name if cfg.path else "configuration",
            allow_wildcards=cfg.allow_wildcard_exemptions,
        ),
        root=cfg.root,
        jobs=flags.jobs,
        time_limit=_time_limit(flags, cfg),
        cache=flags.cache_dir / "check.sqlite3" if flags.cache_dir else None,
        format=Format(fmt),
        output=flags.output,
        evidence=flags.evidence,
        baseline=None if flags.update_baseline else baseline,
        update_baseline=baseline if flags.update_baseline else None,
        summary=summary,
        outputs=tuple(outputs),
        reads=tuple(reads),
        detail=flags.detail or cfg.detail,
        quiet=flags.quiet or cfg.quiet,
        stdin=flags.stdin,
    )


def _time_limit(flags: CheckFlags, cfg: Config) -> float | None:
    """`--time-limit`, else the configuration's `time-limit`, else the default; 0 means no limit (None)."""
    from send_align.timelimit import DEFAULT_SECONDS

    given = flags.time_limit if flags.time_limit is not None else cfg.time_limit
    seconds = DEFAULT_SECONDS if given is None else given
    return seconds or None


def _report_format(flags: CheckFlags, cfg: Config) -> str:
    """`--format`, else the configuration's `format`, else the format `-o FILE`'s extension names, else github
    in GitHub Actions and table elsewhere. A format given (on the command line or in the configuration) that
    is not the one the file's extension names is refused: a report.html holding a table helps no one."""
    inferred = format_of_file(flags.output)
    given, source = (flags.format, "--format") if flags.format else (cfg.format, "the configuration's format")
    given = "table" if given == "text" else given  # the other commands' name for it
    if given is None:
        return inferred or ("github" if flags.github_actions else "table")
    if inferred is not None and given != inferred and flags.output is not None:
        fix = "drop --format" if flags.format else f"give --format {inferred}"
        raise SendAlignError(
            f"{source} is {given} but -o {flags.output.name} is named for {inferred}",
            hint=f"{fix} to write {inferred}, or name the file for {given}",
        )
    return given


def strategy_folders(cfg: Config, flags: CheckFlags) -> list[Path]:
    """The strategy files and folders a check loads besides the built-in ones: the configuration's first."""
    return [*cfg.strategies, *flags.strategies]


def _parse_fail_under(values: tuple[str, ...]) -> tuple[float | None, dict[str, float]]:
    """`--fail-under PCT` (the whole set) and `--fail-under FRAMEWORK=PCT` (one framework)."""
    overall: float | None = None
    per: dict[str, float] = {}
    for value in values:
        key, _, num = value.rpartition("=")
        num = num.strip()
        try:
            pct = float(num[:-1] if num.endswith("%") else num)  # "60%" reads as 60
        except ValueError:
            raise SendAlignError(
                f"--fail-under '{value}' is not a percentage",
                hint="use a number like 60 or 60%, or FRAMEWORK=PCT like lfi=60",
            ) from None
        if not 0 <= pct <= 100:
            raise SendAlignError(f"--fail-under {pct:g} is outside 0-100")
        if key:
            per[key] = pct
        else:
            overall = pct
    return overall, per
