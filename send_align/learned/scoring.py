"""A document read by the learned models: its words and word pairs, in windows, each aim's probability, and
the sentence to quote when a model adds an aim. See send_align.learned (the package)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from send_align.learned.files import LEARNED_RULE, AimModel, ModelFile
from send_align.results import Block, Evidence
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


@dataclass(frozen=True)
class Compiled:
    """Every aim's model at once: per feature, its weights for every aim, as one vector."""

    ids: tuple[str, ...]
    bias: tuple[float, ...]
    threshold: tuple[float, ...]
    vectors: dict[str, tuple[float, ...]]
    """Per feature, its weight for each aim in `ids` order (0.0 where an aim's model leaves it out): a
    window's scores are then column sums, made in C (`zip(*vectors)`), not an addition per weight (measured:
    adding the nonzero weights one by one took about three times as long, and dense vectors only for the
    features many aims weigh took more instructions than vectors for all, 913 M against 851 M per 0.5 MB)."""
    common: dict[str, float]
    """Per feature, its mean weight over every aim's model: what it says of a page in general (a SEND
    page's "pupils", "support"), taken off its weight where words are shown as the reason for one aim."""
    window: int
    sources: dict[str, str]
    """Per aim id, the model file it came from."""

    def reader(self) -> LearnedReader:
        return LearnedReader(self)


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
    postings: dict[str, list[float]] = {}
    zero = [0.0] * len(ids)
    for i, aim_id in enumerate(ids):
        for feat, w in chosen[aim_id][0].weights.items():
            if w:
                row = postings.get(feat)
                if row is None:
                    row = postings[feat] = zero.copy()
                row[i] = float(w)
    windows = {mf.window for _, mf in chosen.values()}
    common = {f: sum(row) / len(ids) for f, row in postings.items()}
    return Compiled(
        ids=ids,
        bias=tuple(chosen[a][0].bias for a in ids),
        threshold=tuple(chosen[a][0].threshold for a in ids),
        vectors={f: tuple(row) for f, row in postings.items()},
        common=common,
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
        self.best = [-math.inf] * n
        self.best_blocks: list[tuple[Block, ...]] = [()] * n
        self._blocks: list[Block] = []
        # The window's features so far, as made (a set of those the models weigh is taken once, at its end).
        self._features: list[str] = []
        self._words = 0

    def add(self, block: Block) -> None:
        forms = words(block.text)
        if self._words and self._words + len(forms) > self.compiled.window:
            self._close()
        self._blocks.append(block)
        self._features += forms
        self._features += _pairs(forms)
        self._words += len(forms)

    def passing(self, blocks: Iterable[Block]) -> Iterator[Block]:
        """The blocks, unchanged, each read on its way through."""
        for block in blocks:
            self.add(block)
            yield block

    def _close(self) -> None:
        if not self._blocks:
            return
        c = self.compiled
        found = c.vectors.keys() & self._features
        if found:
            sums = map(sum, zip(*map(c.vectors.__getitem__, found), strict=True))
            logits = list(map(float.__add__, c.bias, sums))
        else:
            logits = list(c.bias)
        window = tuple(self._blocks)
        best = self.best
        for i, x in enumerate(logits):
            if x > best[i]:
                best[i] = x
                self.best_blocks[i] = window
        self._blocks, self._features, self._words = [], [], 0

    def verdicts(self) -> dict[str, LearnedVerdict]:
        """Per aim with a model, its probability on this document and the blocks it rests on."""
        self._close()
        c = self.compiled
        return {
            aim_id: LearnedVerdict(
                aim=aim_id,
                probability=round(_sigmoid(self.best[i]), 3) if self.best[i] > -math.inf else 0.0,
                threshold=c.threshold[i],
                blocks=self.best_blocks[i],
                compiled=c,
                index=i,
            )
            for i, aim_id in enumerate(c.ids)
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

    @property
    def sure(self) -> bool:
        return self.probability >= self.threshold

    @property
    def source(self) -> str:
        return self.compiled.sources[self.aim]

    def _weight_of(self, feat: str) -> float:
        """The feature's weight for this aim beyond its weight for aims in general (see Compiled.common),
        for a feature that counts toward this aim at all."""
        row = self.compiled.vectors.get(feat)
        if row is None or row[self.index] <= 0:
            return 0.0  # only words that count toward this aim are shown as its reason
        return row[self.index] - self.compiled.common[feat]

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
        from send_align.matching.scan import split_sentences

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


def describe(verdict: LearnedVerdict) -> str:
    """Why a model added an aim, in words for the report's reason."""
    words_ = ", ".join(f"“{text}”" for text, _ in verdict.strongest(3))
    return f"the learned model reads it at {verdict.probability:.2f} ({verdict.threshold:.2f} needed)" + (
        f", from words such as {words_}" if words_ else ""
    )
