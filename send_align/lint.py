"""Warnings about strategy files that load and validate but may not do what their authors mean."""

from __future__ import annotations

import re

from send_align.errors import Problem, SendAlignError
from send_align.model import Aim, Catalogue, Rule

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def rule_warnings(cat: Catalogue) -> list[Problem]:
    """Phrases that can never match, capitals that do not make a word exact, and exclusions that are one word once
    their determiners are skipped, in every loaded rule."""
    from send_align.matching.phrases import SKIP, is_acronym, phrase_variants

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
                skipped = sorted({w for w in phrase.split() if w.startswith("=") and w[1:].lower() in SKIP})
                if skipped:
                    out.append(
                        Problem(
                            f"{where}: '{phrase}': {', '.join(repr(w) for w in skipped)} matches nothing of its own: "
                            "the matcher skips these words (the, a, our, their, your ...) in the text as in the "
                            f"phrase, which matches as '{' '.join(w for w in phrase.split() if w not in skipped)}'",
                            aim.path,
                            aim.line,
                            "leave the word out; to tell pages written to the reader, use a genre's `addressed`",
                        )
                    )
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
    return out + _one_word_exclusions(cat)


def _one_word_exclusions(cat: Catalogue) -> list[Problem]:
    """Each exclusion that comes to one word once its determiners are skipped, named once with the rules that use
    it (a shared term's phrase is in many)."""
    users: dict[str, tuple[Aim, Rule, str, int]] = {}
    """Per such exclusion: the first rule using it, with its aim, the one word, and how many rules use it."""
    for aim in cat.aims():
        for rule in aim.rules:
            for phrase in dict.fromkeys(rule.unless):
                if phrase in users:
                    first_aim, first_rule, alone, count = users[phrase]
                    users[phrase] = (first_aim, first_rule, alone, count + 1)
                elif (word := _alone(phrase, rule.exact_case)) is not None:
                    users[phrase] = (aim, rule, word, 1)
    out: list[Problem] = []
    for phrase, (aim, rule, alone, count) in users.items():
        more = f" (and {count - 1} more rule(s))" if count > 1 else ""
        out.append(
            Problem(
                f"{aim.id} rule {rule.id}{more}: the exclusion '{phrase}' is the word '{alone}' alone: the matcher "
                f"skips the, a, our, their ... in the text as in the phrase, so it stops every sentence holding "
                f"'{alone}'",
                aim.path,
                aim.line,
                f"write '{alone}' if that is meant, or a longer phrase with another word that carries meaning",
            )
        )
    return out


def _alone(phrase: str, exact_case: bool) -> str | None:
    """The one word a phrase of several words comes to once its determiners are skipped ("our independence" is
    "independence"), or None."""
    from send_align.matching.phrases import SKIP, phrase_variants

    words = phrase.split()
    kept = [w for w in words if w.lstrip("=").lower() not in SKIP]
    if len(kept) == 1 and len(words) > 1 and all(len(v) == 1 for v in phrase_variants(phrase, exact_case)):
        return kept[0].lstrip("=")
    return None


def cue_warnings(cat: Catalogue) -> list[Problem]:
    """Cues that cost every sentence a search: every required word of the cue is a function word or a word
    most sentences of SEND writing hold ("parent", "children", "support"), so the sentence check the cue
    belongs to runs almost everywhere (in session 13, three such cues made a whole scan 45% slower)."""
    from send_align.matching.cue_phrases import compile_cue, trigger_is_common
    from send_align.matching.cues import TRIGGERED_KINDS

    out: list[Problem] = []
    for kind, phrases in cat.cues.items():
        if not kind.startswith(TRIGGERED_KINDS):
            continue
        for phrase in phrases:
            try:
                _, triggers = compile_cue(phrase, kind)
            except SendAlignError:  # a cue that does not compile is the catalogue's error, reported there
                continue
            if trigger_is_common(triggers):
                words = sorted({w for _, w in triggers})
                out.append(
                    Problem(
                        f"cues.{kind}: '{phrase}' is looked for in almost every sentence: each of its required "
                        f"words is a common one (it would be filed under {', '.join(repr(w) for w in words)})",
                        None,
                        None,
                        "add a required word few sentences hold (a verb such as 'said', a rarer noun), "
                        "or make the common words optional",
                    )
                )
    return out
