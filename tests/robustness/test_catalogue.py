"""The robustness catalogue (docs/robustness.md): hostile and broken input, each through the real process.

Every case: one clear line naming the file and the problem, the other inputs still checked, exit 2 where
input was bad, no traceback, and bounded time and memory (measured for the process itself with wait4).
Cases already covered elsewhere are listed in docs/robustness.md with the test that covers them.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD, make_docx

MAX_SECONDS = 10.0
MAX_RSS_MB = 500


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


def bounded(
    *args: str, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
) -> Run:
    """Run send-align as a process; its own exit code, wall time and peak RSS.

    GNU time measures the process alone when it is installed; otherwise wait4's figure also counts the
    test runner's memory copied into the child before it starts Python, so it can only over-estimate."""
    t0 = time.perf_counter()
    rss_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"send-align-rss-{os.getpid()}-{time.monotonic_ns()}"
    wrapper = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
    proc = subprocess.Popen(
        [*wrapper, sys.executable, "-m", "send_align", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SEND_ALIGN_NO_CACHE": "1", **(env or {})},
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(proc.stderr.read())),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"send-align {' '.join(args)} ran over {timeout} s")
        time.sleep(0.02)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_kb = usage.ru_maxrss
    if wrapper:
        rss_kb = int(rss_file.read_text().strip().splitlines()[-1])
        rss_file.unlink()
    return Run(
        proc.returncode,
        out[0].decode("utf-8", "replace"),
        err[0].decode("utf-8", "replace"),
        time.perf_counter() - t0,
        rss_kb / 1024,
    )


def assert_clean(run: Run, seconds: float = MAX_SECONDS) -> None:
    if os.environ.get("SEND_ALIGN_ROBUSTNESS_LOG"):
        # For docs/robustness.md: what each case cost on this machine.
        with open(os.environ["SEND_ALIGN_ROBUSTNESS_LOG"], "a", encoding="utf-8") as log:
            log.write(
                f"{os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]}\t{run.seconds:.1f} s\t{run.rss_mb:.0f} MB\n"
            )
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-2000:]
    assert run.seconds < seconds, f"took {run.seconds:.1f} s"
    assert run.rss_mb < MAX_RSS_MB, f"peak RSS {run.rss_mb:.0f} MB"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(SEND_POLICY_MD, "utf-8")
    return folder


def report(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads(run.stdout)  # type: ignore[no-any-return]


# --- documents ----------------------------------------------------------------------------------------


def test_nested_zip_bomb_inside_a_docx(good: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (200 * 1024 * 1024))
    docx = make_docx(good / "nested.docx", [("Normal", "We identify special educational needs early.")])
    with zipfile.ZipFile(docx, "a") as z:
        z.writestr("word/media/archive.zip", inner.getvalue())  # a bomb inside, never opened
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    paths = {d["path"]: d for d in report(run)["documents"]}
    assert not paths[str(good / "nested.docx")].get("error")  # the document's own text is read


def test_docx_with_external_links_and_macros_fetches_and_runs_nothing(good: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    docx = make_docx(good / "linked.docx", [("Normal", "Pupils with SEND are supported at SEN support.")])
    with zipfile.ZipFile(docx, "a") as z:
        z.writestr(
            "word/_rels/settings.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/attachedTemplate" '
            f'Target="http://127.0.0.1:{port}/template.dotm" TargetMode="External"/></Relationships>',
        )
        z.writestr("word/vbaProject.bin", b'Attribute VB_Name = "Evil"\nShell "touch /tmp/pwned"\n' * 10)
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    with pytest.raises(TimeoutError):
        server.accept()  # nobody connected
    server.close()
    assert not Path("/tmp/pwned").exists()
    doc = next(d for d in report(run)["documents"] if d["path"].endswith("linked.docx"))
    assert "error" not in doc


def test_html_with_huge_attributes_and_deep_nesting(good: Path) -> None:
    (good / "deep.html").write_text(
        "<html><body>"
        + "<div>" * 200_000
        + "<p>We identify SEN early.</p>"
        + "</div>" * 200_000
        + "</body></html>",
        "utf-8",
    )
    (good / "attrs.html").write_text(
        '<html><body><p title="' + "x" * 20_000_000 + '">Parents are partners in every SEN support plan.</p>'
        '<iframe src="http://127.0.0.1:9/"></iframe><script>while(1){}</script></body></html>',
        "utf-8",
    )
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    docs = {Path(d["path"]).name: d for d in report(run)["documents"]}
    assert "good.md" in docs and not docs["good.md"].get("error")
    for name in ("deep.html", "attrs.html"):
        assert name in docs  # read, or reported with a reason: never a crash


def test_text_with_mixed_line_endings_and_nul_bytes(good: Path) -> None:
    (good / "mixed.txt").write_bytes(
        b"SEND POLICY\r\n\r\nWe identify special educational needs early.\rPupils with SEND\n"
        b"have SEN support plans.\r\n\r\nParents are partners.\x00\n"
    )
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    doc = next(d for d in report(run)["documents"] if d["path"].endswith("mixed.txt"))
    aim = next(a for a in doc["aims"] if a["id"] == "cop.early-identification")
    assert aim["status"] == "addressed" and aim["evidence"][0]["line"] == 3


@pytest.mark.slow
def test_single_100_mb_line_finishes_in_bounded_memory(tmp_path: Path) -> None:
    sentence = b"Pupils with special educational needs get SEN support and their parents are partners. "
    path = tmp_path / "one-line.txt"
    with path.open("wb") as fh:
        for _ in range(100 * 1024 * 1024 // len(sentence)):
            fh.write(sentence)
    run = bounded("check", str(path), "--format", "json", "-o", os.devnull, timeout=600)
    assert_clean(run, seconds=300)
    assert run.code == 0


@pytest.mark.slow
def test_150_mb_text_file_finishes_in_bounded_memory(tmp_path: Path) -> None:
    para = (SEND_POLICY_MD.replace("#", "").strip() + "\n\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        for _ in range(150 * 1024 * 1024 // len(para)):
            fh.write(para)
    run = bounded("check", str(path), "--format", "json", "-o", os.devnull, timeout=600)
    assert_clean(run, seconds=300)
    assert run.code == 0


def test_one_huge_token_without_spaces(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_text("SEND POLICY\n\nWe identify SEN early.\n\n" + "QUJD" * 2_000_000 + "\n", "utf-8")
    run = bounded("check", str(path), "--format", "json")
    assert_clean(run)
    assert run.code == 0


# --- folders ------------------------------------------------------------------------------------------


def test_symlinks_loops_and_links_outside_the_folder(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Pupils with SEND: password hunter2 is the key to the SEN support register.", "utf-8")
    (good / "outside.txt").symlink_to(secret)
    (good / "loop").symlink_to(good)
    (good / "dangling.txt").symlink_to(good / "missing.txt")
    (good / "sub").mkdir()
    (good / "sub" / "inside.md").symlink_to(good / "good.md")
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    data = report(run)
    assert "hunter2" not in run.stdout
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert "outside the folder" in skipped["outside.txt"]
    assert "not followed" in skipped["loop"]
    assert "broken" in skipped["dangling.txt"]
    assert "the same file as" in skipped["inside.md"]  # a link within the folder: checked once
    assert {Path(d["path"]).name for d in data["documents"]} == {"good.md"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported_and_the_rest_checked(good: Path) -> None:
    bad = good / "locked.md"
    bad.write_text("secret", "utf-8")
    bad.chmod(0)
    run = bounded("check", str(good), "--format", "json")
    assert_clean(run)
    assert run.code == 2 and "locked.md" in run.stderr and "Permission denied" in run.stderr
    assert any(d["path"].endswith("good.md") and "error" not in d for d in report(run)["documents"])


def test_ten_thousand_tiny_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for n in range(10_000):
        sub = folder / f"d{n // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{n:05d}.txt").write_text(
            f"Note {n}: pupils with SEND meet the SENCo each term.\n", "utf-8"
        )
    run = bounded("check", str(folder), "--format", "json", "-o", os.devnull, timeout=600)
    # Measured on a 2-core machine; see docs/robustness.md. Memory is the hard bound here.
    assert_clean(run, seconds=60)
    assert run.code == 0


def test_file_names_with_spaces_unicode_and_shell_metacharacters(good: Path) -> None:
    names = ["a file with spaces.md", "café – naïve.md", "$(touch pwned);`id`|&>x.md", "-rf.md", "--help.md"]
    for name in names:
        (good / name).write_text(SEND_POLICY_MD, "utf-8")
    run = bounded("check", str(good), "--format", "json", cwd=good)
    assert_clean(run)
    shown = {Path(d["path"]).name for d in report(run)["documents"]}
    assert set(names) <= shown
    assert not (good / "pwned").exists() and not (good / "x.md").exists()
    # A file named like an option is still a file when given after `--`.
    single = bounded("check", "--format", "json", "--", "--help.md", cwd=good)
    assert single.code == 0 and report(single)["documents"][0]["path"] == "--help.md"


# --- command line -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--frobnicate", "x"], "No such option"),
        (["check", "x.md", "-f", "nope"], "unknown framework 'nope'"),
        (["check", "x.md", "--require", "lfi.nope"], "matches no aim id"),
        (["check", "x.md", "--jobs", "0"], "Invalid value"),
        (["check", "x.md", "--fail-under", "abc"], "not a percentage"),
        (["check", "x.md", "--format", "pdf"], "Invalid value"),
        (["check", "x.md", "-o", "x.md"], "inputs are never overwritten"),
        (["check", "x.md", "-o", "x.md/out.json"], "x.md is not a folder"),
        (["check", "x.md", "--config", "a.toml", "--no-config"], "contradict"),
        (["explain", "x.md", "no.such-aim"], "unknown aim id"),
        (["diff", "x.md"], "two files"),
        (["show", "nope"], "nope"),
    ],
)
def test_command_line_mistakes(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text(SEND_POLICY_MD, "utf-8")
    (tmp_path / "a.toml").write_text("", "utf-8")
    run = bounded(*args, cwd=tmp_path)
    assert run.code == 2
    assert message in run.stderr
    assert_clean(run)
    assert (tmp_path / "x.md").read_text("utf-8") == SEND_POLICY_MD


# --- output safety ------------------------------------------------------------------------------------


def test_terminal_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "esc\x1b[31mred.txt"
    path.write_text(
        "SEND POLICY\n\nWe identify special educational needs early \x1b]0;pwned\x07 and review SEN support \x1b[2J.\n",
        "utf-8",
    )
    for fmt in ("table",):
        run = bounded("check", str(tmp_path), "--format", fmt, "--evidence", "3", env={"FORCE_COLOR": "1"})
        assert_clean(run)
        bad = [seq for seq in ("\x1b]0;", "\x1b[2J", "\x07", "\x1b[31mred") if seq in run.stdout]
        assert not bad, bad


# --- proposal files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b]\n"
            "proposal: {title: t, claims: [], sections: [*c]}\n",
            "anchors (&name) are not allowed",
        ),
        ("proposal:\n  title: t\n  title: u\n  sections: []\n", "duplicate key"),
        ("proposal: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
        ("proposal:\n  title: " + "x" * 6_000_000 + "\n", "MB"),
        ("proposal:\n  title: 42\n  sections: nope\n", "proposal.title"),
    ],
)
def test_hostile_proposal_files(content: str, message: str, good: Path) -> None:
    (good / "bad.yaml").write_text(content, "utf-8")
    run = bounded("check", str(good), str(good / "bad.yaml"), "--format", "json")
    assert_clean(run)
    assert run.code == 2
    lines = [ln for ln in run.stderr.splitlines() if "bad.yaml" in ln]
    # Named and also inside the folder named: checked, and each problem reported, once.
    assert len(lines) == len(set(lines)) and message in run.stderr, run.stderr
    assert any(d["path"].endswith("good.md") and "error" not in d for d in report(run)["documents"])


def test_proposal_in_utf16_and_latin1(good: Path) -> None:
    text = "proposal:\n  title: Café nurture base\n  summary: Pupils with SEND get SEN support in a nurture base.\n"
    (good / "utf16.yaml").write_bytes(text.encode("utf-16"))
    (good / "latin1.yaml").write_bytes(text.encode("latin-1"))
    run = bounded("check", str(good / "utf16.yaml"), str(good / "latin1.yaml"), "--format", "json")
    assert_clean(run)
    assert run.code in (0, 2)
    for line in run.stderr.splitlines():
        assert line.startswith("error: ") and (".yaml" in line)
