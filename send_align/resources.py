"""Where the shipped strategies and schemas live, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Path:
    """The folder `name` ('strategies' or 'schemas'): inside the wheel, else the repository's top level."""
    here = Path(__file__).resolve().parent
    if (here / "_data" / name).is_dir():  # an installed wheel
        return here / "_data" / name
    if (here.parent / name).is_dir():  # a checkout or an editable install
        return here.parent / name
    # A zipped install: only importlib.resources can reach the files (and it costs start-up time).
    from importlib import resources

    return Path(str(resources.files("send_align") / "_data" / name))


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the tool, by file stem (strategy, proposal, report, config)."""
    import json

    data: dict[str, Any] = json.loads((data_dir("schemas") / f"{name}.schema.json").read_text("utf-8"))
    return data
