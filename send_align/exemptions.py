"""Aims declared not applicable to a document: by the configuration (patterns on paths) and by the document
itself (directives naming aims), with the reason each gives."""

from __future__ import annotations

from collections.abc import Sequence

from send_align.errors import Problem, SendAlignError
from send_align.model import Catalogue
from send_align.options import Exemptions
from send_align.paths import path_matches
from send_align.results import Exemption


def exemptions_for(
    catalogue: Catalogue,
    path: str,
    exemptions: Sequence[Exemption],
    settings: Exemptions,
    rel: str | None = None,
) -> dict[str, str]:
    """Aim id -> reason for every aim declared not applicable to this document (configuration, then inline).

    An inline exemption naming no known aim is bad input."""
    out: dict[str, str] = {}
    for entry in settings.not_applicable:
        if not entry.patterns or path_matches(entry.patterns, rel or path):
            for aim_id in catalogue.aims_matching(entry.aim):
                out[aim_id] = f"{entry.reason} ({settings.source})"
    bad = []
    for ex in exemptions:
        if not settings.allow_wildcards and any(c in ex.aim for c in "*?["):
            # One line in a pull request must not switch off every gate: a document names the aims it
            # exempts; patterns belong in the configuration, which the repository decides.
            bad.append(
                Problem(
                    f"not-applicable '{ex.aim}' is a pattern; a document may only exempt aims it names",
                    path,
                    ex.line,
                    hint="name each aim, or put the pattern under [[not-applicable]] in send-align.toml, "
                    "or set allow-wildcard-exemptions = true there",
                )
            )
            continue
        ids = catalogue.aims_matching(ex.aim)
        if not ids:
            bad.append(
                Problem(
                    f"not-applicable names no known aim: '{ex.aim}'",
                    path,
                    ex.line,
                    hint="see `send-align search WORDS` for ids",
                )
            )
        where = f"line {ex.line}" if ex.line else "in the document"
        for aim_id in ids:
            out[aim_id] = f"{ex.reason} ({where})"
    if bad:
        raise SendAlignError(bad)
    return out


def cache_key(settings: Exemptions, rel: str) -> str:
    """The configuration's exemptions that apply to a path, as a cache key part."""
    parts = [
        f"{e.aim}\x1f{e.reason}"
        for e in settings.not_applicable
        if not e.patterns or path_matches(e.patterns, rel)
    ]
    if settings.allow_wildcards:
        parts.append("allow-wildcard-exemptions")
    return "\x1e".join([settings.source, *parts])
