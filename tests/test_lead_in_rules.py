"""Built-in rules with `lead_in: true`: a list item borrows the words its lead-in holds, so an item that
names only what is done counts when the lead-in says for whom or what kind of help, and not otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import explained

SCHOOLS = """# How the trust helps its schools

{lead}

- support schools to plan each pupil's move from primary to secondary
- visit every school once a term to look at its provision map
"""

AIDS = """# Accessibility plan for disabled pupils

Families of pupils with SEND wrote parts of this page.

{lead}

- buy physical aids for the science labs and the library
- repaint the hall and the dining room
"""

PARTNERS = """# SEND at our nursery

Children with special educational needs are supported by their key person and our SENCO.

{lead}

- health visitors and the community nursing team
- the local speech and language therapy service
"""

CASES = [
    # A trust's SEND leads helping schools: the item names the help, the lead-in says it is about SEND.
    (
        "lfi.workstream-1",
        "helping-schools-include",
        SCHOOLS,
        "The trust's SEND leads will:",
        "The trust's finance team will:",
        "- support schools to plan",
    ),
    # An accessibility plan's actions: the lead-in says they are provision, the item names the aids.
    (
        "cop.need-sensory-physical",
        "sensory-physical",
        AIDS,
        "Over the next three years the governors will improve provision for pupils with SEND in these ways:",
        "Over the next three years the governors will:",
        "- buy physical aids",
    ),
    # A joint-working lead-in (`lead_in: main`): the items name the health services the setting works with.
    (
        "cop.collaboration",
        "health-as-partner",
        PARTNERS,
        "We also have close links with other professionals, including:",
        "Visitors to the nursery this year included:",
        "- ",
    ),
]


def explain(cli: Callable[..., Any], tmp_path: Path, aim: str, text: str) -> dict[str, Any]:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return explained(cli, path, aim)


@pytest.mark.parametrize(("aim", "rule", "page", "lends", "lends_nothing", "item"), CASES)
def test_an_item_counts_with_the_words_of_its_lead_in(
    tmp_path: Path,
    cli: Callable[..., Any],
    aim: str,
    rule: str,
    page: str,
    lends: str,
    lends_nothing: str,
    item: str,
) -> None:
    res = explain(cli, tmp_path, aim, page.format(lead=lends))
    assert res["status"] == "addressed"
    kept = [e["text"] for r in res["rules"] if r["id"] == rule for e in r["kept"]]
    # The quote is the item, not the lead-in.
    assert kept and all(k.startswith(item) for k in kept), kept
    # The same items under a lead-in without those words are judged alone, and fall short.
    assert explain(cli, tmp_path, aim, page.format(lead=lends_nothing))["status"] == "not-addressed"
