"""`send-align eval`: labelled documents checked and compared with their labels, through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

POLICY = """# Meadow Primary: SEND information report

Our SENCO, Ms Rowe, leads SEN provision and is a member of the senior leadership team.

Pupils with speech and language needs have small-group language sessions three times a week.

Parents meet the class teacher each term to agree their child's targets.
"""
PROPOSAL = """proposal:
  title: A nurture base for pupils with SEMH needs
  claims:
    - aim: cop.need-semh
      how: It is for pupils with SEMH needs.
    - aim: area-send.priority-4
      how: It prepares them for adult life.
  sections:
    - heading: What the base will do
      text: Two trained practitioners will run a nurture group each morning for pupils with social, emotional and mental health needs.
"""


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "docs" / "base.yaml").write_text(PROPOSAL, encoding="utf-8")
    labels = {
        "documents": [
            {
                "file": "docs/policy.md",
                # cop.graduated-approach is labelled but the text does not show it: one miss to report.
                "addresses": ["cop.senco", "cop.need-communication-interaction", "cop.graduated-approach"],
                "note": "written for the test",
            },
            {
                "file": "docs/base.yaml",
                "addresses": ["cop.need-semh"],
                "supported_claims": ["cop.need-semh"],
                "unsupported_claims": ["area-send.priority-4"],
            },
        ]
    }
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(labels), encoding="utf-8")
    return path


def expected_counts(
    cli: Callable[..., Any], labels: Path, frameworks: set[str] | None = None
) -> tuple[int, int, int]:
    """The counts worked out independently, from `check --format json` and the labels file."""
    data = yaml.safe_load(labels.read_text())
    tp = fp = fn = 0
    for entry in data["documents"]:
        report = cli("check", str(labels.parent / entry["file"]), "--format", "json", "--no-config").json()
        gold = set(entry.get("addresses") or [])
        for aim in report["documents"][0]["aims"]:
            if frameworks and aim["id"].split(".")[0] not in frameworks:
                continue
            hit, want = aim["status"] == "addressed", aim["id"] in gold
            tp, fp, fn = tp + (hit and want), fp + (hit and not want), fn + (want and not hit)
    return tp, fp, fn


def test_eval_reports_per_aim_scores_every_error_and_the_claims(
    labelled: Path, cli: Callable[..., Any]
) -> None:
    res = cli("eval", str(labelled), "--format", "json")
    assert res.code == 0, res.stderr
    data = res.json()
    tp, fp, fn = expected_counts(cli, labelled)
    assert (data["micro"]["tp"], data["micro"]["fp"], data["micro"]["fn"]) == (tp, fp, fn)
    assert tp >= 3  # the SENCO, the speech and language sessions, the SEMH base
    miss = next(e for e in data["errors"] if e["aim"] == "cop.graduated-approach")
    assert miss["kind"] == "miss" and miss["file"] == "docs/policy.md"
    for e in data["errors"]:
        if e["kind"] == "false hit":
            assert e["text"] and e["rule"]  # every false hit quotes the evidence it rests on
    assert data["claims"] == {"right": 2, "total": 2, "errors": []}
    senco = next(a for a in data["aims"] if a["id"] == "cop.senco")
    assert (senco["tp"], senco["fp"], senco["fn"], senco["f1"]) == (1, 0, 0, 1.0)


def test_eval_text_lists_misses_and_ends_with_the_headline(labelled: Path, cli: Callable[..., Any]) -> None:
    res = cli("eval", str(labelled))
    assert res.code == 0
    assert "docs/policy.md: miss cop.graduated-approach" in res.stdout
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("micro F1 ") and last.endswith("claims 2/2")
    assert "docs/policy.md: miss" not in cli("eval", str(labelled), "--no-errors").stdout


def test_min_f1_gates_the_exit_code(labelled: Path, cli: Callable[..., Any]) -> None:
    assert cli("eval", str(labelled), "--min-f1", "0").code == 0
    res = cli("eval", str(labelled), "--min-f1", "1")
    assert res.code == 1 and "is under --min-f1 1" in res.stderr


def test_frameworks_in_the_labels_limit_what_is_scored(labelled: Path, cli: Callable[..., Any]) -> None:
    data = yaml.safe_load(labelled.read_text())
    data["frameworks"] = ["cop"]
    labelled.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = cli("eval", str(labelled), "--format", "json").json()
    assert {a["id"].split(".")[0] for a in res["aims"]} == {"cop"}
    tp, fp, fn = expected_counts(cli, labelled, {"cop"})
    assert (res["micro"]["tp"], res["micro"]["fp"], res["micro"]["fn"]) == (tp, fp, fn)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["documents"][0].update(addresses=["cop.no-such-aim"]), "unknown aim 'cop.no-such-aim'"),
        (lambda d: d["documents"][0].update(file="docs/missing.md"), "no such file 'docs/missing.md'"),
        (lambda d: d["documents"][0].update(adresses=["cop.senco"]), "Additional properties are not allowed"),
        (lambda d: d.update(frameworks=["nope"]), "unknown framework 'nope'"),
    ],
)
def test_bad_labels_are_one_clear_error_each(
    labelled: Path, cli: Callable[..., Any], change: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = yaml.safe_load(labelled.read_text())
    change(data)
    labelled.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = cli("eval", str(labelled))
    assert res.code == 2
    assert message in res.stderr and str(labelled) in res.stderr
    assert "Traceback" not in res.stderr


def test_the_shared_evaluation_labels_follow_the_schema(shared: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((Path(__file__).parent.parent / "schemas" / "labels.schema.json").read_text())
    for name in ("dev", "dev2"):
        data = yaml.safe_load((shared / "eval" / name / "labels.yaml").read_text())
        assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == [], name


def _green_labels(folder: Path, addresses: dict[str, list[str]]) -> Path:
    """A labels file scoring the test charter (tests.test_learned.GREEN) alone: each file and its aims."""
    labels = folder / "labels.yaml"
    documents = [{"file": name, "addresses": aims} for name, aims in addresses.items()]
    labels.write_text(yaml.safe_dump({"frameworks": ["green"], "documents": documents}), encoding="utf-8")
    return labels


def test_each_miss_says_why_and_the_misses_are_counted_by_kind(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    # Three misses of a council's own charter: one with nothing found, one the learned model's veto held at
    # partial, one with a supporting rule's evidence only. A false hit carries no `missed` kind.
    from tests.test_learned import FOREST_DAY, GREEN, _vetoing

    green = tmp_path / "green"
    green.mkdir()
    (green / "green.yaml").write_text(
        GREEN.replace("phrases: [quiet room]", "phrases: [quiet room]\n        strength: supporting"), "utf-8"
    )
    _vetoing(green)
    (tmp_path / "forest.md").write_text(FOREST_DAY, "utf-8")
    (tmp_path / "rooms.md").write_text("# Rooms\n\nThe library has a quiet room for reading.\n", "utf-8")
    (tmp_path / "hall.md").write_text("# The hall\n\nAssemblies are held in the hall every morning.\n", "utf-8")
    labels = _green_labels(
        tmp_path, {"forest.md": ["green.outdoors"], "rooms.md": ["green.quiet"], "hall.md": ["green.outdoors"]}
    )
    res = cli("eval", str(labels), "-s", str(green), "--format", "json")
    data = res.json()
    misses = {(e["file"], e["aim"]): e for e in data["errors"] if e["kind"] == "miss"}
    vetoed = misses[("forest.md", "green.outdoors")]
    assert vetoed["missed"] == "veto" and "held at partial: the learned model reads it at" in vetoed["reason"]
    weak = misses[("rooms.md", "green.quiet")]
    assert weak["missed"] == "partial" and weak["status"] == "partial" and "held at partial" not in weak["reason"]
    none = misses[("hall.md", "green.outdoors")]
    assert none["missed"] == "no evidence" and none["reason"] == "no evidence found"
    assert data["misses"] == {"no_evidence": 1, "veto": 1, "partial": 1}
    text = cli("eval", str(labels), "-s", str(green)).stdout
    assert "    why: no evidence found" in text
    assert "misses: 1 with no evidence counted, 1 held at partial by the learned model's veto, 1 with partial" in text


def test_by_rule_counts_the_findings_each_rule_carried(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A council's own charter: "quiet room" is right on two documents and wrong on one (a library's reading room);
    # "calm space" shares one right finding with it, so neither carries that one alone.
    from tests.test_learned import GREEN

    green = tmp_path / "green"
    green.mkdir()
    charter = GREEN.replace(
        "      - id: quiet-room\n        phrases: [quiet room]\n",
        "      - id: quiet-room\n        phrases: [quiet room]\n      - id: calm-space\n        phrases: [calm space]\n",
    )
    assert "calm-space" in charter
    (green / "green.yaml").write_text(charter, "utf-8")
    texts = {
        "base.md": "# The base\n\nPupils who need a break can go to the quiet room at any time.\n",
        "library.md": "# The library\n\nThe library has a quiet room for reading.\n",
        "both.md": "# Breaks\n\nPupils use the quiet room or a calm space when lessons feel too much.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, "utf-8")
    labels = _green_labels(tmp_path, {"base.md": ["green.quiet"], "library.md": [], "both.md": ["green.quiet"]})
    data = cli("eval", str(labels), "-s", str(green), "--format", "json", "--rules-only").json()
    rules = {(r["aim"], r["rule"]): r for r in data["rules"]}
    quiet, calm = rules[("green.quiet", "quiet-room")], rules[("green.quiet", "calm-space")]
    assert (quiet["right"], quiet["wrong"], quiet["alone_right"], quiet["alone_wrong"]) == (2, 1, 1, 1)
    assert quiet["precision"] == round(2 / 3, 4)
    assert (calm["right"], calm["wrong"], calm["alone_right"], calm["alone_wrong"]) == (1, 0, 0, 0)
    assert [(r["aim"], r["rule"]) for r in data["rules"]][:1] == [("green.quiet", "quiet-room")]  # least precise first
    text = cli("eval", str(labels), "-s", str(green), "--rules-only", "--by-rule").stdout
    assert "rules by the findings they carried" in text
    row = next(line for line in text.splitlines() if "quiet-room" in line and line.startswith("green.quiet"))
    assert row.split()[2:] == ["2", "1", "0.67", "1", "1"]
    assert "rules by the findings" not in cli("eval", str(labels), "-s", str(green), "--rules-only").stdout
