"""The cue expressions are linear on pathological sentences: a plain-text table ruled with dashes once took
minutes to check (a 7 KB page), because '-' is both a word character of a cue's gap and a non-word
character, and the gap's repeats could split a run of dashes in exponentially many ways."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

N = 3_000
ADVERSARIAL = {
    "dash-run": "-" * N,
    "ruled-columns": "------------  --------------------------------------  ---------------\n" * 40,
    "dash-space": "- " * N + "x",
    "dash-word": "a-" * N + " ?",
    "quote-dash": "'-" * N,
    "spaced-hyphens": "we - - " * (N // 3) + "said",
    "commas": "one, " * N + "found",
}

# Runs in a process of its own: a runaway expression cannot be interrupted inside the test process.
_TIMER = """
import json, sys, time
from send_align.matching.cue_phrases import CuePattern, SentenceCues
from send_align.matching.cues import CueSet
from send_align.strategies import build, find_files, find_models
cat = build(find_files([]), find_models([]))
cues = CueSet.build(cat.cues)
texts = json.loads(sys.argv[1])
worst = {}
for name in dir(cues):
    got = getattr(cues, name, None)
    pats = ([(name + '.start', got.start), (name, got.anywhere)] if isinstance(got, SentenceCues)
            else [(name, got)] if isinstance(got, CuePattern) else [])
    for label, pat in pats:
        for key, text in texts.items():
            t = time.perf_counter()
            pat.match(text)
            pat.search(text)
            worst[label + ' on ' + key] = time.perf_counter() - t
print(json.dumps(worst))
"""


def test_every_cue_expression_is_fast_on_pathological_sentences() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _TIMER, json.dumps(ADVERSARIAL)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    times = json.loads(done.stdout)
    assert len(times) > 100  # every cue list was tried on every text
    slow = {k: round(v, 2) for k, v in times.items() if v > 1.0}
    # Linear expressions take milliseconds on these texts; the runaway ones took minutes (bound generous).
    assert not slow, slow


def test_a_plain_text_page_with_a_ruled_table_is_checked_promptly(
    tmp_path: Path, run_cmd: Callable[..., Any]
) -> None:
    page = tmp_path / "events.txt"
    rows = "\n".join(
        f"Mon {d} May    Drop-in for parents of children with SEND      Town library" for d in range(1, 25)
    )
    page.write_text(
        "What's on for families\n======================\n\n"
        "Our advisers run drop-ins for parents and carers of children with SEND across the county.\n\n"
        "------------  ----------------------------------------------  ----------------\n"
        f"{rows}\n"
        "------------  ----------------------------------------------  ----------------\n",
        encoding="utf-8",
    )
    res = run_cmd("check", str(page), "--no-cache", "--format", "json", timeout=120)
    assert res.code in (0, 1), res.stderr
    assert json.loads(res.stdout)["documents"][0]["path"].endswith("events.txt")
