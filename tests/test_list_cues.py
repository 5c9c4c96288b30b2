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
        ("Referral to the outreach team may be appropriate when:-", "reference"),
        ("You can refer your child to us if:", "reference"),
        ("Referrals to the team are made by:", None),
        ("To support pupils with SEND we will:", None),
        ("Our priorities for the next three years are:", None),
        # Only the lead-in's last sentence says what the list is...
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
        # Minutes: who presented a report set out their own points; the report found nothing.
        ("Cllr Oduya introduced the report and highlighted the following points:", None),
        ("The review highlighted the following:", "findings"),
        ("Children and young people will say that:", None),
        ("We follow the national eligibility criteria to set each level of help. The levels are:", None),
        ("We took forward the review's recommendations in a plan. Our actions so far include:", None),
        ("We work closely with families and other agencies. We are committed to:", None),
        # ...with the one before it where the last only points back to it.
        ("The SEND Code of Practice sets out principles for all who work with children with SEND. These include:", "quoted"),
        ("The Code describes the principles professionals should follow.\nThese are:", "quoted"),
        ("Our inspection found five areas of weakness, which we grouped into themes. These were:", "findings"),
        ("We are proud of our nurture provision. These include:", None),
        # What is not done or not offered, said just before the colon: the items are excluded...
        ("We are not a crisis service and we do not:", "excluded"),
        ("The service does not currently offer:", "excluded"),
        ("Not provided by this service:", "excluded"),
        ("The inclusion fund cannot be used to pay for:", "excluded"),
        ("The inclusion fund is not for:", "excluded"),
        ("What we don't do:", "excluded"),
        # ... but a negation further back says nothing of the items.
        ("A plan is not needed for any of the support listed below, which includes:", None),
        ("Children do not need a diagnosis to get this help, which is:", None),
        ("If things do not improve after you have tried the steps below, you can then:", None),
        # A plan's theme titles are titles; its priorities, which may be statements, are read as written.
        ("Our new area strategy has five important themes:", "reference"),
        ("The plan's three strands are:", "reference"),
        ("The strategy has four priorities:", None),
        # A document's or a page's contents: each item is a section's title.
        ("Contents:", "contents"),
        ("Table of contents:", "contents"),
        ("On this page:", "contents"),
        ("In this section:", "contents"),
        ("Our SEN support is set out in the following contents:", None),
        # A lead-in that ends by saying how the work is done lists the doing, whoever else it names.
        ("We join up with other agencies so that each child's health needs are met in class, by:", None),
        ("Our nurses work alongside external services by:", None),
        ("The team works with other organisations through:", None),
        ("We support the school and other agencies by providing:", None),
        ("Other services that can help by phone:", "reference"),
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


def test_items_that_say_how_work_with_other_agencies_is_done_count(tmp_path: Path, cli: Callable[..., object]) -> None:
    # "other agencies" alone would make the list a reference list; "... by:" says the items are the doing.
    doc = tmp_path / "nursing.md"
    lead = "We join up with other agencies so that each child's complex health needs are met in school"
    item = "- Plans: we write health advice for every EHC plan and come to each annual review."
    doc.write_text(f"# Special school nursing team\n\n{lead}, by:\n\n{item}\n", encoding="utf-8")
    done = explained(cli, doc, "cop.ehc-plans")
    assert done["status"] == "addressed"
    assert not any(e.get("capped_at") for r in done["rules"] for e in r["kept"])
    linked = tmp_path / "linked.md"
    linked.write_text(f"# Special school nursing team\n\n{lead}:\n\n{item}\n", encoding="utf-8")
    found = explained(cli, linked, "cop.ehc-plans")
    assert found["status"] != "addressed"
    assert all(e.get("capped_at") == 0.3 for r in found["rules"] for e in r["kept"])


def test_theme_titles_under_their_lead_in_only_support(tmp_path: Path, cli: Callable[..., object]) -> None:
    items = "- My learning\n- My health\n- My adult life\n- My voice is heard\n"
    aim = "cop.preparation-for-adulthood"
    found = {}
    for word in ("themes", "priorities"):
        doc = tmp_path / f"{word}.md"
        doc.write_text(f"# Our SEND strategy\n\nOur new area strategy has four {word}:\n\n{items}", encoding="utf-8")
        found[word] = explained(cli, doc, aim)["status"]
    assert found == {"themes": "partial", "priorities": "addressed"}


def test_the_paragraph_after_the_codes_lead_in_is_its_words(tmp_path: Path, cli: Callable[..., object]) -> None:
    """Under "The SEND Code of Practice says:" the next paragraph is the Code's, quote marks or not; the
    paragraph after it is the writer's own again."""
    said = "Most children with special educational needs will have their needs met in their local mainstream school."
    head = "# Getting an EHC needs assessment\n\nOur advice line helps families of children with SEND.\n\n"
    quoted = tmp_path / "quoted.md"
    quoted.write_text(f"{head}The SEND Code of Practice says:\n\n{said}\n", encoding="utf-8")
    plain = tmp_path / "plain.md"
    plain.write_text(f"{head}{said}\n", encoding="utf-8")
    both = tmp_path / "both.md"
    both.write_text(f"{head}The SEND Code of Practice says:\n\n{said}\n\n{said}\n", encoding="utf-8")
    aim = "lfi.workstream-1"
    kept, thrown = _hits(explained(cli, quoted, aim))
    assert not kept
    assert any(t == said and "quoted under 'The SEND Code of Practice says:'" in why for t, why in thrown)
    assert _hits(explained(cli, plain, aim))[0] == [said]
    assert _hits(explained(cli, both, aim))[0] == [said]


@pytest.mark.parametrize(
    ("page", "aim", "kind", "cue", "addressed"),
    [
        # A council's own findings cue: the items become what the governors asked to look at again.
        (
            "# SEND review\n\nWhat the governors asked us to look at again:\n\n"
            "- Staff training in autism for every teaching assistant in the school.\n",
            "dfe-ap.workforce",
            "findings",
            "asked us to look at again",
            (True, False),
        ),
        # "Other agencies" makes a reference list; the council's own words for how the work is done undo that.
        (
            "# Special school nursing team\n\nWe join up with other agencies in these ways:\n\n"
            "- Plans: we write health advice for every EHC plan and come to each annual review.\n",
            "cop.ehc-plans",
            "actions",
            '"in these ways :"',
            (False, True),
        ),
    ],
)
def test_a_council_adds_its_own_lead_in_cue(
    tmp_path: Path,
    cli: Callable[..., object],
    page: str,
    aim: str,
    kind: str,
    cue: str,
    addressed: tuple[bool, bool],
) -> None:
    doc = tmp_path / "page.md"
    doc.write_text(page, encoding="utf-8")
    assert (explained(cli, doc, aim)["status"] == "addressed") is addressed[0]
    local = tmp_path / "local"
    local.mkdir()
    (local / "cues.yaml").write_text(
        f"schema_version: 1\ncues:\n  lead_in:\n    {kind}: [{cue}]\n", encoding="utf-8"
    )
    res = cli("explain", str(doc), aim, "--format", "json", "--strategies", str(local))
    assert (json.loads(res.stdout)["status"] == "addressed") is addressed[1]  # type: ignore[attr-defined]


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


def _frames(cues: CueSet, *blocks: tuple[str, str]) -> dict[int, tuple[str, str, int]]:
    """What ListFrames says of each paragraph of a page given as (kind, text) pairs."""
    from send_align.matching.judge import ListFrames
    from send_align.results import Block, BlockKind

    frames = ListFrames(cues)
    for n, (kind, text) in enumerate(blocks, start=1):
        frames.see(Block(text, n, kind=BlockKind(kind)))
    return frames.of


def test_a_lead_in_read_as_a_heading_still_says_what_its_list_is(cues: CueSet) -> None:
    # A short lead-in on a line of its own is often read as a heading: its colon still frames the list.
    of = _frames(
        cues,
        ("heading", "This report is written in line with the requirements of:"),
        ("list", "- the Equality Act 2010"),
        ("list", "- the Special Educational Needs (Personal Budgets) Regulations 2014"),
    )
    assert [of[p][0] for p in (2, 3)] == ["reference", "reference"]
    assert 1 not in of  # a heading is never itself marked
    # A heading without a colon, or one whose lead-in names no reference or finding, frames nothing.
    assert _frames(cues, ("heading", "Useful links"), ("list", "- the Parent Carer Forum")) == {}
    assert _frames(cues, ("heading", "Our SENCO will:"), ("list", "- meet every parent each term")) == {}


def test_a_lead_in_that_only_points_back_is_read_with_the_paragraph_before(cues: CueSet) -> None:
    code = "The SEND Code of Practice describes the principles that all professionals should follow."
    of = _frames(cues, ("text", code), ("text", "These include:"), ("list", "- involving parents in decisions"))
    assert of[3][0] == "quoted"
    # Only a pointer borrows: a lead-in that says something of its own is read alone.
    of = _frames(cues, ("text", code), ("text", "In our nursery we therefore:"), ("list", "- involve parents"))
    assert of == {}
    # And only the paragraph right before it.
    of = _frames(
        cues, ("text", code), ("heading", "Our work"), ("text", "These include:"), ("list", "- involving parents")
    )
    assert of == {}


def test_each_reference_list_has_its_own_number(cues: CueSet) -> None:
    of = _frames(
        cues,
        ("text", "Useful links:"),
        ("list", "- the Parent Carer Forum"),
        ("list", "- the SEND advice service"),
        ("text", "For more information, please contact:"),
        ("list", "- the SENCO"),
    )
    assert of[2][2] == of[3][2] != of[5][2]


FRAMEWORK = """schema_version: 1
framework: {id: town, title: Town Charter, publisher: Town Council, year: 2025, version: "1", source: Charter}
aims:
  - id: town.clubs
    title: Clubs for every pupil
    kind: commitment
    statement: Pupils can join clubs.
    source: Charter 1
    rules:
      - {id: drama, phrases: [drama club], strength: strong}
      - {id: chess, phrases: [chess club], strength: strong}
"""


def test_a_reference_list_is_one_passing_mention_whatever_its_items(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    folder = tmp_path / "town"
    folder.mkdir()
    (folder / "town.yaml").write_text(FRAMEWORK, encoding="utf-8")
    items = "- the drama club at the arts centre on Mill Lane\n- the chess club at the library on Friday evenings\n"
    doc = tmp_path / "links.md"
    # Two items of one reference list, each a different rule: one passing mention, never two.
    doc.write_text(f"# Clubs\n\nOur pupils love clubs.\n\nUseful links:\n\n{items}", encoding="utf-8")
    found = explained(cli, doc, "town.clubs", "--strategies", str(folder))
    assert found["status"] == "partial"
    kept, thrown = _hits(found)
    assert len(kept) == 1
    assert any("already supporting" in why for _, why in thrown)
    # The same items as statements count in full.
    doc.write_text(f"# Clubs\n\nOur pupils love clubs.\n\n{items}", encoding="utf-8")
    assert explained(cli, doc, "town.clubs", "--strategies", str(folder))["status"] == "addressed"


def test_items_under_an_excluded_lead_in_are_not_provision(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "team.md"
    doc.write_text(
        "# The wellbeing team\n\nThe wellbeing team works in eight schools with pupils who have SEND. We run "
        "groups for pupils with autism who feel anxious.\n\nWe are not an emergency service, and we do not:\n\n"
        "- diagnose autism;\n- give long-term therapy to pupils with autism.\n",
        encoding="utf-8",
    )
    kept, thrown = _hits(explained(cli, doc, "cop.need-communication-interaction"))
    assert any("groups for pupils with autism" in t for t in kept)  # what the team does still counts
    assert not any("diagnose autism" in t or "long-term therapy" in t for t in kept)
    assert any(
        "long-term therapy" in t and "lead-in says it is not done ('We are not an emergency service" in why
        for t, why in thrown
    )


def test_items_under_a_contents_lead_in_are_titles(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "policy.md"
    doc.write_text(
        "# Ashgrove School SEND policy\n\nContents:\n\nStatement of intent\n\n1. Legal framework\n\n"
        "2. SEND tribunal\n\n3. Resolving disagreements\n\n# Statement of intent\n\nIf you disagree with a "
        "decision about your child's support, you can appeal to the SEND tribunal.\n",
        encoding="utf-8",
    )
    kept, thrown = _hits(explained(cli, doc, "cop.resolving-disagreements"))
    assert any("you can appeal to the SEND tribunal" in t for t in kept)  # the policy's own text still counts
    assert not any("Resolving disagreements" in t or t.strip().endswith("SEND tribunal") for t in kept)
    assert any(
        "Resolving disagreements" in t and "section's title in the contents under 'Contents:'" in why
        for t, why in thrown
    )
