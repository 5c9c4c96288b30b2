"""A folder holding one good SEND policy, shared by the robustness tests (outputs and the catalogue)."""

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
