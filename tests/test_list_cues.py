"""Cues that read a list as a whole: a shortfall or negation reaching across "and"/"or", a lead-in that makes
its items findings, and a lead-in that makes its items passing mentions (able only to support an aim)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from send_align.matching.cues import CueSet
from send_align.strategies import build, find_files
from tests.conftest import explained


@pytest.fixture(scope="module")
def cues() -> CueSet:
    return CueSet.build(build(find_files([])).cues)


def _reason(cues: CueSet, sentence: str, phrase: str) -> str | None:
    start = sentence.index(phrase)
    return cues.negation_reason(sentence, start, start + len(phrase))


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Inspectors noted inconsistencies in the timeliness and the quality of support plans.", "support plans"),
        ("The review found a lack of speech therapy or occupational therapy in the west.", "occupational therapy"),
        ("Families described long-standing issues, such as waiting times and access to therapy.", "therapy"),
        ("We no longer fund the breakfast club or the homework club.", "homework club"),
    ],
)
def test_a_cue_reaches_across_and_or_to_a_coordinated_phrase(cues: CueSet, sentence: str, phrase: str) -> None:
    assert _reason(cues, sentence, phrase) is not None


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        # A new clause after "and": its subject or verb stops the cue.
        ("There was a lack of places and we opened a resource base for autistic pupils.", "resource base"),
        ("Poor attendance was a concern and the school now runs a nurture group.", "nurture group"),
        # ", and" starts a new clause.
        ("Pupils are working close to the expected level, and the curriculum leads to GCSEs.", "GCSEs"),
        # Too many words after the coordination to be one noun phrase.
        ("We found weak links with colleges and every pupil in year eleven gets careers advice.", "careers advice"),
    ],
)
def test_a_new_clause_after_and_stops_the_cue(cues: CueSet, sentence: str, phrase: str) -> None:
    assert _reason(cues, sentence, phrase) is None


@pytest.mark.parametrize(
    ("lead", "kind"),
    [
        ("The inspection identified these areas for improvement:", "findings"),
        ("The report, published in March, found the following:", "findings"),
        ("The weaknesses identified were:", "findings"),
        ("Your care needs are assessed. You must be unable to do at least two of the following:", "reference"),
        ("Inspectors looked at the extent to which:", "findings"),
        ("Useful links:", "reference"),
        ("Other organisations that can help families:", "reference"),
        ("For more information contact:", "reference"),
        ("For a printed copy, please contact:", "reference"),
        ("The Local Offer includes information about:", "reference"),
        ("This policy is written in line with the requirements of:", "reference"),
        ("It follows the Code of Practice and the following legislation:", "reference"),
        ("This page is about needs assessments. It covers:", "reference"),
        ("Your child may be eligible if:", "reference"),
        ("To support pupils with SEND we will:", None),
        ("Our priorities for the next three years are:", None),
        # Only the lead-in's last sentence says what the list is.
        ("The inspection found three areas of concern. In response we agreed to:", None),
        # ... but a last sentence that only points back ("These include:") is read with the one before it.
        ("The Code of Practice sets out the principles all professionals follow. These include:", "quoted"),
        ("We follow the Code of Practice. These are the things we do:", None),
        ("The Code of Practice sets out the principles all professionals follow. We will:", None),
        # The Code or the Act speaks, or the items are taken from it: the law's words.
        ("The code of practice states that every child is entitled to an education that enables them to:", "quoted"),
        ("The lines in italics are copied directly from the SEND Code of Practice:", "quoted"),
        ("In line with the SEND Code of Practice, we:", None),
        # Others' words under their speaker; an office holder speaks for the council, a plan's hoped-for outcomes
        # ("will say") are its own.
        ("Our parents and carers have told us:", "quoted"),
        ("Cllr Jones, Cabinet Member for Children's Services, said:", None),
        ("Children and young people will say that:", None),
    ],
)
def test_what_a_lead_in_says_its_items_are(cues: CueSet, lead: str, kind: str | None) -> None:
    assert cues.lead_in_kind(lead) == kind


def _hits(found: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """The quotes explain kept, and those it set aside with why."""
    kept = [e["text"] for r in found["rules"] for e in r["kept"]]
    thrown = [(e["text"], e["why"]) for r in found["rules"] for e in r["discarded"]]
    return kept, thrown


def test_items_under_a_findings_lead_in_are_findings(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "inspection.md"
    doc.write_text(
        "# Our area SEND inspection\n\nThe inspection report, published in May, identified the following:\n\n1) Leaders should make sure that plans capture the views of each child with SEND.\n\n"
        "2) The partnership should review annual reviews of EHC plans on time.\n\n"
        "In response we now hold a termly forum where children with SEND tell us their views.\n",
        encoding="utf-8",
    )
    kept, thrown = _hits(explained(cli, doc, "lfi.principle-5"))
    assert any("termly forum" in t for t in kept)  # what is done in response still counts
    assert not any("Leaders should" in t for t in kept)
    assert any("Leaders should" in t and "finding listed under" in why for t, why in thrown)
    text = cli("explain", str(doc), "cop.ehc-plans")
    assert "finding listed under" in text.stdout  # type: ignore[attr-defined]


def test_items_under_a_reference_lead_in_can_only_support(tmp_path: Path, cli: Callable[..., object]) -> None:
    body = "Staff in every class are trained in autism by the specialist teaching service."
    listed = tmp_path / "links.md"
    listed.write_text(
        "# SEND support at Oak Tree School\n\nOur SENCO leads support for pupils with SEND.\n\n"
        f"Other services that work with our school:\n\n- {body}\n",
        encoding="utf-8",
    )
    plain = tmp_path / "plain.md"
    plain.write_text(
        f"# SEND support at Oak Tree School\n\nOur SENCO leads support for pupils with SEND.\n\n{body}\n",
        encoding="utf-8",
    )
    aim = "dfe-ap.workforce"
    said = explained(cli, plain, aim)
    capped = explained(cli, listed, aim)
    assert said["status"] == "addressed"
    assert capped["status"] != "addressed"
    weights = [e.get("capped_at") for r in capped["rules"] for e in r["kept"]]
    assert weights and all(w == 0.3 for w in weights)
    text = cli("explain", str(listed), aim)
    assert "capped at supporting" in text.stdout  # type: ignore[attr-defined]
    # check agrees with explain.
    res = cli("check", str(listed), "--format", "json")
    aims = {a["id"]: a["status"] for a in json.loads(res.stdout)["documents"][0]["aims"]}  # type: ignore[attr-defined]
    assert aims[aim] == capped["status"]


def test_a_council_adds_its_own_lead_in_cue(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "review.md"
    doc.write_text(
        "# SEND review\n\nWhat the governors asked us to look at again:\n\n"
        "- Staff training in autism for every teaching assistant in the school.\n",
        encoding="utf-8",
    )
    aim = "dfe-ap.workforce"
    assert explained(cli, doc, aim)["status"] == "addressed"
    local = tmp_path / "local"
    local.mkdir()
    (local / "cues.yaml").write_text(
        "schema_version: 1\ncues:\n  lead_in:\n    findings: [asked us to look at again]\n", encoding="utf-8"
    )
    res = cli("explain", str(doc), aim, "--format", "json", "--strategies", str(local))
    assert json.loads(res.stdout)["status"] != "addressed"  # type: ignore[attr-defined]


def test_a_list_item_ending_with_a_colon_leads_in_its_own_list(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "apply.md"
    doc.write_text(
        "# Short breaks for disabled children\n\nHow to apply:\n\n- Fill in the form online.\n"
        "- For a printed form, please contact:\n  - the Parent Carer Forum, which works in partnership with "
        "the council\n",
        encoding="utf-8",
    )
    found = explained(cli, doc, "lfi.principle-6")
    kept = [e for r in found["rules"] for e in r["kept"]]
    assert kept and all(e.get("capped_at") == 0.3 for e in kept)
    assert found["status"] != "addressed"


def test_a_paragraph_without_a_colon_leads_in_findings_only(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "revisit.md"
    doc.write_text(
        "# SEND inspection revisit\n\nProgress was found in two areas. Inspectors found that more work needs "
        "to be done\n\n1. to offer speech and language therapy sessions in every school.\n\n"
        "Families can read our SEND newsletter every term\n\n- Speech and language therapy runs weekly "
        "groups for pupils with communication needs.\n",
        encoding="utf-8",
    )
    kept, thrown = _hits(explained(cli, doc, "cop.need-communication-interaction"))
    assert any("sessions in every school" in t and "finding listed under" in why for t, why in thrown)
    # Without a colon, a paragraph that names no finding leads in nothing.
    assert any("runs weekly groups" in t for t in kept)


def test_a_quotation_under_its_speaker_is_their_view(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "sufficiency.md"
    doc.write_text(
        "# SEND places: what we will do\n\nOur parents and carers have told us:\n\n"
        '"There must be enough supported employment places for young people leaving college."\n\n'
        "We will open two resource bases in primary schools next September.\n"
    )
    found = explained(cli, doc, "cop.preparation-for-adulthood")
    kept, thrown = _hits(found)
    assert not kept
    assert any("quoted under" in why for _, why in thrown)
