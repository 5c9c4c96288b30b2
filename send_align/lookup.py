"""What the look-up commands print: frameworks, show, search and validate, as text or JSON.

Kept out of report/ so that a look-up imports nothing it does not use (start-up time): one module, one
registry per command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from send_align.escaping import line
from send_align.model import (
    INVERSE_RELATION,
    KINDS,
    Aim,
    Catalogue,
    Framework,
    LookIn,
    Order,
    Rule,
    strength_name,
)
from send_align.reporting import Format, RenderOptions, Reporter, as_json
from send_align.style import Styler, wrap

if TYPE_CHECKING:  # `show` and `frameworks` load neither
    from send_align.search import Found
    from send_align.validating import Validated


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


def frameworks_text(cat: Catalogue, _: Catalogue, options: RenderOptions) -> str:
    import textwrap

    s = Styler(options.colour)
    idw = max(len(f.id) for f in cat.frameworks)
    room = max(20, options.width - idw - 12)  # the title and source wrap to the terminal in their column
    out = []
    for f in cat.frameworks:
        # Escaped before wrapping: a line break in a title is shown as one, never taken for a space.
        title = textwrap.wrap(line(f.title) + ("" if f.builtin else "  (local)"), room, break_on_hyphens=False)
        source = textwrap.wrap(line(f"{f.publisher}, {f.year} · {f.source}"), room, break_on_hyphens=False)
        out.append(f"{s(f.id.ljust(idw), 'bold', 'cyan')}  {len(f.aims):>3} aims  {s(title[0])}\n")
        out += [f"{' ' * (idw + 12)}{s(t)}\n" for t in title[1:]]
        out += [f"{' ' * (idw + 12)}{s(t, 'dim')}\n" for t in source]
    return "".join(out)


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
                "genre": r.genre,
                "unless_genre": list(r.unless_genre),
                "lead_in": r.lead_in or False,
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


def learned_json(cat: Catalogue, aim: Aim) -> dict[str, Any] | None:
    """The aim's learned model as `show` describes it, or None when it has none."""
    from send_align.learned.files import model_for

    found = model_for(cat, aim.id)
    if found is None:
        return None
    mf, model = found
    weighed = sorted(((w, f) for f, w in model.weights.items() if w > 0), key=lambda wf: (-wf[0], wf[1]))
    return {
        "file": mf.path,
        "threshold": model.threshold,
        "one_window_threshold": mf.one_window(model),
        "adds": model.adds,
        "vetoes": model.vetoes,
        "veto": mf.veto if model.vetoes else None,
        "positives": model.positives,
        "trained_on": mf.trained_on,
        "features": sum(1 for w in model.weights.values() if w),
        "strongest": [f for _, f in weighed[:12]],
    }


def _model_use(learned: dict[str, Any]) -> str:
    """What an aim's learned model does for it, in a sentence (`show`)."""
    weighed = f"{learned['features']:,} weighed word forms and pairs"
    if not learned["adds"]:
        if learned["veto"] is None:
            why = "never lets it veto this aim (vetoes: false)" if not learned["vetoes"] else "sets no veto"
            return f"The model never adds this aim (its file says adds: false), and its file {why}: it changes nothing."
        return (
            f"The model never adds this aim where the rules miss it (its file says adds: false); read from {weighed}, "
            f"a probability under {learned['veto']:.2f} holds a weak finding of the rules at partial."
        )
    short = (
        f" ({learned['one_window_threshold']:.2f} on a document of one window or less)"
        if learned["one_window_threshold"] < learned["threshold"]
        else ""
    )
    never = (
        " Its file never lets it veto this aim (vetoes: false): a weak finding of the rules stands."
        if not learned["vetoes"]
        else ""
    )
    return (
        f"Where the rules do not address the aim, the model addresses it at a probability of "
        f"{learned['threshold']:.2f} or more{short}, from {weighed}.{never}"
    )


def show_json(item: Framework | Aim, cat: Catalogue) -> dict[str, Any]:
    if isinstance(item, Aim):
        return {**aim_json(cat, item), "learned": learned_json(cat, item)}
    return {
        **frameworks_json(Catalogue(frameworks=(item,)))[0],
        "description": item.description,
        "aims": [{"id": a.id, "title": a.title, "kind": a.kind} for a in item.aims],
    }


def show_text(item: Framework | Aim, cat: Catalogue, options: RenderOptions) -> str:
    s, width = Styler(options.colour), options.width
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
        out.append(f"  {s(r.id, 'bold')}  {strength_name(r.weight)}{_rule_terms(r)}\n")
        if r.source_phrases[0] or not r.genre:
            out.append(wrap("phrases: " + "; ".join(r.source_phrases[0]), width - 6, "    "))
        else:
            out.append(wrap("no phrases: the line that shows the document is of the genre", width - 6, "    "))
        for g in r.source_phrases[1:]:
            out.append(wrap("with: " + "; ".join(g), width - 6, "    "))
        if r.unless:
            out.append(wrap("unless: " + "; ".join(r.unless), width - 6, "    "))
    learned = learned_json(cat, aim)
    if learned is not None:
        out.append("\n" + s("learned model", "bold", "cyan") + s(f"  ({learned['file']})", "dim") + "\n")
        fitted = (
            f" {learned['positives']} of the labelled documents it was fitted on address this aim."
            if learned["positives"] is not None
            else ""
        )
        out.append(wrap(_model_use(learned) + fitted, width - 2, "  "))
        out.append(wrap("weighs most (word stems): " + "; ".join(learned["strongest"]), width - 4, "  "))
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


def search_json(found: Found, catalogue: Catalogue) -> list[dict[str, Any]]:
    return [{"id": a.id, "title": a.title, "framework": a.framework, "score": round(s, 3)} for s, a in found.hits]


def search_text(found: Found, catalogue: Catalogue, options: RenderOptions) -> str:
    s, width, hits = Styler(options.colour), options.width, found.hits
    if not hits:
        return f"no aims match '{s(found.query)}'\n"
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


def validated_json(checked: Validated, _: Catalogue) -> dict[str, Any]:
    return {"valid": True, **checked.summary, "warnings": list(checked.warnings)}


def validated_text(checked: Validated, _: Catalogue, options: RenderOptions) -> str:
    summary, warnings = checked.summary, checked.warnings
    return (
        f"ok: {summary['files']} file(s), {summary['frameworks']} framework(s), "
        f"{summary['aims']} aims, {summary['examples']} examples checked"
        + (f", {summary['proposals']} proposal(s)" if summary["proposals"] else "")
        + (f", {len(warnings)} warning(s)" if warnings else "")
        + "\n"
    )


FRAMEWORKS: dict[Format, Reporter[Catalogue]] = {
    Format.TEXT: frameworks_text,
    Format.JSON: as_json(lambda cat, _: frameworks_json(cat)),
}
SHOW: dict[Format, Reporter[Framework | Aim]] = {Format.TEXT: show_text, Format.JSON: as_json(show_json)}
SEARCH: dict[Format, Reporter[Found]] = {Format.TEXT: search_text, Format.JSON: as_json(search_json)}
VALIDATE: dict[Format, Reporter[Validated]] = {Format.TEXT: validated_text, Format.JSON: as_json(validated_json)}


# How a rule's `heading` option reads in `show`.
_HEADING_WORDS = {
    "": "",
    "groups": ", groups may stand in the section's heading",
    "main": ", the main phrase may stand in the section's heading",
    "both": ", main phrase or groups may stand in the section's heading",
    "only": ", the main phrase counts only in the section's heading",
}
_LEAD_IN_WORDS = {
    "": "",
    "groups": ", list items may take the groups from their lead-in",
    "main": ", the main phrase may stand in a list's lead-in",
    "both": ", main phrase or groups may stand in a list's lead-in",
    "names": ", the main phrase may stand in a list's lead-in, over items of any length",
}


def _rule_terms(r: Rule) -> str:
    """A rule's options in words, after its strength: ', within 4 words, capitals as written'."""
    near = ""
    if isinstance(r.near, int):
        near = f", within {r.near} words"
    elif isinstance(r.near, tuple):
        near = f", within {'/'.join('-' if n is None else str(n) for n in r.near)} words"
    return (
        (f", within a {r.within}" if r.source_phrases[1:] else "")
        + near
        + (f", the other groups {r.order} it" if r.order is not Order.ANY else "")
        + _HEADING_WORDS[r.heading]
        + ("" if r.look_in is LookIn.TEXT else f", in {r.look_in}")
        + (", capitals as written" if r.exact_case else "")
        + (f", in {r.spread} paragraphs or more" if r.spread > 1 else "")
        + (f", only in a document of genre {r.genre}" if r.genre else "")
        + (f", not in a document of genre {' or '.join(r.unless_genre)}" if r.unless_genre else "")
        + _LEAD_IN_WORDS[r.lead_in]
    )
