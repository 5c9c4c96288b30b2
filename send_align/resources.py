"""Where the shipped strategies and schemas live, installed or in a checkout."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Path:
    """The folder `name` ('strategies' or 'schemas'): inside the wheel, else the repository's top level."""
    packaged = resources.files("send_align") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the tool, by file stem (strategy, proposal, report, config)."""
    data: dict[str, Any] = json.loads((data_dir("schemas") / f"{name}.schema.json").read_text("utf-8"))
    return data
