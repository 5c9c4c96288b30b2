"""`lead_in: names`: a list of names (the needs a school caters for, one to an item) under a lead-in that holds
the rule's main phrase counts item by item, where other rules take an item of a few words for a name in a list
and lend it nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import explained
from tests.test_rule_format import status, strategies

RULE = (
    "      - id: r\n        phrases: [cater for]\n        with: [[autism, dyslexia, hearing impairment]]\n"
    "        lead_in: {how}\n"
)


def listed(lead: str, items: list[str]) -> str:
    return "# Our school\n\n" + lead + "\n\n" + "".join(f"- {i}\n" for i in items)


def test_names_lends_the_main_phrase_to_an_item_of_a_few_words(tmp_path: Path, cli: Callable[..., Any]) -> None:
    page = listed("We cater for a range of needs, including:", ["Autism", "Speech therapy at lunchtime"])
    names = strategies(tmp_path / "names", RULE.format(how="names"))
    assert status(cli, tmp_path, names, page) == "addressed"
    # `main` lends the lead-in's main phrase only to items of four words or more: a name alone gets nothing.
    main = strategies(tmp_path / "main", RULE.format(how="main"))
    assert status(cli, tmp_path, main, page) == "not-addressed"
    longer = listed("We cater for a range of needs, including:", ["Pupils with a hearing impairment"])
    assert status(cli, tmp_path, main, longer) == "addressed"


def test_names_lends_nothing_without_the_main_phrase_in_the_lead_in(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    names = strategies(tmp_path, RULE.format(how="names"))
    assert status(cli, tmp_path, names, listed("Pupils at our school this year have had:", ["Autism"])) == (
        "not-addressed"
    )


def test_a_short_item_takes_no_group_from_its_lead_in(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """`groups` rules still read a name in a list as a name: the items below would need "pupils" from the
    lead-in, which lends it to an item of four words or more only."""
    rule = (
        "      - id: r\n        phrases: [sensory room, quiet room]\n        with: [[pupils]]\n"
        "        lead_in: groups\n"
    )
    folder = strategies(tmp_path, rule)
    lead = "For pupils with SEND we have:"
    assert status(cli, tmp_path, folder, listed(lead, ["A sensory room"])) == "not-addressed"
    assert status(cli, tmp_path, folder, listed(lead, ["A sensory room used every day"])) == "addressed"


def test_validate_accepts_names_and_show_says_what_it_means(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, RULE.format(how="names"))
    assert cli("validate", "--strategies", str(folder)).code == 0
    shown = cli("show", "town.voice", "--strategies", str(folder))
    assert shown.code == 0, shown.stderr
    assert "over items of any length" in shown.stdout
    wrong = strategies(tmp_path / "wrong", RULE.format(how="name"))
    res = cli("validate", "--strategies", str(wrong))
    assert res.code == 2
    assert "lead_in" in res.stderr


NEEDS = [
    ("cop.need-communication-interaction", "Communication and interaction"),
    ("cop.need-cognition-learning", "Cognition and learning"),
    ("cop.need-semh", "Social, emotional and mental health"),
    ("cop.need-sensory-physical", "Sensory and physical needs"),
]
REPORT = (
    "# SEN information report\n\nOur school is a mainstream primary school. Children with special educational"
    " needs are supported by class teachers and our SENCO.\n\n{lead}\n\n"
    + "".join(f"- {name}\n" for _, name in NEEDS)
)


@pytest.mark.parametrize(("aim", "name"), NEEDS)
def test_the_built_in_areas_of_need_listed_as_catered_for(
    tmp_path: Path, cli: Callable[..., Any], aim: str, name: str
) -> None:
    path = tmp_path / "report.md"
    path.write_text(REPORT.format(lead="We support pupils with needs in each of these areas:"), encoding="utf-8")
    res = explained(cli, path, aim)
    kept = [e["text"] for r in res["rules"] if r["id"] == "needs-listed-as-catered-for" for e in r["kept"]]
    # The quote is the item that names the need.
    assert kept == [f"- {name}"], kept
    # The same list as the Code's four areas, defined rather than provided for, is no evidence.
    path.write_text(REPORT.format(lead="There are four broad areas of need:"), encoding="utf-8")
    res = explained(cli, path, aim)
    assert not [r for r in res["rules"] if r["id"] == "needs-listed-as-catered-for" and r["kept"]]
