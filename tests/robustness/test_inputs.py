"""Hostile inputs, second catalogue (docs/robustness.md): pathological patterns, paths a configuration names,
unreadable folders, special files, stray bytes, huge numbers, replaced frameworks, signals.

Each case runs the real reader or the real command in a process of its own where time or signals matter.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_align.extract import common, directives, markdown
from tests.conftest import SEND_POLICY_MD

# --- patterns that must stay linear -----------------------------------------------------------------

# The reader's patterns before they were made linear: the reference the linear versions must agree with.
ORIGINAL_LINK = re.compile(r"(!?\[)([^\]\n]*)(\]\([^)\s]*(?:\s+\"[^\"]*\")?\))")
ORIGINAL_ATX = re.compile(r"^( {0,3}#{1,6})\s+(.*?)\s*#*\s*$")
ORIGINAL_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
ORIGINAL_COMMENT = re.compile(r"<!--.*?-->", re.S)
ORIGINAL_URL = re.compile(r"https?://\S+|www\.[\w.-]+\.\w+\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

N = 200_000
# Each of these took seconds to minutes before (the heading over 120 s at 5 KB); each must take well under
# a second now. Sizes from 5 KB to 200 KB.
ADVERSARIAL_MD = {
    "heading-spaces-5k": "# a" + " " * 5_000 + "b\n",
    "heading-spaces-200k": "# a" + " " * N + "b\n",
    "heading-tabs": "## x" + "\t " * (N // 2) + "#x\n",
    "open-brackets": "[" * 40_000 + "\n",
    "open-brackets-200k": "[" * N + "\n",
    "bracket-paren": "[](" * (N // 3) + "\n",
    "bracket-title": '[](a "' * (N // 6) + "\n",
    "nested-links": "[a](b " * (N // 6) + "\n",
    "image-brackets": "![" * (N // 2) + "\n",
    "unclosed-comments": "<!--" * (N // 4) + "\n",
    "unclosed-comment-then-text": "<!--" + "x " * (N // 2) + "\n",
    "letters-before-at": "a" * N + " @\n",
    "www-dashes": "www.-" * (N // 5) + " @\n",
    "table-separator-tabs": "|--" + "\t" * N + "x\n",
    "table-rows": "| a |\n" + "|--" * (N // 3) + "|x\n",
    "angle-brackets": "<" * N + "\n",
    "stars": "*" * N + "\n",
    "backslashes": "\\" * N + "\n",
    "bold-line": "**" + "a" * N + "\n",
    "rule-dashes": "- " * (N // 2) + "x\n",
    "list-spaces": " " * N + "-x\n",
    "quote-markers": ">" * N + "\n",
    "directive-spaces": "<!-- send-align: not-applicable a" + " " * N + "b -->\n",
    "directive-reason-spaces": "<!-- send-align: not-applicable cop.x -- " + "a " * (N // 2) + " -->\n",
    "many-short-lines": "# a  b\n[x](y)\n" * (N // 14),
}

_TIMER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from send_align.errors import SendAlignError
    from send_align.extract import extract
    out = {}
    for name in sys.argv[1:]:
        t = time.perf_counter()
        try:
            extract(Path(name), name)
        except SendAlignError:
            pass
        out[name] = time.perf_counter() - t
    print(json.dumps(out))
    """
)


def time_readers(paths: list[Path], timeout: float = 120) -> dict[str, float]:
    """Seconds each file takes to read, in a process of its own (a runaway pattern cannot be interrupted
    inside the test process)."""
    done = subprocess.run(
        [sys.executable, "-c", _TIMER, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return {Path(k).name: v for k, v in json.loads(done.stdout).items()}


def test_adversarial_markdown_is_read_in_linear_time(tmp_path: Path) -> None:
    paths = []
    for name, text in ADVERSARIAL_MD.items():
        path = tmp_path / f"{name}.md"
        path.write_text(text, "utf-8")
        paths.append(path)
    seconds = time_readers(paths)
    slow = {name: round(s, 2) for name, s in seconds.items() if s > 2.0}
    assert not slow, f"pathological input read slowly: {slow}"


def test_adversarial_markdown_still_gives_its_text(tmp_path: Path) -> None:
    """Speed is not bought by dropping text: the words after the pathological part are still read."""
    path = tmp_path / "a.md"
    path.write_text("# a" + " " * 5000 + "b\n\n" + "[" * 40_000 + " inclusion matters\n", "utf-8")
    doc = markdown.extract(path, "a.md")
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text.split()[-2:] == ["a", "b"]
    assert doc.blocks[-1].text.split()[-2:] == ["inclusion", "matters"]


def _old_links(line: str) -> list[tuple[int, int, int, int]]:
    return [(m.start(), m.start(2), m.end(2), m.end()) for m in ORIGINAL_LINK.finditer(line)]


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.text(alphabet='[]()!" ab\t', max_size=40))
def test_link_spans_agree_with_the_original_pattern(line: str) -> None:
    assert list(markdown.link_spans(line)) == _old_links(line)


@PROPERTY
@given(st.text(alphabet="<!->a \n", max_size=40))
def test_comment_spans_agree_with_the_original_pattern(text: str) -> None:
    assert list(markdown.comment_spans(text)) == [m.span() for m in ORIGINAL_COMMENT.finditer(text)]


@PROPERTY
@given(st.text(alphabet=" #a\t|:-", max_size=20))
def test_heading_and_table_patterns_agree_with_the_originals(line: str) -> None:
    assert bool(markdown._ATX.match(line)) == bool(ORIGINAL_ATX.match(line))
    assert bool(markdown._TABLE_SEP.match(line)) == bool(ORIGINAL_TABLE_SEP.match(line))


@PROPERTY
@given(st.lists(st.sampled_from(["w", "www.", ".", "-", "a", "@", " ", "http://", "+", "x.y"]), max_size=14))
def test_address_pattern_agrees_with_the_original_on_ordinary_lengths(parts: list[str]) -> None:
    text = "".join(parts)
    assert [m.span() for m in common._URL.finditer(text)] == [
        m.span() for m in ORIGINAL_URL.finditer(text)
    ]


@PROPERTY
@given(st.lists(st.sampled_from(["cop.x", "-", " ", "  ", "—", "*", "\n", "no reason", "a"]), max_size=8))
def test_directives_parse_as_before(parts: list[str]) -> None:
    original = re.compile(
        r"^\s*send-align\s*:\s*not[- ]applicable\s+(?P<aim>[A-Za-z0-9_.*?\[\]-]+?)\s*"
        r"(?:(?:--|—|–)\s*(?P<reason>.*?))?\s*$",
        re.I | re.S,
    )
    text = "send-align: not-applicable " + "".join(parts)
    before = original.match(text)
    try:
        exemption = directives.parse_directive(text, "d.md", 1)
    except Exception as exc:
        # A refusal now is a refusal before: no match, or a reason too short.
        assert "directive" in str(exc) or "no reason" in str(exc)
        assert before is None or len(" ".join((before.group("reason") or "").split())) < 3
        return
    assert before is not None
    assert exemption.aim == before.group("aim")
    assert exemption.reason == " ".join((before.group("reason") or "").split())


WORDS = st.sampled_from(["inclusion", "pupils", "SEND", "families", "early", "support", "the", "a", "plan"])
PHRASE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
LINE = st.one_of(
    PHRASE,
    PHRASE.map(lambda p: f"# {p}"),
    PHRASE.map(lambda p: f"### {p} ###"),
    PHRASE.map(lambda p: f"- {p}"),
    PHRASE.map(lambda p: f"1. {p}"),
    PHRASE.map(lambda p: f"> {p}"),
    PHRASE.map(lambda p: f"**{p}**"),
    PHRASE.map(lambda p: f"See [{p}](https://example.org/{len(p)} \"title\") and ![{p}](pic.png)."),
    PHRASE.map(lambda p: f"Write to office@school.example.org or www.school.example.org about {p}."),
    PHRASE.map(lambda p: f"| {p} | {p} |"),
    st.just("|---|:---:|"),
    st.just("---"),
    st.just("==="),
    st.just("```"),
    st.just(""),
    PHRASE.map(lambda p: f"Text <!-- a note on {p} --> more {p}"),
    st.just("<!-- a comment\nover two lines -->"),
    st.just("<!-- send-align: not-applicable cop.local-offer -- published by the council -->"),
    PHRASE.map(lambda p: f"_{p}_ and `code` and \\*not\\* <b>{p}</b>"),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=25))
def test_reader_text_and_locations_unchanged_for_ordinary_markdown(
    lines: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("md") / "doc.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    now = markdown.extract(path, "doc.md")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(markdown, "link_spans", _old_links)
        mp.setattr(markdown, "comment_spans", lambda t: [m.span() for m in ORIGINAL_COMMENT.finditer(t)])
        mp.setattr(markdown, "_ATX", ORIGINAL_ATX)
        mp.setattr(markdown, "_TABLE_SEP", ORIGINAL_TABLE_SEP)
        mp.setattr(common, "_URL", ORIGINAL_URL)
        before = markdown.extract(path, "doc.md")
    assert now == before


def test_policy_example_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(SEND_POLICY_MD, "utf-8")
    assert [b.kind for b in markdown.extract(path, "p.md").blocks][:3] == ["heading", "heading", "text"]


# --- paths a configuration names ------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a policy inside, and a secret document beside it (outside)."""
    root = tmp_path / "repo"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(
        "# Private notes\n\nThe secret budget line reads: every child with SEND belongs.\n", "utf-8"
    )
    return root


def test_config_paths_outside_the_repository_are_refused(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "send-align.toml").write_text('paths = ["/etc", "../outside"]\n', "utf-8")
    res = cli("check", "--format", "json", cwd=repo)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2, res.stderr
    assert "'/etc' leads outside the configuration's folder" in errors[0]
    assert "'../outside' leads outside" in errors[1] and "send-align.toml:1:" in errors[1]
    assert "--allow-outside-paths" in errors[0]
    assert "secret" not in res.stdout + res.stderr


def test_links_strategies_and_baseline_outside_are_refused(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "linked").symlink_to(repo.parent / "outside")
    (repo / "send-align.toml").write_text(
        'paths = ["policies", "linked"]\nstrategies = ["../outside"]\nbaseline = "../outside/b.json"\n', "utf-8"
    )
    res = cli("check", cwd=repo)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert [e.split(": ")[2] for e in errors] == ["paths", "strategies", "baseline"], errors
    assert "'linked' leads outside" in errors[0]


def test_allow_outside_paths_reads_them_and_inside_links_are_fine(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "here").symlink_to(repo / "policies")
    (repo / "send-align.toml").write_text('paths = ["here", "../outside"]\n', "utf-8")
    res = cli("check", "--format", "json", "--allow-outside-paths", cwd=repo)
    assert res.code == 0, res.stderr
    shown = [d["path"] for d in json.loads(res.stdout)["documents"]]
    assert any(p.endswith("secret.md") for p in shown) and any(p.endswith("policy.md") for p in shown)
    (repo / "send-align.toml").write_text('paths = ["here"]\n', "utf-8")
    assert cli("check", "--format", "json", cwd=repo).code == 0


# --- folders that cannot be read, paths too long, special files ---------------------------------------


def _without_file_permission_overrides() -> None:
    """In the child before exec: drop root's right to ignore file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH) from the capability bounding set, so a folder with mode 000 is unreadable even
    to root."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "SEND_ALIGN_NO_CACHE": "1"}
    preexec = _without_file_permission_overrides if os.geteuid() == 0 else None
    return subprocess.run(
        [sys.executable, "-m", "send_align", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=preexec,
    )


def _can_lock_out_root(tmp_path: Path) -> bool:
    locked = tmp_path / "probe"
    locked.mkdir()
    locked.chmod(0)
    try:
        done = subprocess.run(
            ["ls", str(locked)], capture_output=True, preexec_fn=_without_file_permission_overrides
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        locked.chmod(0o755)
    return done.returncode != 0


def test_unreadable_subfolder_is_a_reported_problem(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0 and not _can_lock_out_root(tmp_path):
        pytest.skip("running as root without the right to drop CAP_DAC_OVERRIDE: no folder is unreadable")
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (docs / "locked" / "hidden.md").write_text(SEND_POLICY_MD, "utf-8")
    (docs / "secret.md").write_text(SEND_POLICY_MD, "utf-8")
    (docs / "locked").chmod(0)
    (docs / "secret.md").chmod(0)
    try:
        done = run_unprivileged("check", "docs", "--format", "json", cwd=tmp_path)
    finally:
        (docs / "locked").chmod(0o755)
        (docs / "secret.md").chmod(0o644)
    assert done.returncode == 2, done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert errors == [
        "error: docs/locked: cannot read this folder: Permission denied (the rest was still checked)",
        "error: docs/secret.md: cannot read: Permission denied",
    ]
    documents = {d["path"]: d for d in json.loads(done.stdout)["documents"]}
    assert sorted(documents) == ["docs/policy.md", "docs/secret.md"]
    assert documents["docs/secret.md"]["error"] and not documents["docs/policy.md"].get("error")


def _deep_folder(base: Path, depth: int = 20) -> Path:
    """Folders nested past PATH_MAX (4,096 bytes): made one level at a time from inside, as only then can
    they be made at all. Returns the first level."""
    import os

    old = Path.cwd()
    os.chdir(base)
    try:
        for level in range(depth):
            name = f"{level:02d}" + "d" * 240
            os.mkdir(name)
            os.chdir(name)
        Path("deep.md").write_text(SEND_POLICY_MD, "utf-8")
    finally:
        os.chdir(old)
    return base / ("00" + "d" * 240)


def test_path_beyond_path_max_is_a_reported_problem(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    _deep_folder(docs)
    res = run_cmd("check", "docs", "--format", "json", cwd=tmp_path)
    assert res.code == 2, res.stderr
    errors = res.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: docs/00ddd"), res.stderr[:300]
    assert "File name too long (the rest was still checked)" in errors[0]
    assert "internal error" not in res.stderr
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["docs/policy.md"]
    # The same file named on the command line: its path is too long to open.
    deep = "docs/" + "/".join(f"{level:02d}" + "d" * 240 for level in range(20)) + "/deep.md"
    res = run_cmd("check", deep, "docs/policy.md", "--format", "json", cwd=tmp_path)
    assert res.code == 2 and res.stderr.endswith("/deep.md: cannot read: File name too long\n"), res.stderr[-200:]
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["docs/policy.md"]


def test_fifo_and_device_links_named_are_not_regular_files(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    import os

    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    # Nobody writes to the pipe: a reader that opened it would wait for ever (the timeout fails the test).
    res = run_cmd("check", "pipe.md", "zero.txt", "policy.md", "--format", "json", cwd=tmp_path, timeout=60)
    assert res.code == 2
    assert res.stderr.splitlines() == [
        "error: pipe.md: not a regular file (a named pipe (FIFO)) (only documents saved as files can be checked)",
        "error: zero.txt: not a regular file (a device) (only documents saved as files can be checked)",
    ]
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["policy.md"]
    for command in (
        ["explain", "pipe.md", "cop.local-offer"],
        ["validate", "pipe.md"],
        ["check", "policy.md", "--strategies", "pipe.md"],
        ["check", "policy.md", "--config", "pipe.md"],
        ["check", "policy.md", "--baseline", "pipe.md"],
        ["check", "policy.md", "--baseline", "zero.txt"],
    ):
        res = run_cmd(*command, cwd=tmp_path, timeout=60)
        assert res.code == 2 and res.stderr.count("\n") == 1, (command, res.stderr)
        assert "not a regular file" in res.stderr, (command, res.stderr)


def test_special_files_in_a_folder_are_listed_as_skipped(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    import os
    import socket

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    os.mkfifo(docs / "pipe.md")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(docs / "talk.sock"))
    (docs / "inside-pipe.md").symlink_to(docs / "pipe.md")
    try:
        res = run_cmd("check", "docs", "--format", "json", cwd=tmp_path, timeout=60)
    finally:
        sock.close()
    assert res.code == 0, res.stderr
    report = json.loads(res.stdout)
    assert [d["path"] for d in report["documents"]] == ["docs/policy.md"]
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    assert skipped["docs/pipe.md"] == "not a regular file (a named pipe (FIFO))"
    assert skipped["docs/inside-pipe.md"] == "not a regular file (a named pipe (FIFO))"
    assert skipped["docs/talk.sock"] == "not a regular file (a socket)"


# --- numbers too long to read, nesting too deep -----------------------------------------------------------

DIGITS = "7" * 5000


def _cop_with_year(folder: Path, year: str) -> Path:
    from send_align.strategies import builtin_dir

    text = (builtin_dir() / "cop.yaml").read_text("utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("year:"))
    folder.mkdir()
    (folder / "cop.yaml").write_text(text.replace(line, line.split(":")[0] + ": " + year, 1), "utf-8")
    return folder / "cop.yaml"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("config-number", "send-align.toml:2: a number with more than 4300 digits"),
        ("config-deep", "send-align.toml: nested too deeply to read"),
        ("baseline-deep", "b.json: not a send-align baseline (JSON nested too deeply to read)"),
        ("baseline-number", "b.json:1: a number with more than 4300 digits"),
        ("strategy-number", "local/cop.yaml:{line}: a number with more than 4300 digits"),
        ("proposal-number", "p.json:1: a number with more than 4300 digits"),
        ("proposal-date", "p.yaml:3: cannot read the value '2026-13-45': month must be in 1..12"),
    ],
)
def test_huge_numbers_and_deep_nesting_name_the_file(case: str, expected: str, tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    args = ["check", "policy.md"]
    if case == "config-number":
        (tmp_path / "send-align.toml").write_text(f'format = "json"\nfail-under = {DIGITS}\n', "utf-8")
    elif case == "config-deep":
        (tmp_path / "send-align.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    elif case == "baseline-deep":
        (tmp_path / "b.json").write_text('{"accepted": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
        args += ["--baseline", "b.json"]
    elif case == "baseline-number":
        (tmp_path / "b.json").write_text('{"schema_version": "1", "accepted": [], "n": ' + DIGITS + "}", "utf-8")
        args += ["--baseline", "b.json"]
    elif case == "strategy-number":
        path = _cop_with_year(tmp_path / "local", DIGITS)
        number_line = next(n for n, ln in enumerate(path.read_text().splitlines(), 1) if DIGITS in ln)
        expected = expected.format(line=number_line)
        args += ["--strategies", "local"]
    elif case == "proposal-number":
        (tmp_path / "p.json").write_text('{"proposal": {"title": "A plan", "n": ' + DIGITS + "}}", "utf-8")
        args = ["check", "p.json"]
    else:
        (tmp_path / "p.yaml").write_text("proposal:\n  title: A plan\n  date: 2026-13-45\n", "utf-8")
        args = ["check", "p.yaml"]
    res = run_cmd(*args, cwd=tmp_path)
    assert res.code == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert expected in lines[0], lines[0]
    assert "internal error" not in res.stderr


# --- a local framework replacing a built-in one ---------------------------------------------------------


def _small_cop(folder: Path, extra_link: str | None = None) -> Path:
    """A local 'cop' with two of the built-in's aims and none of its links."""
    import yaml

    from send_align.strategies import builtin_dir

    data = yaml.safe_load((builtin_dir() / "cop.yaml").read_text("utf-8"))
    data["aims"] = [a for a in data["aims"] if a["id"] in ("cop.vision", "cop.participation")]
    for aim in data["aims"]:
        aim.pop("links", None)
    if extra_link:
        data["aims"][0]["links"] = [{"relation": "intersects-with", "aim": extra_link}]
    folder.mkdir()
    (folder / "cop.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return folder / "cop.yaml"


def _links_into_cop() -> int:
    from send_align.strategies import builtin_dir

    return sum(
        len(re.findall(r"aim: cop\.(?!vision\b|participation\b)", p.read_text("utf-8")))
        for p in builtin_dir().glob("*.yaml")
        if p.name != "cop.yaml"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["frameworks"],
        ["show", "lfi"],
        ["crosswalk"],
        ["validate"],
        ["check", "policy.md", "--format", "json"],
        ["search", "graduated", "approach"],
    ],
)
def test_local_framework_without_linked_aims_warns_and_runs(command: list[str], tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    _small_cop(tmp_path / "local")
    (tmp_path / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    res = run_cmd(*command, "--strategies", "local", cwd=tmp_path)
    assert res.code in (0, 1), res.stderr
    lines = res.stderr.splitlines()
    assert lines and all(ln.startswith("warning: local/cop.yaml:") for ln in lines), res.stderr
    assert len(lines) == _links_into_cop()
    assert "no aim 'cop.graduated-approach', which lfi.principle-3 links to (strategies/lfi.yaml:" in res.stderr
    if command[0] == "check":
        ids = {a["id"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
        assert "cop.vision" in ids and "cop.graduated-approach" not in ids


def test_local_framework_own_bad_link_is_still_an_error_naming_it(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    _small_cop(tmp_path / "local", extra_link="lfi.no-such-aim")
    res = run_cmd("frameworks", "--strategies", "local", cwd=tmp_path)
    assert res.code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: local/cop.yaml:"), res.stderr
    assert "unknown aim 'lfi.no-such-aim'" in errors[0]


# --- UTF-8 with a stray byte ------------------------------------------------------------------------------

BUDGET = "SPENDING £100M ON INCLUSION\n\nThe council’s plan — £100m for every child’s place, café to classroom.\n"


def _with_stray_byte(text: str, at: int = 40) -> bytes:
    raw = text.encode("utf-8")
    return raw[:at] + b"\xff" + raw[at:]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("budget.txt", BUDGET),
        ("budget.md", "# " + BUDGET),
        ("budget.html", "<h1>SPENDING £100M ON INCLUSION</h1><p>The council’s plan — £100m for every child’s place.</p>"),
    ],
)
def test_stray_byte_in_utf8_keeps_utf8(name: str, body: str, tmp_path: Path) -> None:
    from send_align.extract import extract

    path = tmp_path / name
    raw = body.encode("utf-8")
    path.write_bytes(raw[:-10] + b"\xff" + raw[-10:])
    text = "\n".join(b.text for b in extract(path, name).blocks)
    assert "£100m" in text and "council’s" in text and "Â" not in text, text
    assert text.count("\ufffd") == 1


def test_stray_byte_in_a_large_streamed_file_keeps_utf8(tmp_path: Path, run_cmd) -> None:  # type: ignore[no-untyped-def]
    """Over 16 MB, a text file is read and scanned a piece at a time: the first piece decides."""
    from send_align.engine import STREAM_BYTES

    path = tmp_path / "big.txt"
    filler = ("Roads and verges are cut each spring in the county’s rural parishes.\n\n" * 2000).encode()
    with path.open("wb") as fh:
        fh.write(_with_stray_byte(BUDGET, 60))
        while fh.tell() <= STREAM_BYTES:
            fh.write(filler)
    res = run_cmd("check", "big.txt", "--format", "json", "--no-cache", cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert json.loads(res.stdout)["documents"][0]["title"] == "SPENDING £100M ON INCLUSION"


def test_windows_1252_is_still_windows_1252(tmp_path: Path) -> None:
    from send_align.extract import extract

    path = tmp_path / "old.txt"
    # One accidental valid UTF-8 pair ('Â' then '£' in Windows-1252 is C2 A3) among many lone high bytes.
    path.write_bytes("Fees of £5 and £7 – the council’s “offer” costs Â£9.\n".encode("cp1252"))
    assert extract(path, "old.txt").blocks[0].text.startswith("Fees of £5 and £7 – the council’s “offer”")


@PROPERTY
@given(
    st.text(alphabet=st.sampled_from(list("abc £’—éü\n")), min_size=1, max_size=300),
    st.integers(min_value=0),
)
def test_one_stray_byte_in_utf8_with_accents_is_replaced_in_place(text: str, where: int) -> None:
    from hypothesis import assume

    assume(sum(ord(c) > 127 for c in text) >= 1)
    at = where % (len(text) + 1)
    raw = text[:at].encode() + b"\xff" + text[at:].encode()
    assert common.decode(raw, "t.txt") == text[:at] + "\ufffd" + text[at:]


# --- signals: workers die with the run ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def busy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough documents to keep two workers busy for several seconds."""
    docs = tmp_path_factory.mktemp("busy") / "docs"
    docs.mkdir()
    body = (SEND_POLICY_MD + "\n") * 300
    for i in range(100):
        (docs / f"d{i:03d}.md").write_text(body, "utf-8")
    return docs


def _children(pid: int) -> list[int]:
    import os

    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process tables from /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP", "SIGINT to the group", "SIGKILL"])
def test_workers_die_with_the_run(how: str, busy_folder: Path) -> None:
    import os
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "send_align", "check", str(busy_folder), "-j", "2", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1"},
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert len(workers) == 2, "the run never started its two workers"
        time.sleep(0.5)  # well into the work
        signum = getattr(signal, how.split()[0])
        if how.endswith("group"):
            os.killpg(proc.pid, signum)  # what Ctrl-C in a terminal does
        else:
            os.kill(proc.pid, signum)
        # The caller waiting for the output is not left hanging: nothing holds the pipes any more.
        _, err = proc.communicate(timeout=30)
        if signum == signal.SIGKILL:
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.returncode == 128 + signum
            assert err.decode() == f"interrupted ({signal.Signals(signum).name})\n"
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _running(w)], "workers outlived the run"
    finally:
        proc.kill()
        proc.wait()
        for pid in workers:  # only our own workers, should they have outlived the run
            try:
                if _running(pid) and b"send_align" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# --- a wildcard exemption in a document ------------------------------------------------------------------


@pytest.fixture
def exempting(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (docs / "sly.md").write_text(
        "# Note\n\nEvery child with SEND belongs.\n\n<!-- send-align: not-applicable * -- nothing here applies -->\n",
        "utf-8",
    )
    return tmp_path


@pytest.mark.parametrize("pattern", ["*", "cop.*", "c?p.vision", "[a-z]*"])
def test_wildcard_exemption_in_a_document_is_refused(pattern: str, exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sly = exempting / "docs" / "sly.md"
    sly.write_text(sly.read_text("utf-8").replace("applicable *", f"applicable {pattern}"), "utf-8")
    res = cli("check", "docs", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 2
    assert res.stderr.splitlines() == [
        f"error: docs/sly.md:5: not-applicable '{pattern}' is a pattern; a document may only exempt aims it "
        "names (name each aim, or put the pattern under [[not-applicable]] in send-align.toml, or set "
        "allow-wildcard-exemptions = true there)"
    ]
    docs = {d["path"]: d for d in json.loads(res.stdout)["documents"]}
    assert docs["docs/sly.md"]["error"] and not docs["docs/policy.md"].get("error")


def test_wildcard_exemption_allowed_by_the_configuration(exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # Run once allowed (its result cached), then once not: the cached result must not carry the exemption.
    (exempting / "send-align.toml").write_text("allow-wildcard-exemptions = true\n", "utf-8")
    res = cli("check", "docs/sly.md", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 0, res.stderr
    statuses = {a["status"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
    assert statuses == {"not-applicable"}
    (exempting / "send-align.toml").write_text("per-document = false\n", "utf-8")
    res = cli("check", "docs/sly.md", "--require", "cop.*", "--format", "json", cwd=exempting)
    assert res.code == 2 and "is a pattern" in res.stderr


def test_named_exemption_in_a_document_still_works(exempting: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sly = exempting / "docs" / "sly.md"
    sly.write_text(sly.read_text("utf-8").replace("applicable *", "applicable cop.local-offer"), "utf-8")
    res = cli("check", "docs/sly.md", "--format", "json", cwd=exempting)
    assert res.code == 0, res.stderr
    aims = {a["id"]: a["status"] for a in json.loads(res.stdout)["documents"][0]["aims"]}
    assert aims["cop.local-offer"] == "not-applicable"


# --- HTML: linear tokenizer, same reading as before ----------------------------------------------------------

ADVERSARIAL_HTML = {
    "unclosed-tags-newlines": "<p>Intro.</p>" + "<a\n" * 30_000,
    "unclosed-attribute-quote": "<p>Intro.</p>" + "<a b='" * 15_000,
    "unclosed-attributes": "<p>Intro.</p>" + "<p a=b " * 15_000,
    "unclosed-comments": "<p>Intro.</p>" + "<!--" * 50_000,
    "unclosed-end-tags": "<p>Intro.</p>" + "</" * 100_000,
    "processing-instructions": "<p>Intro.</p>" + "<?" * 100_000,
    "lone-angles": "<p>Intro.</p>" + "<" * 200_000,
    "unclosed-script": "<p>Intro.</p><script>" + "</scrip" * 30_000,
    "entities": "<p>" + "&#" * 100_000 + "</p>",
    "one-long-line-of-tags": "<p>a</p>" * 50_000,
}


def test_adversarial_html_is_read_in_linear_time(tmp_path: Path) -> None:
    paths = []
    for name, text in ADVERSARIAL_HTML.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, "utf-8")
        paths.append(path)
    seconds = time_readers(paths)
    slow = {name: round(s, 2) for name, s in seconds.items() if s > 2.0}
    assert not slow, f"pathological HTML read slowly: {slow}"


def _reference_html(text: str) -> tuple[list[object], str | None, list[object]]:
    """The reader driven by the standard library's HTMLParser, as it was before the tokenizer."""
    from html.parser import HTMLParser

    from send_align.extract import html as reader
    from send_align.extract.common import BlockBuilder

    class Reference(reader._Reader, HTMLParser):
        getpos = HTMLParser.getpos

        def __init__(self, builder: BlockBuilder) -> None:
            HTMLParser.__init__(self, convert_charrefs=True)
            reader._Reader.__init__(self, builder, "d.html")

    builder = BlockBuilder()
    ref = Reference(builder)
    ref.feed(text)
    ref.close()
    ref.flush()
    return list(builder.blocks), ref.title or builder.title, list(ref.exemptions)


HTML_WORDS = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
HTML_PART = st.one_of(
    HTML_WORDS.map(lambda w: f"<p>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<h2 class=\"x\">{w}</h2>"),
    HTML_WORDS.map(lambda w: f"<div id='a>b'>\n  {w}\n</div>"),
    HTML_WORDS.map(lambda w: f"<ul><li>{w}</li><li><a href=\"/x?a=1&amp;b=2\">{w}</a></li></ul>"),
    HTML_WORDS.map(lambda w: f"<table><tr><td>{w}</td><th>{w}</th></tr></table>"),
    HTML_WORDS.map(lambda w: f"<p>{w} &amp; {w} &lt;ok&gt; &#8217;s&nbsp;{w}<br/>{w}<br>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<p><b>{w}</b> <em>{w}</em> <span>{w}</span></p>"),
    HTML_WORDS.map(lambda w: f"<script>if (a < b && c > d) {{ x('</p>'); }}</script><p>{w}</p>"),
    HTML_WORDS.map(lambda w: f"<style>p > a {{ color: red }}</style><nav>{w}</nav><footer>{w}</footer>"),
    HTML_WORDS.map(lambda w: f"<!-- {w} --><p>{w}</p>"),
    st.just("<!-- send-align: not-applicable cop.local-offer -- published by the council -->"),
    st.just("<!DOCTYPE html>"),
    HTML_WORDS.map(lambda w: f"<head><title>{w}</title><meta charset=\"utf-8\"></head>"),
    HTML_WORDS.map(lambda w: f"<img src=\"a.png\" alt=\"{w}\"><input type=checkbox checked>"),
    HTML_WORDS.map(lambda w: f"{w}\n"),
    st.just("\n\n    "),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(HTML_PART, max_size=20))
def test_html_reads_as_the_standard_parser_did_for_ordinary_html(parts: list[str]) -> None:
    from send_align.extract import html as reader
    from send_align.extract.common import BlockBuilder

    text = "<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    tokenizer = reader._Tokenizer(BlockBuilder(), "d.html")
    blocks = list(tokenizer.run(text))
    assert (blocks, tokenizer.title or tokenizer.builder.title, tokenizer.exemptions) == _reference_html(text)


def test_large_html_is_streamed_with_the_same_report(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Over STREAM_BYTES an HTML file is scanned as its blocks are made (memory bounded by its text, not
    by its blocks); the report is the one a whole read gives."""
    from send_align import engine, extract
    from send_align.extract.reading import Reading

    page = (
        "<html><head><title>Inclusion at Hilltop</title></head><body>"
        "<!-- send-align: not-applicable cop.local-offer -- published by the council -->"
        + "".join(f"<p>{para}</p>\n" for para in SEND_POLICY_MD.split("\n\n"))
        + "<p>send-align: not-applicable dfe-ap.tailored-lists -- commissioned by the council</p>"
        + "<table>" + "<tr><td>early help</td><td>parents and carers</td></tr>\n" * 200 + "</table>"
        "</body></html>"
    )
    (tmp_path / "page.html").write_text(page, "utf-8")
    whole = cli("check", "page.html", "--format", "json", "--no-cache", cwd=tmp_path)
    streamed_calls = []
    real = extract.open

    def spy(path: Path, shown: str) -> Reading:
        reading = real(path, shown)
        if reading.streams:
            streamed_calls.append(shown)
        return reading

    monkeypatch.setattr(extract, "open", spy)
    monkeypatch.setattr(engine, "STREAM_BYTES", 1024)
    streamed = cli("check", "page.html", "--format", "json", "--no-cache", cwd=tmp_path)
    assert streamed_calls, "the file was not streamed"
    assert whole.code == streamed.code == 0, streamed.stderr
    assert streamed.stdout == whole.stdout
    doc = json.loads(streamed.stdout)["documents"][0]
    assert doc["title"] == "Inclusion at Hilltop"
    statuses = {a["id"]: a["status"] for a in doc["aims"]}
    assert statuses["cop.local-offer"] == statuses["dfe-ap.tailored-lists"] == "not-applicable"
