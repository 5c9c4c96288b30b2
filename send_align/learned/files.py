"""Learned model files (NAME.model.json, schemas/model.schema.json): found beside the strategies, checked whole
against the loaded aims when the catalogue is built, read again (unchecked, its digest vouching for it) when a
check needs the model. Data, never code. See send_align.learned (the package) for what a model is."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from send_align.errors import SendAlignError
from send_align.model import Catalogue

MODEL_SUFFIX = ".model.json"
LEARNED_RULE = "learned"
"""The rule name evidence from a model carries in reports (so no rule of a strategy may have it)."""
FORMAT = "send-align-model/1"

DEFAULT_WINDOW = 350
"""Words per window of a long document: about the length of the page openings the built-in model was fitted on."""


@dataclass(frozen=True)
class AimModel:
    bias: float
    threshold: float
    weights: dict[str, float]
    positives: int | None = None
    """How many labelled documents addressed the aim when the model was fitted (None: not recorded)."""
    adds: bool = True
    """Whether the model may add the aim where the rules miss it; False: it only vetoes (the file's `adds`)."""
    vetoes: bool = True
    """Whether the file's veto applies to this aim; False: the model never holds a weak finding of the rules for
    it at partial, where its vetoes were measured mostly wrong (the file's `vetoes`)."""


@dataclass(frozen=True)
class ModelFile:
    """One model file as loaded: per aim, its model; where it came from."""

    path: str
    window: int
    aims: dict[str, AimModel]
    trained_on: str = ""
    veto: float | None = None
    """Under this probability, on a document of 150 words to a window (see learned.scoring.VETO_WORDS), the model
    holds a weak finding of the rules at partial (see send_align.scoring.VETO_UNDER); None: it never does."""
    one_window_threshold: float | None = None
    """On a document of at most one window, the probability at which an aim's model counts where this is lower
    than the aim's own threshold. Such a document is read whole, as the pages a model is fitted on are; a longer
    one scores its best of many windows, which runs higher by chance alone. None: the aims' own thresholds."""

    def one_window(self, model: AimModel) -> float:
        """An aim's threshold on a document of at most one window: the file's one_window_threshold where lower."""
        low = self.one_window_threshold
        return model.threshold if low is None else min(model.threshold, low)


def parse(
    raw: bytes, shown: str, known_aims: set[str] | None = None, *, check: bool = True, strict: bool = True
) -> ModelFile:
    """A model file checked in full: JSON, the schema's shape, numbers that are finite, aims that exist.
    Raises SendAlignError naming the file and what is wrong; `strict=False` leaves out the aims not known
    instead (a built-in model, when a local framework replaces a built-in one). `check=False` reads a file already checked
    (when the catalogue was built: its digest covers the file), at the cost of the JSON alone."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SendAlignError("a model file must be UTF-8 JSON", path=shown) from None
    except json.JSONDecodeError as exc:
        raise SendAlignError(f"invalid JSON: {exc.msg}", path=shown, line=exc.lineno) from None
    except (ValueError, RecursionError):
        raise SendAlignError("invalid JSON: a number too long or nesting too deep", path=shown) from None
    if not check:
        try:
            return _model_file(
                shown,
                data,
                {k: _aim_model(v, v["weights"]) for k, v in data["aims"].items()},
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            raise SendAlignError(
                "the model file changed since it was checked and is no longer one",
                path=shown,
                hint="send-align validate names what is wrong",
            ) from None
    _check_shape(data, shown)
    aims: dict[str, AimModel] = {}
    unknown = []
    for aim_id, entry in data["aims"].items():
        if known_aims is not None and aim_id not in known_aims:
            unknown.append(aim_id)
            continue
        weights = entry["weights"]
        bad = next((k for k, v in weights.items() if not _finite(v)), None)
        if bad is not None:
            raise SendAlignError(
                f"aims.{aim_id}.weights: the weight of '{bad}' is not a finite number", path=shown
            )
        odd = next((k for k in weights if not _FEATURE.fullmatch(k)), None)
        if odd is not None:
            raise SendAlignError(
                f"aims.{aim_id}.weights: '{odd[:60]}' is not a feature (a word form, or two parted by one space)",
                path=shown,
            )
        aims[aim_id] = _aim_model(entry, {k: float(v) for k, v in weights.items()})
    if unknown and strict:
        shown_ids = ", ".join(sorted(unknown)[:5]) + (" …" if len(unknown) > 5 else "")
        raise SendAlignError(
            f"the model names aims no loaded framework has: {shown_ids}",
            path=shown,
            hint="a model is fitted for a framework's aims; load that framework with --strategies, or train again",
        )
    return _model_file(shown, data, aims)


def _aim_model(entry: Any, weights: dict[str, float]) -> AimModel:
    """One aim's model from its entry in a model file, with its weights as read."""
    return AimModel(
        float(entry["bias"]),
        float(entry["threshold"]),
        weights,
        entry.get("positives"),
        entry.get("adds", True),
        entry.get("vetoes", True),
    )


def _model_file(shown: str, data: Any, aims: dict[str, AimModel]) -> ModelFile:
    """A model file's aims with the settings it holds for all of them."""
    veto = data.get("veto")
    one_window = data.get("one_window_threshold")
    return ModelFile(
        shown,
        int(data.get("window", DEFAULT_WINDOW)),
        aims,
        str(data.get("trained_on", "")),
        None if veto is None else float(veto),
        None if one_window is None else float(one_window),
    )


_FEATURE = re.compile(r"[^ ]{1,100}(?: [^ ]{1,100})?")


def _finite(v: Any) -> bool:
    return type(v) in (int, float) and math.isfinite(v)


def _check_shape(data: Any, shown: str) -> None:
    """The schema (schemas/model.schema.json), with each aim's weights checked by the loop in `parse`:
    a validator walking a hundred thousand numbers one by one costs a second, the loop milliseconds."""
    from send_align.safeyaml import Loaded
    from send_align.validation import validate_loaded

    light = data
    if isinstance(data, dict) and isinstance(data.get("aims"), dict):
        light = dict(data)
        light["aims"] = {
            k: ({**v, "weights": {}} if isinstance(v, dict) and isinstance(v.get("weights"), dict) else v)
            for k, v in data["aims"].items()
        }
    problems = validate_loaded(Loaded(light, {(): 1}, shown, ""), "model")
    if problems:
        raise SendAlignError(problems[0].message, path=shown)


def without_models(cat: Catalogue) -> Catalogue:
    """The catalogue judged by its rules alone: no model files, and a digest of its own, so a result cached
    with the models is never taken for one without."""
    if not cat.models:
        return cat
    return replace(cat, models=(), digest=f"{cat.digest}-rules")


def load_models(cat: Catalogue) -> list[ModelFile]:
    """The catalogue's model files, read as checked when it was built; a built-in model serves only the aims
    of built-in frameworks (a local framework that replaces a built-in one, or an aim of the same id, is
    not the aim the model was fitted for)."""
    builtin_aims = {a.id for f in cat.frameworks if f.builtin for a in f.aims}
    out = []
    for path, shown, builtin in cat.models:
        mf = load(Path(path), shown, check=False)
        if builtin:
            mf = replace(mf, aims={k: v for k, v in mf.aims.items() if k in builtin_aims})
        out.append(mf)
    return out


def model_for(cat: Catalogue, aim_id: str) -> tuple[ModelFile, AimModel] | None:
    """The model a check would use for an aim (a later file's replacing an earlier one's), with its file;
    None when the aim has none."""
    found = None
    for mf in load_models(cat):
        if aim_id in mf.aims:
            found = (mf, mf.aims[aim_id])
    return found


def load(path: Path, shown: str, known_aims: set[str] | None = None, *, check: bool = True) -> ModelFile:
    from send_align.files import read_bytes_capped

    return parse(read_bytes_capped(path), shown, known_aims, check=check)
