"""Start-up time of the look-up commands against bare Python, interleaved, as medians and ratios.

    python benchmarks/startup.py            # 15 rounds
    python benchmarks/startup.py --rounds 30

Target (issue 2): each look-up within 6x the start-up of `python -c pass`. The catalogue cache is warmed
first, as it is for a user who has run the tool once, and so is the package's bytecode, which pip writes on
install: with PYTHONDONTWRITEBYTECODE set (as on some development machines) every run would otherwise compile
the package's modules again, and time that no user's installed copy spends.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The console script users run, from the same environment as this Python; `python -m` only as a fallback.
_SCRIPT = Path(sys.executable).with_name("send-align")
TOOL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "send_align"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "send-align show lfi": [*TOOL, "show", "lfi"],
    'send-align search "early help"': [*TOOL, "search", "early help"],
    "send-align frameworks": [*TOOL, "frameworks"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--target", type=float, default=6.0)
    args = ap.parse_args()
    # Warm the OS file cache, the catalogue cache and the bytecode.
    writes_bytecode = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for argv in COMMANDS.values():
        subprocess.run(argv, capture_output=True, check=True, env=writes_bytecode)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, argv in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    worst = 0.0
    for name, samples in times.items():
        med = statistics.median(samples)
        ratio = med / base
        if name != "python -c pass":
            worst = max(worst, ratio)
        print(f"{name:<34} median {med * 1000:7.1f} ms   {ratio:4.1f}x bare python")
    print(
        f"worst look-up ratio {worst:.1f}x (target {args.target:g}x): {'ok' if worst <= args.target else 'OVER'}"
    )
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
