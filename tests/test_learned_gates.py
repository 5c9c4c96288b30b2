"""The learned model's addition as one more piece of evidence: it passes the aim's context test (on the words the
model read), needs a statement, not a name, as its strongest sentence, and never rests on a sentence a list's
lead-in says is someone else's words, a finding, not done or a passing mention (send_align.scoring._refusal)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from send_align.learned.files import FORMAT
from tests.conftest import Result, explained
from tests.test_learned import GREEN, OUTDOORS_MODEL, _aim, _weights, model_text

# The charter's aims count only where a document speaks of the park (as the SEND frameworks' aims need SEND).
PARK = GREEN.replace(
    "  - id: green.outdoors\n", "  - id: green.outdoors\n    context: park\n"
) + """contexts:
  park:
    description: The document is about the town park.
    phrases: [town park]
"""

FILLER = [f"Item {n} of the newsletter is about the school fair and its raffle prizes." for n in range(1, 11)]


@pytest.fixture
def park(tmp_path: Path) -> Path:
    folder = tmp_path / "strategies"
    folder.mkdir()
    (folder / "green.yaml").write_text(PARK, "utf-8")
    # A window of 50 words: three or four paragraphs of the newsletter (13 words each).
    model = {"format": FORMAT, "window": 50, "trained_on": "a test", "aims": {"green.outdoors": OUTDOORS_MODEL}}
    (folder / "green.model.json").write_text(json.dumps(model), "utf-8")
    return folder


@pytest.fixture
def green(tmp_path: Path) -> Path:
    folder = tmp_path / "green"
    folder.mkdir()
    (folder / "green.yaml").write_text(GREEN, "utf-8")
    (folder / "green.model.json").write_text(model_text(**{"green.outdoors": OUTDOORS_MODEL}), "utf-8")
    return folder


def _page(tmp_path: Path, paragraphs: list[str]) -> Path:
    doc = tmp_path / "news.md"
    doc.write_text("# Newsletter\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    return doc


def _check(cli: Callable[..., Result], doc: Path, folder: Path) -> dict:  # type: ignore[type-arg]
    return _aim(cli("check", str(doc), "-s", str(folder), "--format", "json"), "green.outdoors")


OUTING = "Children explore the meadow and the woodland every Thursday afternoon."


def test_a_model_adds_no_aim_outside_its_context_on_a_page_that_never_names_it(
    cli: Callable[..., Result], tmp_path: Path, park: Path
) -> None:
    doc = _page(tmp_path, [*FILLER[:5], OUTING, *FILLER[5:]])
    aim = _check(cli, doc, park)
    assert aim["status"] == "not-addressed" and aim["evidence"] == []
    text = cli("explain", str(doc), "green.outdoors", "-s", str(park)).stdout
    assert "not counted: outside PARK context: no paragraph the learned model read mentions it" in text
    assert "✘ line 13" in text and OUTING in text
    learned = explained(cli, doc, "green.outdoors", "-s", str(park))["learned"]
    assert learned["counted"] is False and learned["refused"].startswith("outside PARK context")


def test_a_model_adds_an_aim_where_the_words_it_read_name_the_context(
    cli: Callable[..., Result], tmp_path: Path, park: Path
) -> None:
    # The context in the paragraph before the quote's, in the model's window: the model read it with the
    # words it weighs (a rule's hit would need it in its own paragraph).
    near = _page(tmp_path, [*FILLER[:5], "The town park has a new gate.", OUTING, *FILLER[5:]])
    aim = _check(cli, near, park)
    assert aim["status"] == "addressed" and [e["rule"] for e in aim["evidence"]] == ["learned"]
    # The quote's own paragraph names it too.
    own = _page(tmp_path, [*FILLER[:5], OUTING.replace("the woodland", "the woodland of the town park"), *FILLER[5:]])
    assert _check(cli, own, park)["status"] == "addressed"


def test_the_context_far_from_the_words_the_model_read_does_not_count(
    cli: Callable[..., Result], tmp_path: Path, park: Path
) -> None:
    # Named once, nine paragraphs away (another window): the page is not about the park, and the model's
    # window never mentions it.
    doc = _page(tmp_path, ["The town park has a new gate.", *FILLER[:8], OUTING, *FILLER[8:]])
    assert _check(cli, doc, park)["status"] == "not-addressed"


def test_a_page_about_the_context_as_a_whole_lets_the_model_add_anywhere(
    cli: Callable[..., Result], tmp_path: Path, park: Path
) -> None:
    doc = tmp_path / "park.md"
    doc.write_text(f"# The town park newsletter\n\n{OUTING}\n\nThe cafe opens at nine.\n", "utf-8")
    assert _check(cli, doc, park)["status"] == "addressed"


def test_a_name_or_label_as_the_models_strongest_sentence_adds_nothing(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    # A bare list of what the page names: the model weighs it most, but a name is no statement of what is done.
    doc = tmp_path / "list.md"
    doc.write_text("# Places\n\nWe visit:\n\n- Meadow and woodland\n- The library\n", "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "not-addressed"
    text = cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout
    assert "not counted: the learned model's strongest sentence is a name or a label (under 7 words)" in text
    # A heading-like line of six words is still a label.
    label = tmp_path / "label.md"
    label.write_text("# Places\n\nMeadow and woodland walks this term\n", "utf-8")
    assert _aim(cli("check", str(label), "-s", str(green), "--format", "json"), "green.outdoors")[
        "status"
    ] == "not-addressed"


def test_a_short_statement_of_seven_words_is_enough(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "walk.md"
    doc.write_text("# Walks\n\nEach class walks to the meadow and woodland.\n", "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed"
    assert aim["evidence"][0]["text"] == "Each class walks to the meadow and woodland."


@pytest.mark.parametrize(
    ("lead", "counted"),
    [
        ("Our parents and carers have told us:", False),
        ("The following is not offered:", False),
        # A passing mention can only support an aim: the model may not rest on one to address it.
        ("Other organisations that can help families:", False),
        ("Each term we will:", True),
    ],
)
def test_a_model_never_rests_on_words_a_lead_in_sets_aside(
    cli: Callable[..., Result], tmp_path: Path, green: Path, lead: str, counted: bool
) -> None:
    # The model's strongest sentence is an item of the list: others' words or what is not done are no
    # statement of the writer's, as the rules read them.
    doc = tmp_path / "items.md"
    doc.write_text(f"# Outdoor learning\n\n{lead}\n\n- Children explore the meadow and the woodland every week.\n", "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert (aim["status"] == "addressed") is counted
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["counted"] is counted
    if not counted:
        assert "not the writer's statement" in learned["refused"] and lead in learned["refused"]


def test_a_refused_addition_never_touches_the_rules_finding(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    # The rules' own partial evidence stays as it was when the model may not add the aim.
    (green / "green.model.json").write_text(
        model_text(**{"green.quiet": {"bias": -2.0, "threshold": 0.8, "weights": _weights("calm corner", 2.5)}}),
        "utf-8",
    )
    doc = tmp_path / "calm.md"
    doc.write_text("# Rooms\n\n- Calm corner\n", "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.quiet")
    assert aim["status"] == "not-addressed" and aim["reason"] == "no evidence found"
