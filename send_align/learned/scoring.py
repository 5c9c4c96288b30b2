"""A document read by the learned models: its words and word pairs, in windows, each aim's probability, and
the sentence to quote when a model adds an aim. See send_align.learned (the package)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from send_align.learned.files import LEARNED_RULE, AimModel, ModelFile
from send_align.results import Block, Evidence
from send_align.sentences import split_sentences
from send_align.stemming import stem

RULE = LEARNED_RULE
"""The rule name evidence from a model carries in reports."""

# Words as the model counts them: letters with inner apostrophes and hyphens ("well-being", "children's"),
# found in lower-cased text (and, for showing them, in the text as written).
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_WORD_AS_WRITTEN = re.compile(_WORD.pattern, re.IGNORECASE)

_FORMS: dict[str, str] = {}
"""Each lower-case word's matching form, once per process (bounded below)."""
_MAX_FORMS = 200_000

VETO_WORDS = 150
"""The fewest words a document needs for a model's veto (see ModelFile.veto): the shortest pages the built-in
model was fitted on. On fewer, a low probability says only that the words for an aim are absent from a text too
short to hold them (its score is little more than the bias), not that the text reads against the aim."""

STATEMENT_WORDS = 7
"""The fewest words the learned model's strongest sentence needs for the model to add an aim: a shorter one is a
list item's name or a label ("• Speech and language", "Hertfordshire Local Offer"), and a reading that rests most
on a name is the bare list of needs or services a page names, not what it does (on the tuning pages, 14 such
additions were 2 true, 12 false)."""


def words(text: str) -> list[str]:
    """The matching forms of a text's words, in order."""
    found = _WORD.findall(text.lower())
    forms = _FORMS
    try:
        return list(map(forms.__getitem__, found))  # (a look-up per word in C: the usual case)
    except KeyError:
        if len(forms) >= _MAX_FORMS:
            forms.clear()
        for w in found:
            if w not in forms:
                forms[w] = stem(w)
        return list(map(forms.__getitem__, found))


# Words that carry grammar, not a topic ("if", "the", "and their"): a model may weigh them ("If you..." opens
# advice for families), but a reader shown them as the reason for an aim learns nothing, so a feature made
# only of them is never shown, quoted or used to pick the sentence to quote (it still counts in the score).
_GRAMMAR_WORDS = (
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "it's", "they", "them",
    "their", "theirs", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her",
    "hers", "i", "me", "my", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "if",
    "then", "than", "so", "as", "and", "or", "but", "nor", "not", "no", "yes", "of", "to", "in", "on", "at",
    "by", "for", "from", "with", "without", "into", "onto", "about", "above", "below", "over", "under", "up",
    "down", "out", "off", "through", "between", "among", "after", "before", "during", "until", "while",
    "because", "although", "though", "whether", "also", "too", "very", "just", "only", "even", "all", "any",
    "each", "every", "some", "many", "much", "more", "most", "other", "such", "same", "own", "be", "is", "are",
    "was", "were", "been", "being", "am", "do", "does", "did", "done", "doing", "have", "has", "had", "having",
    "can", "could", "may", "might", "must", "shall", "should", "will", "would", "let",
)
_GRAMMAR = frozenset(stem(w) for w in _GRAMMAR_WORDS)


def _shown(feature: str) -> bool:
    """Whether a feature holds a word beyond grammar (see _GRAMMAR)."""
    return any(form not in _GRAMMAR for form in feature.split(" "))


def _form(word: str) -> str:
    got = _FORMS.get(word)
    return got if got is not None else stem(word)


def _pairs(forms: Sequence[str]) -> Iterator[str]:
    """Each pair of neighbouring forms as one feature ("short break"), made in C."""
    return map(" ".join, pairwise(forms))


def features(forms: Sequence[str]) -> set[str]:
    """Every word form and every pair of neighbouring forms ("short break")."""
    found = set(forms)
    found.update(_pairs(forms))
    return found


def document_features(texts: Iterable[str]) -> set[str]:
    """A whole document's features: its paragraphs' together (a pair never spans two paragraphs)."""
    found: set[str] = set()
    for text in texts:
        found |= features(words(text))
    return found


@dataclass(frozen=True, eq=False)
class Compiled:
    """Every aim's model at once, as one matrix: a row per feature, a column per aim."""

    ids: tuple[str, ...]
    bias: np.ndarray
    """Per aim (in `ids` order), its model's bias."""
    threshold: tuple[float, ...]
    veto: tuple[float | None, ...]
    """Per aim, its model file's veto (see ModelFile.veto); None where the aim's model never vetoes (AimModel.vetoes)."""
    one_window: tuple[float, ...]
    """Per aim, its threshold on a document of at most one window (see ModelFile.one_window_threshold)."""
    adds: tuple[bool, ...]
    """Per aim, whether its model may add it where the rules miss it (see AimModel.adds)."""
    vetoes: tuple[bool, ...]
    """Per aim, whether its model file lets it veto the aim at all (see AimModel.vetoes)."""
    index: dict[str, int]
    """Per feature, its row of `weights`."""
    weights: np.ndarray
    """Per feature (row), its weight for each aim (column; 0.0 where an aim's model leaves it out): a window's
    scores are the sum of its features' rows, one numpy call (measured on 3 MB of the throughput corpus: the
    models read it in 0.30 s, where column sums of per-feature tuples of weights, made in Python's C loops,
    took 0.51 s)."""
    common: np.ndarray
    """Per feature (row), its mean weight over every aim's model: what it says of a page in general (a SEND
    page's "pupils", "support"), taken off its weight where words are shown as the reason for one aim."""
    window: int
    sources: dict[str, str]
    """Per aim id, the model file it came from."""

    def reader(self) -> LearnedReader:
        return LearnedReader(self)

    def weight(self, feature: str, column: int) -> tuple[float, float] | None:
        """A feature's weight for one aim and its mean weight over all, or None for a feature no model
        weighs."""
        row = self.index.get(feature)
        if row is None:
            return None
        return float(self.weights[row, column]), float(self.common[row])


def compile_models(files: Iterable[ModelFile], aim_ids: Iterable[str]) -> Compiled | None:
    """The models of the given aims, a later file's model for an aim replacing an earlier one's; None when
    no aim has one."""
    chosen: dict[str, tuple[AimModel, ModelFile]] = {}
    wanted = set(aim_ids)
    for mf in files:
        for aim_id, model in mf.aims.items():
            if aim_id in wanted:
                chosen[aim_id] = (model, mf)
    if not chosen:
        return None
    ids = tuple(sorted(chosen))
    index: dict[str, int] = {}
    for aim_id in ids:
        for feat, w in chosen[aim_id][0].weights.items():
            if w and feat not in index:
                index[feat] = len(index)
    weights = np.zeros((len(index), len(ids)))
    for column, aim_id in enumerate(ids):
        for feat, w in chosen[aim_id][0].weights.items():
            if w:
                weights[index[feat], column] = w
    windows = {mf.window for _, mf in chosen.values()}
    return Compiled(
        ids=ids,
        bias=np.array([chosen[a][0].bias for a in ids], dtype=float),
        threshold=tuple(chosen[a][0].threshold for a in ids),
        veto=tuple(chosen[a][1].veto if chosen[a][0].vetoes else None for a in ids),
        vetoes=tuple(chosen[a][0].vetoes for a in ids),
        one_window=tuple(chosen[a][1].one_window(chosen[a][0]) for a in ids),
        adds=tuple(chosen[a][0].adds for a in ids),
        index=index,
        weights=weights,
        common=weights.mean(axis=1),
        window=min(windows),
        sources={a: chosen[a][1].path for a in ids},
    )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class LearnedReader:
    """Reads a document's blocks in order (one pass, so a streamed document is never held whole) and keeps,
    per aim, its best window's score and blocks."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        n = len(compiled.ids)
        self.best = np.full(n, -math.inf)
        self.best_blocks: list[tuple[Block, ...]] = [()] * n
        self._blocks: list[Block] = []
        # The window's features so far, as made (a set of those the models weigh is taken once, at its end).
        self._features: list[str] = []
        self._words = 0
        self.length = 0
        """Words read in all."""

    def add(self, block: Block) -> None:
        forms = words(block.text)
        if self._words and self._words + len(forms) > self.compiled.window:
            self._close()
        self._blocks.append(block)
        self._features += forms
        self._features += _pairs(forms)
        self._words += len(forms)
        self.length += len(forms)

    def passing(self, blocks: Iterable[Block]) -> Iterator[Block]:
        """The blocks, unchanged, each read on its way through."""
        for block in blocks:
            self.add(block)
            yield block

    def _close(self) -> None:
        if not self._blocks:
            return
        c = self.compiled
        found = c.index.keys() & self._features
        rows = np.fromiter(map(c.index.__getitem__, found), np.intp, len(found))
        logits = c.bias + c.weights[rows].sum(axis=0)
        better = np.flatnonzero(logits > self.best)
        if better.size:
            window = tuple(self._blocks)
            for i in better.tolist():
                self.best_blocks[i] = window
            np.maximum(self.best, logits, out=self.best)
        self._blocks, self._features, self._words = [], [], 0

    def verdicts(self) -> dict[str, LearnedVerdict]:
        """Per aim with a model, its probability on this document and the blocks it rests on."""
        self._close()
        c = self.compiled
        thresholds = c.one_window if self.length <= c.window else c.threshold
        return {
            aim_id: LearnedVerdict(
                aim=aim_id,
                probability=round(_sigmoid(best), 3) if best > -math.inf else 0.0,
                threshold=thresholds[i],
                blocks=self.best_blocks[i],
                veto=c.veto[i] if VETO_WORDS <= self.length <= c.window else None,
                adds=c.adds[i],
                may_veto=c.vetoes[i],
                compiled=c,
                index=i,
            )
            for i, (aim_id, best) in enumerate(zip(c.ids, self.best.tolist(), strict=True))
        }


@dataclass(frozen=True)
class LearnedVerdict:
    """What an aim's model makes of one document."""

    aim: str
    probability: float
    threshold: float
    blocks: tuple[Block, ...] = field(repr=False)
    compiled: Compiled = field(repr=False, compare=False)
    index: int = field(repr=False)
    veto: float | None = None
    """The model file's veto, where it may apply to this document (from VETO_WORDS words to a window: the length
    of the pages it was fitted on, where its probability means what it meant then); None elsewhere."""
    adds: bool = True
    """Whether the model may add the aim where the rules miss it (False: the model file says it only vetoes)."""
    may_veto: bool = True
    """Whether the model file lets it veto this aim (False: `vetoes: false`, so `veto` is None)."""

    @property
    def sure(self) -> bool:
        return self.probability >= self.threshold

    @property
    def adding(self) -> bool:
        """Whether the model would add the aim were the rules to miss it: sure of it, and allowed to."""
        return self.adds and self.sure

    @property
    def vetoes(self) -> bool:
        """Whether the model reads the aim as so unlikely that a weak finding of the rules is held at partial."""
        return self.veto is not None and self.probability < self.veto

    @property
    def source(self) -> str:
        return self.compiled.sources[self.aim]

    def _weight_of(self, feat: str) -> float:
        """The feature's weight for this aim beyond its weight for aims in general (see Compiled.common),
        for a feature that counts toward this aim at all."""
        got = self.compiled.weight(feat, self.index)
        if got is None or got[0] <= 0 or not _shown(feat):
            return 0.0  # only words that count toward this aim, and say something, are shown as its reason
        return got[0] - got[1]

    def strongest(self, limit: int = 5) -> list[tuple[str, float]]:
        """The words of the best window the model weighs most for this aim, as the document writes them,
        with their weights (a word pair once, not also as its two words)."""
        surface: dict[str, str] = {}
        for block in self.blocks:
            for feat, text in _surfaces(block.text).items():
                surface.setdefault(feat, text)
        weighed = sorted(
            ((f, w) for f in surface if (w := self._weight_of(f)) > 0), key=lambda fw: (-fw[1], fw[0])
        )
        out: list[tuple[str, float]] = []
        shown: set[str] = set()
        for feat, w in weighed:
            text = surface[feat].lower()
            if text in shown:
                continue
            shown.add(text)
            out.append((surface[feat], w))
            if len(out) == limit:
                break
        return out

    def evidence(self) -> Evidence | None:
        """The sentence of the best window whose features the model weighs most for this aim, with the
        words of its strongest feature as the phrase matched; None when no sentence holds one."""
        best: tuple[float, Block, int, int] | None = None
        for block in self.blocks:
            starts = split_sentences(block.text)
            for k, start in enumerate(starts):
                end = starts[k + 1] if k + 1 < len(starts) else len(block.text)
                total = sum(
                    w for f in features(words(block.text[start:end])) if (w := self._weight_of(f)) > 0
                )
                if total > 0 and (best is None or total > best[0]):
                    best = (total, block, start, end)
        if best is None:
            return None
        _, block, start, end = best
        sentence = block.text[start:end]
        stripped = sentence.strip()
        offset = start + (len(sentence) - len(sentence.lstrip()))
        line = block.line + block.text.count("\n", 0, offset) if block.line is not None else None
        column = block.column if offset == 0 else None
        return Evidence(
            rule=RULE,
            text=stripped,
            paragraph=block.paragraph,
            line=line,
            column=column,
            page=block.page,
            section=block.section,
            weight=self.probability,
            phrase=self._phrase(stripped),
        )

    def describe(self) -> str:
        """Why the model added the aim, in words for the report's reason."""
        words_ = ", ".join(f"“{text}”" for text, _ in self.strongest(3))
        return f"the learned model reads it at {self.probability:.2f} ({self.threshold:.2f} needed)" + (
            f", from words such as {words_}" if words_ else ""
        )

    def _phrase(self, sentence: str) -> str:
        """The words of the sentence's most weighed feature, as the document writes them."""
        best = max(
            ((w, text) for feat, text in _surfaces(sentence).items() if (w := self._weight_of(feat)) > 0),
            default=None,
        )
        return best[1] if best else ""


def _surfaces(text: str) -> dict[str, str]:
    """Each feature of a text with its first occurrence as written ("Short Breaks" for "short break")."""
    spans = [(m.start(), m.end(), _form(m.group().lower())) for m in _WORD_AS_WRITTEN.finditer(text)]
    out: dict[str, str] = {}
    for k, (start, end, form) in enumerate(spans):
        out.setdefault(form, text[start:end])
        if k + 1 < len(spans):
            nxt = spans[k + 1]
            out.setdefault(f"{form} {nxt[2]}", text[start : nxt[1]])
    return out
