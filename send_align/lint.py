"""Warnings about strategy files that load and validate but may not do what their authors mean."""

from __future__ import annotations

import re

from send_align.errors import Problem
from send_align.model import Catalogue

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def rule_warnings(cat: Catalogue) -> list[Problem]:
    """Phrases that can never match, and capitals that do not make a word exact, in every loaded rule."""
    from send_align.matching.phrases import is_acronym, phrase_variants

    out: list[Problem] = []
    for aim in cat.aims():
        for rule in aim.rules:
            where = f"{aim.id} rule {rule.id}"
            for phrase in [p for g in rule.source_phrases for p in g] + list(rule.unless):
                if phrase.startswith("$"):
                    continue
                if not phrase_variants(phrase, rule.exact_case):
                    out.append(
                        Problem(
                            f"{where}: '{phrase}' never matches: the matcher skips these words (the, a, our, "
                            "their ...) and punctuation",
                            aim.path,
                            aim.line,
                            "use a word that carries meaning, or leave the phrase out",
                        )
                    )
                    continue
                titled = [
                    w
                    for w in _WORD.findall(phrase.lstrip("="))
                    if len(w) > 1 and w[0].isupper() and not is_acronym(w)
                ]
                if titled and not rule.exact_case:
                    out.append(
                        Problem(
                            f"{where}: '{phrase}' has capitals that do not make it exact: it matches "
                            f"'{phrase.lower()}' too",
                            aim.path,
                            aim.line,
                            "write it in lower case, or give the rule `case: exact` if the capitals matter",
                        )
                    )
    return out
