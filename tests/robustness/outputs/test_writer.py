"""The one writer: temporary files that cannot be hijacked and never stay behind (full disks,
interrupts, unwritable caches), devices written in place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.outputs.support import Run, assert_clean, run


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
