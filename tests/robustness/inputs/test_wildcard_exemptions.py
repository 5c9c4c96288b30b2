"""Wildcard exemptions in a document: refused unless the configuration allows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


@pytest.fixture
def exempting(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (docs / "sly.md").write_text(
        "# Note\n\nEvery child with SEND belongs.\n\n<!-- send-align: not-applicable * -- nothing here applies -->\n",
        "utf-8",
    )
    return tmp_path


@pytest.mark.parametrize("pattern", ["*", "cop.*", "c?p.vision", "[a-z]*"])
def test_wildcard_exemption_in_a_document_is_refused(pattern: str, exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sly = exempting / "docs" / "sly.md"
    sly.write_text(sly.read_text("utf-8").replace("applicable *", f"applicable {pattern}"), "utf-8")
    res = cli("check", "docs", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 2
    assert res.stderr.splitlines() == [
        f"error: docs/sly.md:5: not-applicable '{pattern}' is a pattern; a document may only exempt aims it "
        "names (name each aim, or put the pattern under [[not-applicable]] in send-align.toml, or set "
        "allow-wildcard-exemptions = true there)"
    ]
    docs = {d["path"]: d for d in json.loads(res.stdout)["documents"]}
    assert docs["docs/sly.md"]["error"] and not docs["docs/policy.md"].get("error")


def test_wildcard_exemption_allowed_by_the_configuration(exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # Run once allowed (its result cached), then once not: the cached result must not carry the exemption.
    (exempting / "send-align.toml").write_text("allow-wildcard-exemptions = true\n", "utf-8")
    res = cli("check", "docs/sly.md", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 0, res.stderr
    statuses = {a["status"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
    assert statuses == {"not-applicable"}
    (exempting / "send-align.toml").write_text("per-document = false\n", "utf-8")
    res = cli("check", "docs/sly.md", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 2 and "is a pattern" in res.stderr


def test_named_exemption_in_a_document_still_works(exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sly = exempting / "docs" / "sly.md"
    sly.write_text(sly.read_text("utf-8").replace("applicable *", "applicable cop.local-offer"), "utf-8")
    res = cli("check", "docs/sly.md", "--format", "json", cwd=exempting)
    assert res.code == 0, res.stderr
    aims = {a["id"]: a["status"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
    assert aims["cop.local-offer"] == "not-applicable"
