"""Folders that cannot be read, paths too long, and special files (FIFOs, devices)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEND_POLICY_MD


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
