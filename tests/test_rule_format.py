"""The rule format a council writes: groups, proximity, where a rule looks, case, named strengths, and the
warnings `validate` gives for rules that load but cannot mean what their author meant."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HEAD = """schema_version: 1
framework: {id: town, title: Town Charter, publisher: Town Council, year: 2025, version: "1", source: Charter}
aims:
  - id: town.voice
    title: Children are heard
    kind: commitment
    statement: Children's views shape their support.
    source: Charter 1
    rules:
"""


def strategies(tmp_path: Path, rules: str) -> Path:
    folder = tmp_path / "local"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "town.yaml").write_text(HEAD + rules, encoding="utf-8")
    return folder


def status(cli: Callable[..., Any], tmp_path: Path, folder: Path, text: str, aim: str = "town.voice") -> str:
    doc = tmp_path / "doc.md"
    doc.write_text(text, encoding="utf-8")
    res = cli("check", str(doc), "-f", "town", "--strategies", str(folder), "--format", "json")
    assert res.code in (0, 1), res.stderr
    return str(next(a["status"] for a in res.json()["documents"][0]["aims"] if a["id"] == aim))


def test_a_bare_phrase_in_with_is_refused_with_the_fix(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(
        tmp_path, "      - id: r\n        phrases: [views]\n        with: [children, pupils]\n"
    )
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 2
    assert "town.yaml:12: aims[0].rules[0].with[0]: 'children' is a phrase on its own" in res.stderr
    assert "with: [[children, ...]]" in res.stderr
    folder2 = tmp_path / "ok"
    folder2.mkdir()
    (folder2 / "town.yaml").write_text(
        HEAD + "      - id: r\n        phrases: [views]\n        with: [[children, pupils], $parents]\n",
        encoding="utf-8",
    )
    assert cli("validate", "--strategies", str(folder2)).code == 0


def test_near_keeps_a_group_close_to_the_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = "      - id: r\n        phrases: [views]\n        with: [[children, pupils]]\n        near: 3\n"
    folder = strategies(tmp_path, rule)
    assert status(cli, tmp_path, folder, "We ask for the views of children at every review.\n") == "addressed"
    far = "The councillor gave her views on the budget of the service that runs clubs for children.\n"
    assert status(cli, tmp_path, folder, far) == "not-addressed"
    # Without `near` the same sentence counts: the option is what tells them apart.
    loose = strategies(
        tmp_path / "x", "      - id: r\n        phrases: [views]\n        with: [[children]]\n"
    )
    assert status(cli, tmp_path, loose, far) == "addressed"


def test_near_can_differ_from_group_to_group(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = (
        "      - id: r\n        phrases: [anxiety]\n        with: [[pupils], [support, help]]\n"
        "        near: [null, 3]\n"
    )
    folder = strategies(tmp_path, rule)
    close = "Pupils in every year group who feel worried can get help with anxiety from the nurse.\n"
    assert status(cli, tmp_path, folder, close) == "addressed"  # pupils far away, help close by
    far = "Pupils told the survey that anxiety about exams was common, and the nurse offers help.\n"
    assert status(cli, tmp_path, folder, far) == "not-addressed"


def test_unless_near_stops_the_rule_only_close_to_the_hit(tmp_path: Path, cli: Callable[..., Any]) -> None:
    base = "      - id: r\n        phrases: [views]\n        with: [[pupils]]\n        unless: [parents]\n"
    sentence = "We ask for the views of pupils at every review, and we write to parents afterwards.\n"
    assert status(cli, tmp_path, strategies(tmp_path, base), sentence) == "not-addressed"
    near = strategies(tmp_path / "x", base + "        unless_near: 3\n")
    assert status(cli, tmp_path, near, sentence) == "addressed"
    assert status(cli, tmp_path, near, "We ask for parents' views of pupils' progress.\n") == "not-addressed"


def test_order_says_which_side_of_the_main_phrase_a_group_stands(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = "      - id: r\n        phrases: [told us]\n        with: [[pupils]]\n        order: before\n"
    folder = strategies(tmp_path, rule)
    assert (
        status(cli, tmp_path, folder, "Pupils told us they want a quiet room at lunchtime.\n") == "addressed"
    )
    assert status(cli, tmp_path, folder, "The head told us about the new pupils.\n") == "not-addressed"


def test_a_heading_about_the_rule_lends_its_words_to_the_section(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = (
        "      - id: r\n        phrases: [listen, listening]\n        with: [[children, pupils]]\n"
        "        near: 3\n        heading: true\n"
    )
    folder = strategies(tmp_path, rule)
    body = "Many use few words, so we listen in other ways: watching what they choose.\n"
    assert (
        status(cli, tmp_path, folder, "# Our nursery\n\n## Listening to children\n\n" + body) == "addressed"
    )
    # A heading that names the group but not what the rule looks for lends nothing.
    assert (
        status(cli, tmp_path, folder, "# Our nursery\n\n## Children in the garden\n\n" + body)
        == "not-addressed"
    )


def test_a_heading_can_stand_for_the_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = (
        "      - id: r\n        phrases: [autism]\n        with: [[visual timetables, quiet room]]\n"
        "        heading: main\n"
    )
    folder = strategies(tmp_path, rule)
    body = "We use visual timetables and a quiet room at lunchtime.\n"
    assert status(cli, tmp_path, folder, "# Our support\n\n## Autism\n\n" + body) == "addressed"
    assert status(cli, tmp_path, folder, "# Our support\n\n## Lunchtimes\n\n" + body) == "not-addressed"
    # `heading: true` (groups) lends a heading's groups, never its main phrase.
    groups = strategies(tmp_path / "x", rule.replace("heading: main", "heading: true"))
    assert status(cli, tmp_path, groups, "# Our support\n\n## Autism\n\n" + body) == "not-addressed"


def test_explain_shows_a_near_miss_and_what_it_lacked(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = "      - id: r\n        phrases: [views]\n        with: [[children, pupils]]\n        near: 3\n"
    folder = strategies(tmp_path, rule)
    doc = tmp_path / "doc.md"
    doc.write_text("The committee shared its views on the budget for services.\n", encoding="utf-8")
    res = cli("explain", str(doc), "town.voice", "--strategies", str(folder))
    assert (
        "“views” discarded: no word of the rule's group 1 (children, pupils) in the sentence, within 3 words"
        in (" ".join(res.stdout.split()))
    )


def test_a_rule_can_read_headings_only(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = "      - id: faq\n        phrases: [how do I, what happens]\n        in: headings\n"
    folder = strategies(tmp_path, rule)
    page = "# Our charter\n\n## How do I ask for help?\n\nCall the team on weekdays.\n"
    assert status(cli, tmp_path, folder, page) == "addressed"
    assert status(cli, tmp_path, folder, "# Our charter\n\nHow do I know? Nobody knows.\n") == "not-addressed"


def test_case_exact_keeps_a_name_apart_from_the_word(tmp_path: Path, cli: Callable[..., Any]) -> None:
    plain = strategies(tmp_path, "      - id: r\n        phrases: [Thrive]\n")
    exact = strategies(tmp_path / "x", "      - id: r\n        phrases: [Thrive]\n        case: exact\n")
    verb = "We want every child to thrive.\n"
    name = "Two Thrive practitioners work with pupils each week.\n"
    assert status(cli, tmp_path, plain, verb) == "addressed"  # a capital alone does not make a word exact
    assert status(cli, tmp_path, exact, verb) == "not-addressed"
    assert status(cli, tmp_path, exact, name) == "addressed"


def test_spread_needs_a_way_of_writing_that_runs_through_the_document(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = "      - id: r\n        phrases: [your child]\n        spread: 3\n"
    folder = strategies(tmp_path, rule)
    once = "Your child can join a club.\n\nThe club meets weekly.\n\nIt is free.\n"
    assert status(cli, tmp_path, folder, once) == "not-addressed"
    throughout = (
        "Your child can join a club.\n\nYour child gets a mentor.\n\nYour child can bring a friend.\n"
    )
    assert status(cli, tmp_path, folder, throughout) == "addressed"
    res = cli("explain", str(tmp_path / "doc.md"), "town.voice", "--strategies", str(folder))
    assert "in 3 paragraphs or more" not in res.stdout  # explain shows the strength, `show` the options
    shown = cli("show", "town.voice", "--strategies", str(folder))
    assert "in 3 paragraphs or more" in shown.stdout


@pytest.mark.parametrize(("strength", "expected"), [("strong", "addressed"), ("supporting", "partial")])
def test_named_strengths(tmp_path: Path, cli: Callable[..., Any], strength: str, expected: str) -> None:
    folder = strategies(
        tmp_path, f"      - id: r\n        phrases: [pupil voice]\n        strength: {strength}\n"
    )
    assert status(cli, tmp_path, folder, "Pupil voice shapes our plans.\n") == expected


def test_strength_and_weight_together_are_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(
        tmp_path, "      - id: r\n        phrases: [views]\n        strength: strong\n        weight: 0.6\n"
    )
    assert cli("validate", "--strategies", str(folder)).code == 2


def test_validate_warns_of_phrases_that_cannot_mean_what_they_say(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = "      - id: r\n        phrases: [Family Voice, our]\n"
    res = cli("validate", "--strategies", str(strategies(tmp_path, rule)))
    assert res.code == 0
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 2
    assert "'our' never matches" in warnings[1] or "'our' never matches" in warnings[0]
    assert any("'Family Voice' has capitals that do not make it exact" in w for w in warnings)
    assert "2 warning(s)" in res.stdout
    # The built-in strategies carry none.
    assert "warning" not in cli("validate").stderr


def test_validate_warns_that_an_exact_skipped_word_matches_nothing_of_its_own(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = "      - id: r\n        phrases: [as =your =supporter, =their views]\n"
    folder = strategies(tmp_path, rule)
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 0
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert any("'as =your =supporter': '=your' matches nothing of its own" in w and "'as =supporter'" in w
               for w in warnings), warnings
    assert any("'=their views': '=their' matches nothing" in w for w in warnings), warnings
    # What the warning says is what the matcher does: the phrase finds the sentence without the word.
    assert status(cli, tmp_path, folder, "A volunteer comes to the meeting as their supporter.\n") == "addressed"



def test_validate_warns_of_an_exclusion_that_is_one_word_once_determiners_are_skipped(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    rule = (
        "      - id: r\n        phrases: [grow in confidence, independence]\n"
        "        unless: [our independence, independence of]\n"
    )
    folder = strategies(tmp_path, rule)
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 0
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1, warnings
    assert "the exclusion 'our independence' is the word 'independence' alone" in warnings[0]
    # What the warning says is what the matcher does: the child's own independence stops the other phrase's hit.
    text = "Children's views shape their support: each child can grow in confidence and independence.\n"
    assert status(cli, tmp_path, folder, text) == "not-addressed"
    fixed = strategies(tmp_path, rule.replace("our independence", "independence from"))
    assert "warning" not in cli("validate", "--strategies", str(fixed)).stderr
    assert status(cli, tmp_path, fixed, text) == "addressed"


def test_an_exclusion_used_by_many_rules_is_named_once(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # A shared term's phrase stands in every rule that uses the term: one warning, with how many more rules.
    rules = "".join(
        f"      - id: r{i}\n        phrases: [views{i}]\n        unless: [the legislation, duty]\n" for i in range(3)
    )
    res = cli("validate", "--strategies", str(strategies(tmp_path, rules)))
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1, warnings
    assert "town.voice rule r0 (and 2 more rule(s)): the exclusion 'the legislation' is the word 'legislation'" in (
        warnings[0]
    )


SHARED_RULES = """schema_version: 1
rules:
  views-sought:
    phrases: [views]
    with: [[children, pupils]]
    near: 3
    strength: strong
"""
# The town charter above, its first aim using the shared rule, and a second aim whose rules each test writes.
SHARED_HEAD = (
    SHARED_RULES
    + HEAD.removeprefix("schema_version: 1\n")
    + """      - use: views-sought
  - id: town.plans
    title: Plans are made with children
    kind: commitment
    statement: Children help make their plans.
    source: Charter 2
    rules:
"""
)


def shared(tmp_path: Path, second: str) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "town.yaml").write_text(SHARED_HEAD + second, encoding="utf-8")
    return folder


def test_a_shared_rule_is_written_once_and_used_by_several_aims(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = shared(tmp_path, "      - use: views-sought\n        id: views-in-plans\n")
    doc = tmp_path / "doc.md"
    doc.write_text("We ask for the views of children at every review.\n", encoding="utf-8")
    res = cli("check", str(doc), "-f", "town", "--strategies", str(folder), "--format", "json")
    aims = {a["id"]: a for a in res.json()["documents"][0]["aims"]}
    assert aims["town.voice"]["status"] == aims["town.plans"]["status"] == "addressed"
    # Each aim's evidence names the rule: the shared rule's name, or the aim's own id for it.
    assert [e["rule"] for e in aims["town.voice"]["evidence"]] == ["views-sought"]
    assert [e["rule"] for e in aims["town.plans"]["evidence"]] == ["views-in-plans"]
    # The shared rule's `near` holds for both: a councillor's views are not the children's.
    doc.write_text("The councillor gave her views on the budget of the service that runs clubs for children.\n")
    res = cli("check", str(doc), "-f", "town", "--strategies", str(folder), "--format", "json")
    assert {a["status"] for a in res.json()["documents"][0]["aims"]} == {"not-addressed"}


def test_a_shared_rule_unknown_or_changed_where_it_is_used_is_refused(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    unknown = shared(tmp_path / "a", "      - use: views-heard\n")
    res = cli("validate", "--strategies", str(unknown))
    assert res.code == 2
    assert "town.yaml:23: aims[1].rules[0].use: unknown shared rule 'views-heard' (known: " in res.stderr
    assert "views-sought" in res.stderr.split("(known: ")[1]
    changed = shared(tmp_path / "b", "      - use: views-sought\n        strength: supporting\n")
    res = cli("validate", "--strategies", str(changed))
    assert res.code == 2
    assert "aims[1].rules[0]: a rule that uses a shared rule takes only `id` beside `use` (found strength)" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_rule_needs_an_id_or_a_shared_rule_and_a_shared_rule_needs_neither(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    nameless = shared(tmp_path / "a", "      - phrases: [plans]\n")
    res = cli("validate", "--strategies", str(nameless))
    assert res.code == 2 and "aims[1].rules[0]" in res.stderr
    folder = tmp_path / "c"
    folder.mkdir()
    text = SHARED_HEAD.replace("  views-sought:\n", "  views-sought:\n    id: views\n") + "      - use: views-sought\n"
    (folder / "town.yaml").write_text(text, encoding="utf-8")
    res = cli("validate", "--strategies", str(folder))
    assert res.code == 2 and "rules.views-sought" in res.stderr


def validate_town(cli: Callable[..., Any], folder: Path, rules: str) -> Any:
    """`validate` on the town charter whose shared rules read `rules`, both aims using views-sought."""
    folder.mkdir()
    (folder / "town.yaml").write_text(
        rules + SHARED_HEAD.removeprefix(SHARED_RULES) + "      - use: views-sought\n", encoding="utf-8"
    )
    return cli("validate", "--strategies", str(folder))


def test_a_shared_rule_is_checked_where_it_is_written_used_or_not(tmp_path: Path, cli: Callable[..., Any]) -> None:
    # Unused: its unknown term list and genre are still refused, at its own lines under `rules:`.
    unused = SHARED_RULES + "  views-asked:\n    phrases: [$pupil-words]\n    unless_genre: [diary]\n"
    res = validate_town(cli, tmp_path / "unused", unused)
    assert res.code == 2
    assert "town.yaml:9: unknown term list $pupil-words" in res.stderr
    assert "town.yaml:10: rules.views-asked.unless_genre: unknown genre 'diary'" in res.stderr
    assert "Traceback" not in res.stderr
    # Used by two aims: the problem is the shared rule's own, reported once and where it is written.
    used = SHARED_RULES.replace("phrases: [views]", "phrases: [views, $pupil-words]")
    res = validate_town(cli, tmp_path / "used", used)
    assert res.code == 2
    problems = [ln for ln in res.stderr.splitlines() if "$pupil-words" in ln]
    assert len(problems) == 1 and "town.yaml:4: unknown term list $pupil-words" in problems[0], res.stderr
