"""A document that never finishes (a runaway expression, a reader stuck in a loop) stops at its time limit as
one error line, and the run goes on with the others: it used to hold the whole run until it was killed."""

from __future__ import annotations

import json
import re
import resource
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from send_align import extract
from send_align.timelimit import PER_BYTES, OverTime, budget, held, time_limit
from tests.conftest import SEND_POLICY_MD, Result

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this platform"),
    # A stop that lands in a finaliser or a gc callback (hypothesis installs one) is printed and dropped by Python,
    # and comes back when the re-armed timer fires (timelimit._expired); pytest would report the dropped one.
    pytest.mark.filterwarnings("ignore:(?s)Exception ignored in.*OverTime:pytest.PytestUnraisableExceptionWarning"),
]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _runaway_match(length: int = 100) -> None:
    """A match the regular-expression engine takes exponential time over (about 1.6**length ways to split the
    a's: hours at 100)."""
    re.match(r"(a|aa)*b", "a" * length)


def test_budget_is_the_limit_for_each_started_ten_megabytes() -> None:
    assert budget(120, 0) == 120
    assert budget(120, PER_BYTES) == 120
    assert budget(120, PER_BYTES + 1) == 240
    assert budget(2.5, 15 * PER_BYTES) == 37.5
    assert budget(0, 10**9) is None
    assert budget(None, 10) is None


def test_a_runaway_match_is_stopped_at_the_limit() -> None:
    before = _cpu()
    with pytest.raises(OverTime) as stopped, time_limit(0.2):
        _runaway_match()
    assert stopped.value.seconds == 0.2
    # Stopped at the limit, not when the match would end (it would take hours); bound generous for a busy machine.
    assert _cpu() - before < 5


def test_a_loop_in_python_is_stopped_too() -> None:
    with pytest.raises(OverTime), time_limit(0.1):
        while True:
            pass


def test_work_within_the_limit_is_untouched_and_the_timer_is_disarmed_after() -> None:
    with time_limit(5):
        total = sum(range(100_000))
    assert total == 4_999_950_000
    signal.raise_signal(signal.SIGPROF)  # a late or stray signal after the block: nothing happens
    start = _cpu()
    while _cpu() - start < 0.3:  # longer than a limit that was still armed would allow
        pass


def test_a_held_block_is_finished_before_the_document_is_stopped() -> None:
    finished = []
    with pytest.raises(OverTime), time_limit(0.1):
        with held():
            start = _cpu()
            while _cpu() - start < 0.4:
                pass
            finished.append(True)
        finished.append(False)  # never reached: the limit stops the document once the held block is done
    assert finished == [True]


def test_an_import_the_limit_falls_in_is_finished_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module stopped half-way through its import would be left broken for every later document (a C
    extension cannot initialise twice): the limit waits for the import, then stops the document."""
    (tmp_path / "slow_to_import_module.py").write_text(
        "import resource\n"
        "def cpu():\n"
        "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    return u.ru_utime + u.ru_stime\n"
        "start = cpu()\n"
        "while cpu() - start < 0.4:\n"
        "    pass\n"
        "DONE = True\n",
        "utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_to_import_module", raising=False)
    with pytest.raises(OverTime), time_limit(0.05):
        import slow_to_import_module  # noqa: F401

        start = _cpu()
        while _cpu() - start < 5:  # the document goes on after the import: the limit stops it here
            pass
    assert sys.modules["slow_to_import_module"].DONE
    assert _cpu() - start < 1


def test_a_stop_that_is_swallowed_comes_back() -> None:
    """The signal may land in a finaliser, where Python prints and drops what it raises: the stop comes again."""
    start = _cpu()
    with pytest.raises(OverTime), time_limit(0.05):
        try:
            while _cpu() - start < 1:
                pass
        except OverTime:
            pass  # lost, as in a finaliser
        while _cpu() - start < 5:
            pass
    assert _cpu() - start < 2


def test_an_inner_limit_does_not_replace_the_outer_one() -> None:
    with pytest.raises(OverTime) as stopped, time_limit(0.1), time_limit(60):
        _runaway_match()
    assert stopped.value.seconds == 0.1


def test_outside_the_main_thread_there_is_no_limit() -> None:
    done: list[float] = []

    def spend() -> None:
        with time_limit(0.05):
            start = _cpu()
            while _cpu() - start < 0.3:
                pass
        done.append(_cpu() - start)

    worker = threading.Thread(target=spend)
    worker.start()
    worker.join(30)
    assert done and done[0] >= 0.3


# --- through the command line --------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two good policies and `runaway.txt`, which the reader never finishes (a catastrophic match); forked
    workers inherit the stuck reader."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("a-policy.md", "b-policy.md", "c-policy.md"):
        (folder / name).write_text(SEND_POLICY_MD, "utf-8")
    (folder / "runaway.txt").write_text("Our SEND policy.\n\n" + SEND_POLICY_MD, "utf-8")
    real = extract.open

    def stuck(path: Path, shown: str, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name.startswith("runaway"):
            start = _cpu()
            while _cpu() - start < 60:  # a broken limit fails the test rather than hanging the suite
                _runaway_match(26)
            raise AssertionError("the time limit never stopped the stuck reader")
        return real(path, shown, *args, **kwargs)

    monkeypatch.setattr(extract, "open", stuck)  # extract.extract reads through it too
    yield folder


def _one_error_line(res: Result, name: str, seconds: str) -> None:
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: {name}: stopped after {seconds} s of processor time: reading and checking it took too long (a "
        "file this slow may be built to be; if it is an ordinary document, raise the limit with --time-limit "
        "SECONDS (0: none) and please report it)"
    ], res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stuck_document_is_one_error_and_the_others_are_reported(
    cli: Callable[..., Result], library: Path, jobs: str
) -> None:
    res = cli("check", str(library), "--time-limit", "0.5", "-j", jobs, "--format", "json", "--no-cache")
    assert res.code == 2
    _one_error_line(res, _shown(res, "runaway.txt"), "0.5")
    report: Any = res.json()
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert set(by_name) == {"a-policy.md", "b-policy.md", "c-policy.md", "runaway.txt"}
    assert "stopped after 0.5 s of processor time" in by_name["runaway.txt"]["error"]
    for name in ("a-policy.md", "b-policy.md", "c-policy.md"):
        assert by_name[name].get("error") is None
        assert any(a["status"] == "addressed" for a in by_name[name]["aims"])


def _shown(res: Result, name: str) -> str:
    """The stuck document as the report names it."""
    report: Any = json.loads(res.stdout)
    return next(d["path"] for d in report["documents"] if Path(d["path"]).name == name)


def test_the_configuration_sets_the_limit_and_the_flag_wins(cli: Callable[..., Result], library: Path) -> None:
    (library / "send-align.toml").write_text("time-limit = 0.3\n", "utf-8")
    res = cli("check", "runaway.txt", "a-policy.md", "--format", "json", "--no-cache", cwd=library)
    assert res.code == 2
    _one_error_line(res, "runaway.txt", "0.3")
    res = cli("check", "runaway.txt", "--time-limit", "0.4", "-q", "--no-cache", cwd=library)
    assert res.code == 2
    _one_error_line(res, "runaway.txt", "0.4")


def test_a_bad_configured_limit_is_refused_with_its_line(cli: Callable[..., Result], library: Path) -> None:
    (library / "send-align.toml").write_text('paths = ["."]\ntime-limit = -5\n', "utf-8")
    res = cli("check", "a-policy.md", "--no-cache", cwd=library)
    assert res.code == 2
    assert res.stderr.startswith("error: send-align.toml:2: time-limit: -5 is less than the minimum of 0"), res.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["explain", "runaway.txt", "cop.senco"],
        ["annotate", "runaway.txt", "-o", "out.html"],
        ["diff", "a-policy.md", "runaway.txt"],
    ],
)
def test_explain_annotate_and_diff_stop_at_the_limit(
    cli: Callable[..., Result], library: Path, command: list[str]
) -> None:
    res = cli(*command, "--time-limit", "0.5", cwd=library)
    assert res.code == 2
    name = "a-policy.md and runaway.txt" if command[0] == "diff" else "runaway.txt"
    _one_error_line(res, name, "0.5")
    assert not (library / "out.html").exists()


def test_explain_is_not_charged_for_compiling_the_rules(cli: Callable[..., Result], library: Path) -> None:
    """Compiling the rules takes longer than this limit; reading and checking one short policy does not."""
    res = cli("explain", "a-policy.md", "cop.senco", "--time-limit", "0.3", cwd=library)
    assert res.code == 0, res.stderr


def test_a_long_real_document_is_stopped_and_checked_in_full_without_a_limit(
    run_cmd: Callable[..., Result], tmp_path: Path
) -> None:
    """The installed command on a real 2 MB text file: stopped at a tiny limit, checked with none, and the
    stopped run leaves nothing in the cache that a later run would take for its result."""
    paragraph = (
        "Every school makes reasonable adjustments so that pupils with special educational needs learn "
        "alongside their friends, and the SENCO reviews each pupil's support with their parents each term."
    )
    (tmp_path / "long.txt").write_text("\n\n".join([paragraph] * 9_000), "utf-8")
    env = {"SEND_ALIGN_CACHE_DIR": str(tmp_path / "cache")}
    stopped = run_cmd("check", "long.txt", "--time-limit", "0.1", "--format", "json", cwd=tmp_path, env=env)
    assert stopped.code == 2
    _one_error_line(stopped, "long.txt", "0.1")
    full = run_cmd("check", "long.txt", "--time-limit", "0", "--format", "json", cwd=tmp_path, env=env)
    assert full.code == 0, full.stderr
    report: Any = full.json()
    (doc,) = report["documents"]
    assert doc.get("error") is None
    assert any(a["status"] == "addressed" for a in doc["aims"])


def test_documents_after_one_stopped_mid_scan_are_judged_as_in_a_fresh_run(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A long document stopped half-way through its scan, in the same process as the documents after it: their
    results are those of a run without it (nothing the scan learns on the way is left half-made)."""
    paragraph = (
        "Pupils with special educational needs learn alongside their friends, and the SENCO reviews the support "
        "each pupil has with their parents every term, so that families are heard and plans are kept up to date."
    )
    # About 4 MB, each paragraph with words never seen before, for the matcher to be learning when stopped.
    long_text = "\n\n".join(f"{paragraph} Reference k{n}q{n * 7}z and p{n}v{n * 3}y." for n in range(18_000))
    (tmp_path / "a-long.txt").write_text(long_text, "utf-8")
    for name in ("b-policy.md", "c-policy.md"):
        (tmp_path / name).write_text(SEND_POLICY_MD, "utf-8")
    stopped = cli("check", ".", "-j", "1", "--time-limit", "0.5", "--format", "json", "--no-cache", cwd=tmp_path)
    assert stopped.code == 2
    _one_error_line(stopped, "a-long.txt", "0.5")
    fresh = cli("check", "b-policy.md", "c-policy.md", "-j", "1", "--format", "json", "--no-cache", cwd=tmp_path)
    assert fresh.code == 0, fresh.stderr
    after: Any = stopped.json()
    alone: Any = fresh.json()
    assert after["documents"][1:] == alone["documents"]


def test_a_limit_that_falls_in_a_readers_first_import_is_still_one_error_per_document(
    run_cmd: Callable[..., Result], tmp_path: Path
) -> None:
    """A fresh process imports each reader's libraries with the first document that needs them (YAML, with its
    C extension, for a proposal): a tiny limit falls inside those imports, which finish first, so each document
    is one clear error (or done) and none is an internal error of a module left half-made."""
    (tmp_path / "a-policy.md").write_text(SEND_POLICY_MD, "utf-8")
    (tmp_path / "b-proposal.yaml").write_text(
        "proposal:\n  title: A nurture room\n"
        "  summary: A room where pupils with social and emotional needs are supported each morning.\n"
        "  claims:\n    - aim: cop.need-semh\n      how: The room supports pupils with SEMH needs.\n",
        "utf-8",
    )
    # The catalogue built once and kept: later runs load it without reading YAML, so YAML is first imported
    # by the first document's check, inside its limit.
    assert run_cmd("check", "a-policy.md", "-q", "--no-cache", cwd=tmp_path).code == 0
    res = run_cmd("check", ".", "--time-limit", "0.001", "--no-cache", "-j", "1", "--format", "json", cwd=tmp_path)
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    # Each document either finished within the retry after its imports, or is one clear error.
    lines = res.stderr.strip().splitlines()
    assert all("stopped after 0.001 s of processor time" in line for line in lines), lines
    report: Any = res.json()
    assert len(report["documents"]) == 2
    assert res.code == (2 if lines else 0)
