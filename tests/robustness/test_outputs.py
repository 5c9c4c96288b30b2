"""Outputs under attack (docs/robustness.md, "Outputs"): where reports and baselines land, how they are
written, what reaches a terminal or a CI log, closed pipes and full disks, and a cache that lies.

Every case runs the real command in its own process, on real files, and looks at the bytes it wrote.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD

# Characters that must never reach a terminal or a log raw: ESC (every escape sequence and OSC starts with
# it), BEL (ends an OSC), the C1 controls, and the bidirectional overrides and isolates.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8")


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
    timeout: float = 120,
) -> Run:
    """send-align as its own process; raw bytes of both streams (a report that is not UTF-8 must fail)."""
    done = subprocess.run(
        [sys.executable, "-m", "send_align", *map(os.fsdecode, args)],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1", **(env or {})},
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout or b"", done.stderr)


def assert_clean(r: Run) -> None:
    """No traceback and no internal error: only the tool's own one-line problems."""
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-2000:]
    for row in r.stderr.splitlines():
        assert row.startswith(("error: ", "baseline written to ")), f"stray stderr line: {row!r}"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    return folder


# --- 5. escaping per channel -------------------------------------------------------------------------

INJECTION = "a\n::error file=README.md,line=1::forged\n::add-mask::x\nb.md"
OURS = ("::error file=", "::notice file=", "::group::", "::stop-commands::", "::endgroup::")


def test_file_names_cannot_inject_github_workflow_commands(good: Path) -> None:
    (good / INJECTION).write_text("", "utf-8")  # empty: an error naming the file on stderr and stdout
    (good / "b.md").write_text("# B\n\nWe identify special educational needs early.\n", "utf-8")
    r = run("check", good, "--format", "github", "--require", "cop.*", "--per-document")
    assert r.code == 2
    assert_clean(r)
    for row in r.stderr.splitlines():
        assert not row.lstrip().startswith("::"), row
    assert "a\\n::error file=README.md,line=1::forged\\n::add-mask::x\\nb.md: no text to check" in r.stderr
    rows = r.stdout.splitlines()
    start = next(i for i, row in enumerate(rows) if row.startswith("::stop-commands::"))
    token = rows[start].split("::")[2]
    end = rows.index(f"::{token}::")
    outside = rows[:start] + rows[end + 1 :]
    commands = [row for row in outside if row.lstrip().startswith("::")]
    assert commands and all(row.startswith(OURS) for row in commands), commands
    assert not any(row.startswith(("::error file=README.md", "forged")) for row in rows)


HOSTILE_NAMES = ["esc\x1b]0;owned\x07.md", "bidi\u202egnp.md", "bell\x07and\x1b[2Jclear.md", "tab\there.md"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "github"])
def test_hostile_file_names_are_shown_escaped_on_every_channel(good: Path, fmt: str) -> None:
    for name in HOSTILE_NAMES:
        (good / name).write_text(SEND_POLICY_MD, "utf-8")
    (good / "empty\u202e.md").write_text("", "utf-8")  # an error line naming it on stderr
    r = run("check", good, "--format", fmt, "--require", "cop.*", "--per-document", env={"FORCE_COLOR": "1"})
    assert r.code == 2
    assert_clean(r)
    for stream in (r.stderr, r.stdout if fmt != "table" else re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)):
        bad = RAW_CONTROLS.findall(stream)
        assert not bad, bad
    assert "empty\\u202e.md: no text to check" in r.stderr
    shown = {"table": "bidi\\u202egnp.md", "markdown": "bidi\\\\u202egnp.md", "github": "bidi\\u202egnp.md"}
    assert shown[fmt] in r.stdout


def hostile_strategy(folder: Path) -> Path:
    folder.mkdir()
    (folder / "evil.yaml").write_text(
        "schema_version: 1\n"
        "framework:\n"
        "  id: evil\n"
        '  title: "Evil\\e]0;owned\\a\\e[2J framework\\u202Eelif.exe\\nforged second line"\n'
        '  publisher: "Pub\\e[31mred"\n'
        "  year: 2024\n"
        '  version: "1"\n'
        '  source: "a source\\x85with a C1 line break"\n'
        "aims:\n"
        "  - id: evil.one\n"
        '    title: "Aim \\e[31mone\\u202Eeno\\nforged"\n'
        "    kind: aim\n"
        '    statement: "Identify needs early \\e]8;;http://example.invalid\\a here."\n'
        "    source: s\n"
        "    rules:\n"
        "      - id: r1\n"
        "        phrases: [special educational needs]\n"
        "    links:\n"
        "      - {relation: intersects-with, aim: dfe-ap.vision-early-dignified-affirmative}\n",
        "utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["frameworks"],
        ["show", "evil"],
        ["show", "evil.one"],
        ["search", "aim", "one"],
        ["check", "--no-config", "-f", "evil", "--evidence", "2", "--require", "evil.one", "DOC"],
        ["explain", "DOC", "evil.one"],
        ["crosswalk"],
    ],
)
def test_strategy_titles_never_drive_the_terminal(tmp_path: Path, args: list[str]) -> None:
    strategies = hostile_strategy(tmp_path / "strategies")
    doc = tmp_path / "doc.md"
    doc.write_text("# Policy\n\nWe review support for special educational needs each term.\n", "utf-8")
    r = run(*[str(doc) if a == "DOC" else a for a in args], "--strategies", strategies)
    assert r.code in (0, 1), r.stderr
    assert_clean(r)
    bad = RAW_CONTROLS.findall(r.stdout + r.stderr)
    assert not bad, bad
    assert not any(row.lstrip().startswith("forged") for row in r.stdout.splitlines())
    if args[0] in ("frameworks", "show") and args[-1] != "evil.one":
        assert "\\u202eelif.exe\\nforged second line" in r.stdout


# --- 15. SARIF artifact URIs ---------------------------------------------------------------------------


def test_sarif_uris_are_percent_encoded_and_valid(tmp_path: Path) -> None:
    from jsonschema import Draft4Validator, FormatChecker

    folder = tmp_path / "odd names"
    folder.mkdir()
    names = ["hash#frag.txt", "sp ace.txt", "café – naïve.md", "per%cent.md", "q?uery.md", "co:lon.md"]
    for name in names:
        (folder / name).write_text(SEND_POLICY_MD, "utf-8")
    r = run("check", ".", "--format", "sarif", "--require", "cop.*", "--per-document", cwd=folder)
    assert r.code == 1, r.stderr
    sarif = json.loads(r.stdout)
    schema = json.loads((Path(__file__).parent.parent / "data" / "sarif-2.1.0.schema.json").read_text())
    checker = FormatChecker()
    assert "uri-reference" in checker.checkers, "install rfc3986-validator (the test extras)"
    errors = list(Draft4Validator(schema, format_checker=checker).iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    from urllib.parse import unquote

    assert {unquote(u) for u in uris} == set(names)
    assert {"hash%23frag.txt", "sp%20ace.txt", "caf%C3%A9%20%E2%80%93%20na%C3%AFve.md", "co%3Alon.md"} <= uris


# --- 1. no output ever lands on a file being read ------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "spelling",
    [
        "lib/policy.md",
        "./lib/../lib/policy.md",
        "link.md",
        "hard.md",
        "linked-folder/policy.md",
        "lib/sub/deep.md",
    ],
)
@pytest.mark.parametrize("option", ["-o", "--baseline"])
def test_no_output_lands_on_a_document_being_read(good: Path, spelling: str, option: str) -> None:
    root = good.parent
    (good / "sub").mkdir()
    (good / "sub" / "deep.md").write_text(SEND_POLICY_MD.replace("Hilltop", "Deep"), "utf-8")
    (root / "link.md").symlink_to(good / "policy.md")
    os.link(good / "policy.md", root / "hard.md")
    (root / "linked-folder").symlink_to(good)
    before = snapshot(root)
    extra = ["--update-baseline"] if option == "--baseline" else []
    r = run("check", "lib", "--no-config", "--require", "lfi.*", option, spelling, *extra, cwd=root)
    assert r.code == 2, r.stderr
    assert_clean(r)
    assert len(r.stderr.splitlines()) == 1 and "inputs are never overwritten" in r.stderr
    assert snapshot(root) == before  # nothing written, no temporary file left


def test_outputs_never_land_on_the_configuration_strategies_baseline_or_each_other(good: Path) -> None:
    root = good.parent
    (root / "send-align.toml").write_text('paths = ["lib"]\n', "utf-8")
    strategies = hostile_strategy(root / "strategies")
    first = run("check", "--update-baseline", "--baseline", "base.json", "--require", "lfi.*", cwd=root)
    assert first.code == 0, first.stderr
    before = snapshot(root)
    for args in (
        ["-o", "send-align.toml"],
        ["-o", "strategies/evil.yaml", "--strategies", str(strategies)],
        ["-o", "base.json", "--baseline", "base.json"],
        ["-o", "new.json", "--baseline", "./new.json", "--update-baseline"],
    ):
        r = run("check", *args, cwd=root)
        assert r.code == 2, (args, r.stderr)
        assert_clean(r)
        assert "never overwritten" in r.stderr or "the same file" in r.stderr, r.stderr
        assert snapshot(root) == before, args


def test_standard_output_redirected_onto_a_document_is_refused(good: Path) -> None:
    policy = good / "policy.md"
    with policy.open("ab") as appended:  # `>> lib/policy.md`: the shell has not cut it short
        r = run("check", good, stdout=appended.fileno())
    assert r.code == 2 and "standard output" in r.stderr and "never overwritten" in r.stderr
    assert policy.read_text("utf-8") == SEND_POLICY_MD


# --- 3. one writer: temporary files that cannot be hijacked and never stay behind --------------------


def test_planted_links_at_temporary_names_are_never_followed(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    for planted in (".report.md.tmp", ".report.md.tmp.tmp", ".tmp-report.md", "report.md.tmp"):
        (out / planted).symlink_to(victim)
    r = run("check", good, "--format", "markdown", "-o", out / "report.md")
    assert r.code == 0, r.stderr
    assert victim.read_text("utf-8") == "precious\n"
    report = out / "report.md"
    assert not report.is_symlink() and report.read_text("utf-8").startswith("# send-align coverage report")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".report.md.tmp", ".report.md.tmp.tmp", ".tmp-report.md", "report.md.tmp", "report.md"]
    )
    umask = os.umask(0)
    os.umask(umask)
    assert report.stat().st_mode & 0o777 == 0o666 & ~umask  # not the private mode of a temporary file


def test_an_output_that_is_a_link_is_replaced_not_written_through(good: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    (tmp_path / "report.json").symlink_to(victim)
    r = run("check", good, "--format", "json", "-o", tmp_path / "report.json")
    assert r.code == 0, r.stderr
    assert victim.read_text("utf-8") == "precious\n"
    assert not (tmp_path / "report.json").is_symlink()
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["documents"]


def limit_file_size(limit: int) -> None:
    """In the child: files may not grow past `limit` bytes (Python ignores SIGXFSZ, so a write fails with
    EFBIG, as on a full disk), which works for any user, root included."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def run_limited(*args: str | Path, limit: int, env: dict[str, str] | None = None) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "send_align", *map(os.fsdecode, args)],
        capture_output=True,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1", **(env or {})},
        preexec_fn=lambda: limit_file_size(limit),
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("what", ["report", "baseline"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(good: Path, tmp_path: Path, what: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "result.json"
    target.write_text('{"old": true}\n', "utf-8")
    args = (
        ["-o", target, "--format", "json"]
        if what == "report"
        else ["--update-baseline", "--baseline", target, "--require", "*"]
    )
    r = run_limited("check", good, "--no-config", *args, limit=2048)
    assert r.code == 2
    assert_clean(r)
    assert f"cannot write the {what}: File too large" in r.stderr
    assert target.read_text("utf-8") == '{"old": true}\n'
    assert [p.name for p in out.iterdir()] == ["result.json"]


def test_a_cache_that_cannot_be_written_leaves_no_temporary_files(good: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"SEND_ALIGN_CACHE_DIR": str(cache), "SEND_ALIGN_NO_CACHE": ""}
    for args in (["frameworks"], ["show", "lfi"], ["check", str(good), "--format", "json"]):
        r = run_limited(*args, limit=4096, env=env)
        assert r.code == 0, r.stderr
        assert_clean(r)
        leftovers = [p.name for p in cache.iterdir() if "tmp" in p.name]
        assert not leftovers, leftovers
    assert "lfi" in run("frameworks", env=env).stdout


def test_an_interrupt_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    from send_align.output import write_file

    target = tmp_path / "report.txt"
    target.write_text("old\n", "utf-8")

    def pieces() -> object:
        yield "new text " * 1000
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(target, pieces())  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_devices_and_descriptors_are_written_in_place(good: Path) -> None:
    r = run("check", good, "--format", "json", "-o", "/dev/stdout")
    assert r.code == 0 and json.loads(r.stdout)["documents"]
    r = run("check", good, "-o", "/dev/null")
    assert r.code == 0 and r.out == b""
    assert Path("/dev/null").is_char_device()


# --- 12. a closed pipe, a full standard output ---------------------------------------------------------

COMMANDS = [
    ["check", "LIB", "--require", "lfi.*"],  # the gate fails: still never 1
    ["check", "LIB", "--format", "json"],
    ["frameworks"],
    ["show", "lfi"],
    ["search", "early", "help"],
    ["phrases"],
    ["explain", "LIB/policy.md", "cop.senco"],
    ["crosswalk"],
]


def with_lib(args: list[str], good: Path) -> list[str]:
    return [a.replace("LIB", str(good)) for a in args]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_closed_pipe_exits_quietly_with_the_broken_pipe_status(good: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before anything is written
    try:
        r = run(*with_lib(args, good), stdout=write_end)
    finally:
        os.close(write_end)
    assert r.code == 141, r.stderr
    assert r.err == b""


def test_head_closing_a_long_report_early(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        (folder / f"school-{n}.md").write_text(SEND_POLICY_MD.replace("Hilltop", f"School {n}"), "utf-8")
    script = '"$0" -m send_align check "$1" --require "lfi.*" | head -1; echo "${PIPESTATUS[0]}" >&2'
    done = subprocess.run(
        ["bash", "-c", script, sys.executable, str(folder)],
        capture_output=True,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1"},
        timeout=120,
    )
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr.decode().strip() == "141"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_full_standard_output_is_one_clear_error(good: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        r = run(*with_lib(args, good), stdout=full.fileno())
    assert r.code == 2, r.stderr
    assert_clean(r)
    assert r.stderr.count("\n") == 1 and "to standard output: No space left on device" in r.stderr


# --- 8. file names that are not UTF-8 ------------------------------------------------------------------

FORMATS = ["table", "json", "markdown", "html", "csv", "junit", "sarif", "github"]


@pytest.fixture
def latin1_names(good: Path) -> Path:
    """A folder holding `café.md` written in Latin-1 (the byte 0xE9), one inside a folder named with 0xFF,
    and an ordinary file."""
    root = os.fsencode(good)
    with open(root + b"/caf\xe9.md", "wb") as fh:
        fh.write(SEND_POLICY_MD.replace("Hilltop", "Cafe").encode("utf-8"))
    os.mkdir(root + b"/dir\xff")
    with open(root + b"/dir\xff/inner.md", "wb") as fh:
        fh.write(SEND_POLICY_MD.encode("utf-8"))
    return good


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["stdout", "file"])
def test_names_that_are_not_utf8_are_shown_escaped_in_every_format(
    latin1_names: Path, tmp_path: Path, fmt: str, where: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    args = ["check", "--no-config", ".", "--format", fmt] + (["-o", str(out)] if where == "file" else [])
    if fmt == "sarif":  # gate failures, so that results name the files
        args += ["--require", "cop.*", "--per-document"]
    r = run(*args, cwd=latin1_names, env={"PYTHONIOENCODING": "utf-8"})
    assert r.code == (1 if fmt == "sarif" else 0), r.stderr
    assert_clean(r)
    text = (out.read_bytes() if where == "file" else r.out).decode("utf-8")  # UTF-8, whatever the names
    if fmt == "json":
        paths = {d["path"] for d in json.loads(text)["documents"]}
        assert paths == {"caf\\xe9.md", "dir\\xff/inner.md", "policy.md"}
    elif fmt == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]}
        assert {"caf%5Cxe9.md", "dir%5Cxff/inner.md", "policy.md"} <= uris
    else:
        shown = "caf\\\\xe9.md" if fmt in ("markdown", "github") else "caf\\xe9.md"
        assert shown in text and "inner.md" in text, text[:2000]


def test_a_name_that_is_not_utf8_given_on_the_command_line(latin1_names: Path) -> None:
    r = run("check", b"caf\xe9.md", "--format", "json", cwd=latin1_names)  # type: ignore[arg-type]
    assert r.code == 0, r.stderr
    assert json.loads(r.out)["documents"][0]["path"] == "caf\\xe9.md"
    r = run("check", b"missing-\xe9.md", cwd=latin1_names)  # type: ignore[arg-type]
    assert r.code == 2 and r.stderr == "error: missing-\\xe9.md: no such file or folder\n"


# --- 4. the caches hold data, never code, and a damaged entry is only a miss ---------------------------


def cached_env(cache: Path) -> dict[str, str]:
    return {"SEND_ALIGN_CACHE_DIR": str(cache), "SEND_ALIGN_NO_CACHE": ""}


@pytest.fixture
def library(good: Path) -> Path:
    """Documents in three readers' formats and a proposal, so every kind of cache entry is made."""
    from tests.conftest import make_docx

    make_docx(good / "plan.docx", [("h1", "Inclusion plan"), ("p", SEND_POLICY_MD.split("\n\n", 2)[2])])
    (good / "notes.txt").write_text("Notes\n\nWe review SEN support each term with parents.\n", "utf-8")
    (good / "proposal.yaml").write_text(
        "proposal:\n  title: More nurture groups\n  claims:\n    - aim: cop.early-identification\n"
        "      how: Screening in reception.\n  sections:\n    - heading: Plan\n      text: We will identify"
        " needs early through screening, starting from strengths.\n",
        "utf-8",
    )
    return good


VARIANTS = [
    ["--format", "json"],
    ["--format", "table", "--evidence", "3"],
    ["--format", "json", "-f", "lfi", "--require", "lfi.*"],
    ["--format", "markdown", "-f", "cop"],
]
CHECKS = {"blob": "crc", "light": "light_crc", "json": "json_crc"}


def entries(db: Path) -> list[tuple[str, str, str]]:
    """(table, key, column) of every stored blob."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        found = []
        for table in ("documents", "results"):
            columns = [c[1] for c in con.execute(f"PRAGMA table_info({table})") if c[2] == "BLOB"]
            for (key,) in con.execute(f"SELECT key FROM {table}"):
                found += [(table, key, column) for column in columns]
        return found
    finally:
        con.close()


def damage(db: Path, rng: object, how_many: int) -> None:
    """Flip a few bytes of some stored entries, leaving their checksums as they were."""
    import random
    import sqlite3

    assert isinstance(rng, random.Random)
    con = sqlite3.connect(db)
    for table, key, column in rng.sample(entries(db), how_many):
        (blob,) = con.execute(f"SELECT {column} FROM {table} WHERE key = ?", (key,)).fetchone()
        data = bytearray(blob)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
        con.execute(f"UPDATE {table} SET {column} = ? WHERE key = ?", (bytes(data), key))
    con.commit()
    con.close()


def test_a_damaged_cache_never_gives_a_wrong_report_or_a_crash(library: Path, tmp_path: Path) -> None:
    import random
    import shutil

    expected = [run("check", library, "--no-config", *v) for v in VARIANTS]
    assert all(e.code in (0, 1) and e.err == b"" for e in expected), [e.stderr for e in expected]
    assert len(json.loads(expected[0].out)["documents"]) == 4
    cache = tmp_path / "cache"
    for v in VARIANTS:  # every kind of entry: light and whole results, documents (-f changes the key)
        assert run("check", library, "--no-config", *v, env=cached_env(cache)).code in (0, 1)
    pristine = tmp_path / "pristine"
    shutil.copytree(cache, pristine)
    db = cache / "check.sqlite3"
    rng = random.Random(11)
    for round_ in range(18):
        shutil.rmtree(cache)
        shutil.copytree(pristine, cache)
        where = round_ % 3
        if where == 0:  # bytes of stored entries
            damage(db, rng, rng.randint(1, 6))
        elif where == 1:  # bytes anywhere in the database file past its header
            raw = bytearray(db.read_bytes())
            for _ in range(rng.randint(1, 40)):
                raw[rng.randrange(100, len(raw))] ^= rng.randint(1, 255)
            db.write_bytes(bytes(raw))
        else:  # the catalogue's cache file
            (catalogue,) = cache.glob("catalogue-*")
            raw = bytearray(catalogue.read_bytes())
            for _ in range(rng.randint(1, 8)):
                raw[rng.randrange(len(raw))] ^= rng.randint(1, 255)
            catalogue.write_bytes(bytes(raw))
        n = rng.randrange(len(VARIANTS))
        got = run("check", library, "--no-config", *VARIANTS[n], env=cached_env(cache))
        assert_clean(got)
        assert (got.code, got.out) == (expected[n].code, expected[n].out), (round_, VARIANTS[n])
        got.out.decode("utf-8")


def all_entries_check_out(db: Path) -> bool:
    import sqlite3

    from send_align.rows import checksum

    con = sqlite3.connect(db)
    try:
        for table in ("documents", "results"):
            names = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
            for row in con.execute(f"SELECT * FROM {table}"):
                values = dict(zip(names, row, strict=True))
                for column, check in CHECKS.items():
                    if column in values and checksum(values["key"], values[column]) != values[check]:
                        return False
        return True
    finally:
        con.close()


def test_damaged_entries_are_dropped_and_made_again(library: Path, tmp_path: Path) -> None:
    import random

    cache = tmp_path / "cache"
    expected = []
    for v in VARIANTS:
        expected.append(run("check", library, "--no-config", *v, env=cached_env(cache)))
    db = cache / "check.sqlite3"
    every = entries(db)
    damage(db, random.Random(4), len(every))
    assert not all_entries_check_out(db)
    for v, want in zip(VARIANTS, expected, strict=True):
        got = run("check", library, "--no-config", *v, env=cached_env(cache))
        assert (got.code, got.out) == (want.code, want.out)
    assert all_entries_check_out(db) and len(entries(db)) == len(every)


def test_code_planted_in_the_cache_is_never_run(library: Path, tmp_path: Path) -> None:
    """A pickle that runs a command when loaded, planted in every entry and every cache file, with
    checksums recomputed as an attacker who knows the layout would: it is not data, so it is a miss."""
    import pickle
    import sqlite3
    import zlib

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    evil = pickle.dumps(Payload())
    cache = tmp_path / "cache"
    clean = [run("check", library, "--no-config", *v) for v in VARIANTS[:2]]
    for v in VARIANTS[:2]:
        run("check", library, "--no-config", *v, env=cached_env(cache))
    shown = run("show", "lfi", env=cached_env(cache))
    con = sqlite3.connect(cache / "check.sqlite3")
    for table in ("documents", "results"):
        names = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
        for (key,) in con.execute(f"SELECT key FROM {table}").fetchall():
            forged = {c: evil for c in names if c in CHECKS}
            forged |= {
                CHECKS[c]: zlib.crc32(evil, zlib.crc32(key.encode())) for c in forged if CHECKS[c] in names
            }
            sets = ", ".join(f"{c} = ?" for c in forged)
            con.execute(f"UPDATE {table} SET {sets} WHERE key = ?", (*forged.values(), key))
    con.commit()
    con.close()
    for catalogue in cache.glob("catalogue-*"):
        catalogue.write_bytes(
            zlib.crc32(evil, zlib.crc32(catalogue.stem[10:].encode())).to_bytes(4, "big") + evil
        )
    for v, want in zip(VARIANTS[:2], clean, strict=True):
        got = run("check", library, "--no-config", *v, env=cached_env(cache))
        assert (got.code, got.out) == (want.code, want.out)
    assert run("show", "lfi", env=cached_env(cache)).out == shown.out
    assert not marker.exists(), "a pickle from the cache was loaded"
