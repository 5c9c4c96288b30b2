"""A rule's `unless` applies to the words a section's heading lends the sentences under it, where they stand:
a heading the rule's exclusions stop lends nothing, and a hit a sentence makes with its own words is judged on
the sentence alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.test_rule_format import status, strategies

MAIN = (
    "      - id: r\n        phrases: [autism]\n        with: [[visual timetables, quiet room]]\n"
    "        heading: main\n        unless: [assessment, assessments]\n"
)
BODY = "We use visual timetables and a quiet room at lunchtime.\n"


def page(heading: str, body: str = BODY) -> str:
    return f"# Our support\n\n## {heading}\n\n{body}"


def test_a_heading_the_rule_excludes_lends_no_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN)
    assert status(cli, tmp_path, folder, page("Autism")) == "addressed"
    assert status(cli, tmp_path, folder, page("Autism assessments")) == "not-addressed"
    # Without the exclusion the same heading lends its main phrase.
    plain = strategies(tmp_path / "plain", MAIN.replace("        unless: [assessment, assessments]\n", ""))
    assert status(cli, tmp_path, plain, page("Autism assessments")) == "addressed"


def test_unless_near_counts_words_from_the_headings_main_phrase(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN + "        unless_near: 1\n")
    assert status(cli, tmp_path, folder, page("Autism assessment")) == "not-addressed"
    assert status(cli, tmp_path, folder, page("Autism, and what happens after an assessment")) == "addressed"


def test_a_heading_never_vetoes_a_sentences_own_words(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN)
    own = "Pupils with autism use visual timetables and a quiet room at lunchtime.\n"
    assert status(cli, tmp_path, folder, page("Autism assessments", own)) == "addressed"
    # The sentence's own exclusion still stops it, lent word or not.
    stopped = "We use visual timetables and a quiet room after each assessment.\n"
    assert status(cli, tmp_path, folder, page("Autism", stopped)) == "not-addressed"


def test_a_heading_the_rule_excludes_lends_no_group(tmp_path: Path, cli: Callable[..., Any]) -> None:
    rule = (
        "      - id: r\n        phrases: [listen, listening]\n        with: [[children, pupils]]\n"
        "        near: 4\n        heading: true\n        unless: [parents]\n"
    )
    folder = strategies(tmp_path, rule)
    body = "Many use few words, so we listen in other ways: watching what they choose.\n"
    assert status(cli, tmp_path, folder, page("Listening to children", body)) == "addressed"
    assert status(cli, tmp_path, folder, page("Listening to parents and children", body)) == "not-addressed"


def test_explain_and_check_agree_on_an_excluded_heading(tmp_path: Path, cli: Callable[..., Any]) -> None:
    folder = strategies(tmp_path, MAIN)
    doc = tmp_path / "doc.md"
    doc.write_text(page("Autism assessments"), encoding="utf-8")
    res = cli("explain", str(doc), "town.voice", "--strategies", str(folder))
    assert "✔" not in res.stdout


def test_heading_only_counts_the_main_phrase_in_the_heading_and_nowhere_else(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """`heading: only`: the section's heading stands for the main phrase, as with `main`; a sentence that holds
    the main phrase itself is not the rule's (it is left to a rule that reads the phrase outright)."""
    only = strategies(tmp_path, MAIN.replace("heading: main", "heading: only"))
    assert status(cli, tmp_path, only, page("Autism")) == "addressed"
    own = "Pupils with autism use visual timetables and a quiet room at lunchtime.\n"
    assert status(cli, tmp_path, only, page("Our day", own)) == "not-addressed"
    # With `main` the sentence's own main phrase counts too.
    main = strategies(tmp_path / "main", MAIN)
    assert status(cli, tmp_path, main, page("Our day", own)) == "addressed"


def test_show_says_what_heading_only_means(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """`show` prints each rule's terms; a `heading: only` rule is said as such (it once raised KeyError)."""
    only = strategies(tmp_path, MAIN.replace("heading: main", "heading: only"))
    res = cli("show", "town.voice", "--strategies", str(only))
    assert res.code == 0, res.stderr
    assert "the main phrase counts only in the section's heading" in res.stdout
