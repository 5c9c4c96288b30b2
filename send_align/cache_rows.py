"""Results and extracted documents as the cache keeps them: compact JSON rows, checked when read back.

Many values of one class are stored as columns (a list per field): each column's types are checked in C
(the set of the types it holds) and the values are rebuilt by map() in C, so a warm run over thousands
of documents pays for checking about what it would pay for unpickling. A row that does not check out
raises Corrupt (or another of rows.UNREADABLE), which the cache treats as a miss.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from itertools import islice, repeat
from operator import attrgetter
from typing import Any

from send_align.results import (
    Block,
    BlockKind,
    Claim,
    ClaimResult,
    ClaimStatus,
    Document,
    DocumentResult,
    Exemption,
    Status,
    aim_result,
    evidence,
)
from send_align.rows import Corrupt, array, dumps, loads, maybe_integer, maybe_text, text

Types = frozenset[object]
Fields = tuple[tuple[str, Types], ...]
_NONE = type(None)
_TEXT: Types = frozenset([str])
_INT: Types = frozenset([int])
_NUMBER: Types = frozenset([int, float])
_MAYBE_TEXT: Types = frozenset([str, _NONE])
_MAYBE_INT: Types = frozenset([int, _NONE])

_EVIDENCE: Fields = (
    ("rule", _TEXT),
    ("text", _TEXT),
    ("paragraph", _INT),
    ("line", _MAYBE_INT),
    ("column", _MAYBE_INT),
    ("page", _MAYBE_INT),
    ("section", _MAYBE_TEXT),
    ("weight", _NUMBER),
    ("phrase", _TEXT),
    ("discarded", _MAYBE_TEXT),
)
_BLOCK: Fields = (
    ("text", _TEXT),
    ("paragraph", _INT),
    ("line", _MAYBE_INT),
    ("column", _MAYBE_INT),
    ("page", _MAYBE_INT),
    ("section", _MAYBE_TEXT),
    ("kind", _TEXT),
)
# Kinds by their stored names (an unknown name is a KeyError: not a row this code wrote).
_BLOCK_KIND = {k.value: k for k in BlockKind}
_BLOCK_KIND_COLUMN = [name for name, _ in _BLOCK].index("kind")
_CLAIM_STATUS = {k.value: k for k in ClaimStatus}
# A row's statuses: one letter per aim.
_LETTER = {Status.ADDRESSED: "a", Status.PARTIAL: "p", Status.NOT_ADDRESSED: "n", Status.NOT_APPLICABLE: "x"}
_BY_LETTER = {letter: status for status, letter in _LETTER.items()}


def _column(values: object, types: Types) -> list[Any]:
    if type(values) is not list or not set(map(type, values)) <= types:
        raise Corrupt
    return values


def _to_columns(items: Sequence[Any], fields: Fields) -> list[list[Any]]:
    return [list(map(attrgetter(name), items)) for name, _ in fields]


def _from_columns(
    make: Any, columns: object, fields: Fields, convert: dict[int, Callable[[Any], Any]] | None = None
) -> list[Any]:
    """Values rebuilt by `make` (called with one value of each column, in order) from checked columns; a
    column may be converted first (`convert`: by its index)."""
    cols = array(columns)
    if len(cols) != len(fields):
        raise Corrupt
    checked: list[Any] = [_column(col, types) for col, (_, types) in zip(cols, fields, strict=True)]
    if len({len(col) for col in checked}) > 1:
        raise Corrupt
    for i, fn in (convert or {}).items():
        checked[i] = map(fn, checked[i])
    return list(map(make, *checked))


@functools.lru_cache(maxsize=16)
def _ids(joined: str) -> tuple[str, ...]:
    """A row's aim ids (one string, space-separated): every document of a run shares them."""
    return tuple(joined.split(" ")) if joined else ()


def result_row(result: DocumentResult, light: bool = False) -> bytes:
    """A result as JSON, its path left out. `light`: each aim's status and score only, for a JSON report
    whose documents come from their stored JSON and need only statuses for coverage and gates."""
    aims = result.aims
    row: list[Any] = [
        result.format,
        " ".join(a.aim for a in aims),
        "".join(_LETTER[a.status] for a in aims),
        [a.score for a in aims],
    ]
    if light:
        row += [None, None, None]
    else:
        found = [e for a in aims for e in (*a.evidence, *a.discarded)]
        counts = [n for a in aims for n in (len(a.evidence), len(a.discarded))]
        row += [[a.reason for a in aims], counts, _to_columns(found, _EVIDENCE)]
    claims = None if result.claims is None else [[c.aim, c.status, c.how, c.line] for c in result.claims]
    return dumps([*row, claims, list(result.further), result.error, result.title, list(result.not_about)])


def result_from_row(data: bytes) -> DocumentResult:
    """The result a row holds (its path empty); Corrupt (or another ValueError, TypeError ...) when it is
    not one this code wrote."""
    fmt, joined, letters, scores, reasons, counts, evidence_columns, claim_rows, *rest = array(loads(data))
    further, error, title, outside = rest
    ids = _ids(text(joined))
    statuses = list(map(_BY_LETTER.__getitem__, text(letters)))
    if not len(ids) == len(statuses) == len(_column(scores, _NUMBER)):
        raise Corrupt
    if reasons is None:  # a light row
        none = repeat(())
        aims = list(map(aim_result, ids, statuses, scores, none, none, repeat("")))
    else:
        found = _from_columns(evidence, evidence_columns, _EVIDENCE)
        sizes = _column(counts, _INT)
        if len(sizes) != 2 * len(ids) or (sizes and min(sizes) < 0) or sum(sizes) != len(found):
            raise Corrupt
        pieces = iter(found)  # each aim's evidence, then its discarded hits
        kept, thrown = [], []
        for n_kept, n_thrown in zip(sizes[::2], sizes[1::2], strict=True):
            kept.append(tuple(islice(pieces, n_kept)))
            thrown.append(tuple(islice(pieces, n_thrown)))
        if len(_column(reasons, _TEXT)) != len(ids):
            raise Corrupt
        aims = list(map(aim_result, ids, statuses, scores, kept, thrown, reasons))
    claims = None
    if claim_rows is not None:
        claims = []
        for aim, status, how, line in array(claim_rows):
            claims.append(ClaimResult(text(aim), _CLAIM_STATUS[status], text(how), maybe_integer(line)))
    return DocumentResult(
        path="",
        format=text(fmt),
        aims=tuple(aims),
        claims=None if claims is None else tuple(claims),
        further=tuple(_column(further, _TEXT)),
        error=maybe_text(error),
        title=maybe_text(title),
        not_about=tuple(_column(outside, _TEXT)),
    )


def document_row(document: Document) -> bytes:
    """An extracted document as JSON (path left out)."""
    claims = None if document.claims is None else [[c.aim, c.how, c.line] for c in document.claims]
    exemptions = [[e.aim, e.reason, e.line] for e in document.exemptions]
    blocks = _to_columns(document.blocks, _BLOCK)
    return dumps([document.format, blocks, document.title, claims, exemptions, document.pages])


def document_from_row(data: bytes) -> Document:
    fmt, blocks, title, claim_rows, exemption_rows, pages = array(loads(data))
    claims = None
    if claim_rows is not None:
        claims = tuple(
            Claim(text(aim), text(how), maybe_integer(line)) for aim, how, line in array(claim_rows)
        )
    exemptions = tuple(
        Exemption(text(aim), text(reason), maybe_integer(line)) for aim, reason, line in array(exemption_rows)
    )
    return Document(
        path="",
        format=text(fmt),
        blocks=tuple(_from_columns(Block, blocks, _BLOCK, {_BLOCK_KIND_COLUMN: _BLOCK_KIND.__getitem__})),
        title=maybe_text(title),
        claims=claims,
        exemptions=exemptions,
        pages=maybe_integer(pages),
    )
