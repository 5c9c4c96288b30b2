"""Learned models: a model file beside the strategies adds an aim the rules missed, with its quote, through
the real CLI; bad model files are refused in one line; `train` fits one on labelled documents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from send_align.learned.files import FORMAT, parse
from send_align.learned.scoring import Compiled, compile_models, features, words
from send_align.results import Block
from tests.conftest import ROOT, Result, explained

GREEN = """\
schema_version: 1
framework:
  id: green
  title: Anytown outdoor learning charter
  publisher: Anytown Council
  year: 2025
  version: "1"
  source: Anytown Council, 2025
aims:
  - id: green.outdoors
    title: Every child learns outdoors each week
    kind: commitment
    statement: Every child learns outdoors each week.
    source: Charter, commitment 1
    rules:
      - id: forest-school
        phrases: [forest school]
  - id: green.quiet
    title: A quiet room in every school
    kind: commitment
    statement: Every school has a quiet room.
    source: Charter, commitment 2
    rules:
      - id: quiet-room
        phrases: [quiet room]
"""

OUTDOOR_DAY = """# Our outdoor day

Children explore the meadow and the woodland every Thursday afternoon.

Lunch is at noon in the hall.
"""


def _weights(text: str, weight: float) -> dict[str, float]:
    """Each word of `text`, in the form a model reads it, with `weight`."""
    return {form: weight for form in words(text)}


def model_text(**aims: dict[str, Any]) -> str:
    return json.dumps(
        {"format": FORMAT, "window": 350, "trained_on": "written by hand for a test", "aims": aims}
    )


OUTDOORS_MODEL = {"bias": -2.0, "threshold": 0.8, "weights": _weights("meadow woodland", 2.5)}


@pytest.fixture
def green(tmp_path: Path) -> Path:
    folder = tmp_path / "strategies"
    folder.mkdir()
    (folder / "green.yaml").write_text(GREEN, "utf-8")
    (folder / "green.model.json").write_text(model_text(**{"green.outdoors": OUTDOORS_MODEL}), "utf-8")
    return folder


def _aim(res: Result, aim_id: str) -> dict[str, Any]:
    assert res.code in (0, 1), res.stderr
    doc = res.json()["documents"][0]  # type: ignore[index]
    return next(a for a in doc["aims"] if a["id"] == aim_id)


def test_a_model_adds_an_aim_the_rules_missed_with_the_sentence_it_weighs_most(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    res = cli("check", str(doc), "-s", str(green), "-f", "green", "--format", "json")
    jsonschema.validate(res.json(), json.loads((ROOT / "schemas" / "report.schema.json").read_text("utf-8")))
    aim = _aim(res, "green.outdoors")
    assert aim["status"] == "addressed"
    assert aim["score"] == pytest.approx(0.953)  # sigmoid(-2 + 2.5 + 2.5)
    [ev] = aim["evidence"]
    assert ev["rule"] == "learned"
    assert ev["text"] == "Children explore the meadow and the woodland every Thursday afternoon."
    assert ev["line"] == 3
    assert ev["matched"] in ("meadow", "woodland")
    assert aim["reason"].startswith("the learned model reads it at 0.95 (0.80 needed), from words such as")
    assert aim["reason"].endswith("the rules alone: no evidence found")
    # The aim with no model is untouched.
    assert (
        _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.quiet")["status"]
        == "not-addressed"
    )


def test_grammar_words_a_model_weighs_are_never_its_quote_or_reason(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    # "If" and "and the" weigh most here, but they say nothing of the aim: the quote is the sentence with the
    # aim's own words, and the reason and phrase name those words.
    weights = {**_weights("if and the you", 3.0), "and the": 3.0, **_weights("meadow", 1.0)}
    (green / "green.model.json").write_text(
        model_text(**{"green.outdoors": {"bias": -6.0, "threshold": 0.8, "weights": weights}}), "utf-8"
    )
    doc = tmp_path / "day.md"
    doc.write_text(
        "# Our outdoor day\n\nIf you and the class are ready, we go out.\n\nWe walk to the meadow on Thursdays.\n",
        "utf-8",
    )
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed"
    [ev] = aim["evidence"]
    assert ev["text"] == "We walk to the meadow on Thursdays." and ev["matched"] == "meadow"
    assert "from words such as “meadow”;" in aim["reason"]
    assert "“If”" not in aim["reason"] and "“and the”" not in aim["reason"]


def test_show_says_which_aims_have_a_model_and_what_it_weighs(cli: Callable[..., Result], green: Path) -> None:
    text = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "learned model" in text and "green.model.json" in text
    assert "probability of 0.80 or more, from 2 weighed word forms and pairs" in text
    assert "weighs most (word stems): meadow; woodland" in text
    learned = json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"]
    assert learned["threshold"] == 0.8 and learned["features"] == 2
    assert learned["strongest"] == ["meadow", "woodland"] and learned["positives"] is None
    # An aim with no model says nothing of one.
    assert "learned model" not in cli("show", "green.quiet", "-s", str(green)).stdout
    assert json.loads(cli("show", "green.quiet", "-s", str(green), "--format", "json").stdout)["learned"] is None


LUNCH = "Lunch is served in the hall at noon every day. " * 16
FOREST_DAY = f"# Fridays\n\nOur forest school runs on Friday mornings.\n\n{LUNCH}\n"
"""One rule's finding (forest-school, 0.6) for green.outdoors, and nothing its model below weighs, in 169 words:
as long as the shortest pages a model is fitted on (a veto needs 150)."""


def _vetoing(green: Path, window: int = 350, **settings: bool) -> None:
    """A model file whose green.outdoors model reads the forest page as unlikely, with its veto set, and with
    `settings` (adds, vetoes) in the aim's entry."""
    strategy = green / "green.yaml"
    strategy.write_text(
        strategy.read_text("utf-8").replace(
            "phrases: [forest school]", "phrases: [forest school]\n        strength: strong"
        ),
        "utf-8",
    )
    model = {"bias": -5.0, "threshold": 0.8, "weights": _weights("meadow", 2.0), **settings}  # sigmoid(-5) = 0.007
    (green / "green.model.json").write_text(
        json.dumps({"format": FORMAT, "window": window, "veto": 0.1, "trained_on": "a test", "aims": {"green.outdoors": model}}),
        "utf-8",
    )


def test_a_model_sure_an_aim_is_absent_holds_one_rules_finding_at_partial(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    _vetoing(green)
    doc = tmp_path / "forest.md"
    doc.write_text(FOREST_DAY, "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "partial" and aim["score"] == pytest.approx(0.3)  # the rule's 0.6, halved
    assert [e["rule"] for e in aim["evidence"]] == ["forest-school"]  # the rules' quote is still shown
    assert aim["reason"].endswith(
        "held at partial: the learned model reads it at 0.01, under its veto of 0.10, so the finding counts half (0.30)"
    )
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["vetoed"] is True and learned["veto"] == 0.1
    text = " ".join(cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout.split())
    assert "under its veto of 0.10: it holds the rules' one finding at partial" in text
    # By the rules alone, the finding stands.
    alone = _aim(cli("check", str(doc), "-s", str(green), "--format", "json", "--rules-only"), "green.outdoors")
    assert alone["status"] == "addressed"


def test_a_model_that_may_only_veto_never_adds_its_aim_but_still_vetoes(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    (green / "green.model.json").write_text(
        json.dumps(
            {
                "format": FORMAT,
                "window": 350,
                "veto": 0.1,
                "trained_on": "a test",
                "aims": {"green.outdoors": {**OUTDOORS_MODEL, "adds": False}},
            }
        ),
        "utf-8",
    )
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    # The page the model adds green.outdoors to when it may (the first test) is left as the rules find it.
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "not-addressed" and aim["evidence"] == []
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["probability"] == pytest.approx(0.953, abs=0.001)
    assert learned["adds"] is False and learned["counted"] is False
    text = " ".join(cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout.split())
    assert "probability 0.95, 0.80 needed: not counted: its model file lets it veto this aim but never add it" in text
    shown = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "The model never adds this aim where the rules miss it (its file says adds: false)" in shown
    assert "a probability under 0.10 holds a weak finding of the rules at partial" in shown
    assert "addresses it at a probability" not in shown
    shown_json = json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"]
    assert shown_json["adds"] is False and shown_json["veto"] == 0.1
    # With no veto in its file either, such a model changes nothing, and show says so.
    (green / "green.model.json").write_text(model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "adds": False}}), "utf-8")
    shown = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "its file sets no veto: it changes nothing" in shown
    # Its veto still holds one rule's weak finding at partial.
    _vetoing(green, adds=False)
    forest = tmp_path / "forest.md"
    forest.write_text(FOREST_DAY, "utf-8")
    assert _aim(cli("check", str(forest), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "partial"
    )


def test_a_model_file_may_bar_its_veto_for_one_aim_and_explain_and_show_say_so(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    _vetoing(green, vetoes=False)
    doc = tmp_path / "forest.md"
    doc.write_text(FOREST_DAY, "utf-8")
    # The page whose one rule finding the veto holds at partial (the test above) keeps it whole.
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed" and aim["score"] == pytest.approx(0.6)
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["probability"] < 0.1 and learned["vetoes"] is False
    assert learned["veto"] is None and learned["vetoed"] is False
    text = " ".join(cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout.split())
    assert "its model file never lets it veto this aim (vetoes: false)" in text
    shown = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "Its file never lets it veto this aim (vetoes: false): a weak finding of the rules stands." in shown
    shown_json = json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"]
    assert shown_json["vetoes"] is False and shown_json["veto"] is None
    assert cli("validate", "-s", str(green)).code == 0
    # The model still adds the aim where it is sure and the rules miss it.
    data = json.loads((green / "green.model.json").read_text("utf-8"))
    data["aims"]["green.outdoors"] = {**OUTDOORS_MODEL, "vetoes": False}
    (green / "green.model.json").write_text(json.dumps(data), "utf-8")
    day = tmp_path / "day.md"
    day.write_text(OUTDOOR_DAY, "utf-8")
    assert _aim(cli("check", str(day), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "addressed"
    )


def test_a_veto_never_holds_two_rules_findings_nor_on_a_document_shorter_or_longer_than_the_pages_fitted_on(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    _vetoing(green, window=200)
    doc = tmp_path / "forest.md"
    doc.write_text(FOREST_DAY, "utf-8")
    assert _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == "partial"
    # Shorter than the shortest pages a model is fitted on: too few words for a low probability to say anything.
    short = tmp_path / "short.md"
    short.write_text("# Fridays\n\nOur forest school runs on Friday mornings.\n", "utf-8")
    assert _aim(cli("check", str(short), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == "addressed"
    # Two rules' findings (0.84) stand.
    doc.write_text(FOREST_DAY + "\nThe quiet room and the forest school are open to all.\n", "utf-8")
    strategy = green / "green.yaml"
    strategy.write_text(
        strategy.read_text("utf-8").replace(
            "      - id: forest-school\n", "      - id: outdoor-learning\n        phrases: [friday mornings]\n"
            "        strength: strong\n      - id: forest-school\n"
        ),
        "utf-8",
    )
    two = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert two["status"] == "addressed" and len({e["rule"] for e in two["evidence"]}) == 2
    doc.write_text(FOREST_DAY, "utf-8")
    # Longer than the pages the model was fitted on (here a window of 200 words): its best window's probability is
    # not trusted to overrule what another part of the document says.
    long = tmp_path / "long.md"
    long.write_text(FOREST_DAY + "\n" + LUNCH + "\n", "utf-8")
    aim = _aim(cli("check", str(long), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed"
    assert explained(cli, long, "green.outdoors", "-s", str(green))["learned"]["vetoed"] is False


def test_a_proposal_is_judged_without_vetoes(cli: Callable[..., Result], tmp_path: Path, green: Path) -> None:
    _vetoing(green)
    proposal = tmp_path / "forest.yaml"
    proposal.write_text(
        "proposal:\n  title: Forest school on Fridays\n  summary: Our forest school runs on Friday mornings.\n"
        "  claims:\n    - aim: green.outdoors\n      how: A weekly forest school session.\n",
        "utf-8",
    )
    res = cli("check", str(proposal), "-s", str(green), "--format", "json")
    assert _aim(res, "green.outdoors")["status"] == "addressed"
    assert res.json()["documents"][0]["claims"][0]["status"] == "supported"  # type: ignore[index]
    assert explained(cli, proposal, "green.outdoors", "-s", str(green))["learned"]["vetoed"] is False


def test_a_model_file_without_a_veto_never_overrules_the_rules(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    _vetoing(green)  # the rule made strong (0.6), then the same model with no veto
    model = {"bias": -5.0, "threshold": 0.8, "weights": _weights("meadow", 2.0)}
    (green / "green.model.json").write_text(model_text(**{"green.outdoors": model}), "utf-8")
    doc = tmp_path / "forest.md"
    doc.write_text(FOREST_DAY, "utf-8")
    assert _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == "addressed"


def test_rules_only_leaves_the_model_out_and_is_cached_apart(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    args = ("check", str(doc), "-s", str(green), "--format", "json")
    assert _aim(cli(*args), "green.outdoors")["status"] == "addressed"
    alone = _aim(cli(*args, "--rules-only"), "green.outdoors")
    assert alone["status"] == "not-addressed" and alone["evidence"] == []
    # And back: neither run's cached result is taken for the other's.
    assert _aim(cli(*args), "green.outdoors")["status"] == "addressed"


def test_below_its_threshold_a_model_adds_nothing_and_explain_says_so(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "meadow.md"
    doc.write_text("# Notes\n\nThe meadow is mown in July.\n", "utf-8")
    assert _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "not-addressed"
    )
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["probability"] == pytest.approx(0.622, abs=0.001)  # sigmoid(0.5)
    assert learned["counted"] is False and learned["threshold"] == 0.8
    text = cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout
    assert "probability 0.62, 0.80 needed: below its threshold" in text


MEADOW = "# Notes\n\nThe meadow behind the school is mown every July.\n"
"""One sentence the model reads at sigmoid(-2 + 2.5) = 0.622: under the aim's 0.8, over a one-window 0.6."""


def _one_window(green: Path, low: float | None) -> None:
    head = {"format": FORMAT, "window": 350, "trained_on": "a test"}
    if low is not None:
        head["one_window_threshold"] = low
    (green / "green.model.json").write_text(json.dumps({**head, "aims": {"green.outdoors": OUTDOORS_MODEL}}), "utf-8")


def test_a_document_of_one_window_is_held_to_the_lower_one_window_threshold(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    _one_window(green, 0.6)
    doc = tmp_path / "meadow.md"
    doc.write_text(MEADOW, "utf-8")
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed" and aim["evidence"][0]["rule"] == "learned"
    assert aim["reason"].startswith("the learned model reads it at 0.62 (0.60 needed)")
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["counted"] is True and learned["threshold"] == 0.6
    # Longer than a window, the same best window is held to the aim's own 0.8: a long document's best of many
    # windows runs higher by chance.
    long = tmp_path / "long.md"
    long.write_text(MEADOW + "\n" + LUNCH * 3 + "\n", "utf-8")
    assert _aim(cli("check", str(long), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "not-addressed"
    )
    assert explained(cli, long, "green.outdoors", "-s", str(green))["learned"]["threshold"] == 0.8
    # A proposal is another genre than the pages a model is fitted on: its aims' own thresholds hold.
    proposal = tmp_path / "meadow.yaml"
    proposal.write_text(
        "proposal:\n  title: Meadow\n  summary: The meadow behind the school is mown every July.\n", "utf-8"
    )
    assert _aim(cli("check", str(proposal), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "not-addressed"
    )
    # Without the setting, the aim's own threshold holds at every length.
    _one_window(green, None)
    assert _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")["status"] == (
        "not-addressed"
    )


def test_show_gives_the_one_window_threshold_and_a_file_may_not_set_it_under_one_half(
    cli: Callable[..., Result], green: Path
) -> None:
    _one_window(green, 0.6)
    shown = json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"]
    assert (shown["threshold"], shown["one_window_threshold"]) == (0.8, 0.6)
    text = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "probability of 0.80 or more (0.60 on a document of one window or less)" in text
    _one_window(green, 0.4)
    res = cli("validate", "-s", str(green))
    assert res.code == 2 and "one_window_threshold" in res.stderr and "Traceback" not in res.stderr


def test_where_the_rules_address_the_aim_the_model_is_not_needed(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "both.md"
    doc.write_text(
        "# Outdoors\n\nEvery class has a forest school session in the meadow and the woodland.\n", "utf-8"
    )
    aim = _aim(cli("check", str(doc), "-s", str(green), "--format", "json"), "green.outdoors")
    assert aim["status"] == "addressed"
    assert {e["rule"] for e in aim["evidence"]} == {"forest-school"}
    learned = explained(cli, doc, "green.outdoors", "-s", str(green))["learned"]
    assert learned["counted"] is False and learned["probability"] > 0.9
    assert (
        "not needed: the rules address the aim"
        in cli("explain", str(doc), "green.outdoors", "-s", str(green)).stdout
    )


def test_explain_shows_the_models_words_and_quote(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    res = cli("explain", str(doc), "green.outdoors", "-s", str(green))
    assert res.code == 0, res.stderr
    assert (
        "green.model.json): probability 0.95, 0.80 needed: counted: it adds the aim the rules missed"
        in res.stdout
    )
    assert "“meadow”" in res.stdout and "“woodland”" in res.stdout
    assert "Children explore the meadow" in res.stdout
    data = explained(cli, doc, "green.outdoors", "-s", str(green))
    assert data["learned"]["counted"] is True
    assert {w["text"] for w in data["learned"]["words"]} == {"meadow", "woodland"}


def test_a_later_folders_model_replaces_an_earlier_ones_for_its_aims(
    cli: Callable[..., Result], tmp_path: Path, green: Path
) -> None:
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    other = tmp_path / "stricter"
    other.mkdir()
    stricter = {**OUTDOORS_MODEL, "threshold": 0.99}
    (other / "stricter.model.json").write_text(model_text(**{"green.outdoors": stricter}), "utf-8")
    res = cli("check", str(doc), "-s", str(green), "-s", str(other), "--format", "json")
    assert _aim(res, "green.outdoors")["status"] == "not-addressed"


BAD_MODELS = [
    ("{ not json", "invalid JSON"),
    (
        model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "threshold": 0.3}}),
        "0.3 is less than the minimum of 0.5",
    ),
    (
        model_text(**{"green.nowhere": OUTDOORS_MODEL}),
        "the model names aims no loaded framework has: green.nowhere",
    ),
    (
        model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "weights": {"meadow": float("inf")}}}),
        "the weight of 'meadow' is not a finite number",
    ),
    (
        model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "weights": {"three word feature": 1.0}}}),
        "'three word feature' is not a feature",
    ),
    (json.dumps({"format": "send-align-model/9", "aims": {"green.outdoors": OUTDOORS_MODEL}}), "format"),
    (json.dumps({"format": FORMAT, "aims": {}}), "should be non-empty"),
    (
        json.dumps({"format": FORMAT, "veto": 0.5, "aims": {"green.outdoors": OUTDOORS_MODEL}}),
        "0.5 is greater than or equal to the maximum of 0.5",
    ),
    ("[1, 2]", "is not of type 'object'"),
    ("\xff\xfe", "a model file must be UTF-8 JSON"),
    (model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "adds": "no"}}), "'no' is not of type 'boolean'"),
    (model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "vetoes": 0}}), "0 is not of type 'boolean'"),
]


@pytest.mark.parametrize(("content", "message"), BAD_MODELS)
def test_a_bad_model_file_is_one_line_and_exit_2(
    cli: Callable[..., Result], tmp_path: Path, green: Path, content: str, message: str
) -> None:
    (green / "green.model.json").write_bytes(
        content.encode("utf-8", "surrogateescape") if content != "\xff\xfe" else b"\xff\xfe"
    )
    doc = tmp_path / "day.md"
    doc.write_text(OUTDOOR_DAY, "utf-8")
    for args in (("check", str(doc), "-s", str(green)), ("validate", "-s", str(green))):
        res = cli(*args)
        assert res.code == 2, (args, res.stdout, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
        assert "green.model.json" in lines[0] and message in lines[0], lines[0]


def test_validate_reads_a_model_file_named(cli: Callable[..., Result], green: Path) -> None:
    res = cli("validate", str(green / "green.yaml"), str(green / "green.model.json"))
    assert res.code == 0, res.stderr
    (green / "green.model.json").write_text(model_text(**{"green.nowhere": OUTDOORS_MODEL}), "utf-8")
    res = cli("validate", str(green / "green.yaml"), str(green / "green.model.json"))
    assert res.code == 2 and "green.nowhere" in res.stderr


# --- reading a document ----------------------------------------------------------------------------------


def _compiled(window: int = 350) -> Compiled:
    mf = parse(model_text(**{"green.outdoors": OUTDOORS_MODEL}).encode(), "m.model.json")
    compiled = compile_models([mf], ["green.outdoors", "green.quiet"])
    assert compiled is not None
    return compiled if window == 350 else Compiled(**{**compiled.__dict__, "window": window})


def test_word_forms_and_pairs() -> None:
    forms = words("Short Breaks for disabled pupils")
    assert forms == words("short break for disabled pupil")  # stems, case folded
    found = features(forms)
    assert f"{forms[0]} {forms[1]}" in found and forms[0] in found
    assert len([f for f in found if " " in f]) == len(forms) - 1


def test_a_long_document_scores_its_best_window_not_its_length() -> None:
    filler = [
        Block("The hall is painted every summer and the car park is swept on Mondays. " * 10, i)
        for i in range(2, 40)
    ]
    head = [Block("Children explore the meadow and the woodland.", 1)]
    short = _compiled().reader()
    for b in head:
        short.add(b)
    long = _compiled().reader()
    for b in head + filler:
        long.add(b)
    assert short.verdicts()["green.outdoors"].probability == long.verdicts()["green.outdoors"].probability
    # Words spread over two windows do not add up: each window is judged alone.
    spread = _compiled(window=60).reader()
    spread.add(Block("Children explore the meadow. " + "Then they rest. " * 20, 1))
    spread.add(Block("Later the woodland too.", 2))
    assert spread.verdicts()["green.outdoors"].probability == pytest.approx(0.622, abs=0.001)


def test_a_streamed_document_is_read_as_a_whole_one() -> None:
    blocks = [Block(t, i) for i, t in enumerate(["A meadow.", "The hall.", "A woodland walk.", "Lunch."])]
    whole = _compiled(window=3).reader()
    for b in blocks:
        whole.add(b)
    streamed = _compiled(window=3).reader()
    assert list(streamed.passing(iter(blocks))) == blocks
    a, b = whole.verdicts()["green.outdoors"], streamed.verdicts()["green.outdoors"]
    assert (a.probability, a.blocks) == (b.probability, b.blocks)


# --- train -----------------------------------------------------------------------------------------------

OUTDOOR_PAGES = [
    "Every class spends Friday morning in the woodland, building shelters and looking for minibeasts.",
    "Pupils learn maths outside: measuring trees in the woodland and counting seeds in the meadow.",
    "Our nursery children visit the meadow each week to watch the seasons change.",
    "The woodland trail is used by every year group for science and art lessons.",
    "In the meadow pupils record birdsong and draw the wild flowers they find.",
    "Reception children have woodland sessions every week, whatever the weather.",
]
OTHER_PAGES = [
    "The school office is open from eight until four on weekdays.",
    "School meals cost two pounds fifty and can be paid online.",
    "Uniform is a green jumper, grey trousers or skirt and black shoes.",
    "Term dates for next year are on the calendar page.",
    "The governing body meets once a term to review the budget.",
    "Clubs after school include chess, choir and football.",
]


@pytest.fixture
def labelled(tmp_path: Path, green: Path) -> Path:
    (green / "green.model.json").unlink()
    docs = tmp_path / "labelled"
    docs.mkdir()
    entries = []
    for i, text in enumerate(OUTDOOR_PAGES + OTHER_PAGES):
        (docs / f"page{i}.md").write_text(f"# Page {i}\n\n{text}\n", "utf-8")
        entries.append(
            {"file": f"page{i}.md", "addresses": ["green.outdoors"] if text in OUTDOOR_PAGES else []}
        )
    labels = docs / "labels.yaml"
    labels.write_text(yaml.safe_dump({"frameworks": ["green"], "documents": entries}), "utf-8")
    return labels


def _trained(cli: Callable[..., Result], labelled: Path, green: Path, *options: str) -> tuple[Result, Any]:
    """`train` on the labelled pages into the charter's folder (trained.model.json), which must succeed: what it
    printed, and the model file it wrote."""
    out = green / "trained.model.json"
    res = cli("train", str(labelled), "-s", str(green), "-o", str(out), *options)
    assert res.code == 0, res.stderr
    return res, json.loads(out.read_text("utf-8"))


def test_train_fits_a_model_a_check_then_uses(
    cli: Callable[..., Result], tmp_path: Path, green: Path, labelled: Path
) -> None:
    out = green / "trained.model.json"
    res = cli(
        "train",
        str(labelled),
        "-s",
        str(green),
        "-o",
        str(out),
        "--threshold",
        "0.6",
        "--about",
        "twelve pages",
    )
    assert res.code == 0, res.stderr
    assert "fitted 1 aim model(s) on 12 labelled documents" in res.stdout
    assert "no model for 1 aim(s)" in res.stdout and "green.quiet (0)" in res.stdout
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == FORMAT and list(data["aims"]) == ["green.outdoors"]
    assert data["trained_on"] == "twelve pages" and "veto" not in data
    model = data["aims"]["green.outdoors"]
    assert model["positives"] == 6 and model["threshold"] == 0.6
    meadow, woodland = words("meadow woodland")
    assert model["weights"][meadow] > 0 and model["weights"][woodland] > 0
    # One aim a line, so the file diffs aim by aim.
    assert (
        sum(line.lstrip().startswith('"green.outdoors"') for line in out.read_text("utf-8").splitlines()) == 1
    )
    near = tmp_path / "near.md"
    near.write_text("# Thursdays\n\nThe children walk through the woodland to the meadow.\n", "utf-8")
    far = tmp_path / "far.md"
    far.write_text("# Fees\n\nSchool meals are paid online each term.\n", "utf-8")
    p_near = explained(cli, near, "green.outdoors", "-s", str(green))["learned"]["probability"]
    p_far = explained(cli, far, "green.outdoors", "-s", str(green))["learned"]["probability"]
    assert p_near > 0.6 > p_far


def test_train_writes_a_veto_when_asked(
    cli: Callable[..., Result], tmp_path: Path, green: Path, labelled: Path
) -> None:
    assert _trained(cli, labelled, green, "--veto", "0.05")[1]["veto"] == 0.05
    assert cli("validate", "-s", str(green)).code == 0
    assert _trained(cli, labelled, green, "--one-window-threshold", "0.7")[1]["one_window_threshold"] == 0.7
    assert cli("validate", "-s", str(green)).code == 0
    bad = cli("train", str(labelled), "-s", str(green), "-o", str(green / "trained.model.json"), "--veto", "0.7")
    assert bad.code == 2 and "Traceback" not in bad.stderr


def test_train_writes_a_model_that_may_only_veto_when_asked(
    cli: Callable[..., Result], green: Path, labelled: Path
) -> None:
    out = green / "trained.model.json"
    res, data = _trained(cli, labelled, green, "--veto-only", "green.outdoors")
    assert "1 model(s) never add their aim, only veto: green.outdoors" in res.stdout
    assert data["aims"]["green.outdoors"]["adds"] is False
    assert cli("validate", "-s", str(green)).code == 0
    assert json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"][
        "adds"
    ] is False
    # Without it, the key is left out (the model adds).
    assert "adds" not in _trained(cli, labelled, green)[1]["aims"]["green.outdoors"]
    out.unlink()
    bad = cli("train", str(labelled), "-s", str(green), "-o", str(out), "--veto-only", "green.nowhere")
    assert bad.code == 2 and "--veto-only names 'green.nowhere'" in bad.stderr and "Traceback" not in bad.stderr
    assert not out.exists()


def test_train_writes_a_model_that_never_vetoes_an_aim_when_asked(
    cli: Callable[..., Result], green: Path, labelled: Path
) -> None:
    out = green / "trained.model.json"
    res, data = _trained(cli, labelled, green, "--veto", "0.1", "--no-veto", "green.outdoors")
    assert "1 model(s) never veto their aim: green.outdoors" in res.stdout
    assert data["aims"]["green.outdoors"]["vetoes"] is False
    assert cli("validate", "-s", str(green)).code == 0
    shown = json.loads(cli("show", "green.outdoors", "-s", str(green), "--format", "json").stdout)["learned"]
    assert shown["vetoes"] is False and shown["veto"] is None
    # Without it, the key is left out (the file's veto applies).
    assert "vetoes" not in _trained(cli, labelled, green, "--veto", "0.1")[1]["aims"]["green.outdoors"]
    out.unlink()
    bad = cli("train", str(labelled), "-s", str(green), "-o", str(out), "--no-veto", "green.nowhere")
    assert bad.code == 2 and "--no-veto names 'green.nowhere'" in bad.stderr and "Traceback" not in bad.stderr
    assert not out.exists()
    both = cli(
        "train", str(labelled), "-s", str(green), "-o", str(out), "--veto-only", "green.outdoors", "--no-veto",
        "green.outdoors",
    )
    assert both.code == 2 and "--veto-only and --no-veto both name 'green.outdoors'" in both.stderr
    assert "Traceback" not in both.stderr and not out.exists()
    # A file that says both for an aim (written by hand) is read, and show says the model changes nothing.
    (green / "green.model.json").write_text(
        model_text(**{"green.outdoors": {**OUTDOORS_MODEL, "adds": False, "vetoes": False}}), "utf-8"
    )
    shown = " ".join(cli("show", "green.outdoors", "-s", str(green)).stdout.split())
    assert "its file never lets it veto this aim (vetoes: false): it changes nothing" in shown


def test_train_from_a_model_refits_each_aim_toward_it_and_keeps_its_settings(
    cli: Callable[..., Result], tmp_path: Path, green: Path, labelled: Path
) -> None:
    (chess,) = words("chess")
    (orchard,) = words("orchard")
    (meadow,) = words("meadow")
    start = tmp_path / "start.model.json"
    start.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "window": 200,
                "veto": 0.05,
                "trained_on": "forty pages of another county",
                "aims": {
                    # chess is wrongly weighed as outdoor learning; orchard is on no labelled page.
                    "green.outdoors": {
                        "bias": -1.0,
                        "threshold": 0.7,
                        "adds": False,
                        "positives": 20,
                        "weights": {chess: 1.5, orchard: 1.5},
                    },
                    # No labelled page addresses green.quiet: its model is carried over as it was.
                    "green.quiet": {"bias": -3.0, "threshold": 0.9, "weights": _weights("quiet room", 2.0)},
                },
            }
        ),
        "utf-8",
    )
    res, data = _trained(cli, labelled, green, "--from", str(start))
    assert f"each refitted toward {start}" in res.stdout
    assert f"1 aim(s) too few (or too many) documents address kept their model from {start}: green.quiet" in (
        res.stdout
    )
    assert "no model for" not in res.stdout
    assert (data["window"], data["veto"]) == (200, 0.05)
    assert data["trained_on"].startswith("forty pages of another county; refitted toward that model on 12")
    model = data["aims"]["green.outdoors"]
    assert (model["threshold"], model["adds"], model["positives"]) == (0.7, False, 26)
    # The labels pull chess down (its page is not about outdoor learning) and meadow up; orchard, on no
    # labelled page, keeps the starting weight, where a fit from nothing would not know the word at all.
    assert model["weights"][chess] < 1.5 and model["weights"][meadow] > 0
    assert model["weights"][orchard] == 1.5
    assert data["aims"]["green.quiet"] == {"bias": -3.0, "threshold": 0.9, "weights": _weights("quiet room", 2.0)}
    assert cli("validate", "-s", str(green)).code == 0
    # A threshold given is every aim's, the kept one's too; a fit from nothing has no orchard.
    refitted = _trained(cli, labelled, green, "--from", str(start), "--threshold", "0.85")[1]["aims"]
    assert refitted["green.outdoors"]["threshold"] == 0.85
    assert refitted["green.quiet"] == {"bias": -3.0, "threshold": 0.85, "weights": _weights("quiet room", 2.0)}
    assert orchard not in _trained(cli, labelled, green)[1]["aims"]["green.outdoors"]["weights"]


def test_train_from_builtin_starts_from_the_built_in_model_and_carries_its_other_aims_over(
    cli: Callable[..., Result], green: Path, labelled: Path
) -> None:
    res, data = _trained(cli, labelled, green, "--from", "builtin")
    assert "each refitted toward the built-in model (strategies/send-align.model.json)" in res.stdout
    builtin = json.loads((ROOT / "strategies" / "send-align.model.json").read_text("utf-8"))
    # The built-in settings carry over; its aims, outside the framework the labels name, are kept as they were.
    assert (data["window"], data["veto"], data["one_window_threshold"]) == (
        builtin["window"],
        builtin["veto"],
        builtin["one_window_threshold"],
    )
    assert data["aims"]["cop.senco"] == builtin["aims"]["cop.senco"]
    assert set(builtin["aims"]) < set(data["aims"])
    # The charter's aim, which the built-in model knows nothing of, is fitted from nothing at the default.
    outdoors = data["aims"]["green.outdoors"]
    assert outdoors["threshold"] == 0.8 and outdoors["weights"][words("meadow")[0]] > 0
    assert cli("validate", "-s", str(green)).code == 0


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "invalid JSON"),
        (model_text(**{"green.elsewhere": OUTDOORS_MODEL}), "the model names aims no loaded framework has"),
        (None, "start.model.json"),
    ],
)
def test_train_from_a_bad_model_is_one_line_and_exit_2(
    cli: Callable[..., Result], tmp_path: Path, green: Path, labelled: Path, content: str | None, said: str
) -> None:
    start = tmp_path / "start.model.json"
    if content is not None:
        start.write_text(content, "utf-8")
    out = green / "trained.model.json"
    res = cli("train", str(labelled), "-s", str(green), "-o", str(out), "--from", str(start))
    assert res.code == 2 and said in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) <= 2
    assert not out.exists()


def test_train_refuses_a_name_checks_would_not_read(
    cli: Callable[..., Result], green: Path, labelled: Path
) -> None:
    res = cli("train", str(labelled), "-s", str(green), "-o", str(green / "trained.json"))
    assert res.code == 2 and "must end in .model.json" in res.stderr
    assert not (green / "trained.json").exists()


def test_train_names_an_unreadable_document_and_writes_nothing(
    cli: Callable[..., Result], green: Path, labelled: Path
) -> None:
    (labelled.parent / "page0.md").unlink()
    (labelled.parent / "page0.md").mkdir()  # a folder where a document should be
    out = green / "trained.model.json"
    res = cli("train", str(labelled), "-s", str(green), "-o", str(out))
    assert res.code == 2 and "page0.md" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()


def test_train_without_scikit_learn_says_how_to_get_it(
    run_cmd: Callable[..., Result], tmp_path: Path, green: Path, labelled: Path
) -> None:
    blocker = tmp_path / "no-sklearn" / "sklearn"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('scikit-learn is not installed here')\n", "utf-8")
    res = run_cmd(
        "train",
        str(labelled),
        "-s",
        str(green),
        "-o",
        str(green / "t.model.json"),
        env={"PYTHONPATH": str(blocker.parent)},
    )
    assert res.code == 2, res.stderr
    assert "training a model needs scikit-learn" in res.stderr and "send-align[train]" in res.stderr
    assert "Traceback" not in res.stderr


def test_no_rule_may_take_the_learned_models_name(cli: Callable[..., Result], green: Path) -> None:
    (green / "green.yaml").write_text(GREEN.replace("id: quiet-room", "id: learned"), "utf-8")
    res = cli("validate", "-s", str(green))
    assert res.code == 2
    assert "rules[0].id: 'learned' names the evidence of a learned model" in res.stderr
