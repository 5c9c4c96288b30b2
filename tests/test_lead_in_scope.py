"""What a list's lead-in lends its items (`lead_in`) comes from the sentence that introduces the list, its
last (with the one before when it only points back, "These include:"), and a rule's `unless` is checked
against the words lent where they stand, in that sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from send_align.matching.candidates import lead_sentence
from tests.test_rule_format import status, strategies

MAIN = (
    "      - id: r\n        phrases: [annual review]\n        with: [[outcomes, targets]]\n"
    "        lead_in: main\n        unless: [policy]\n"
)
GROUPS = (
    "      - id: r\n        phrases: [nurture group]\n        with: [[pupils, children]]\n"
    "        lead_in: groups\n        unless: [parents]\n"
)
ITEMS = "- check the outcomes with the family and the class teacher\n- agree new targets for the coming year\n"
NURTURE = "- run a weekly nurture group at lunchtime\n- keep a quiet room open after school\n"


def page(lead: str, items: str = ITEMS) -> str:
    return f"# Our support\n\n{lead}\n\n{items}"


def test_the_lead_ins_last_sentence_introduces_the_list() -> None:
    assert lead_sentence("Each review is held in June. Our tutors will:") == "Our tutors will:"
    assert lead_sentence("Our tutors will:") == "Our tutors will:"
    # A sentence that only points back is read with the one before it.
    assert lead_sentence("We help in many ways. Some are new. These include:") == "Some are new. These include:"
    long = "We wrote to every family. They were asked to tell us about three things:"
    assert lead_sentence(long) == long


def test_a_main_phrase_in_an_earlier_sentence_is_not_lent(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN)
    assert status(cli, tmp_path, folder, page("At the annual review our tutors will:")) == "addressed"
    earlier = "Each child has an annual review in the summer term. Our tutors will:"
    assert status(cli, tmp_path, folder, page(earlier)) == "not-addressed"
    pointing = "At the annual review we do several things for each child. These include:"
    assert status(cli, tmp_path, folder, page(pointing)) == "addressed"


def test_a_group_in_an_earlier_sentence_is_not_lent(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, GROUPS)
    assert status(cli, tmp_path, folder, page("For pupils with SEND our staff will:", NURTURE)) == "addressed"
    earlier = "Pupils with SEND do well here. Our caretaker and office staff will:"
    assert status(cli, tmp_path, folder, page(earlier, NURTURE)) == "not-addressed"


def test_a_lead_in_the_rule_excludes_lends_no_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN)
    assert status(cli, tmp_path, folder, page("At the annual review of this policy the governors will:")) == (
        "not-addressed"
    )
    # The exclusion in an earlier sentence is not in the sentence that lends.
    ok = "The policy is short. At the annual review our tutors will:"
    assert status(cli, tmp_path, folder, page(ok)) == "addressed"


def test_a_lead_in_the_rule_excludes_lends_no_group(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, GROUPS)
    stopped = "To support the parents of pupils with SEND we will:"
    assert status(cli, tmp_path, folder, page(stopped, NURTURE)) == "not-addressed"
    plain = strategies(tmp_path / "plain", GROUPS.replace("        unless: [parents]\n", ""))
    assert status(cli, tmp_path, plain, page(stopped, NURTURE)) == "addressed"


def test_unless_near_counts_from_the_exclusion_to_the_lead_ins_end(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, GROUPS + "        unless_near: 3\n")
    assert status(cli, tmp_path, folder, page("For pupils, with parents we will:", NURTURE)) == "not-addressed"
    far = "For parents and for all the pupils in our small village school we will:"
    assert status(cli, tmp_path, folder, page(far, NURTURE)) == "addressed"


def test_a_lead_in_never_vetoes_an_items_own_words(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, GROUPS)
    own = "- run a weekly nurture group for pupils at lunchtime\n"
    assert status(cli, tmp_path, folder, page("To support parents we will:", own)) == "addressed"
