"""The matcher, unit by unit, and the data-driven cases in cases/*.yaml: sentences judged on their own, and short
pages judged whole, as `check` judges a document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from send_align.matching import compile_matcher, phrase_variants, scan_document, split_sentences
from send_align.results import Block
from send_align.stemming import stem
from send_align.strategies import build, find_files

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
ALL_CASES = [
    {**case, "where": f"{path.stem}:{n}"}
    for path in CASE_FILES
    for n, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"], start=1)
]
CASES = [case for case in ALL_CASES if "text" in case]
PAGES = [case for case in ALL_CASES if "page" in case]


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return build(find_files([]))


@pytest.fixture(scope="module")
def matcher(catalogue):  # type: ignore[no-untyped-def]
    return compile_matcher(catalogue, catalogue.aims())


@pytest.fixture(scope="module")
def checker(catalogue):  # type: ignore[no-untyped-def]
    """Every framework's aims judged for a whole document, as `check` judges it (compiled once)."""
    from send_align.checker import Checker

    return Checker(catalogue, list(catalogue.frameworks))


@pytest.fixture(scope="module")
def case_validator():  # type: ignore[no-untyped-def]
    import json

    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        json.loads((Path(__file__).parent.parent / "schemas" / "cases.schema.json").read_text())
    )


def assert_case(case: dict, found: set[str]) -> None:  # type: ignore[type-arg]
    """A case's must aims all found, none of its must_not aims."""
    assert set(case.get("must", [])) - found == set(), "missed"
    assert set(case.get("must_not", [])) & found == set(), "false hit"


def statements(matcher, scan) -> dict[int, list]:  # type: ignore[no-untyped-def, type-arg]
    """A scan's evidence, less the hits of rules that need a genre: one sentence or heading is no page of a
    genre (that is decided for a whole document, when its aims are judged)."""
    return {
        i: [e for e in evs if not next(r for r in matcher.aims[i].rules if r.id == e.rule).genre]
        for i, evs in scan.evidence.items()
    }


def hits(matcher, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    scan = scan_document(matcher, [Block(text, 1, 1, 1)])
    return {matcher.aims[i].id for i, evs in statements(matcher, scan).items() if evs}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['where']} {c['text'][:40]}" for c in CASES])
def test_sentence_case(case: dict, matcher) -> None:  # type: ignore[no-untyped-def, type-arg]
    assert_case(case, hits(matcher, case["text"]))


@pytest.mark.parametrize(
    "case", PAGES, ids=[f"{c['where']} {c['page'].strip().splitlines()[0][:40]}" for c in PAGES]
)
def test_page_case(case: dict, checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A short page read as Markdown and judged whole: its title, headings, genre and lists count as in `check`."""
    from send_align.extract.markdown import extract

    path = tmp_path / "page.md"
    path.write_text(case["page"], encoding="utf-8")
    result = checker.check(extract(path, path.name))
    assert_case(case, {r.aim for r in result.aims if r.status == "addressed"})


def test_case_files_follow_their_schema_and_name_real_aims(catalogue, case_validator) -> None:  # type: ignore[no-untyped-def]
    known = {a.id for a in catalogue.aims()}
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [e.message for e in case_validator.iter_errors(data)] == [], path.name
        for case in data["cases"]:
            named = set(case.get("must", [])) | set(case.get("must_not", []))
            assert named <= known, f"{path.name}: unknown aims {sorted(named - known)}"
            assert not set(case.get("must", [])) & set(case.get("must_not", [])), case.get(
                "text", case.get("page")
            )


def test_case_schema_takes_a_sentence_or_a_page_never_both_nor_neither(case_validator) -> None:  # type: ignore[no-untyped-def]
    validator = case_validator
    good = [
        {"text": "Pupils see the therapist weekly.", "must": ["cop.senco"]},
        {"page": "# A\n\nB.", "must_not": ["cop.senco"]},
    ]
    assert list(validator.iter_errors({"cases": good})) == []
    for bad in (
        {"text": "T.", "page": "# P", "must": ["cop.senco"]},
        {"why": "neither", "must": ["cop.senco"]},
        {"page": "# P"},
    ):
        assert list(validator.iter_errors({"cases": [bad]})) != [], bad


def test_phrase_variants_hyphens_acronyms_and_exact_words() -> None:
    assert phrase_variants("co-production") == [("co", "product"), ("coproduct",)]
    assert phrase_variants("SEN support") == [("=SEN", "support")]
    assert phrase_variants("=locally") == [("~locally",)]
    assert phrase_variants("the parents") == [("parent",)]


def test_stemming_meets_word_forms_and_spellings() -> None:
    assert stem("organization") == stem("organisation") == stem("organised")
    assert stem("behavior") == stem("behaviour")
    assert stem("supported") == stem("supports") == stem("support")
    assert stem("independence") != stem("independent")
    assert stem("locality") != stem("local")


def test_acronyms_are_case_sensitive(catalogue) -> None:  # type: ignore[no-untyped-def]
    aim = catalogue.aim("cop.information-advice-support")
    m = compile_matcher(catalogue, [aim])
    assert scan_document(m, [Block("Ask SENDIASS for advice.", 1)]).evidence
    assert not scan_document(m, [Block("ask sendiass for advice.", 1)]).evidence


def test_acronym_plural(catalogue) -> None:  # type: ignore[no-untyped-def]
    m = compile_matcher(catalogue, [catalogue.aim("lfi.workstream-5")])
    assert scan_document(m, [Block("We will open three new SRBs next year.", 1)]).evidence


def test_sentences_and_list_items_split() -> None:
    text = "First sentence. Second one!\n- item one\n- item two.\nAnd e.g. this stays."
    starts = split_sentences(text)
    assert [text[s:].split()[0] for s in starts] == ["First", "Second", "-", "-", "And"]


def test_a_bullet_symbol_after_a_stop_starts_a_sentence() -> None:
    # Questions or statements run into one line with symbols between them ("? ♦ Who ...") are sentences each.
    text = "What does the forum do? ♦ Who funds it? ● It is run by parents. ▪ Anyone can join."
    starts = split_sentences(text)
    assert [text[s:].split()[0] for s in starts] == ["What", "♦", "●", "▪"]


def test_abbreviations_before_a_capital_do_not_end_a_sentence() -> None:
    # Examples and names go on the same sentence: the partners listed after "e.g." belong to it.
    text = (
        "We work with health colleagues, e.g. Speech and language therapists. I.e. Not only staff. "
        "Dr. Shah and Mrs. Jones visit St. Anne's each term. Ask us! We reply."
    )
    starts = split_sentences(text)
    assert [text[s:].split()[0] for s in starts] == ["We", "I.e.", "Dr.", "Ask", "We"]


@pytest.mark.parametrize(
    ("sentence", "phrase", "negated"),
    [
        ("We will no longer fund the SRB for deaf pupils.", "SRB", True),
        ("The service does not carry out EHC needs assessments.", "EHC needs assessments", True),
        ("Post-16 provision is outside the scope of this plan.", "Post-16 provision", True),
        ("There is no shared strategy for reducing independent placements.", "reducing", True),
        ("Not only do we train staff, we also coach them.", "train staff", False),
        ("Pupils at risk of exclusion get support from the hub.", "support", False),
        ("You do not need a diagnosis to get support from the team.", "support", False),
        ("Staff, who were not in post last year, will now complete training.", "training", False),
        (
            "The number of supported internships is small, and few employers take part.",
            "supported internships",
            True,
        ),
        # Text wrapped over lines (PDF, plain text): a line break is a space to the checks after a hit.
        (
            "Access to speech and language therapy remains\npatchy across the county.",
            "speech and language",
            True,
        ),
        ("Post-16 provision is\noutside the scope of this plan.", "Post-16 provision", True),
        ("Our nurture groups are small, so every child is known well.", "nurture groups", False),
        ("Class sizes are limited to eight pupils.", "Class sizes", False),
        ("Small nurture groups mean every child is known well.", "nurture groups", False),
    ],
)
def test_negation(sentence: str, phrase: str, negated: bool, matcher) -> None:  # type: ignore[no-untyped-def]
    start = sentence.index(phrase)
    assert (matcher.cues.negation_reason(sentence, start, start + len(phrase)) is not None) is negated


def test_masks_hide_words_inside_names(catalogue, matcher) -> None:  # type: ignore[no-untyped-def]
    assert "flourish.healthy" not in hits(matcher, "Children's health and safety policy is reviewed yearly.")
    assert "lfi.principle-1" not in hits(matcher, "The local authority writes to children within 15 days.")


def test_headings_and_glossaries_are_not_evidence(matcher) -> None:  # type: ignore[no-untyped-def]
    scan = scan_document(matcher, [Block("Preparing for adulthood", 1, kind="heading")])
    assert not any(statements(matcher, scan).values())
    glossary = Block("PfA: preparing for adulthood, including supported internships.", 2, section="Glossary")
    scan = scan_document(matcher, [glossary])
    assert not any(scan.evidence.values())
    # What was set aside is kept for `explain`, which judges without settling.
    assert any(scan_document(matcher, [glossary], settle=False).discarded.values())


def test_a_phrase_never_runs_on_past_the_end_of_a_sentence(matcher) -> None:  # type: ignore[no-untyped-def]
    voice = {"area-send.priority-1", "lfi.principle-5", "flourish.understood"}
    assert (
        not hits(matcher, "Our outreach teachers work in local schools. The council pays for them.") & voice
    )
    assert hits(matcher, "The school council meets every fortnight to plan changes with the head.") & voice


def test_a_short_phrase_never_runs_across_a_comma_between_list_items(matcher) -> None:  # type: ignore[no-untyped-def]
    voice = {"area-send.priority-1", "lfi.principle-5", "flourish.understood"}
    for seam in ("the school, the council", "our school, our council"):
        text = f"Pupils with SEND do well because {seam} and health partners plan together."
        assert not hits(matcher, text) & voice, seam
    # A phrase that is itself a list keeps its commas.
    assert "cop.ehc-plans" in hits(
        matcher, "Every pupil with an Education, Health and Care Plan has it reviewed each year with the family."
    )
    assert "cop.graduated-approach" in hits(
        matcher, "Teachers follow the cycle of assess, plan, do, review for every pupil on SEN support."
    )
    assert hits(matcher, "Pupils with SEND take part in the school council, which meets each fortnight.") & voice


def _names(text: str) -> list[str]:
    from send_align.matching.scan import _SPLIT_RE, proper_names

    pieces = _SPLIT_RE.split(text)
    words = pieces[1::2]
    return [" ".join(words[a : b + 1]) for a, b in proper_names(pieces, words, 0, len(words))]


def test_proper_names_of_bodies_documents_and_posts() -> None:
    assert _names("We met the Inclusion Commission in May.") == ["Inclusion Commission"]
    # (The ampersand joins the name's words; it is no word itself.)
    assert _names("Children and Young People's Inclusion & Wellbeing Strategy") == [
        "Children and Young People's Inclusion Wellbeing Strategy"
    ]
    assert _names("Ask our Autism Advisory Teacher.") == ["Autism Advisory Teacher"]
    # A line in capitals, a lower-case head, and a sentence stop are no name.
    assert _names("OUR INCLUSION STRATEGY") == []
    assert _names("our inclusion strategy") == []
    assert _names("We value Inclusion. Strategy matters.") == []


def test_a_name_followed_by_what_the_body_does_is_no_mask() -> None:
    assert _names("The Inclusion Commission brings schools together.") == []
    assert _names("The Early Identification Panel will also review each request.") == []
    assert _names("The Wellbeing Practitioner (WP) visits weekly.") == []
    assert _names("The Inclusion Commission, chaired by Ms Lee, reviews plans.") == ["The Inclusion Commission"]


def _posts(text: str) -> list[str]:
    from send_align.matching.scan import _SPLIT_RE, post_names

    pieces = _SPLIT_RE.split(text)
    words = pieces[1::2]
    starts = [sum(map(len, pieces[: 2 * i + 1])) for i in range(len(words))]
    return [" ".join(words[a:b]) for a, b in post_names(text, pieces, words, starts)]


def test_a_post_named_by_its_remit_masks_the_remit() -> None:
    # The remit runs over capitalised words, short joining words and a comma between capitalised words.
    assert _posts("Cllr Hale, Cabinet Member for Schools, Employment and Skills, thanked officers.") == [
        "for Schools Employment and Skills"
    ]
    assert _posts("The Assistant Director of Early Help and Prevention presented it.") == [
        "of Early Help and Prevention"
    ]
    # Lower-case posts and remits are ordinary words; a remit ends at a lower-case word or a line break.
    assert _posts("the director of early help presented it") == []
    assert _posts("Our Head of Inclusion\nSupport for families is listed below.") == ["of Inclusion"]
    # What the post holder does, said next, makes the title the subject of a statement: no mask.
    assert _posts("Our Head of Inclusion trains every teaching assistant.") == []


def test_a_post_remit_holds_no_one_word_group_but_an_exclusion_still_stops(matcher) -> None:  # type: ignore[no-untyped-def]
    # "presented" wants a child before it: the remit's "Children and Young People" names a post, whoever
    # stands before it ("The Leader and ...", "Cllr Shah, ..."); children who present still count.
    for lead in ("The", "The Leader and", "Cllr Shah,"):
        text = f"{lead} Cabinet Member for Children and Young People presented the SEND report."
        assert "lfi.principle-5" not in hits(matcher, text), text
    assert "lfi.principle-5" in hits(matcher, "Young people with SEND presented their ideas to the Cabinet Member.")


def test_words_inside_a_name_are_no_evidence_but_keep_its_context(matcher) -> None:  # type: ignore[no-untyped-def]
    from send_align.matching.scan import scan_block

    assert "cop.inclusive-practice" not in hits(matcher, "The Inclusion Commission met six times in 2023.")
    assert "cop.inclusive-practice" in hits(
        matcher, "The Inclusion Commission brings schools together to share inclusive practice."
    )
    # "educational psychologist" inside a form's name is no outside help, but still says the page is about SEND.
    bs = scan_block(matcher, Block("Send the Educational Psychologist Involvement Form to the office.", 1))
    assert bs is not None and any(matcher.context_of[p] for p in bs.named)
