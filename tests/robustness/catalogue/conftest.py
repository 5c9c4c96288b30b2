"""A folder holding one good SEND policy, for the robustness catalogue's cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(SEND_POLICY_MD, "utf-8")
    return folder
