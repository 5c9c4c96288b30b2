"""What the hostile-input tests share: reading files in a process of their own, property settings,
and the words generated documents are made of."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

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


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


WORDS = st.sampled_from(["inclusion", "pupils", "SEND", "families", "early", "support", "the", "a", "plan"])
