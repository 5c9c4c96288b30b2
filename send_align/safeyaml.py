"""Load YAML and JSON data safely: no aliases, no duplicate keys, bounded size, line numbers kept."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from send_align.errors import SendAlignError
from send_align.files import MAX_BYTES, decode_text, huge_number, read_bytes_capped, too_many_digits

MAX_DEPTH = 64

Location = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """A composer that refuses anchors and aliases, so an alias bomb cannot expand."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in send-align files", event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not allowed in send-align files", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml's parser and composer, when this PyYAML was built with it: the same nodes, marks and scalar
# resolution as the pure-Python composer, some twenty times faster (the built-in strategies' 800 KB compose
# in about 0.1 s against 2 s). It is used only where it cannot differ from _Loader (see _fast_load).
_CLoader: type | None = getattr(yaml, "CSafeLoader", None)

# Where an anchor (&name) or alias (*name) could begin a node: at a line's start, after a block or flow
# indicator, after a tag. A text with no such place has neither, so libyaml may compose it; any other text
# goes to _Loader, which names the first one. (Plain text such as "speech & language" never matches.)
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[-?:,\[{]|![^\s]*\s)[ \t]*[&*][^\s,\[\]{}]", re.MULTILINE)

# Characters where the two parsers part: libyaml takes a tab inside a plain value and reads NEL and the
# Unicode line and paragraph separators as line breaks; PyYAML refuses the first and keeps the others as
# text. Control characters and a byte-order mark inside the text are left to PyYAML's reader too.
# libyaml also takes a comment straight after a block scalar's indicator ("|#"), which PyYAML refuses, and
# marks the empty value of an explicit key ("? key") a line later.
_UNUSUAL = re.compile(
    "[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[|>][-+0-9]*#|(?:^|[\\s\\[{,])\\?(?:\\s|$)"
)


class _Repeated(Exception):
    """A node met twice while converting: libyaml's composer gives an alias its anchor's own node."""


class Loaded:
    """Plain data from a file plus the line each location in it came from."""

    def __init__(self, data: Any, lines: dict[Location, int], path: str, text: str = "") -> None:
        self.data = data
        self.lines = lines
        self.path = path
        self.text = text
        """The text the data was read from."""

    def line_of(self, location: Location) -> int | None:
        """The line of a location, or of its nearest parent that has one."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _convert(
    loader: Any, node: yaml.Node, loc: Location, lines: dict[Location, int], path: str, seen: set[int] | None
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if seen is not None:
        if id(node) in seen:
            raise _Repeated
        seen.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise SendAlignError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=lines[loc])
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, path)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise SendAlignError(
                    "mapping keys must be plain words", path=path, line=key_node.start_mark.line + 1
                )
            key = str(key)
            if key in out:
                raise SendAlignError(
                    f"duplicate key '{key}'",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    hint="each key may appear once in a mapping",
                )
            out[key] = _convert(loader, value_node, (*loc, key), lines, path, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*loc, i), lines, path, seen) for i, item in enumerate(node.value)]
    value = _construct(loader, node, path)
    # Dates stay as the text the author wrote, so JSON Schema and reports see a plain string.
    if not isinstance(value, str | int | float | bool | type(None)):
        value = str(node.value)
    return value


def _construct(loader: Any, node: yaml.Node, path: str) -> Any:
    """A scalar's value; bad input, naming its line, when Python cannot make one (a number of 5,000
    digits, a date like 2026-13-45)."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError, OverflowError) as exc:
        line = node.start_mark.line + 1
        if isinstance(node.value, str) and huge_number(node.value, path).problems[0].line:
            raise too_many_digits(path, line) from None
        # A ValueError says what is wrong; the others say only what broke inside PyYAML's constructors, which
        # assume a value their tag's pattern matched: "!!int ''" is an IndexError, "!!bool ''" a KeyError,
        # "!!timestamp ''" an AttributeError.
        why = str(exc)[:80] if isinstance(exc, ValueError) else f"not a valid {str(node.tag).rsplit(':', 1)[-1]}"
        raise SendAlignError(
            f"cannot read the value '{str(node.value)[:40]}': {why}", path=path, line=line
        ) from None


def load_text(text: str, path: str, *, json_mode: bool = False) -> Loaded:
    """Parse YAML (or JSON, which is YAML's subset but gets JSON's own messages) into plain data."""
    if json_mode:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SendAlignError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
        except ValueError:
            raise huge_number(text, path) from None
        except RecursionError:
            raise SendAlignError("JSON nested too deeply", path=path) from None
        # Re-read through the YAML composer for line numbers; JSON is valid YAML flow style.
        try:
            return _load_yaml(text, path)
        except SendAlignError:
            return Loaded(data, {(): 1}, path, text)
    return _load_yaml(text, path)


def _load_yaml(text: str, path: str) -> Loaded:
    fast = _fast_load(text, path)
    return fast if fast is not None else _slow_load(text, path)


def _slow_load(text: str, path: str) -> Loaded:
    """The text read by PyYAML's own composer: the reference reading, and every message on bad input."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Location, int] = {}
        data = None if node is None else _convert(loader, node, (), lines, path, None)
        return Loaded(data, lines or {(): 1}, path, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise SendAlignError(f"YAML syntax error: {what}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise SendAlignError(f"YAML error: {exc}", path=path) from None
    except RecursionError:
        raise SendAlignError("YAML nested too deeply", path=path) from None
    finally:
        loader.dispose()


def _fast_load(text: str, path: str) -> Loaded | None:
    """The text read through libyaml, or None where only _Loader may read it: no libyaml, a place where an
    anchor or alias could stand, or anything libyaml or the conversion objects to. _Loader then reads the text
    again and gives its own message, so bad input is reported word for word as without libyaml."""
    if _CLoader is None or _UNUSUAL.search(text) or _ANCHOR_OR_ALIAS.search(text):
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Location, int] = {}
        data = None if node is None else _convert(loader, node, (), lines, path, set())
        # An empty or null document: libyaml marks its null a line later than PyYAML; nothing to gain here.
        return None if data is None else Loaded(data, lines, path, text)
    except (yaml.YAMLError, SendAlignError, RecursionError, _Repeated):
        return None
    finally:
        loader.dispose()


def load_file(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> Loaded:
    shown = display or str(path)
    raw = read_bytes_capped(path, limit)
    text = decode_text(raw, shown)
    return load_text(text, shown, json_mode=path.suffix.lower() == ".json")
