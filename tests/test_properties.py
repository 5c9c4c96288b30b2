"""Property-based checks: random bytes, YAML trees and text never raise anything but the tool's own error."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_align.errors import SendAlignError
from send_align.extract import SUFFIX_FORMAT, extract
from send_align.matching import compile_matcher, scan_document
from send_align.results import Block
from send_align.strategies import SourceFile, build, find_files

BUDGET = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = sorted(SUFFIX_FORMAT)
BUILTIN = find_files([])
CATALOGUE = build(BUILTIN)
MATCHER = compile_matcher(CATALOGUE, CATALOGUE.aims())


@BUDGET
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_through_every_reader(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            doc = extract(path, path.name)
        except SendAlignError as exc:
            assert all(p.path == path.name for p in exc.problems)
        else:
            assert all(isinstance(b.text, str) for b in doc.blocks)


yaml_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
yaml_trees = st.recursive(
    yaml_leaves,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=10), kids, max_size=4)
    ),
    max_leaves=25,
)


@BUDGET
@given(tree=yaml_trees, as_framework=st.booleans())
def test_random_yaml_trees_through_the_loader(tree: object, as_framework: bool) -> None:
    if as_framework:
        tree = {"schema_version": 1, "framework": tree, "aims": tree}
    raw = yaml.safe_dump(tree).encode()
    local = SourceFile(Path("local.yaml"), "local.yaml", raw, False)
    try:
        build([*BUILTIN, local])
    except SendAlignError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@BUDGET
@given(text=st.text(max_size=600))
def test_matching_any_text_is_deterministic(text: str) -> None:
    first = scan_document(MATCHER, [Block(text, 1, 1, 1)])
    second = scan_document(MATCHER, [Block(text, 1, 1, 1)])
    assert first.evidence == second.evidence and first.discarded == second.discarded
