"""`explain` shows a word a section's heading or a list's lead-in would lend, stopped there by the rule's
`unless`: a main phrase so stopped sets the hits under it aside with the reason, and a group so stopped is
named on the near miss it leaves, beside the group found missing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.test_rule_format import strategies

RULES = (
    "      - id: main\n        phrases: [autism]\n        with: [[visual timetables, quiet room]]\n"
    "        heading: main\n        lead_in: main\n        unless: [assessment, assessments]\n"
    "      - id: grp\n        phrases: [nurture group]\n        with: [[pupils, children]]\n"
    "        heading: true\n        lead_in: groups\n        unless: [parents]\n"
)
PAGE = """# Our support

## Autism assessments

We use visual timetables and a quiet room at lunchtime.

## Visits

During autism assessments our staff will:

- use visual timetables with every family who visits
- show the family around the school library

## Clubs

For the parents of pupils with SEND our staff will:

- run a weekly nurture group at lunchtime
- keep the art room open after school

## Nurture group for children and parents

We run a weekly nurture group at lunchtime.
"""

HEADING_MAIN = "the heading 'Autism assessments' would lend 'Autism', but the rule's exclusion 'assessments' stands there"
LEAD_MAIN = (
    "the list's lead-in 'During autism assessments our staff will:' would lend 'autism', "
    "but the rule's exclusion 'assessments' stands there"
)
LEAD_GROUP = (
    "no word of the rule's group 1 (pupils, children) in the sentence; the list's lead-in 'For the parents of "
    "pupils with SEND our staff will:' would lend group 1's 'pupils', but the rule's exclusion 'parents' stands there"
)
HEADING_GROUP = (
    "no word of the rule's group 1 (pupils, children) in the sentence; the heading 'Nurture group for children "
    "and parents' would lend group 1's 'children', but the rule's exclusion 'parents' stands there"
)


def explained(cli: Callable[..., Any], tmp_path: Path, *extra: str) -> Any:
    folder = strategies(tmp_path, RULES)
    doc = tmp_path / "doc.md"
    doc.write_text(PAGE, encoding="utf-8")
    res = cli("explain", str(doc), "town.voice", "--strategies", str(folder), *extra)
    assert res.code == 0, res.stderr
    return res


def test_explain_json_gives_the_exclusion_that_stopped_a_lent_word(tmp_path: Path, cli: Callable[..., Any]) -> None:
    out = json.loads(explained(cli, tmp_path, "--format", "json").stdout)
    assert out["status"] == "not-addressed"
    why = {r["id"]: {(e["text"], e["matched"]): e["why"] for e in r["discarded"]} for r in out["rules"]}
    # A main phrase the heading, or the lead-in, holds with an exclusion: the hits under it are set aside.
    assert why["main"][("We use visual timetables and a quiet room at lunchtime.", "visual timetables")] == HEADING_MAIN
    assert why["main"][("- use visual timetables with every family who visits", "visual timetables")] == LEAD_MAIN
    # A group stopped the same way is named on the near miss.
    assert why["grp"][("- run a weekly nurture group at lunchtime", "nurture group")] == LEAD_GROUP
    assert why["grp"][("We run a weekly nurture group at lunchtime.", "nurture group")] == HEADING_GROUP
    # The heading itself, read as a sentence, lends itself nothing: its near miss says only what it lacks.
    assert why["main"][("Autism assessments", "Autism")] == (
        "no word of the rule's group 1 (visual timetables, quiet room) in the sentence"
    )


def test_explain_text_gives_the_exclusion_that_stopped_a_lent_word(tmp_path: Path, cli: Callable[..., Any]) -> None:
    text = " ".join(explained(cli, tmp_path).stdout.split())
    for reason in (HEADING_MAIN, LEAD_MAIN, LEAD_GROUP, HEADING_GROUP):
        assert reason in text


def test_a_word_lent_without_an_exclusion_still_counts(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # The same page with no exclusions: the heading and lead-ins lend, and nothing says "would lend".
    folder = strategies(tmp_path, RULES.replace("        unless: [assessment, assessments]\n", ""))
    doc = tmp_path / "doc.md"
    doc.write_text(PAGE, encoding="utf-8")
    res = cli("explain", str(doc), "town.voice", "--strategies", str(folder), "--format", "json")
    out = json.loads(res.stdout)
    main = next(r for r in out["rules"] if r["id"] == "main")
    assert {e["text"] for e in main["kept"]} >= {"We use visual timetables and a quiet room at lunchtime."}
    assert not any("would lend" in e["why"] for e in main["discarded"])
