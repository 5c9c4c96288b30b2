"""Find, safely load, fully validate and cache the strategy frameworks (built-in and local)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from send_align import __version__
from send_align.errors import Problem, SendAlignError, location_text
from send_align.files import decode_text, read_bytes_capped, special_kind
from send_align.model import STRENGTHS, Aim, Catalogue, Context, Example, Framework, Link, Rule
from send_align.resources import data_dir, schema

if TYPE_CHECKING:
    from send_align.safeyaml import Loaded

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str
    raw: bytes
    builtin: bool


def builtin_dir() -> Path:
    return data_dir("strategies")


def find_files(extra_dirs: list[Path]) -> list[SourceFile]:
    """Built-in strategy files first, then each --strategies folder (or file) in the order given."""
    return [
        SourceFile(path, shown, read_bytes_capped(path), builtin)
        for path, shown, builtin in source_paths(extra_dirs)
    ]


def source_paths(extra_dirs: list[Path]) -> list[tuple[Path, str, bool]]:
    """Every strategy file's path, how reports name it, and whether it is built in; nothing read."""
    found: list[tuple[Path, str, bool]] = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        found.append((path, f"strategies/{path.name}", True))
    for folder in extra_dirs:
        if folder.is_file():
            paths = [folder]
        elif folder.is_dir():
            paths = sorted(
                p
                for p in folder.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            )
            if not paths:
                raise SendAlignError(
                    "no strategy files (.yaml, .yml, .json) in this folder", path=str(folder)
                )
        elif folder.exists():
            raise SendAlignError(
                f"not a regular file or folder ({special_kind(folder.stat().st_mode)})", path=str(folder)
            )
        else:
            raise SendAlignError(
                "no such strategies folder",
                path=str(folder),
                hint="--strategies takes a folder of strategy YAML files",
            )
        found.extend((path, str(path), False) for path in paths)
    return found


def validate_loaded(loaded: Loaded, schema_name: str) -> list[Problem]:
    """Every schema problem of one file, each with its line and location."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(schema_name))
    problems = []
    for err in sorted(validator.iter_errors(loaded.data), key=lambda e: [str(p) for p in e.absolute_path]):
        loc = tuple(err.absolute_path)
        message = err.message
        if len(loc) >= 2 and loc[-2] == "with" and isinstance(err.instance, str):
            # `with: [new, expanded]` would be two groups of one phrase each: almost never what was meant.
            message = (
                f"'{err.instance}' is a phrase on its own; each `with` group is a list of phrases or one "
                f"$term (write with: [[{err.instance}, ...]] for one group of several phrases)"
            )
        if len(message) > 200:
            message = message[:197] + "..."
        problems.append(Problem(f"{location_text(loc)}: {message}", loaded.path, loaded.line_of(loc)))
    return problems


def _parse(files: list[SourceFile]) -> tuple[list[Loaded], list[Problem]]:
    loaded, problems = [], []
    from send_align.safeyaml import load_text

    for sf in files:
        try:
            text = decode_text(sf.raw, sf.shown)
            doc = load_text(text, sf.shown, json_mode=sf.path.suffix.lower() == ".json")
        except SendAlignError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem("expected a mapping with 'framework' and 'aims' (or 'terms')", sf.shown, 1)
            )
            continue
        file_problems = validate_loaded(doc, "strategy")
        problems.extend(file_problems)
        if not file_problems:
            loaded.append(doc)
    return loaded, problems


def _expand(
    phrases: list[str],
    terms: dict[str, list[str]],
    where: str,
    line: int | None,
    problems: list[Problem],
    seen: tuple[str, ...] = (),
) -> tuple[str, ...]:
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
                out.extend(_expand(terms[name], terms, where, line, problems, (*seen, name)))
        else:
            out.append(phrase)
    return tuple(dict.fromkeys(out))


def build(files: list[SourceFile]) -> Catalogue:
    """Validate every file completely, then build the catalogue; raise with every problem at once."""
    loaded, problems = _parse(files)
    builtin = {sf.shown for sf in files if sf.builtin}
    # A local file replaces a built-in framework with the same id.
    local_ids = {d.data["framework"]["id"] for d in loaded if "framework" in d.data and d.path not in builtin}
    # Framework id -> (file, line) of the local framework that replaces a built-in one.
    replacing = {
        d.data["framework"]["id"]: (d.path, d.line_of(("framework", "id")))
        for d in loaded
        if "framework" in d.data and d.path not in builtin
    }
    replaced = {
        d.data["framework"]["id"]
        for d in loaded
        if "framework" in d.data and d.path in builtin and d.data["framework"]["id"] in local_ids
    }
    kept = [
        d
        for d in loaded
        if not ("framework" in d.data and d.path in builtin and d.data["framework"]["id"] in local_ids)
    ]
    terms: dict[str, list[str]] = {}
    term_origin: dict[str, str] = {}
    contexts_raw: dict[str, tuple[dict[str, Any], str]] = {}
    masks_raw: list[tuple[list[str], str]] = []
    cues: dict[str, list[str]] = {}
    for doc in kept:
        if doc.data.get("masks"):
            masks_raw.append((doc.data["masks"], doc.path))
        for kind, cue_phrases in _cue_lists(doc.data.get("cues") or {}):
            cues.setdefault(kind, []).extend(p for p in cue_phrases if p not in cues.get(kind, ()))
        for name, phrases in (doc.data.get("terms") or {}).items():
            if name in terms and not (term_origin[name] in builtin and doc.path not in builtin):
                problems.append(
                    Problem(
                        f"terms.{name}: term list already defined in {term_origin[name]}",
                        doc.path,
                        doc.line_of(("terms", name)),
                    )
                )
            terms[name], term_origin[name] = phrases, doc.path
        for name, ctx in (doc.data.get("contexts") or {}).items():
            contexts_raw[name] = (ctx, doc.path)
    contexts = {}
    for name, (ctx, where) in contexts_raw.items():
        phrases = _expand(ctx["phrases"], terms, where, None, problems)
        contexts[name] = Context(
            name,
            phrases,
            ctx.get("min_paragraphs", 2),
            ctx.get("min_share", 0.1),
            ctx.get("short_document", 8),
        )

    masks: list[str] = []
    for phrases, where in masks_raw:
        masks.extend(_expand(phrases, terms, where, None, problems))

    frameworks: list[Framework] = []
    aim_origin: dict[str, tuple[str, int | None]] = {}
    fw_origin: dict[str, str] = {}
    pending_links: list[tuple[str, str, str, int | None]] = []
    for doc in kept:
        if "framework" not in doc.data:
            continue
        fw = doc.data["framework"]
        fid = fw["id"]
        if fid in fw_origin:
            problems.append(
                Problem(
                    f"framework.id: '{fid}' is already defined in {fw_origin[fid]}",
                    doc.path,
                    doc.line_of(("framework", "id")),
                    "framework ids must be unique",
                )
            )
            continue
        fw_origin[fid] = doc.path
        aims: list[Aim] = []
        for i, raw in enumerate(doc.data["aims"]):
            loc = ("aims", i)
            line = doc.line_of(loc)
            aid = raw["id"]
            if not aid.startswith(fid + "."):
                problems.append(
                    Problem(
                        f"aims[{i}].id: '{aid}' must start with the framework id '{fid}.'",
                        doc.path,
                        doc.line_of((*loc, "id")),
                    )
                )
            if aid in aim_origin:
                other, other_line = aim_origin[aid]
                problems.append(
                    Problem(
                        f"aims[{i}].id: duplicate aim id '{aid}' (first defined at {other}:{other_line})",
                        doc.path,
                        doc.line_of((*loc, "id")),
                    )
                )
                continue
            aim_origin[aid] = (doc.path, line)
            context = raw.get("context", fw.get("context"))
            if context == "none":
                context = None
            if context is not None and context not in contexts:
                problems.append(
                    Problem(
                        f"aims[{i}].context: unknown context '{context}'",
                        doc.path,
                        doc.line_of((*loc, "context")),
                        f"known: {', '.join(sorted(contexts))}",
                    )
                )
            rules = []
            rule_ids: set[str] = set()
            for j, rule in enumerate(raw["rules"]):
                rline = doc.line_of((*loc, "rules", j))
                if rule["id"] in rule_ids:
                    problems.append(
                        Problem(
                            f"aims[{i}].rules[{j}].id: duplicate rule id '{rule['id']}' in {aid}",
                            doc.path,
                            rline,
                        )
                    )
                rule_ids.add(rule["id"])
                written = (
                    tuple(rule["phrases"]),
                    # A group is a list of phrases or one $term (the schema allows nothing else).
                    *((g,) if isinstance(g, str) else tuple(g) for g in rule.get("with", [])),
                )
                groups = tuple(_expand(list(g), terms, doc.path, rline, problems) for g in written)
                unless = _expand(rule.get("unless", []), terms, doc.path, rline, problems)
                rules.append(
                    Rule(
                        rule["id"],
                        groups,
                        rule.get("within", "sentence"),
                        unless,
                        STRENGTHS[rule["strength"]] if "strength" in rule else float(rule.get("weight", 1.0)),
                        written,
                        near=tuple(rule["near"]) if isinstance(rule.get("near"), list) else rule.get("near"),
                        unless_near=rule.get("unless_near"),
                        order=rule.get("order", "any"),
                        look_in=rule.get("in", "text"),
                        exact_case=rule.get("case") == "exact",
                        spread=rule.get("spread", 1),
                        heading=_HEADING[rule.get("heading", False)],
                    )
                )
            links = []
            for k, link in enumerate(raw.get("links", [])):
                pending_links.append((aid, link["aim"], doc.path, doc.line_of((*loc, "links", k))))
                links.append(Link(link["relation"], link["aim"], link.get("note", "")))
            ex = raw.get("examples", {})
            examples = tuple(Example(t, True) for t in ex.get("counts", [])) + tuple(
                Example(t, False) for t in ex.get("not", [])
            )
            aims.append(
                Aim(
                    aid,
                    fid,
                    raw["title"],
                    raw["statement"].strip(),
                    raw["kind"],
                    raw["source"],
                    tuple(rules),
                    tuple(links),
                    examples,
                    context,
                    doc.path,
                    line,
                )
            )
        frameworks.append(
            Framework(
                fid,
                fw["title"],
                fw["publisher"],
                fw["year"],
                fw["version"],
                fw["source"],
                fw.get("description", "").strip(),
                tuple(aims),
                doc.path,
                doc.path in builtin,
                fw.get("scope", "local"),
            )
        )
    warnings: list[str] = []
    dropped: set[tuple[str, str]] = set()
    for src, target, where, line in pending_links:
        fid = next((f for f in replaced if target.startswith(f + ".")), None)
        if target not in aim_origin and fid is not None and where in builtin:
            # A local framework replaced a built-in one without this aim: the built-in link is left out,
            # and the replacing file, not the built-in one, is named.
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
        elif target not in aim_origin:
            problems.append(
                Problem(
                    f"crosswalk link from {src} to unknown aim '{target}'",
                    where,
                    line,
                    "check the id against `send-align frameworks` and `send-align show`",
                )
            )
        elif target == src:
            problems.append(Problem(f"{src} links to itself", where, line))
    if problems:
        raise SendAlignError(problems)
    if dropped:
        frameworks = [replace(f, aims=tuple(_without_links(a, dropped) for a in f.aims)) for f in frameworks]
    return Catalogue(
        tuple(frameworks),
        contexts,
        {k: tuple(v) for k, v in terms.items()},
        "",
        tuple(dict.fromkeys(masks)),
        {k: tuple(v) for k, v in cues.items()},
        tuple(warnings),
    )


# A rule's `heading` as written (true is "groups", the first meaning it had) to the model's value.
_HEADING: dict[bool | str, str] = {False: "", True: "groups", "groups": "groups", "main": "main", "both": "both"}


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


def _without_links(aim: Aim, dropped: set[tuple[str, str]]) -> Aim:
    links = tuple(link for link in aim.links if (aim.id, link.target) not in dropped)
    return aim if len(links) == len(aim.links) else replace(aim, links=links)


# Bumped whenever the cached model changes shape, so an old cache file is never read into new code.
CACHE_FORMAT = "json-3"


def _digest(files: list[SourceFile]) -> str:
    """A key for the cache from every file's name, origin and content.

    CRC-32 and Adler-32 together with each file's length catch any realistic edit; zlib starts in microseconds,
    where hashlib's OpenSSL costs milliseconds on every look-up.
    """
    import zlib

    parts = [__version__, CACHE_FORMAT]
    for sf in files:
        parts.append(
            f"{sf.shown}:{sf.builtin}:{len(sf.raw)}:{zlib.crc32(sf.raw):08x}:{zlib.adler32(sf.raw):08x}"
        )
    joined = "\n".join(parts).encode()
    return f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}{len(files):02x}"


def load_catalogue(extra_dirs: list[Path] | None = None, cache_dir: Path | None = None) -> Catalogue:
    """The validated catalogue, from the cache when no file has changed since it was built."""
    files = find_files(extra_dirs or [])
    digest = _digest(files)
    cache_file = cache_dir / f"catalogue-{digest}.json" if cache_dir else None
    if cache_file is not None:
        from send_align import catalogue_cache

        try:
            cached = catalogue_cache.decode(cache_file.read_bytes(), digest)
        except OSError:
            cached = None
        else:
            if cached is None:  # damaged or forged: dropped, and built again below
                with contextlib.suppress(OSError):
                    cache_file.unlink()
        if cached is not None:
            return cached
    cat = replace(build(files), digest=digest)
    if cache_file is not None:
        from send_align.output import write_file

        # Written like every output (a temporary file renamed when complete, removed on failure), so two
        # runs sharing the cache never see half a file; an unwritable cache only costs speed.
        with contextlib.suppress(OSError):
            write_file(cache_file, catalogue_cache.encode(cat))
    return cat
