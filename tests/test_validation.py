"""The shipped schemas with their references written in place judge every value as the schemas do."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from send_align import safeyaml
from send_align.resources import data_dir, schema
from send_align.strategies import find_files
from send_align.validation import _inlined, validator

SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in data_dir("schemas").glob("*.schema.json"))
WRONG = [None, 7, 2.5, True, "", "x" * 3, [], ["a", 1], {}, {"unknown": 1}, "Not An Id", -1]


def errors(validator: Any, instance: Any) -> list[tuple[str, str, str]]:
    return sorted(
        (json.dumps(list(e.absolute_path)), e.validator, e.message) for e in validator.iter_errors(instance)
    )


def places(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += places(value, (*at, i))
    return found


def mutated(data: Any, rng: random.Random) -> Any:
    """The value with one to three places replaced, removed, or given an unknown key."""
    out = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.choice(places(out))
        if not at:
            return rng.choice(WRONG)
        parent = out
        for step in at[:-1]:
            parent = parent[step]
        action = rng.random()
        if action < 0.6:
            parent[at[-1]] = copy.deepcopy(rng.choice(WRONG))
        elif action < 0.85:
            del parent[at[-1]]
        elif isinstance(parent[at[-1]], dict):
            parent[at[-1]]["no-such-key"] = "x"
    return out


def builtin_strategies() -> list[Any]:
    files = [s.path for s in find_files([]) if s.path.suffix == ".yaml"]
    return [safeyaml.load_file(p).data for p in files]


def shortened(data: Any) -> Any:
    """The same shape with every list and mapping cut to its first three entries: quick to mutate."""
    if isinstance(data, dict):
        return {k: shortened(v) for k, v in list(data.items())[:3]} | (
            {k: shortened(data[k]) for k in ("framework", "aims") if k in data}
        )
    if isinstance(data, list):
        return [shortened(v) for v in data[:3]]
    return data


@pytest.mark.parametrize("name", SCHEMAS)
def test_no_reference_is_left_where_a_definition_can_stand(name: str) -> None:
    whole = schema(name)
    text = json.dumps(_inlined(whole, whole.get("$defs", {}), ()))
    # Only the kept $defs themselves may still hold references (none of the shipped schemas is recursive).
    body = {k: v for k, v in json.loads(text).items() if k != "$defs"}
    assert '"$ref"' not in json.dumps(body)


def test_a_recursive_definition_stays_a_reference_and_still_validates() -> None:
    tree = {
        "$defs": {"node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "$ref": "#/$defs/node",
    }
    inlined = Draft202012Validator(_inlined(tree, tree["$defs"], ()))
    bad = {"kids": [{"kids": [{"kids": 3}]}]}
    assert errors(inlined, bad) == errors(Draft202012Validator(tree), bad) != []


@pytest.mark.parametrize("name", SCHEMAS)
def test_inlined_schema_reports_the_same_errors_on_broken_values(name: str) -> None:
    reference = Draft202012Validator(schema(name))
    fast = validator(name)
    seeds = [shortened(d) for d in builtin_strategies()] if name == "strategy" else []
    if name == "labels":
        shared = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "labels.yaml"
        seeds = [shortened(safeyaml.load_file(shared).data)] if shared.exists() else []
    seeds += [{}, [], "text", {"framework": {"id": "x"}}]
    rng = random.Random(f"validation-{name}")
    compared = disagreements = found = 0
    for seed in seeds:
        for _ in range(150 if name == "strategy" else 60):
            value = mutated(seed, rng)
            want, got = errors(reference, value), errors(fast, value)
            compared += 1
            found += bool(want)
            disagreements += want != got
            assert want == got, (name, value if len(json.dumps(value)) < 400 else "a mutated seed")
    assert compared and (found or name not in ("strategy", "labels"))
    assert disagreements == 0


def test_every_built_in_strategy_file_is_still_valid() -> None:
    fast = validator("strategy")
    for data in builtin_strategies():
        assert errors(fast, data) == []
