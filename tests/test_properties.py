"""Property-based checks: random bytes, YAML trees and text never raise anything but the tool's own error."""

from __future__ import annotations

import itertools
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


# Words that make phrases, cues and near misses likely: phrase words in several casings, determiners the
# matcher steps over, acronyms, and the words negation and reference checks hang on.
_PHRASE_WORDS = sorted({w for p in MATCHER.phrases for w in p.replace("=", "").split()})
_CUE_WORDS = [
    "number",
    "small",
    "low",
    "limited",
    "patchy",
    "remains",
    "not",
    "no",
    "never",
    "no",
    "longer",
    "will",
    "cease",
    "stop",
    "closed",
    "outside",
    "scope",
    "of",
    "the",
    "previous",
    "used",
    "to",
    "instead",
    "rather",
    "than",
    "too",
    "few",
    "poorly",
    "inconsistent",
    "without",
    "a",
    "plan",
    "is",
    "are",
    "was",
    "won't",
    "isn't",
    "can't",
    "see",
    "also",
    "read",
    "alongside",
    "glossary",
    "covered",
    "in",
    "separate",
    "reported",
    "to",
    "Cabinet",
    "follows",
    "its",
    "own",
]
_VOCAB = st.one_of(
    st.sampled_from(_PHRASE_WORDS + [w.capitalize() for w in _PHRASE_WORDS[:200]]),
    st.sampled_from(_CUE_WORDS),
    # Whole names and titles, whose words must not count on their own.
    st.sampled_from(sorted(CATALOGUE.masks)),
)
_SENTENCES = st.lists(_VOCAB, min_size=1, max_size=20).map(" ".join)


@BUDGET
@given(text=_SENTENCES)
def test_automaton_finds_exactly_what_the_trie_walk_finds(text: str) -> None:
    from send_align.matching.scan import _SPLIT_RE, scan_block, scan_keys

    words = _SPLIT_RE.split(text)[1::2]
    walked = sorted(scan_keys(MATCHER.trie, [MATCHER.keys_for(w) for w in words]))
    bs = scan_block(MATCHER, Block(text, 1))
    unmasked = sorted(bs.raw) if bs else []
    # One-word `with` words are left to the judge (see the next property); all else the automaton finds.
    walked = [r for r in walked if r[0] not in MATCHER.simple]
    # The automaton's hits, before masks hide words inside names, are the trie walk's.
    assert set(unmasked) <= set(walked)
    masked = {(i, j) for p, i, j in walked if p in MATCHER.masks}
    assert {r for r in walked if r not in unmasked} <= {
        (p, i, j) for p, i, j in walked if any(a <= i and j <= b and b - a > j - i for a, b in masked)
    }


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(st.lists(_SENTENCES, min_size=1, max_size=4).map(". ".join), min_size=1, max_size=4)
)
def test_judging_is_the_same_as_with_the_trie_walk_alone(paragraphs: list[str]) -> None:
    """The automaton leaves one-word `with` words to a per-group expression; the reference path (the trie
    walk, every match filed) must reach the same evidence, set-aside hits and contexts."""
    blocks = [Block(p, n + 1) for n, p in enumerate(paragraphs)]
    for settle in (True, False):
        fast = scan_document(MATCHER, blocks, settle)
        automaton, MATCHER.automaton = MATCHER.automaton, None
        try:
            slow = scan_document(MATCHER, blocks, settle)
        finally:
            MATCHER.automaton = automaton

        def norm(d: dict) -> dict:  # type: ignore[type-arg]
            return {k: sorted(map(repr, v)) for k, v in d.items() if v}

        assert norm(fast.evidence) == norm(slow.evidence)
        assert norm(fast.discarded) == norm(slow.discarded)
        assert fast.context_paragraphs == slow.context_paragraphs


@settings(max_examples=300, deadline=None)
@given(text=_SENTENCES, data=st.data())
def test_word_cues_never_skip_a_check_that_would_fire(text: str, data: st.DataObject) -> None:
    """Sentence checks run only where a word can cue them: the result must be the same as running them all."""
    from send_align.matching.phrases import TOKEN_RE

    cues = MATCHER.cues

    tokens = list(TOKEN_RE.finditer(text))
    hit = data.draw(st.integers(0, len(tokens) - 1)) if tokens else 0
    if not tokens:
        return
    start, end = tokens[hit].span()
    before = after = every = 0
    for t in tokens:
        f = cues.word_flags(t.group())
        every |= f
        if t.start() < start:
            before |= f
        elif t.start() >= end:
            after |= f
    assert cues.negation_reason(text, start, end, before, after) == cues.negation_reason(text, start, end)
    block = Block(text, 1)
    assert cues.reference_reason(block, text, every) == cues.reference_reason(block, text)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.one_of(_VOCAB, st.sampled_from(sorted(MATCHER.phrases)).map(lambda p: p.replace("=", ""))),
        min_size=2,
        max_size=30,
    ).map(lambda parts: " ".join(parts).split()),
    data=st.data(),
)
def test_scanning_in_batches_is_the_same_as_block_by_block(words: list[str], data: st.DataObject) -> None:
    """Blocks are tokenised and run through the automaton many at a time; no match may cross from one
    block into the next (the text is cut into blocks anywhere, phrases included), and every block must
    get exactly the matches it would alone."""
    import send_align.matching.scan as matching

    cuts = sorted(set(data.draw(st.lists(st.integers(1, len(words) - 1), min_size=1, max_size=5))))
    bounds = [0, *cuts, len(words)]
    paragraphs = [" ".join(words[i:j]) for i, j in itertools.pairwise(bounds)]
    blocks = [Block(p, n + 1) for n, p in enumerate(paragraphs)]
    assert sum(len(p) for p in paragraphs) < matching.BATCH_CHARS  # one batch
    together = scan_document(MATCHER, blocks, settle=False)
    saved, matching.BATCH_CHARS = matching.BATCH_CHARS, 1  # each block a batch of its own
    try:
        alone = scan_document(MATCHER, blocks, settle=False)
    finally:
        matching.BATCH_CHARS = saved
    assert together == alone
