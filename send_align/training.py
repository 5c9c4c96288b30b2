"""`train`: fit a learned model per aim on labelled documents and write it as a model file (send_align.learned).

The fit is a logistic regression per aim (scikit-learn, an optional extra: `pip install 'send-align[train]'`;
checks never need it), over the same features a check reads: word forms and pairs of neighbouring forms,
present or not, in the documents as send-align reads them. Each aim's classes are weighted to balance (an
aim most pages do not address still gets a model that looks for it), and features seen in fewer than
`min_documents` documents are left out, so one page's wording is never a feature. Small weights are dropped,
which keeps the file small at no measured cost.

`--from MODEL` starts from a model file already fitted (the built-in one, or a council's own) and refits each
aim toward it: the penalty pulls every weight toward the starting model's rather than toward nought, so a few
hundred labelled documents adjust what a larger set taught instead of replacing it. The starting model's
settings (window, veto, one-window threshold, each aim's threshold and flags) carry over unless given, and an
aim the new labels address too rarely to fit keeps its starting weights (a threshold given still applies).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from send_align.errors import Problem, SendAlignError
from send_align.learned.files import DEFAULT_WINDOW, FORMAT, AimModel, ModelFile
from send_align.learned.scoring import document_features
from send_align.model import Catalogue

DEFAULT_C = 0.3
"""Inverse regularisation strength: measured on held-out real pages, 0.1-1 give the same gain."""
DEFAULT_THRESHOLD = 0.8
"""The probability at which a model adds an aim the rules missed: at 0.7 held-out real pages gained as much,
while synthetic documents (longer, the frameworks' own words) lost precision."""
DEFAULT_MIN_DOCUMENTS = 3
DEFAULT_PRUNE = 0.05
"""Weights smaller than this are dropped: about a tenth of the weights kept (a file a check loads in tens of
milliseconds), F1 on held-out real pages within 0.001 of the whole model's."""
START_C = 0.1
"""With `--from`, the inverse strength of the pull toward the starting model's weights. Measured refitting the
built-in model on twelve rounds of real pages, each scored on a round left out: 0.1 and 0.3 within 0.002 of
each other, both above the starting model."""
MIN_POSITIVES = 3
"""An aim fewer labelled documents address (or fewer leave out) gets no model: nothing to learn from."""


@dataclass
class Trained:
    """What `train` fitted, for its summary."""

    documents: int
    features: int
    aims: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per aim with a model: labelled documents addressing it, weights kept."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Per aim without one: how many labelled documents address it."""
    kept: list[str] = field(default_factory=list)
    """Of those, the aims whose starting model (`--from`) is carried over unchanged."""


def _sklearn() -> tuple[object, object]:
    try:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SendAlignError(
            "training a model needs scikit-learn, which is not installed",
            hint="pip install 'send-align[train]'; checks use a model without it",
        ) from None
    return CountVectorizer, LogisticRegression


def _fit_toward(
    matrix: Any, columns: Any, wanted: Sequence[bool], bias: float, start: Any, c: float
) -> tuple[float, Any]:
    """A logistic regression with balanced class weights whose L2 penalty pulls the weights toward `start`
    (the bias free, as scikit-learn leaves it): the bias and weights, fitted by L-BFGS from the start.
    `columns` is the matrix transposed (CSR), made once for every aim."""
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    y = np.asarray(wanted, dtype=float)
    n, positives = len(y), float(y.sum())
    sample = np.where(y == 1, n / (2 * positives), n / (2 * (n - positives)))

    def loss(theta: Any) -> tuple[float, Any]:
        z = matrix @ theta[1:] + theta[0]
        gap = theta[1:] - start
        value = -(sample * (y * log_expit(z) + (1 - y) * log_expit(-z))).sum() + gap @ gap / (2 * c)
        slope = sample * (expit(z) - y)
        return float(value), np.concatenate([[slope.sum()], columns @ slope + gap / c])

    found = minimize(loss, np.concatenate([[bias], start]), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return float(found.x[0]), found.x[1:]


def _features(paths: Sequence[Path], shown: Sequence[str]) -> list[set[str]]:
    """Every document's features, read as a check reads it; every unreadable one named, none skipped."""
    from send_align import extract

    out: list[set[str]] = []
    problems: list[Problem] = []
    for path, name in zip(paths, shown, strict=True):
        try:
            reading = extract.open(path, name)
            out.append(document_features(b.text for b in reading.blocks))
        except SendAlignError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SendAlignError(problems)
    return out


def train(
    labels: Sequence[Path],
    cat: Catalogue,
    frameworks: Sequence[str] = (),
    *,
    c: float = DEFAULT_C,
    threshold: float | None = None,
    min_documents: int = DEFAULT_MIN_DOCUMENTS,
    window: int | None = None,
    prune: float = DEFAULT_PRUNE,
    about: str | None = None,
    veto: float | None = None,
    one_window_threshold: float | None = None,
    veto_only: Sequence[str] = (),
    no_veto: Sequence[str] = (),
    start: ModelFile | None = None,
) -> tuple[str, Trained]:
    """The model file's text for the labelled documents of every labels file, and what was fitted; with
    `start`, each aim refitted toward that model (see the module's account of `--from`)."""
    from send_align import evaluating

    CountVectorizer, LogisticRegression = _sklearn()
    docs: list[evaluating.Labelled] = []
    chosen: list[str] = list(frameworks)
    for path in labels:
        labelled = evaluating.load_labels(path, cat)
        docs.extend(labelled.documents)
        if not frameworks:
            chosen.extend(f for f in labelled.frameworks if f not in chosen)
    if not docs:
        raise SendAlignError("no labelled documents to train on", path=str(labels[0]) if labels else None)
    aims = [a.id for f in cat.select(chosen) for a in f.aims]
    for option, named in (("--veto-only", veto_only), ("--no-veto", no_veto)):
        stray = next((a for a in named if a not in aims), None)
        if stray is not None:
            raise SendAlignError(
                f"{option} names '{stray}', which is no aim of the frameworks trained on",
                hint="see `send-align search WORDS` for ids",
            )
    both = next((a for a in veto_only if a in no_veto), None)
    if both is not None:
        raise SendAlignError(
            f"--veto-only and --no-veto both name '{both}': its model would neither add nor veto, and change nothing",
            hint="leave the aim out of the model's frameworks instead, or name it in one of the two",
        )
    begun = start.aims if start is not None else {}
    feats = _features([d.path for d in docs], [str(d.path) for d in docs])
    least = min(min_documents, len(docs))
    if begun:
        # The starting model's words stay features whether or not the new documents hold them often.
        seen = Counter(word for words in feats for word in words)
        vocabulary = {w for w, n in seen.items() if n >= least}
        vocabulary.update(w for a in aims if a in begun for w in begun[a].weights)
        vectoriser = CountVectorizer(  # type: ignore[operator]
            analyzer=sorted, vocabulary=sorted(vocabulary), binary=True, lowercase=False
        )
    else:
        vectoriser = CountVectorizer(  # type: ignore[operator]
            analyzer=sorted, min_df=least, binary=True, lowercase=False
        )
    matrix = vectoriser.fit_transform(feats)
    names = vectoriser.get_feature_names_out()
    columns = matrix.T.tocsr() if begun else None
    trained = Trained(documents=len(docs), features=len(names))
    rows: dict[str, str] = {}
    for aim_id in aims:
        wanted = [aim_id in d.addresses for d in docs]
        positives = sum(wanted)
        before = begun.get(aim_id)
        if positives < MIN_POSITIVES or len(docs) - positives < MIN_POSITIVES:
            trained.skipped[aim_id] = positives
            if before is not None:
                trained.kept.append(aim_id)
                rows[aim_id] = _as_it_was(aim_id, before, threshold, veto_only, no_veto)
            continue
        if before is not None:
            origin = np.array([before.weights.get(str(name), 0.0) for name in names])
            bias, coef = _fit_toward(matrix, columns, wanted, before.bias, origin, START_C)
            fitted = zip(names, coef, strict=True)
            count = positives + (before.positives or 0)
            level = threshold or before.threshold
            adds, vetoes = before.adds, before.vetoes
        else:
            fit = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")  # type: ignore[operator]
            fit.fit(matrix, wanted)
            bias, fitted = float(fit.intercept_[0]), zip(names, fit.coef_[0], strict=True)
            count, level, adds, vetoes = positives, threshold or DEFAULT_THRESHOLD, True, True
        weights = {str(name): float(w) for name, w in fitted if abs(w) >= prune and math.isfinite(w)}
        trained.aims[aim_id] = (positives, len(weights))
        rows[aim_id] = _entry(bias, weights, level, count, aim_id, adds, vetoes, veto_only, no_veto)
    told = f"{len(docs)} labelled documents ({', '.join(str(p) for p in labels)})"
    if not trained.aims:
        raise SendAlignError(
            f"no aim is addressed (and left out) by at least {MIN_POSITIVES} labelled documents: nothing to learn",
            path=str(labels[0]),
        )
    if start is not None:
        # The starting model's aims outside the frameworks trained on are carried over as they were.
        for aim_id, before in start.aims.items():
            if aim_id not in rows:
                rows[aim_id] = _as_it_was(aim_id, before)
        veto = veto if veto is not None else start.veto
        if one_window_threshold is None:
            one_window_threshold = start.one_window_threshold
        window = window or start.window
        about = about or f"{start.trained_on}; refitted toward that model on {told}"
    head: dict[str, object] = {
        "format": FORMAT,
        "window": window or DEFAULT_WINDOW,
        **({"veto": veto} if veto is not None else {}),
        **({"one_window_threshold": one_window_threshold} if one_window_threshold is not None else {}),
        "trained_on": (about or told)[:2000],
    }
    # One aim a line: a model file reads (and diffs) aim by aim.
    body = ",\n".join(f"    {json.dumps(aim_id)}: {row}" for aim_id, row in rows.items())
    text = json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "aims": {\n' + body + "\n  }\n}\n"
    return text, trained


def _as_it_was(
    aim_id: str,
    before: AimModel,
    threshold: float | None = None,
    veto_only: Sequence[str] = (),
    no_veto: Sequence[str] = (),
) -> str:
    """A starting model's aim written out unchanged but for a threshold or a flag given."""
    return _entry(
        before.bias, before.weights, threshold or before.threshold, before.positives, aim_id, before.adds,
        before.vetoes, veto_only, no_veto,
    )


def _entry(
    bias: float,
    weights: dict[str, float],
    threshold: float,
    positives: int | None,
    aim_id: str,
    adds: bool,
    vetoes: bool,
    veto_only: Sequence[str],
    no_veto: Sequence[str],
) -> str:
    """One aim's line of a model file: its settings, then its weights in order, each to four places."""
    entry = {
        "bias": round(bias, 4),
        "threshold": threshold,
        **({"adds": False} if aim_id in veto_only or not adds else {}),
        **({"vetoes": False} if aim_id in no_veto or not vetoes else {}),
        **({"positives": positives} if positives is not None else {}),
        "weights": {k: round(v, 4) for k, v in sorted(weights.items())},
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
