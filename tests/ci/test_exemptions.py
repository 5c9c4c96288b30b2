"""Exemptions: inline in Markdown and Word, bad ones bad input, configured ones for matching paths only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ci.support import POLICY, aim_status
from tests.conftest import make_docx
from tests.test_check import report_of


def test_inline_markdown_exemption_is_reported_and_satisfies_a_gate(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    doc = repo / "policies" / "send.md"
    doc.write_text(
        POLICY
        + "\n<!-- send-align: not-applicable cop.vision -- a school policy, the vision is the LA's -->\n",
        "utf-8",
    )
    res = cli("check", "policies", "--require", "cop.vision", "--format", "json", cwd=repo)
    assert res.code == 0, res.stdout
    aim = aim_status(report_of(res), "send.md", "cop.vision")
    assert aim["status"] == "not-applicable"
    assert "the vision is the LA's" in aim["reason"] and "line 8" in aim["reason"]
    for fmt, needle in [
        ("markdown", "the vision is the LA"),
        ("csv", "not-applicable"),
        ("table", "not applicable"),
    ]:
        out = cli("check", "policies", "--format", fmt, cwd=repo).stdout
        assert needle in out, fmt


def test_exemption_in_word_uses_a_paragraph_and_an_en_dash(tmp_path: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    path = make_docx(
        tmp_path / "policy.docx",
        [
            ("Heading 1", "SEND policy"),
            ("Normal", "We identify needs early and review support with parents each term."),
            (
                "Normal",
                "send-align: not-applicable dfe-ap.* – this is a school policy, not the national plan",
            ),
        ],
    )
    # A pattern in a document is allowed only when the configuration says so.
    (tmp_path / "send-align.toml").write_text("allow-wildcard-exemptions = true\n", "utf-8")
    res = cli("check", str(path), "--format", "json", cwd=tmp_path)
    data = report_of(res)
    statuses = {a["id"]: a["status"] for a in data["documents"][0]["aims"] if a["id"].startswith("dfe-ap.")}
    assert statuses and set(statuses.values()) == {"not-applicable"}
    assert not any(f["id"] == "dfe-ap" for f in data["frameworks"] if f["total"])


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ("<!-- send-align: not-applicable cop.vision -->", "gives no reason"),
        ("<!-- send-align: not-applicable cop.vision -- ok -->", "gives no reason"),
        ("<!-- send-align: ignore everything -->", "unknown send-align directive"),
        ("<!-- send-align: not-applicable cop.nope -- not relevant here -->", "names no known aim"),
    ],
)
def test_bad_inline_exemption_is_bad_input_and_others_still_checked(
    repo: Path,
    cli: Callable,  # type: ignore[type-arg]
    directive: str,
    message: str,
) -> None:
    (repo / "policies" / "bad.md").write_text(f"# Bad\n\n{directive}\n\nWe identify needs early.\n", "utf-8")
    res = cli("check", "policies", "--format", "json", cwd=repo)
    assert res.code == 2
    assert message in res.stderr and "bad.md:3" in res.stderr
    good = aim_status(json.loads(res.stdout), "send.md", "cop.early-identification")
    assert good["status"] == "addressed"


def test_config_not_applicable_for_matching_paths_only(repo: Path, cli: Callable) -> None:  # type: ignore[type-arg]
    (repo / "other").mkdir()
    (repo / "other" / "send.md").write_text(POLICY, "utf-8")
    (repo / "send-align.toml").write_text(
        '[[not-applicable]]\naim = "area-send.priority-4"\nreason = "primary schools: adulthood is far off"\n'
        'paths = ["policies/**"]\n',
        "utf-8",
    )
    data = report_of(cli("check", "policies", "other", "--format", "json", cwd=repo))
    assert aim_status(data, "policies/send.md", "area-send.priority-4")["status"] == "not-applicable"
    assert "send-align.toml" in aim_status(data, "policies/send.md", "area-send.priority-4")["reason"]
    assert aim_status(data, "other/send.md", "area-send.priority-4")["status"] != "not-applicable"
