"""Baselines: gate failures a repository has accepted, so a check fails only on what is new.

A failure is matched by what it is about (gate, framework, aim, document), never by the figures in its
message; a coverage failure stays accepted only while coverage is no lower than when it was accepted.
Documents are named from the repository's folder, so a baseline written in one clone holds in another;
one written before that, with absolute paths, is read with its paths inside the repository made relative.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from send_align.errors import SendAlignError
from send_align.files import huge_number, require_regular
from send_align.results import GateFailure, Report

BASELINE_VERSION = "1"
MAX_BASELINE_BYTES = 20_000_000


def load_baseline(path: Path, root: Path = Path(".")) -> dict[str, float | None]:
    """Accepted failure keys, each with the coverage accepted (None for gates that have no figure). A
    document's absolute path inside the repository's folder (`root`) is read as the path from it."""
    from send_align.paths import shown_path

    shown = shown_path(path, root)
    try:
        require_regular(path, shown)
        with path.open("rb") as fh:
            raw = fh.read(MAX_BASELINE_BYTES + 1)
    except FileNotFoundError:
        raise SendAlignError(
            "baseline file not found", path=shown, hint="write one with --update-baseline"
        ) from None
    except OSError as exc:
        raise SendAlignError(f"cannot read the baseline: {exc.strerror or exc}", path=shown) from None
    if len(raw) > MAX_BASELINE_BYTES:
        raise SendAlignError("baseline file over 20 MB", path=shown)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise SendAlignError(
            f"not a send-align baseline (invalid JSON: {getattr(exc, 'msg', exc)})", path=shown, line=line
        ) from None
    except ValueError:
        raise huge_number(raw.decode("utf-8"), shown) from None
    except RecursionError:
        raise SendAlignError(
            "not a send-align baseline (JSON nested too deeply to read)",
            path=shown,
            hint="write one with --update-baseline",
        ) from None
    accepted = data.get("accepted") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("schema_version") != BASELINE_VERSION
        or not isinstance(accepted, list)
        or not all(isinstance(a, dict) and isinstance(a.get("key"), str) for a in accepted)
    ):
        raise SendAlignError(
            'not a send-align baseline (expected schema_version "1" and a list of accepted failures)',
            path=shown,
            hint="write one with --update-baseline",
        )
    out: dict[str, float | None] = {}
    for a in accepted:
        value = a.get("value")
        out[_relative_key(a["key"], root)] = float(value) if isinstance(value, int | float) else None
    return out


def _relative_key(key: str, root: Path) -> str:
    """A failure's key with its document named from the repository's folder, as reports name it now (keys
    recorded before then hold the path as the run found it: absolute when it came from the configuration)."""
    import os

    from send_align.paths import shown_path

    parts = key.split("|", 3)
    if len(parts) == 4 and os.path.isabs(parts[3]):
        parts[3] = shown_path(Path(parts[3]), root)
    return "|".join(parts)


def apply_baseline(report: Report, accepted: dict[str, float | None]) -> Report:
    """The report with accepted failures moved aside; the gate passes when no new failure remains."""
    new, old = [], []
    for f in report.failures:
        if f.key in accepted and _no_worse(f, accepted[f.key]):
            old.append(f)
        else:
            new.append(f)
    return replace(report, failures=tuple(new), baselined=tuple(old), gate_passed=not new)


def _no_worse(failure: GateFailure, accepted_value: float | None) -> bool:
    if failure.value is None or accepted_value is None:
        return True
    return failure.value >= accepted_value


def baseline_json(report: Report) -> str:
    """Every current gate failure (new or accepted) as a baseline, deterministic and sorted."""
    everything = sorted(
        {f.key: f for f in (*report.failures, *report.baselined)}.values(), key=lambda f: f.key
    )
    data: dict[str, Any] = {
        "schema_version": BASELINE_VERSION,
        "tool": "send-align",
        "accepted": [
            {
                "key": f.key,
                "kind": f.kind,
                "aim": f.aim,
                "path": f.path,
                "framework": f.framework,
                "value": f.value,
                "message": f.message,
            }
            for f in everything
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, report: Report) -> int:
    """Write the baseline through the one output writer (atomically); the number of failures it accepts."""
    from send_align.output import write

    text = baseline_json(report)
    write(path, text, "baseline")
    return len(json.loads(text)["accepted"])
