"""Accuracy on the labelled dev set through the project's own scorer: a floor that catches regressions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FLOOR_F1 = 0.88
FLOOR_PRECISION = 0.89


def test_dev_set_accuracy(shared: Path) -> None:
    labels = shared / "eval" / "dev" / "labels.yaml"
    done = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score.py"),
            str(labels),
            "--cmd",
            f"{sys.executable} -m send_align",
            "--aims",
            str(shared / "spec" / "AIMS.md"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    m = re.search(r"micro F1 ([\d.]+) precision ([\d.]+) recall ([\d.]+) claims (\d+)/(\d+)", last)
    assert m, last
    f1, precision = float(m.group(1)), float(m.group(2))
    assert f1 >= FLOOR_F1 and precision >= FLOOR_PRECISION, last
    assert m.group(4) == m.group(5), f"proposal claims judged wrongly: {last}"
    assert "never reported" not in done.stdout
