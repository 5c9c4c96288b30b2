"""The look-up commands: frameworks, show, search and validate, as text or JSON data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from send_align.errors import Problem, SendAlignError
from send_align.files import special_kind
from send_align.model import INVERSE_RELATION, KINDS, Aim, Catalogue, Framework, strength_name
from send_align.style import Styler, wrap


def frameworks_json(cat: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "title": f.title,
            "publisher": f.publisher,
            "year": f.year,
            "version": f.version,
            "aims": len(f.aims),
            "source": f.source,
            "builtin": f.builtin,
            "file": f.path,
        }
        for f in cat.frameworks
    ]


def frameworks_text(cat: Catalogue, colour: bool) -> str:
    s = Styler(colour)
    idw = max(len(f.id) for f in cat.frameworks)
    out = []
    for f in cat.frameworks:
        local = "" if f.builtin else s("  (local)", "yellow")
        out.append(f"{s(f.id.ljust(idw), 'bold', 'cyan')}  {len(f.aims):>3} aims  {s(f.title)}{local}\n")
        out.append(f"{' ' * idw}            {s(f'{f.publisher}, {f.year} · {f.source}', 'dim')}\n")
    return "".join(out)


def _framework_or_aim(cat: Catalogue, ident: str) -> Framework | Aim:
    fw = cat.framework(ident)
    if fw is not None:
        return fw
    aim = cat.aim(ident)
    if aim is not None:
        return aim
    import difflib

    ids = [f.id for f in cat.frameworks] + [a.id for a in cat.aims()]
    close = difflib.get_close_matches(ident, ids, n=3, cutoff=0.6)
    hint = (
        f"did you mean {', '.join(close)}?"
        if close
        else "see `send-align frameworks` and `send-align search`"
    )
    raise SendAlignError(f"unknown framework or aim id '{ident}'", hint=hint)


def aim_json(cat: Catalogue, aim: Aim) -> dict[str, Any]:
    return {
        "id": aim.id,
        "framework": aim.framework,
        "title": aim.title,
        "kind": aim.kind,
        "statement": aim.statement,
        "source": aim.source,
        "context": aim.context,
        "rules": [
            {
                "id": r.id,
                "phrases": list(r.source_phrases[0]),
                "with": [list(g) for g in r.source_phrases[1:]],
                "within": r.within,
                "unless": list(r.unless),
                "unless_near": r.unless_near,
                "weight": r.weight,
                "strength": strength_name(r.weight),
                "near": list(r.near) if isinstance(r.near, tuple) else r.near,
                "in": r.look_in,
                "case": "exact" if r.exact_case else "acronyms",
                "spread": r.spread,
                "order": r.order,
                "heading": r.heading,
            }
            for r in aim.rules
        ],
        "links": [{"relation": ln.relation, "aim": ln.target, "note": ln.note} for ln in aim.links],
        "linked_from": [
            {"relation": INVERSE_RELATION[ln.relation], "aim": src.id, "note": ln.note}
            for src, ln in cat.incoming(aim.id)
        ],
        "examples": {
            "counts": [e.text for e in aim.examples if e.counts],
            "not": [e.text for e in aim.examples if not e.counts],
        },
    }


def show_json(cat: Catalogue, ident: str) -> dict[str, Any]:
    item = _framework_or_aim(cat, ident)
    if isinstance(item, Aim):
        return aim_json(cat, item)
    return {
        **frameworks_json(Catalogue((item,)))[0],
        "description": item.description,
        "aims": [{"id": a.id, "title": a.title, "kind": a.kind} for a in item.aims],
    }


def show_text(cat: Catalogue, ident: str, colour: bool, width: int) -> str:
    item = _framework_or_aim(cat, ident)
    s = Styler(colour)
    out: list[str] = []
    if isinstance(item, Framework):
        out.append(s(item.title, "bold") + f"  [{item.id}]\n")
        out.append(s(f"{item.publisher}, {item.year} · version {item.version}", "dim") + "\n")
        out.append(s(f"source: {item.source}", "dim") + "\n")
        if item.description:
            out.append(wrap(item.description, width - 2, ""))
        kinds = sorted({a.kind for a in item.aims}, key=lambda k: KINDS.index(k) if k in KINDS else 99)
        idw = max(len(a.id) for a in item.aims)
        for kind in kinds:
            aims = [a for a in item.aims if a.kind == kind]
            label = kind.replace("-", " ") + ("s" if not kind.endswith("s") else "")
            out.append("\n" + s(f"{label} ({len(aims)})", "bold", "cyan") + "\n")
            for i, a in enumerate(aims):
                branch = "└─" if i == len(aims) - 1 else "├─"
                out.append(f"{branch} {s(a.id.ljust(idw), 'bold')}  {s(a.title)}\n")
        return "".join(out)
    aim = item
    out.append(s(aim.title, "bold") + f"  [{aim.id}]\n")
    fw = cat.framework(aim.framework)
    out.append(s(f"{aim.kind.replace('-', ' ')} of {fw.title if fw else aim.framework}", "dim") + "\n\n")
    out.append(wrap(aim.statement, width - 2, "  "))
    out.append(s(f"  source: {aim.source}", "dim") + "\n")
    if aim.context:
        out.append(s(f"  counts only in documents about {aim.context.upper()}", "dim") + "\n")
    out.append(
        "\n"
        + s("rules", "bold", "cyan")
        + s("  (any phrase; every 'with' group too, in one sentence unless said)", "dim")
        + "\n"
    )
    for r in aim.rules:
        out.append(
            f"  {s(r.id, 'bold')}  {strength_name(r.weight)}"
            + (f", within a {r.within}" if r.source_phrases[1:] else "")
            + (f", within {r.near} words" if isinstance(r.near, int) else "")
            + (
                f", within {'/'.join('-' if n is None else str(n) for n in r.near)} words"
                if isinstance(r.near, tuple)
                else ""
            )
            + (f", the other groups {r.order} it" if r.order != "any" else "")
            + {
                "": "",
                "groups": ", groups may stand in the section's heading",
                "main": ", the main phrase may stand in the section's heading",
                "both": ", main phrase or groups may stand in the section's heading",
            }[r.heading]
            + ("" if r.look_in == "text" else f", in {r.look_in}")
            + (", capitals as written" if r.exact_case else "")
            + (f", in {r.spread} paragraphs or more" if r.spread > 1 else "")
            + "\n"
        )
        out.append(wrap("phrases: " + "; ".join(r.source_phrases[0]), width - 6, "    "))
        for g in r.source_phrases[1:]:
            out.append(wrap("with: " + "; ".join(g), width - 6, "    "))
        if r.unless:
            out.append(wrap("unless: " + "; ".join(r.unless), width - 6, "    "))
    links = [(ln.relation, ln.target, ln.note) for ln in aim.links] + [
        (INVERSE_RELATION[ln.relation], src.id, ln.note) for src, ln in cat.incoming(aim.id)
    ]
    if links:
        out.append("\n" + s("crosswalk", "bold", "cyan") + "\n")
        for rel, target, note in sorted(set(links)):
            other = cat.aim(target)
            out.append(f"  {rel:<16} {s(target, 'bold')}  {s(other.title) if other else ''}\n")
            if note:
                out.append(wrap(note, width - 22, " " * 19))
    for counts, label in ((True, "examples that count"), (False, "near misses that do not count")):
        ex = [e.text for e in aim.examples if e.counts is counts]
        if ex:
            out.append("\n" + s(label, "bold", "cyan") + "\n")
            for e in ex:
                out.append(wrap(f"“{e}”", width - 4, "  "))
    return "".join(out)


# --- search ------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+")


def _aim_fields(aim: Aim) -> list[tuple[float, str]]:
    phrases = " ; ".join(p for r in aim.rules for g in r.groups for p in g)
    return [(3.0, f"{aim.id} {aim.title}"), (1.5, aim.statement), (1.0, phrases)]


def search(cat: Catalogue, query: str, limit: int, framework_ids: list[str]) -> list[tuple[float, Aim]]:
    """Aims ranked by how well their title, statement and phrases match the query's words."""
    import difflib

    from send_align.stemming import stem

    words = [w.lower() for w in _WORD.findall(query)]
    if not words:
        raise SendAlignError("search needs at least one word")
    aims = [a for a in cat.aims() if not framework_ids or a.framework in framework_ids]
    indexed = []
    vocabulary: set[str] = set()
    for aim in aims:
        fields = []
        for weight, text in _aim_fields(aim):
            tokens = [w.lower() for w in _WORD.findall(text)]
            vocabulary.update(tokens)
            fields.append((weight, {stem(t) for t in tokens}, " ".join(tokens)))
        indexed.append((aim, fields))
    # A word found nowhere is taken as a typo of the nearest known word.
    terms = []
    for w in words:
        st = stem(w)
        if w in vocabulary or any(st in f[1] for _, fs in indexed for f in fs):
            terms.append(st)
        else:
            close = difflib.get_close_matches(w, sorted(vocabulary), n=1, cutoff=0.75)
            if close:
                terms.append(stem(close[0]))
    if not terms:
        return []
    phrase = " ".join(words)
    results = []
    for aim, fields in indexed:
        score = 0.0
        matched = set()
        for weight, stems, text in fields:
            got = [t for t in terms if t in stems]
            matched.update(got)
            score += weight * len(got) / len(terms)
            if len(words) > 1 and phrase in text:
                score += weight
        if matched:
            score *= len(matched) / len(terms)
            results.append((score, aim))
    results.sort(key=lambda x: (-x[0], x[1].id))
    return results[:limit]


def search_text(hits: list[tuple[float, Aim]], query: str, colour: bool, width: int) -> str:
    s = Styler(colour)
    if not hits:
        return f"no aims match '{s(query)}'\n"
    idw = max(len(a.id) for _, a in hits)
    out = []
    for _, aim in hits:
        out.append(f"{s(aim.id.ljust(idw), 'bold', 'cyan')}  {s(aim.title)}\n")
        statement = " ".join(aim.statement.split())
        room = max(30, width - idw - 4)
        out.append(
            " " * (idw + 2) + s(statement[: room - 1] + ("…" if len(statement) > room else ""), "dim") + "\n"
        )
    return "".join(out)


# --- validate ----------------------------------------------------------------------------------------


def check_examples(cat: Catalogue) -> tuple[int, list[Problem]]:
    """Run each aim's example sentences through its own rules: counts must hit, near misses must not."""
    from send_align.matching import compile_matcher, scan_document
    from send_align.results import Block

    problems, n = [], 0
    for aim in cat.aims():
        if not aim.examples:
            continue
        plain = Aim(aim.id, aim.framework, aim.title, aim.statement, aim.kind, aim.source, aim.rules)
        matcher = compile_matcher(cat, [plain])
        for ex in aim.examples:
            n += 1
            scan = scan_document(matcher, [Block(ex.text, 1, 1, 1)])
            hit = bool(scan.evidence.get(0))
            if hit != ex.counts:
                why = "no rule counts it" if ex.counts else "rule " + scan.evidence[0][0].rule + " counts it"
                want = "should count" if ex.counts else "should not count"
                problems.append(
                    Problem(f"{aim.id}: example {want} but {why}: '{ex.text[:80]}'", aim.path, aim.line)
                )
    return n, problems


def validate(
    paths: list[Path], strategies: list[Path], cache_dir: Path | None
) -> tuple[dict[str, int], tuple[str, ...]]:
    """What was checked, and the catalogue's warnings; SendAlignError with every problem found."""
    from send_align.strategies import build, find_files, load_catalogue

    proposals: list[Path] = []
    strategy_files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            kind = special_kind(p.stat().st_mode)
        except OSError:
            problems.append(Problem("no such file or folder", str(p)))
            continue
        if kind is not None:
            problems.append(Problem(f"not a regular file ({kind})", str(p)))
        elif p.is_dir():
            strategy_files.append(p)
        elif _is_proposal(p):
            proposals.append(p)
        else:
            strategy_files.append(p)
    if problems:
        raise SendAlignError(problems)
    extra = strategies + strategy_files
    cat = build(find_files(extra)) if strategy_files else load_catalogue(extra, cache_dir)
    n_examples, problems = check_examples(cat)
    for p in proposals:
        problems.extend(_validate_proposal(cat, p))
    if problems:
        raise SendAlignError(problems)
    from send_align.lint import rule_warnings

    summary = {
        "files": len(paths) or len(find_files(extra)),
        "frameworks": len(cat.frameworks),
        "aims": len(cat.aims()),
        "examples": n_examples,
        "proposals": len(proposals),
    }
    return summary, (*cat.warnings, *(str(w) for w in rule_warnings(cat)))


def _is_proposal(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r'^\s*(?:\{\s*)?"?proposal"?\s*:', head, re.M))


def _validate_proposal(cat: Catalogue, path: Path) -> list[Problem]:
    from send_align.extract.proposal import extract
    from send_align.proposals import unknown_claims

    try:
        doc = extract(path, str(path))
    except SendAlignError as exc:
        return exc.problems
    return unknown_claims(cat, doc.claims or (), str(path))
