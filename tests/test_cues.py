"""Cues as data: the cue syntax, the words each cue is filed under, and a council's own cue lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from send_align.errors import SendAlignError
from send_align.matching.cue_phrases import compile_cue
from send_align.matching.cues import CueSet
from send_align.strategies import build, find_files
from tests.conftest import explained


def matches(cue: str, text: str) -> bool:
    return re.search(compile_cue(cue)[0], text, re.I) is not None


@pytest.mark.parametrize(
    ("cue", "text", "found"),
    [
        ("stop*", "The group stopped meeting.", True),
        ("stop*", "A nonstop service.", False),  # a word that starts so, not one that holds it
        ("*n't", "We won't renew it.", True),
        ("*n't", "We won’t renew it.", True),  # a curly apostrophe is an apostrophe
        ("not [yet|always] in place", "It is not yet in place.", True),
        ("not [yet|always] in place", "It is not in place.", True),
        ("not [yet|always] in place", "It is not sadly in place.", False),
        ("limited !to", "Places are limited across the county.", True),
        ("limited !to", "Places are limited to eight.", False),
        ("appendix ...3 glossary", "Appendix B: a short glossary", True),
        ("appendix ...3 glossary", "Appendix B is not the long and winding glossary", False),
        ("^ glossary :", "Glossary: SEN means special educational needs.", True),
        ("^ glossary :", "See the glossary: it explains terms.", False),
        ("set_out|dealt_with in", "This is dealt with in the annex.", True),
        ("set_out|dealt_with in", "This is dealt in the annex.", False),
        # A gap of ten words or more is a gap too, not the word "...12".
        ("code ...12 principles", "The Code of Practice 2015, the statutory guidance for schools, sets out principles", True),
        ("code ...12 principles", "The Code applies to every school, college, nursery and council in the land and they all share principles", False),
    ],
)
def test_cue_syntax(cue: str, text: str, found: bool) -> None:
    assert matches(cue, text) is found


@pytest.mark.parametrize(
    ("cue", "filed_under"),
    [
        # The first required word that is not a common word...
        ("no longer", {("word", "no")}),
        ("in the past", {("word", "past")}),
        ("stop*", {("start", "stop")}),
        # ...else the word with the fewest common alternatives, the last of equals.
        ("do|does|will not", {("word", "not")}),
        ("there is|are no", {("word", "no")}),
    ],
)
def test_each_cue_is_filed_under_one_of_its_required_words(
    cue: str, filed_under: set[tuple[str, str]]
) -> None:
    assert set(compile_cue(cue)[1]) == filed_under


@pytest.mark.parametrize("bad", ["stop**x", "a||b", "x ^", "...3", "[only]", "a ...30 b", "a ... b", "a ...x b"])
def test_a_cue_that_cannot_mean_anything_is_refused(bad: str) -> None:
    with pytest.raises(SendAlignError):
        compile_cue(bad)


def test_the_built_in_cues_compile_and_say_what_kind_of_cue_fired() -> None:
    cues = CueSet.build(build(find_files([])).cues)
    text = "Post-16 provision is outside the scope of this plan."
    assert cues.negation_reason(text, 0, 17) == "out of scope ('is outside' after it)"
    text = "The service previously ran a nurture group."
    start = text.index("nurture")
    assert cues.negation_reason(text, start, start + 13) == "in the past ('previously' before it)"
    assert cues.section_reason("Glossary of terms") is not None
    assert cues.section_reason("How we support pupils") is None


def test_what_a_number_counts_is_a_statistic() -> None:
    cues = CueSet.build(build(find_files([])).cues)
    text = "In January, 19.6% of pupils on the SEN register had an EHC plan."
    start = text.index("SEN register")
    assert cues.negation_reason(text, start, start + 12) == "a statistic, not what is done ('19.6% of' before it)"
    text = "Every pupil on the SEN register has a support plan reviewed each term."
    start = text.index("SEN register")
    assert cues.negation_reason(text, start, start + 12) is None


def test_under_a_findings_heading_only_what_is_found_missing_is_set_aside() -> None:
    from send_align.results import Block

    cues = CueSet.build(build(find_files([])).cues)
    section = "What does the school do well and what does it need to do better?"
    found_in_place = "Needs are spotted early and the SENCO meets every teacher each half-term."
    recommended = "Leaders should make sure that support plans are reviewed with parents."
    assert cues.reference_reason(Block(found_in_place, 2, section=section), found_in_place) is None
    why = cues.reference_reason(Block(recommended, 3, section=section), recommended)
    assert why is not None and "finding or recommendation" in why
    # Elsewhere, "should" is guidance, not a finding.
    assert cues.reference_reason(Block(recommended, 4, section="Our policy"), recommended) is None


def test_what_the_opening_says_the_page_is_inspection_writing() -> None:
    from send_align.results import Block, BlockKind

    cues = CueSet.build(build(find_files([])).cues)

    def page(*lines: str, title: str | None = None) -> str | None:
        return cues.findings_page_of(title, [Block(text, n) for n, text in enumerate(lines, start=1)])

    assert page("Inspection of Brookfield Primary School", "Pupils enjoy school.") is not None
    assert page("Skip to content", "Home", "Westmere Written Statement of Action", "Our plan.") is not None
    assert page("Our plan.", title="Local area SEND inspection outcome") is not None
    heading = Block("SEND Inspection Revisit", 1, kind=BlockKind.HEADING)
    assert cues.findings_page_of(None, [heading]) == "SEND Inspection Revisit"
    # A name in passing in a paragraph does not say what the page is; nor does a page that is something else.
    assert (
        page(
            "This charter, written with families over the autumn, supports the delivery of our SEND strategy and our"
            " priority action plan for the next three years."
        )
        is None
    )
    assert page("SEN Information Report", "Parents should speak to the SENCo.") is None
    # A school site's menu names its inspection report above a page that is something else.
    assert page("Home", "Ofsted Report", "SEND Information Report", "Parents should speak to the SENCo.") is None


def test_on_an_inspection_page_a_finding_is_set_aside_wherever_it_stands() -> None:
    from send_align.results import Block

    cues = CueSet.build(build(find_files([])).cues)
    finding = "Too many children wait too long for a speech and language therapy assessment."
    advice = "Leaders should make sure that the views of children shape the Local Offer."
    in_place = "Children who are not yet speaking in full sentences join a daily language group."
    action = "We will recruit two more speech and language therapists by the spring."
    for text in (finding, advice):
        assert cues.verdict.search(text), text
    for text in (in_place, action):
        assert cues.verdict.search(text) is None, text
    # The check stands beside a findings heading's: elsewhere (no inspection page) it is not read.
    assert cues.reference_reason(Block(advice, 1, section="Our policy"), advice) is None


def test_a_streamed_document_is_read_ahead_for_what_the_page_is() -> None:
    from send_align.matching import compile_matcher, scan_document
    from send_align.results import Block

    catalogue = build(find_files([]))
    matcher = compile_matcher(catalogue, catalogue.aims())
    blocks = [
        Block("Area SEND inspection of Westmere", 1),
        Block("Leaders should make sure that the views of children and young people shape the Local Offer.", 2),
    ]
    whole = scan_document(matcher, blocks, settle=False)
    streamed = scan_document(matcher, iter(blocks), settle=False)
    assert streamed.evidence == whole.evidence
    assert not [e for evs in streamed.evidence.values() for e in evs if e.paragraph == 2]
    reasons = {e.discarded for evs in streamed.discarded.values() for e in evs}
    assert any("a finding on a page of inspection writing" in (r or "") for r in reasons), reasons
    assert streamed.paragraphs == whole.paragraphs == 2


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Members asked whether the new base would have enough places for autistic pupils.", "debate"),
        ("A councillor expressed concerns about the SEND transport budget.", "debate"),
        ("How will the school support my child?", "question"),
        ("Special educational needs is a legal term for a difficulty that calls for special provision.", "definition"),
        ("The Code of Practice says that schools must use their best endeavours.", "quoted law"),
        ("Present: the SENCO, the headteacher and two parent governors.", "list of related documents"),
        ("Over three days the inspectors talked with young people and their families about their plans.", "inspection"),
        ("They spoke with school leaders and looked at a sample of plans with the inspectors.", "inspection"),
    ],
)
def test_questions_and_reported_debate_are_not_statements(sentence: str, kind: str) -> None:
    from send_align.results import Block

    cues = CueSet.build(build(find_files([])).cues)
    why = cues.reference_reason(Block(sentence, 1), sentence)
    assert why is not None and kind in why
    for statement in (
        "Officers set out the plan to open a new base for autistic pupils.",
        # The writer's own practice, said with the same verbs, is a statement.
        "Our key workers spoke with every young person about what they want from college.",
        "They met with each family before the plan was written.",
    ):
        assert cues.reference_reason(Block(statement, 1), statement) is None, statement


def _strategies(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "cues.yaml").write_text("schema_version: 1\ncues:\n" + body, encoding="utf-8")
    return folder


def _statuses(cli: Callable[..., object], doc: Path, local: Path | None = None) -> dict[str, str]:
    """Each Code of Practice aim's status for the document, with the --strategies folder `local` if given."""
    more = ["--strategies", str(local)] if local else []
    res = cli("check", str(doc), "--format", "json", "-f", "cop", *more)
    return {a["id"]: a["status"] for a in res.json()["documents"][0]["aims"]}  # type: ignore[attr-defined]


def test_a_council_adds_its_own_cue_through_strategies(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "plan.md"
    doc.write_text(
        "# Our SEND plan\n\nEvery child with SEND is supported by our SENCO.\n\n"
        "The speech and language base is on hold until 2027.\n",
        encoding="utf-8",
    )
    assert _statuses(cli, doc)["cop.need-communication-interaction"] == "addressed"
    local = _strategies(tmp_path, "  after:\n    negation: [is on hold]\n")
    assert _statuses(cli, doc, local)["cop.need-communication-interaction"] == "not-addressed"


def test_a_council_adds_a_word_that_undoes_a_negation(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "placements.md"
    doc.write_text(
        "# Placements for children with SEND\n\n"
        "No child is placed in the hub other than with the agreement of their parents.\n",
        encoding="utf-8",
    )
    assert _statuses(cli, doc)["cop.participation"] == "not-addressed"  # "No child is placed ..." denies it
    local = _strategies(tmp_path, "  undo: [other than]\n")
    # The two negations cancel: the placement needs the parents' agreement.
    assert _statuses(cli, doc, local)["cop.participation"] != "not-addressed"


def test_a_malformed_cue_is_refused_at_load_naming_file_and_line(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    local = _strategies(tmp_path, "  before:\n    negation:\n      - no longer\n      - stop**ped\n")
    res = cli("frameworks", "--strategies", str(local))
    assert res.code == 2  # type: ignore[attr-defined]
    assert "cues.yaml:6" in res.stderr and "cues.before.negation[1]" in res.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in res.stderr  # type: ignore[attr-defined]


def test_an_unknown_kind_of_cue_is_refused(tmp_path: Path, cli: Callable[..., object]) -> None:
    local = _strategies(tmp_path, "  before:\n    maybe: [perhaps]\n")
    res = cli("frameworks", "--strategies", str(local))
    assert res.code == 2 and "maybe" in res.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("cue", "warned"),
    [
        ("parents ...3 children", True),  # every required word is in most SEND sentences
        ("the ...2 support", True),
        ("*qz ...2 pupils", True),  # a word ending of two letters is filed under too little
        ("one parent ...3 said", False),  # "said": few sentences hold it
        ("[parents] had withdrawn", False),
    ],
)
def test_validate_warns_of_a_cue_looked_for_in_almost_every_sentence(
    tmp_path: Path, cli: Callable[..., object], cue: str, warned: bool
) -> None:
    local = _strategies(tmp_path, f"  before:\n    voice: ['{cue}']\n")
    res = cli("validate", "--strategies", str(local))
    assert res.code == 0, res.stderr  # type: ignore[attr-defined]
    said = res.stdout + res.stderr  # type: ignore[attr-defined]
    assert ("looked for in almost every sentence" in said) is warned, said
    if warned:
        assert f"cues.before.voice: '{cue}'" in said


def test_the_built_in_cues_are_filed_under_words_few_sentences_hold(cli: Callable[..., object]) -> None:
    res = cli("validate")
    assert res.code == 0 and "almost every sentence" not in res.stdout + res.stderr  # type: ignore[attr-defined]


def test_explain_sets_an_inspections_method_aside(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "visit.md"
    doc.write_text(
        "# Local area visit\n\nInspectors considered the views of children and young people with SEND and of"
        " their parents.\n",
        encoding="utf-8",
    )
    res = explained(cli, doc, "lfi.principle-5")  # type: ignore[arg-type]
    assert res["status"] == "not-addressed"
    reasons = [e["why"] for r in res["rules"] for e in r["discarded"]]
    assert any("how an inspection or review gathered its evidence" in (why or "") for why in reasons), reasons
    # The writer's own practice in the same words counts.
    doc.write_text(
        "# Our practice\n\nOur staff consider the views of children and young people with SEND and of their"
        " parents.\n",
        encoding="utf-8",
    )
    assert explained(cli, doc, "lfi.principle-5")["status"] == "addressed"  # type: ignore[arg-type]


def test_explain_names_an_inline_lead_in(tmp_path: Path, cli: Callable[..., object]) -> None:
    """Words before a colon inside a sentence that say what follows needs work set what follows aside, and
    `explain` quotes them; the same list after a neutral colon counts."""
    doc = tmp_path / "plan.md"
    doc.write_text(
        "# Our SEND plan\n\nWe know that several areas still need further attention: the timeliness of EHC plans"
        " and the way annual reviews are run.\n",
        encoding="utf-8",
    )
    res = explained(cli, doc, "cop.ehc-plans")  # type: ignore[arg-type]
    assert res["status"] == "not-addressed"
    reasons = [e["why"] or "" for r in res["rules"] for e in r["discarded"]]
    assert any(
        why.startswith("a finding listed after '") and "need further attention:'" in why for why in reasons
    ), reasons
    doc.write_text(
        "# Our SEND plan\n\nThis year our casework team will improve two things: the timeliness of EHC plans"
        " and the way annual reviews are run.\n",
        encoding="utf-8",
    )
    assert explained(cli, doc, "cop.ehc-plans")["status"] == "addressed"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "hit", "negated"),
    [
        # A hyphenated "non-" negates only the word it is joined to.
        ("Our non-SEND pupils and pupils with SEND learn side by side.", "pupils", False),
        ("Non-SEND pupils join the same clubs.", "pupils", False),
        ("Funding for non-SEND learners is set elsewhere.", "SEND", True),
        ("There are no pupils on the waiting list.", "pupils", True),
        # "Close" as nearness, and closing a gap, are not an ending.
        ("We work in close partnership with parents and carers.", "partnership", False),
        ("The team keeps in close contact with families.", "families", False),
        ("Our priority is closing the attainment gap for pupils with SEND.", "pupils", False),
        ("The council is closing the resource base next year.", "resource base", True),
        # A dash standing alone ends the clause a cue stands in.
        ("The plan isn't going to fix everything – parents and children told us what matters.", "told us", False),
        ("The plan isn't going to fix everything; we will not stop listening.", "listening", True),
        # A closed bracket (a former name, an aside) negates nothing after it; a cue outside it still does.
        ("The advice service (formerly Parent Partnership) provides support to parents.", "provides", False),
        ("The advice service (which used to be run by the council) gives advice.", "gives", False),
        ("The service previously (until 2023) provided home visits.", "provided", True),
        ("We will not (for now) fund the new unit.", "fund", True),
    ],
)
def test_what_a_negation_reaches(sentence: str, hit: str, negated: bool) -> None:
    cues = CueSet.build(build(find_files([])).cues)
    start = sentence.index(hit)
    assert (cues.negation_reason(sentence, start, start + len(hit)) is not None) == negated


def test_explain_names_a_companion_word_that_is_negated(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "training.md"
    doc.write_text(
        "# Our SEND support\n\nStaff were not trained in how to support pupils with autism, and we train"
        " teachers every term.\n",
        encoding="utf-8",
    )
    res = explained(cli, doc, "dfe-ap.workforce")  # type: ignore[arg-type]
    reasons = [e["why"] or "" for r in res["rules"] for e in r["discarded"]]
    assert any(
        why.startswith("no usable word of the rule's group") and "'Staff' negated" in why for why in reasons
    ), reasons


@pytest.mark.parametrize(
    ("line", "statistic"),
    [
        ("Autism 31%", True),
        ("• Social, emotional and mental health (SEMH) - 24%", True),
        ("Speech, language and communication needs: 18.5%", True),
        ("We will raise the attendance of pupils with SEND to 95%.", False),
        ("Pupils with autism have a quiet room to go to at lunchtime.", False),
    ],
)
def test_a_name_and_its_share_is_a_statistic(line: str, statistic: bool) -> None:
    from send_align.results import Block

    cues = CueSet.build(build(find_files([])).cues)
    reason = cues.reference_reason(Block(line, 1), line)
    assert (reason is not None and "statistic" in reason) == statistic, reason


def test_a_view_reported_is_someone_elses_until_the_clause_ends() -> None:
    cues = CueSet.build(build(find_files([])).cues)
    text = "One parent told us her son feels safe at the club."
    start = text.index("feels safe")
    assert (cues.negation_reason(text, start, start + 10) or "").startswith("someone else's view reported")
    text = "Parents told us the forms were too long, so we rewrote them with the parent carer forum."
    start = text.index("parent carer forum")
    assert cues.negation_reason(text, start, start + 18) is None
    text = "We listen to what young people tell us."
    assert cues.negation_reason(text, 3, 12) is None


@pytest.mark.parametrize(
    ("paragraph", "quoted"),
    [
        ('"My son feels safe when he stays over." - Parent', True),
        ("“I have made friends here and feel more confident.” (Year 9 student)", True),
        ("'The club has been a lifeline for us,' said one mum.", True),
        ("• “Staff really listen to me.” – Sam, aged 15", True),
        # An office holder's words are the organisation's; a citation names an occasion, not a speaker.
        ("“We want every child to feel safe,” said Councillor Shah, cabinet member for children.", False),
        ("“All disabled children to have a choice of short breaks.” (Meeting with parents, July 2019)", False),
        ('"Inclusion" means every pupil takes part in the life of the school.', False),
    ],
)
def test_a_quotation_signed_by_a_parent_or_young_person_is_their_view(paragraph: str, quoted: bool) -> None:
    from send_align.matching.cues import is_attributed_quote

    assert is_attributed_quote(paragraph) is quoted


def test_a_sentence_going_on_from_quoted_law_is_quoted_law_too(tmp_path: Path, cli: Callable[..., object]) -> None:
    doc = tmp_path / "rights.md"
    doc.write_text(
        "# Your rights in SEND\n\nThe SEND Code of Practice says that children should be at the centre of planning. "
        "It also says that parents must be fully involved in decisions about their child's support plan.\n\n"
        "The Code of Practice says children's views matter. This means we ask each pupil for their views before "
        "their review and agree the next steps with their parents.\n"
    )
    found = explained(cli, doc, "cop.participation")
    kept = [e["text"] for r in found["rules"] for e in r["kept"]]
    thrown = [e["why"] for r in found["rules"] for e in r["discarded"]]
    assert any("going on from the sentence before" in why for why in thrown)
    assert kept and all("This means we" in text for text in kept)


@pytest.mark.parametrize(
    ("heading", "reference"),
    [
        # A meeting's attendance, a reading list: nothing under them is evidence...
        ("Present", True),
        ("Councillors present:", True),
        ("Apologies for absence", True),
        ("Also in attendance", True),
        ("Board membership", True),
        ("References", True),
        ("Reference documents", True),
        ("Legal references", True),
        # ...but the same words inside a lead-in, or a board's terms of reference, head what is done.
        ("This clinic sees children who present with:", False),
        ("During the meeting, everyone in attendance will discuss:", False),
        ("Terms of Reference", False),
        ("SEND Partnership Board: Terms of Reference", False),
    ],
)
def test_what_headings_set_aside_everything_under_them(heading: str, reference: bool) -> None:
    cues = CueSet.build(build(find_files([])).cues)
    assert (cues.section_reason(heading) is not None) is reference


def test_a_look_alike_running_into_the_hit_negates_nothing_across_and() -> None:
    # "a close partnership" is nearness, not a closure, in the hit's own clause and across "and" alike; a closure
    # in an earlier conjunct still reaches the hit.
    cues = CueSet.build(build(find_files([])).cues)
    text = "We value the views of every student and welcome a close partnership with parents."
    start = text.index("partnership")
    assert cues.negation_reason(text, start, start + 25, first_strong=0) is None
    text = "The council will close the resource base and the outreach service."
    start = text.index("outreach")
    assert "across 'and'/'or'" in (cues.negation_reason(text, start, start + 16, first_strong=0) or "")



@pytest.mark.parametrize(
    ("text", "leader"),
    [
        ("Getting extra help ........ 12", True),
        ("MEETING PARENTS . . . . . 7", True),
        ("Moving on to college …… 9", True),
        ("Our clubs … … 4", True),
        ("Staff training.\n.\n.\n.\n. 3", True),
        ("We offer clubs. We train staff. We meet families. We review plans. We listen.", False),
        ("Contents…", False),
    ],
)
def test_contents_leader_needs_five_stops_or_an_ellipsis(text: str, leader: bool) -> None:
    """The cheap test before the contents-leader expression passes every text the expression matches (the
    scan skips the search where it fails), and the expression still finds the leaders."""
    from send_align.matching.cues import _DOT_LEADER, may_hold_leader

    assert may_hold_leader(text)
    assert bool(_DOT_LEADER.search(text)) == leader


@pytest.mark.parametrize(
    "text",
    ["We meet parents each term.", "See the plan, p. 4.", "Dr. Shah visits on Mon. and Tue.", "A.B.C. and D."],
)
def test_no_leader_search_without_five_stops_or_an_ellipsis(text: str) -> None:
    """A sentence with fewer than five full stops and no ellipsis holds no leader: it is not searched."""
    from send_align.matching.cues import _DOT_LEADER, may_hold_leader

    assert not may_hold_leader(text)
    assert not _DOT_LEADER.search(text)
