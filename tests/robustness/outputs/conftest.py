"""A folder holding one SEND policy, for the output tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    return folder
