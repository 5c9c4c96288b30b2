"""Find, safely load, fully validate and cache the strategy frameworks (built-in and local)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from send_align import __version__
from send_align.assemble import assemble
from send_align.errors import Problem, SendAlignError
from send_align.files import decode_text, read_bytes_capped, special_kind
from send_align.learned.files import MODEL_SUFFIX, parse
from send_align.model import Catalogue
from send_align.resources import data_dir
from send_align.validation import validate_loaded

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


def find_models(extra_dirs: list[Path]) -> list[SourceFile]:
    """The learned model files (NAME.model.json): the built-in ones, then each --strategies folder's (or
    a model file given as --strategies) in the order given, so a later model for an aim replaces an earlier."""
    found = [
        SourceFile(path, f"strategies/{path.name}", read_bytes_capped(path), True)
        for path in sorted(builtin_dir().glob(f"*{MODEL_SUFFIX}"))
    ]
    for folder in extra_dirs:
        if folder.is_file():
            paths = [folder] if _is_model(folder) else []
        elif folder.is_dir():
            paths = sorted(
                p
                for p in folder.rglob(f"*{MODEL_SUFFIX}")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            )
        else:
            paths = []  # source_paths says what is wrong with it
        found.extend(SourceFile(path, str(path), read_bytes_capped(path), False) for path in paths)
    return found


def _is_model(path: Path) -> bool:
    return path.name.lower().endswith(MODEL_SUFFIX)


def source_paths(extra_dirs: list[Path]) -> list[tuple[Path, str, bool]]:
    """Every strategy file's path, how reports name it, and whether it is built in; nothing read."""
    found: list[tuple[Path, str, bool]] = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        found.append((path, f"strategies/{path.name}", True))
    for folder in extra_dirs:
        if folder.is_file():
            paths = [] if _is_model(folder) else [folder]
        elif folder.is_dir():
            paths = sorted(
                p
                for p in folder.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and not _is_model(p)
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            )
            if not paths and not any(folder.rglob(f"*{MODEL_SUFFIX}")):
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


def _parse(files: list[SourceFile], cache_dir: Path | None = None) -> tuple[list[Loaded], list[Problem]]:
    """Every file read and validated against the strategy schema. A built-in file already read and found valid
    by this code is taken from `cache_dir` (see `_parsed_name`): a folder of the council's own strategies then
    costs only its own files' reading, not the built-ins' (about eight seconds of YAML and schema work)."""
    loaded, problems = [], []
    from send_align.safeyaml import load_text

    stamp = _parse_stamp() if cache_dir is not None and any(sf.builtin for sf in files) else ""
    for sf in files:
        cached = cache_dir / _parsed_name(sf, stamp) if stamp and cache_dir is not None and sf.builtin else None
        if cached is not None and (doc := _read_parsed(cached, sf)) is not None:
            loaded.append(doc)
            continue
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
            if cached is not None:
                _write_parsed(cached, doc)
    return loaded, problems


# Bumped whenever a stored reading of a strategy file changes shape.
PARSE_FORMAT = "parsed-2"


def _parse_stamp() -> str:
    """What a stored reading depends on besides the file: this version, the code and the strategy schema."""
    import zlib

    try:
        schema_raw = (data_dir("schemas") / "strategy.schema.json").read_bytes()
    except OSError:
        schema_raw = b""
    return f"{__version__}\n{PARSE_FORMAT}\n{code_stamp()}\n{zlib.crc32(schema_raw):08x}:{len(schema_raw)}"


def _parsed_name(sf: SourceFile, stamp: str) -> str:
    """The cache file of a built-in file's reading, named by the file's name and content and `stamp`."""
    key = f"{stamp}\n{sf.shown}\n{_fingerprint(sf.raw, sized=True)}"
    return f"parsed-{_fingerprint(key.encode())}.json"


def _fingerprint(raw: bytes, *, sized: bool = False) -> str:
    """CRC-32 and Adler-32 of some bytes (and their length first, `sized`): together they catch any realistic
    edit, and zlib starts in microseconds where hashlib's OpenSSL costs milliseconds on every look-up."""
    import zlib

    crc, adler = zlib.crc32(raw), zlib.adler32(raw)
    return f"{len(raw)}:{crc:08x}:{adler:08x}" if sized else f"{crc:08x}{adler:08x}"


_PARSED_HEADER = 4  # bytes of CRC-32 before the JSON, as in the catalogue's own cache file


def _read_parsed(path: Path, sf: SourceFile) -> Loaded | None:
    """A stored reading, or None where there is none or it is not this file's (damaged, or another file's
    copied in: the checksum is keyed on the file's name): the file is then read again."""
    from send_align.rows import UNREADABLE, checksum, loads
    from send_align.safeyaml import Loaded as LoadedFile

    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[_PARSED_HEADER:]
    if len(data) < _PARSED_HEADER or int.from_bytes(data[:_PARSED_HEADER], "big") != checksum(path.name, payload):
        return None  # damaged: a changed byte could make valid JSON of a wrong phrase
    try:
        stored = loads(payload)
    except UNREADABLE:
        return None
    if not (
        isinstance(stored, dict)
        and isinstance(stored.get("data"), dict)
        and isinstance(stored.get("lines"), list)
        and all(
            isinstance(row, list) and len(row) == 2 and isinstance(row[0], list) and isinstance(row[1], int)
            for row in stored["lines"]
        )
    ):
        return None
    lines = {tuple(loc): line for loc, line in stored["lines"]}
    return LoadedFile(stored["data"], lines, sf.shown, decode_text(sf.raw, sf.shown))


def _write_parsed(path: Path, doc: Loaded) -> None:
    """Store a built-in file's reading where JSON holds it exactly (text keys only, plain values), framed as
    the catalogue's cache file is (`rows.checksum` keyed on the file's name); an unwritable cache only costs
    speed."""
    from send_align.output import write_file
    from send_align.rows import checksum, dumps

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | float | bool)

    if not plain(doc.data):
        return
    with contextlib.suppress(OSError, ValueError):
        payload = dumps({"data": doc.data, "lines": [[list(loc), line] for loc, line in doc.lines.items()]})
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, checksum(path.name, payload).to_bytes(_PARSED_HEADER, "big") + payload)


def build(
    files: list[SourceFile], models: list[SourceFile] | None = None, cache_dir: Path | None = None
) -> Catalogue:
    """Validate every file completely, then build the catalogue; raise with every problem at once. Model
    files are checked against the catalogue's aims (each read again, unchecked, when a check needs it).
    `cache_dir` keeps the built-in files' readings (see `_parse`)."""
    loaded, problems = _parse(files, cache_dir)
    cat = assemble(loaded, {sf.shown for sf in files if sf.builtin}, problems)
    if not models:
        return cat
    known = {a.id for a in cat.aims()}
    model_problems: list[Problem] = []
    for sf in models:
        try:
            # A built-in model's aims a local framework left out are passed over (see learned.files.load_models).
            parse(sf.raw, sf.shown, known, strict=not sf.builtin)
        except SendAlignError as exc:
            model_problems.extend(exc.problems)
    if model_problems:
        raise SendAlignError(model_problems)
    return replace(cat, models=_model_entries(models))


def _model_entries(models: list[SourceFile]) -> tuple[tuple[str, str, bool], ...]:
    """The catalogue's record of its model files: (path, name shown, built-in)."""
    return tuple((str(sf.path), sf.shown, sf.builtin) for sf in models)


# Bumped whenever the cached model changes shape, so an old cache file is never read into new code.
CACHE_FORMAT = "json-7"


def code_stamp(root: Path | None = None) -> str:
    """Each module of the package (or of `root`) by name, size and modification time: a development checkout
    edited between releases builds its catalogue afresh rather than reading one that older code validated and
    compiled. Stat calls only (about 0.4 ms for the package), so look-ups stay instant; an installed copy's
    stamp changes only when it is installed again. (Stored results are keyed by `cache.source_digest`, a hash of
    the same files' contents: reading them all would cost a look-up milliseconds.)"""
    import os

    top = root if root is not None else Path(__file__).resolve().parent
    parts = []
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(
                        f"{os.path.relpath(os.path.join(folder, name), top)}:{st.st_size}:{st.st_mtime_ns}"
                    )
    return ";".join(parts)


def _digest(files: list[SourceFile]) -> str:
    """A key for the cache from every file's name, origin and content, and the code that reads them."""
    parts = [__version__, CACHE_FORMAT, code_stamp()]
    parts += [f"{sf.shown}:{sf.builtin}:{_fingerprint(sf.raw, sized=True)}" for sf in files]
    joined = "\n".join(parts).encode()
    return f"{_fingerprint(joined)}{len(files):02x}"


def load_catalogue(extra_dirs: list[Path] | None = None, cache_dir: Path | None = None) -> Catalogue:
    """The validated catalogue, from the cache when no file has changed since it was built."""
    files = find_files(extra_dirs or [])
    models = find_models(extra_dirs or [])
    digest = _digest(files + models)
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
            # The model files as found now (the cache keeps none): the digest names a built-in model by its place
            # in the package, not its path, so every install of this version (a new virtual environment, a second
            # clone) reads the same cache file, and a path cached by another install would not be this one's.
            return replace(cached, models=_model_entries(models))
    cat = replace(build(files, models, cache_dir), digest=digest)
    if cache_file is not None:
        from send_align.output import write_file

        # Written like every output (a temporary file renamed when complete, removed on failure), so two
        # runs sharing the cache never see half a file; an unwritable cache only costs speed.
        with contextlib.suppress(OSError):
            write_file(cache_file, catalogue_cache.encode(cat))
    return cat
