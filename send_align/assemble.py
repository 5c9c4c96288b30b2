"""From validated strategy files to the model: term lists expanded, ids checked, crosswalk links resolved.

Every problem is collected, in the order of the files and of what they hold, before anything is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from send_align.errors import Problem, SendAlignError
from send_align.learned.files import LEARNED_RULE
from send_align.model import (
    STRENGTHS,
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

if TYPE_CHECKING:
    from send_align.safeyaml import Loaded


def expand(
    phrases: list[str],
    terms: dict[str, list[str]],
    where: str,
    line: int | None,
    problems: list[Problem],
    seen: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Phrases with each `$term` replaced by its list (recursively), duplicates dropped in order."""
    out: list[str] = []
    for phrase in phrases:
        if phrase.startswith("$"):
            name = phrase[1:]
            if name in seen:
                problems.append(Problem(f"term list ${name} refers to itself", where, line))
            elif name not in terms:
                problems.append(
                    Problem(
                        f"unknown term list ${name}",
                        where,
                        line,
                        "define it under 'terms:' in this file or strategies/terms.yaml",
                    )
                )
            else:
                out.extend(expand(terms[name], terms, where, line, problems, (*seen, name)))
        else:
            out.append(phrase)
    return tuple(dict.fromkeys(out))


def assemble(loaded: list[Loaded], builtin: set[str], problems: list[Problem]) -> Catalogue:
    """The catalogue of valid files (`builtin`: the names of the shipped ones); SendAlignError with every
    problem found here and before (`problems`)."""
    kept, replacing, replaced = _without_replaced(loaded, builtin)
    shared = _Shared.collect(kept, builtin, problems)
    contexts = shared.contexts(problems)
    genres = shared.genres(contexts, problems)
    masks = shared.masks(problems)
    builder = _Builder(shared.terms, contexts, problems, genres, shared.rules_raw)
    builder.shared(shared.rules_doc)
    built = [builder.framework(doc, builtin) for doc in kept if "framework" in doc.data]
    frameworks = [f for f in built if f is not None]
    warnings, dropped = builder.links(replacing, replaced, builtin)
    if problems:
        raise SendAlignError(problems)
    if dropped:
        frameworks = [replace(f, aims=tuple(_without_links(a, dropped) for a in f.aims)) for f in frameworks]
    return Catalogue(
        frameworks=tuple(frameworks),
        contexts=contexts,
        genres=genres,
        terms={k: tuple(v) for k, v in shared.terms.items()},
        masks=tuple(dict.fromkeys(masks)),
        cues={k: tuple(v) for k, v in shared.cues.items()},
        warnings=tuple(warnings),
    )


def _without_replaced(
    loaded: list[Loaded], builtin: set[str]
) -> tuple[list[Loaded], dict[str, tuple[str, int | None]], set[str]]:
    """The files that count (a local file replaces a built-in framework with the same id); per local
    framework id, the file and line that defines it; and the ids of the built-in frameworks replaced."""
    replacing = {
        d.data["framework"]["id"]: (d.path, d.line_of(("framework", "id")))
        for d in loaded
        if "framework" in d.data and d.path not in builtin
    }

    def is_replaced(d: Loaded) -> bool:
        return "framework" in d.data and d.path in builtin and d.data["framework"]["id"] in replacing

    kept = [d for d in loaded if not is_replaced(d)]
    replaced = {d.data["framework"]["id"] for d in loaded if is_replaced(d)}
    return kept, replacing, replaced


@dataclass
class _Shared:
    """What files share: term lists, contexts, masks and cues, as written."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    contexts_raw: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    genres_raw: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    masks_raw: list[tuple[list[str], str]] = field(default_factory=list)
    cues: dict[str, list[str]] = field(default_factory=dict)
    rules_raw: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    rules_doc: dict[str, Loaded] = field(default_factory=dict)

    @classmethod
    def collect(cls, kept: list[Loaded], builtin: set[str], problems: list[Problem]) -> _Shared:
        shared = cls()
        origin: dict[str, str] = {}

        def twice(doc: Loaded, section: str, kind: str, name: str, earlier: str | None) -> None:
            """A name defined twice is an error (the later would silently replace the earlier), unless a local
            file replaces a built-in one on purpose."""
            if earlier is not None and not (earlier in builtin and doc.path not in builtin):
                where = doc.line_of((section, name))
                problems.append(Problem(f"{section}.{name}: {kind} already defined in {earlier}", doc.path, where))

        for doc in kept:
            if doc.data.get("masks"):
                shared.masks_raw.append((doc.data["masks"], doc.path))
            for kind, cue_phrases in _cue_lists(doc.data.get("cues") or {}):
                have = shared.cues.setdefault(kind, [])
                have.extend(p for p in cue_phrases if p not in have)
            for name, phrases in (doc.data.get("terms") or {}).items():
                twice(doc, "terms", "term list", name, origin.get(name))
                shared.terms[name], origin[name] = phrases, doc.path
            for section, table in (
                ("contexts", shared.contexts_raw),
                ("genres", shared.genres_raw),
                ("rules", shared.rules_raw),
            ):
                for name, raw in (doc.data.get(section) or {}).items():
                    twice(doc, section, section[:-1], name, table[name][1] if name in table else None)
                    table[name] = (raw, doc.path)
            for name in doc.data.get("rules") or {}:
                shared.rules_doc[name] = doc
        return shared

    def genres(self, contexts: dict[str, Context], problems: list[Problem]) -> dict[str, Genre]:
        out = {}
        for name, (raw, where) in self.genres_raw.items():
            context = raw.get("context")
            if context is not None and context not in contexts:
                known = f"known: {', '.join(sorted(contexts)) or 'none'}"
                problems.append(Problem(f"genres.{name}.context: unknown context '{context}'", where, None, known))
            out[name] = Genre(
                name=name,
                names=expand(raw.get("names", []), self.terms, where, None, problems),
                titles=expand(raw.get("titles", []), self.terms, where, None, problems),
                addressed=expand(raw.get("addressed", []), self.terms, where, None, problems),
                against=expand(raw.get("against", []), self.terms, where, None, problems),
                context=context,
                opening=raw.get("opening", 3),
                reach=raw.get("reach", 40),
                min_addressed=raw.get("min_addressed", 2),
                short_document=raw.get("short_document", 8),
                spares=expand(raw.get("spares", []), self.terms, where, None, problems),
            )
        return out

    def contexts(self, problems: list[Problem]) -> dict[str, Context]:
        out = {}
        for name, (ctx, where) in self.contexts_raw.items():
            out[name] = Context(
                name=name,
                phrases=expand(ctx["phrases"], self.terms, where, None, problems),
                min_paragraphs=ctx.get("min_paragraphs", 2),
                min_share=ctx.get("min_share", 0.1),
                short_document=ctx.get("short_document", 8),
            )
        return out

    def masks(self, problems: list[Problem]) -> list[str]:
        out: list[str] = []
        for phrases, where in self.masks_raw:
            out.extend(expand(phrases, self.terms, where, None, problems))
        return out


# The key `used()` adds to a shared rule's body as an aim uses it: the name it was written under.
_SHARED = "_shared"

# A rule's `heading` or `lead_in` as written (true is "groups", the first meaning both had) to the model's value:
# which of the rule's words a heading, or a list's lead-in line, may lend to the text under it.
_LENT: dict[bool | str, str] = {
    False: "",
    True: "groups",
    "groups": "groups",
    "main": "main",
    "both": "both",
    "only": "only",
    "names": "names",
}


def _cue_lists(raw: dict[str, Any], prefix: str = "") -> list[tuple[str, list[str]]]:
    """A file's `cues:` mapping as (kind, phrases) pairs: nested names joined by dots ('before.negation')."""
    out: list[tuple[str, list[str]]] = []
    for name, value in raw.items():
        kind = f"{prefix}{name}"
        if isinstance(value, dict):
            out.extend(_cue_lists(value, kind + "."))
        else:
            out.append((kind, list(value)))
    return out


class _Builder:
    """Frameworks, aims and rules from their files, every id checked; crosswalk links checked last."""

    def __init__(
        self,
        terms: dict[str, list[str]],
        contexts: dict[str, Context],
        problems: list[Problem],
        genres: dict[str, Genre] | None = None,
        shared_rules: dict[str, tuple[dict[str, Any], str]] | None = None,
    ) -> None:
        self.terms = terms
        self.contexts = contexts
        self.genres = genres or {}
        self.shared_rules = shared_rules or {}
        # Each shared rule's expanded phrases, exclusions and groups as written, built once by shared().
        self.shared_built: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[str, ...], tuple[tuple[str, ...], ...]]] = {}
        self.problems = problems
        self.aim_origin: dict[str, tuple[str, int | None]] = {}
        self.fw_origin: dict[str, str] = {}
        self.pending_links: list[tuple[str, str, str, int | None]] = []

    def framework(self, doc: Loaded, builtin: set[str]) -> Framework | None:
        fw = doc.data["framework"]
        fid = fw["id"]
        if fid in self.fw_origin:
            self.problems.append(
                Problem(
                    f"framework.id: '{fid}' is already defined in {self.fw_origin[fid]}",
                    doc.path,
                    doc.line_of(("framework", "id")),
                    "framework ids must be unique",
                )
            )
            return None
        self.fw_origin[fid] = doc.path
        aims = [self.aim(doc, fid, fw, i, raw) for i, raw in enumerate(doc.data["aims"])]
        return Framework(
            id=fid,
            title=fw["title"],
            publisher=fw["publisher"],
            year=fw["year"],
            version=fw["version"],
            source=fw["source"],
            description=fw.get("description", "").strip(),
            aims=tuple(a for a in aims if a is not None),
            path=doc.path,
            builtin=doc.path in builtin,
            scope=Scope(fw.get("scope", "local")),
        )

    def aim(self, doc: Loaded, fid: str, fw: dict[str, Any], i: int, raw: dict[str, Any]) -> Aim | None:
        loc = ("aims", i)
        line = doc.line_of(loc)
        aid = raw["id"]
        if not aid.startswith(fid + "."):
            self.problems.append(
                Problem(
                    f"aims[{i}].id: '{aid}' must start with the framework id '{fid}.'",
                    doc.path,
                    doc.line_of((*loc, "id")),
                )
            )
        if aid in self.aim_origin:
            other, other_line = self.aim_origin[aid]
            self.problems.append(
                Problem(
                    f"aims[{i}].id: duplicate aim id '{aid}' (first defined at {other}:{other_line})",
                    doc.path,
                    doc.line_of((*loc, "id")),
                )
            )
            return None
        self.aim_origin[aid] = (doc.path, line)
        context = raw.get("context", fw.get("context"))
        if context == "none":
            context = None
        if context is not None and context not in self.contexts:
            self.problems.append(
                Problem(
                    f"aims[{i}].context: unknown context '{context}'",
                    doc.path,
                    doc.line_of((*loc, "context")),
                    f"known: {', '.join(sorted(self.contexts))}",
                )
            )
        rule_ids: set[str] = set()
        rules = tuple(
            self.rule(doc, i, aid, j, self.used(doc, i, j, rule), rule_ids) for j, rule in enumerate(raw["rules"])
        )
        links = []
        for k, link in enumerate(raw.get("links", [])):
            self.pending_links.append((aid, link["aim"], doc.path, doc.line_of((*loc, "links", k))))
            links.append(Link(link["relation"], link["aim"], link.get("note", "")))
        ex = raw.get("examples", {})
        examples = tuple(Example(t, True) for t in ex.get("counts", [])) + tuple(
            Example(t, False) for t in ex.get("not", [])
        )
        return Aim(
            id=aid,
            framework=fid,
            title=raw["title"],
            statement=raw["statement"].strip(),
            kind=AimKind(raw["kind"]),
            source=raw["source"],
            rules=rules,
            links=tuple(links),
            examples=examples,
            context=context,
            path=doc.path,
            line=line,
        )

    def shared(self, docs: dict[str, Loaded]) -> None:
        """Check every shared rule once, where it is written (its file and lines under `rules:`), whether or
        not an aim uses it: an unknown `$term` or genre in it is reported there, not at each `use:` line."""
        for name, (body, _) in self.shared_rules.items():
            doc = docs[name]
            self.shared_built[name] = self.body(
                body, f"rules.{name}", doc.path, lambda *loc, n=name, d=doc: d.line_of(("rules", n, *loc))
            )

    def body(
        self, rule: dict[str, Any], label: str, where: str, line_of: Callable[..., int | None]
    ) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """A rule's phrases and groups with every `$term` expanded, its exclusions, and its groups as written;
        an unknown genre, or a rule with neither phrases nor genre, is a problem at `label` (`line_of` gives the
        line of a key under the rule)."""
        line = line_of()
        genre = rule.get("genre")
        if genre is not None and genre not in self.genres:
            known = f"known: {', '.join(sorted(self.genres)) or 'none (define one under genres:)'}"
            self.problems.append(Problem(f"{label}.genre: unknown genre '{genre}'", where, line_of("genre"), known))
        for k, other in enumerate(rule.get("unless_genre", [])):
            if other not in self.genres:
                known = f"known: {', '.join(sorted(self.genres)) or 'none (define one under genres:)'}"
                self.problems.append(
                    Problem(f"{label}.unless_genre: unknown genre '{other}'", where, line_of("unless_genre", k), known)
                )
        if "phrases" not in rule and genre is None:
            needs = f"{label}: a rule needs phrases, or a genre to stand for"
            self.problems.append(Problem(needs, where, line, "give it `phrases:` or `genre:`"))
        written = (
            tuple(rule.get("phrases", ())),
            # A group is a list of phrases or one $term (the schema allows nothing else).
            *((g,) if isinstance(g, str) else tuple(g) for g in rule.get("with", [])),
        )
        groups = tuple(expand(list(g), self.terms, where, line, self.problems) for g in written)
        unless = expand(rule.get("unless", []), self.terms, where, line, self.problems)
        return groups, unless, written

    def used(self, doc: Loaded, i: int, j: int, rule: dict[str, Any]) -> dict[str, Any]:
        """The rule an aim writes, or the shared rule it names with `use:` (under `rules:` in any strategy file),
        under the aim's own `id` or the shared rule's name: one rule kept in step for every aim that uses it."""
        name = rule.get("use")
        if name is None:
            return rule
        where = doc.line_of(("aims", i, "rules", j, "use"))
        if name not in self.shared_rules:
            known = f"known: {', '.join(sorted(self.shared_rules)) or 'none (define one under rules:)'}"
            self.problems.append(Problem(f"aims[{i}].rules[{j}].use: unknown shared rule '{name}'", doc.path, where, known))
            return {"id": rule.get("id", name), "phrases": []}
        extra = sorted(set(rule) - {"use", "id"})
        if extra:
            self.problems.append(
                Problem(
                    f"aims[{i}].rules[{j}]: a rule that uses a shared rule takes only `id` beside `use` "
                    f"(found {', '.join(extra)})",
                    doc.path,
                    where,
                    f"change the shared rule '{name}', or write this rule out in full",
                )
            )
        body, _ = self.shared_rules[name]
        return {**body, "id": rule.get("id", name), _SHARED: name}

    def rule(self, doc: Loaded, i: int, aid: str, j: int, rule: dict[str, Any], rule_ids: set[str]) -> Rule:
        rline = doc.line_of(("aims", i, "rules", j))
        if rule["id"] in rule_ids:
            self.problems.append(
                Problem(f"aims[{i}].rules[{j}].id: duplicate rule id '{rule['id']}' in {aid}", doc.path, rline)
            )
        if rule["id"] == LEARNED_RULE:
            self.problems.append(
                Problem(
                    f"aims[{i}].rules[{j}].id: '{LEARNED_RULE}' names the evidence of a learned model; "
                    "give the rule another id",
                    doc.path,
                    rline,
                )
            )
        rule_ids.add(rule["id"])
        genre = rule.get("genre")
        if _SHARED in rule:
            # Built and checked once where it is written (shared()); its problems are not repeated at each use.
            groups, unless, written = self.shared_built[rule[_SHARED]]
        else:
            groups, unless, written = self.body(
                rule, f"aims[{i}].rules[{j}]", doc.path, lambda *loc: doc.line_of(("aims", i, "rules", j, *loc))
            )
        near = rule.get("near")
        return Rule(
            id=rule["id"],
            groups=groups,
            within=Within(rule.get("within", "sentence")),
            unless=unless,
            weight=STRENGTHS[rule["strength"]] if "strength" in rule else float(rule.get("weight", 1.0)),
            source_phrases=written,
            near=tuple(near) if isinstance(near, list) else near,
            unless_near=rule.get("unless_near"),
            order=Order(rule.get("order", "any")),
            look_in=LookIn(rule.get("in", "text")),
            exact_case=rule.get("case") == "exact",
            spread=rule.get("spread", 1),
            heading=_LENT[rule.get("heading", False)],
            genre=genre,
            lead_in=_LENT[rule.get("lead_in", False)],
            unless_genre=tuple(rule.get("unless_genre", ())),
        )

    def links(
        self, replacing: dict[str, tuple[str, int | None]], replaced: set[str], builtin: set[str]
    ) -> tuple[list[str], set[tuple[str, str]]]:
        """Warnings, and the links left out: a built-in link to an aim a replacing local framework left out
        is dropped with a warning; any other link to an unknown aim, or to itself, is a problem."""
        warnings: list[str] = []
        dropped: set[tuple[str, str]] = set()
        for src, target, where, line in self.pending_links:
            fid = next((f for f in replaced if target.startswith(f + ".")), None)
            if target not in self.aim_origin and fid is not None and where in builtin:
                # The replacing file, not the built-in one, is named.
                path, at = replacing[fid]
                warnings.append(
                    str(
                        Problem(
                            f"framework '{fid}' here has no aim '{target}', which {src} links to "
                            f"({where}:{line}); that link is left out",
                            path,
                            at,
                            "add the aim to this file to keep the link",
                        )
                    )
                )
                dropped.add((src, target))
            elif target not in self.aim_origin:
                self.problems.append(
                    Problem(
                        f"crosswalk link from {src} to unknown aim '{target}'",
                        where,
                        line,
                        "check the id against `send-align frameworks` and `send-align show`",
                    )
                )
            elif target == src:
                self.problems.append(Problem(f"{src} links to itself", where, line))
        return warnings, dropped


def _without_links(aim: Aim, dropped: set[tuple[str, str]]) -> Aim:
    links = tuple(link for link in aim.links if (aim.id, link.target) not in dropped)
    return aim if len(links) == len(aim.links) else replace(aim, links=links)
