"""The catalogue's cache file: the validated model as checked JSON, so a look-up skips YAML and validation.

The file is a CRC-32 (of the catalogue's digest and the JSON, send_align.rows) followed by the JSON; it is
data, never code. Phrases, which term lists repeat across rules, are stored once in a table and named by
their index, so the file stays small and a look-up rebuilds the rules' phrase groups in C loops. Anything
that does not check out is None, and the caller builds the catalogue from its files again.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from send_align.model import (
    Aim,
    AimKind,
    Catalogue,
    Context,
    Example,
    Framework,
    Genre,
    Link,
    LookIn,
    Order,
    Rule,
    Scope,
    Within,
)
from send_align.rows import (
    UNREADABLE,
    Corrupt,
    array,
    checksum,
    dumps,
    flag,
    integer,
    loads,
    maybe_integer,
    maybe_text,
    number,
    text,
)

_HEADER = 4  # bytes of CRC-32 before the JSON


def _rule_row(r: Rule, ids: Callable[[tuple[str, ...]], list[int]]) -> list[Any]:
    """A rule as `encode` writes it (phrases as numbers in the file's phrase table)."""
    return [
        r.id,
        [ids(g) for g in r.groups],
        r.within,
        ids(r.unless),
        r.weight,
        # As written: most rules name no term list, and then it is the groups.
        None if r.source_phrases == r.groups else [ids(g) for g in r.source_phrases],
        list(r.near) if isinstance(r.near, tuple) else r.near,
        r.order,
        r.look_in,
        r.exact_case,
        r.spread,
        r.heading,
        r.unless_near,
        r.genre,
        r.lead_in,
        list(r.unless_genre),
    ]


def encode(cat: Catalogue) -> bytes:
    """The file's bytes for a catalogue (its digest is the file's key, and part of its checksum)."""
    table: dict[str, int] = {}

    def ids(phrases: tuple[str, ...]) -> list[int]:
        return [table.setdefault(p, len(table)) for p in phrases]

    frameworks = [
        [
            fw.id,
            fw.title,
            fw.publisher,
            fw.year,
            fw.version,
            fw.source,
            fw.description,
            [
                [
                    a.id,
                    a.framework,
                    a.title,
                    a.statement,
                    a.kind,
                    a.source,
                    [_rule_row(r, ids) for r in a.rules],
                    [[ln.relation, ln.target, ln.note] for ln in a.links],
                    [[e.text, e.counts] for e in a.examples],
                    a.context,
                    a.path,
                    a.line,
                ]
                for a in fw.aims
            ],
            fw.path,
            fw.builtin,
            fw.scope,
        ]
        for fw in cat.frameworks
    ]
    contexts = [
        [c.name, ids(c.phrases), c.min_paragraphs, c.min_share, c.short_document]
        for c in cat.contexts.values()
    ]
    genres = [
        [
            g.name,
            ids(g.names),
            ids(g.addressed),
            ids(g.against),
            g.context,
            g.opening,
            g.reach,
            g.min_addressed,
            g.short_document,
            ids(g.spares),
            ids(g.titles),
        ]
        for g in cat.genres.values()
    ]
    terms = [[name, ids(phrases)] for name, phrases in cat.terms.items()]
    masks = ids(cat.masks)
    cues = [[kind, ids(phrases)] for kind, phrases in cat.cues.items()]
    # (No model files: their paths are this install's, found on every run; see strategies.load_catalogue.)
    payload = dumps([list(table), frameworks, contexts, genres, terms, masks, cues, list(cat.warnings)])
    return checksum(cat.digest, payload).to_bytes(_HEADER, "big") + payload


def decode(data: bytes, digest: str) -> Catalogue | None:
    """The catalogue a file holds, or None when it is damaged, not one this code wrote, or for another
    digest."""
    payload = data[_HEADER:]
    if len(data) < _HEADER or int.from_bytes(data[:_HEADER], "big") != checksum(digest, payload):
        return None
    try:
        return _catalogue(loads(payload), digest)
    except UNREADABLE:
        return None


def _catalogue(row: Any, digest: str) -> Catalogue:
    strings, framework_rows, context_rows, genre_rows, term_rows, mask_ids, cue_rows, warnings = array(row)
    if type(strings) is not list or not set(map(type, strings)) <= {str}:
        raise Corrupt
    rows = _Rows(strings)
    contexts = {
        text(name): Context(
            name=name,
            phrases=rows.phrases(ids),
            min_paragraphs=integer(least),
            min_share=number(share),
            short_document=integer(short),
        )
        for name, ids, least, share, short in array(context_rows)
    }
    genres = {
        text(name): Genre(
            name=name,
            names=rows.phrases(names),
            addressed=rows.phrases(addressed),
            against=rows.phrases(against),
            context=maybe_text(context),
            opening=integer(opening),
            reach=integer(reach),
            min_addressed=integer(least),
            short_document=integer(short),
            spares=rows.phrases(spares),
            titles=rows.phrases(titles),
        )
        for name, names, addressed, against, context, opening, reach, least, short, spares, titles in array(genre_rows)
    }
    return Catalogue(
        frameworks=tuple(map(rows.framework, array(framework_rows))),
        contexts=contexts,
        genres=genres,
        terms={text(name): rows.phrases(ids) for name, ids in array(term_rows)},
        digest=digest,
        masks=rows.phrases(mask_ids),
        cues={text(kind): rows.phrases(ids) for kind, ids in array(cue_rows)},
        warnings=tuple(map(text, array(warnings))),
    )


# Kinds by their stored names: a dict look-up per value (a name this code does not know is a KeyError,
# so the file is not one it wrote).
_WITHIN = {k.value: k for k in Within}
_ORDER = {k.value: k for k in Order}
_LOOK_IN = {k.value: k for k in LookIn}
_AIM_KIND = {k.value: k for k in AimKind}
_SCOPE = {k.value: k for k in Scope}


class _Rows:
    """Rebuilds the model from its rows, phrases named by their index in the file's table of strings."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings

    def phrases(self, value: object) -> tuple[str, ...]:
        # An index that is not an int, or out of range, raises TypeError or IndexError here.
        ids = array(value)
        if len(ids) > 1:
            return itemgetter(*ids)(self.strings)  # type: ignore[no-any-return]
        return (self.strings[ids[0]],) if ids else ()

    def groups(self, value: object) -> tuple[tuple[str, ...], ...]:
        return tuple(map(self.phrases, array(value)))

    def rule(self, r: object) -> Rule:
        (
            rid,
            groups,
            within,
            unless,
            weight,
            source,
            near,
            order,
            look_in,
            exact,
            spread,
            heading,
            unless_near,
            genre,
            lead_in,
            unless_genre,
        ) = array(r)
        expanded = self.groups(groups)
        return Rule(
            id=text(rid),
            groups=expanded,
            within=_WITHIN[within],
            unless=self.phrases(unless),
            weight=number(weight),
            source_phrases=expanded if source is None else self.groups(source),
            near=tuple(map(maybe_integer, near)) if type(near) is list else maybe_integer(near),
            order=_ORDER[order],
            look_in=_LOOK_IN[look_in],
            exact_case=flag(exact),
            spread=integer(spread),
            heading=text(heading),
            unless_near=maybe_integer(unless_near),
            genre=maybe_text(genre),
            lead_in=text(lead_in),
            unless_genre=tuple(map(text, array(unless_genre))),
        )

    def aim(self, a: object) -> Aim:
        aid, fid, title, statement, kind, source, rules, links, examples, context, path, line = array(a)
        return Aim(
            id=text(aid),
            framework=text(fid),
            title=text(title),
            statement=text(statement),
            kind=_AIM_KIND[kind],
            source=text(source),
            rules=tuple(map(self.rule, array(rules))),
            links=tuple(Link(text(rel), text(target), text(note)) for rel, target, note in array(links)),
            examples=tuple(Example(text(t), flag(counts)) for t, counts in array(examples)),
            context=maybe_text(context),
            path=text(path),
            line=maybe_integer(line),
        )

    def framework(self, f: object) -> Framework:
        fid, title, publisher, year, version, source, description, aims, path, builtin, scope = array(f)
        return Framework(
            id=text(fid),
            title=text(title),
            publisher=text(publisher),
            year=integer(year),
            version=text(version),
            source=text(source),
            description=text(description),
            aims=tuple(map(self.aim, array(aims))),
            path=text(path),
            builtin=flag(builtin),
            scope=_SCOPE[scope],
        )
