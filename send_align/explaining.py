"""`explain`: every rule of one aim tried on one document, each hit kept or discarded and why."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from send_align.checker import Checker
from send_align.contexts import ContextVerdict, decide_context
from send_align.errors import SendAlignError
from send_align.genres import GenreVerdict, genre_of
from send_align.learned.scoring import LearnedVerdict
from send_align.model import Aim, Catalogue
from send_align.options import Exemptions
from send_align.results import AimResult


@dataclass(frozen=True)
class Explanation:
    path: str
    aim: Aim
    result: AimResult
    context_found: int | None
    context: ContextVerdict | None
    genres: tuple[GenreVerdict, ...] = ()
    """The decision on each genre the aim's rules need."""
    learned: LearnedVerdict | None = None
    """What the aim's learned model makes of the document, when it has one."""


def explain(
    cat: Catalogue,
    path: Path,
    aim_id: str,
    shown: str | None = None,
    exemptions: Exemptions | None = None,
    rel: str | None = None,
    checker: Checker | None = None,
) -> Explanation:
    """The aim on the document at `path`, named `shown`, with the configuration's `exemptions` applied as a
    check applies them (`rel`: the path they match; see Checker.results). `checker`: the catalogue's, when the
    caller has compiled it."""
    from send_align.extract import extract

    aim = cat.get_aim(aim_id)
    shown = shown or str(path)
    if not os.path.lexists(path):
        raise SendAlignError("no such file", path=shown)
    document = extract(path, shown)
    checker = checker or Checker(cat, list(cat.frameworks))
    scan, results = checker.results(document, settle=False, exemptions=exemptions, rel=rel)
    result = next(r for r in results if r.aim == aim.id)
    found = scan.context_paragraphs.get(aim.context) if aim.context else None
    ctx = checker.matcher.contexts.get(aim.context) if aim.context else None
    verdict = decide_context(ctx, scan) if ctx else None
    names = dict.fromkeys([*(r.genre for r in aim.rules if r.genre), *(g for r in aim.rules for g in r.unless_genre)])
    genres = tuple(genre_of(cat.genres[name], scan, checker.matcher.contexts) for name in names)
    return Explanation(shown, aim, result, found, verdict, genres, scan.learned.get(aim.id))
