"""libyaml reads a YAML file exactly as PyYAML's own composer does, or leaves it to that composer."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from send_align import safeyaml
from send_align.errors import SendAlignError
from send_align.strategies import find_files

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML was built without libyaml")


def slow(text: str) -> tuple[str, Any, dict[Any, int]] | tuple[str, str]:
    """PyYAML's own reading: ("ok", data, lines), or ("error", the message a user sees)."""
    try:
        loaded = safeyaml._slow_load(text, "x.yaml")
    except SendAlignError as exc:
        return ("error", str(exc))
    return ("ok", loaded.data, loaded.lines)


@needs_libyaml
def test_every_built_in_strategy_file_is_read_by_libyaml_as_by_pyyaml() -> None:
    for source in find_files([]):
        if source.path.suffix != ".yaml":
            continue
        text = source.path.read_text(encoding="utf-8")
        fast = safeyaml._fast_load(text, "x.yaml")
        assert fast is not None, f"{source.path.name} fell back to the slow composer"
        reference = slow(text)
        assert reference[0] == "ok", reference
        # repr as well as ==: True == 1 and 1.0 == 1, but a file's true is not its 1.
        assert (repr(fast.data), fast.lines) == (repr(reference[1]), reference[2])


PIECES = [
    "a", "key", ": ", "- ", "\n", "  ", "    ", "\t", "[", "]", "{", "}", ", ", "'", '"', "# note", " #", "?", "? ",
    "&x", "*x", " &y ", "!!str ", "!!int ", "!!bool ", "!x ", "1", "0x1F", "0o17", "1_000", "+1", "1e3", ".inf",
    "2024-01-02", "2026-13-45", "12:30:00", "yes", "No", "~", "null", "|", ">", "|-\n  text\n", ">+\n  t\n",
    "---", "...", "\\", "\x85", "\u2028", "\ufeff", "\x07", "\r\n", "é", "speech & language", "a:b", ":x",
    '"\\x41"', "'it''s'", '"a\\\nb"', "<<: ", "=", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "support*", "*n't",
]


@needs_libyaml
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_libyaml_agrees_with_pyyaml_or_steps_aside(text: str) -> None:
    fast = safeyaml._fast_load(text, "x.yaml")
    if fast is None:
        return  # PyYAML reads it, as it always did
    reference = slow(text)
    assert reference[0] == "ok", (text, reference)
    assert (repr(fast.data), fast.lines) == (repr(reference[1]), reference[2]), text


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "name: Speech & Language\nnote: 3 * 4 = 12\n",
        "list: [a, b, c]\nmap: {one: 1, two: [x, 'y z']}\n",
        "text: |\n  kept\n  as written\nfolded: >-\n  one\n  line\n",
        "when: 2024-01-02\nhex: 0x1F\nflag: yes\nnothing: ~\n",
    ],
)
def test_ordinary_files_take_the_fast_road(text: str) -> None:
    fast = safeyaml._fast_load(text, "x.yaml")
    assert fast is not None
    assert (fast.data, fast.lines) == slow(text)[1:]


@pytest.mark.parametrize(
    "text",
    ["a: &x [1, 2]\n", "a: &x [1, 2]\nb: *x\n", "- !!str &x one\n- *x\n", "{a: &x 1, b: *x}\n", "--- &top\nk: v\n"],
)
def test_anchors_and_aliases_are_still_refused(text: str) -> None:
    with pytest.raises(SendAlignError, match=r"(anchors \(&name\)|aliases \(\*name\)) are not allowed"):
        safeyaml.load_text(text, "x.yaml")


@needs_libyaml
def test_an_alias_the_pattern_missed_is_still_never_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml gives an alias its anchor's own node; meeting a node twice sends the file to PyYAML.
    monkeypatch.setattr(safeyaml, "_ANCHOR_OR_ALIAS", re.compile(r"(?!)"))
    assert safeyaml._fast_load("a: &x [1, 2]\nb: *x\n", "x.yaml") is None
    with pytest.raises(SendAlignError, match="anchors"):
        safeyaml.load_text("a: &x [1, 2]\nb: *x\n", "x.yaml")


@pytest.mark.parametrize(
    ("value", "kind"), [('!!int ""', "int"), ("!!bool ''", "bool"), ("!!timestamp 'soon'", "timestamp")]
)
def test_a_tagged_value_python_cannot_make_is_an_error_naming_its_line(value: str, kind: str) -> None:
    # PyYAML's constructors assume their tag's pattern matched: these raised IndexError, KeyError and
    # AttributeError, which reached the user as an internal error.
    with pytest.raises(SendAlignError) as caught:
        safeyaml.load_text(f"title: ok\nyear: {value}\n", "x.yaml")
    assert str(caught.value).startswith("x.yaml:2: cannot read the value")
    assert f"not a valid {kind}" in str(caught.value)
