"""A policy repository for the CI tests: a policies folder and a proposals folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ci.support import POLICY
from tests.test_check import PROPOSAL


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A policy repository: policies and proposals folders."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "send.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "proposals").mkdir()
    (tmp_path / "proposals" / "base.yaml").write_text(PROPOSAL, encoding="utf-8")
    return tmp_path
