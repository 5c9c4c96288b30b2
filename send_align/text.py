"""Small text helpers shared by the renderers."""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean_for_terminal(text: str) -> str:
    """Strip escape sequences and control characters, so document text cannot drive the terminal."""
    return _CONTROL.sub("", text)
