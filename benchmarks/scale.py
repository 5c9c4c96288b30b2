"""send-align against ripgrep on the same corpus and phrase list, at three corpus sizes, interleaved.

    python benchmarks/scale.py                       # 7.5, 15 and 30 MB corpora under /tmp
    python benchmarks/scale.py --sizes 30 --rounds 3

For each size it builds a corpus (benchmarks/corpus.py: recombined real paragraphs in ~20 KB text files),
writes the compiled phrase list (`send-align phrases`), then runs in interleaved rounds:

  send-align check --format json -o /dev/null CORPUS      cold (--no-cache) and warm (a filled cache)
  rg -o -i -w -F -f phrases.txt CORPUS                    case-insensitive whole words: our lexical work
  rg -o -F -f phrases.txt CORPUS                          exact bytes: the floor

and reports the median wall time, MB/s, files/s and peak RSS of each, and the ratios the issue sets:
send-align no slower than `rg -i -w`, within 4x of `rg -F`, warm 10x faster than cold, RSS under 300 MB.
Needs ripgrep on PATH (apt-get install ripgrep).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_SOURCE, build


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB (of the command and its children) and exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    # wait4 gives the child's own peak RSS; workers it forked are reaped by it and counted in its children.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return wall, usage.ru_maxrss // 1024, proc.returncode


def peak_rss(cmd: list[str], env: dict[str, str]) -> int:
    """Peak RSS in MB of one run (through /usr/bin/time when present, which measures each run alone)."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if gnu_time is None:
        return timed(cmd, env)[1]
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as out:
        subprocess.run(
            [gnu_time, "-f", "%M", "-o", out.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        return int(out.read().strip().splitlines()[-1]) // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[7.5, 15.0, 30.0], help="corpus sizes in MB")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "send-align-bench")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else None)
    args = ap.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        sys.stderr.write("ripgrep (rg) is not on PATH: apt-get install ripgrep\n")
        return 2
    exe = [sys.executable, "-m", "send_align"]
    args.work.mkdir(parents=True, exist_ok=True)
    phrases = args.work / "phrases.txt"
    phrases.write_text(subprocess.run([*exe, "phrases"], capture_output=True, text=True, check=True).stdout)
    n_phrases = len(phrases.read_text().splitlines())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {rg}")
    print(f"phrases: {n_phrases} (send-align phrases)")
    rows = []
    for size in args.sizes:
        corpus = args.work / f"corpus-{size:g}"
        if not corpus.is_dir():
            build(corpus, size, 20.0, args.source, 0, 0, 7)
        files = [p for p in corpus.rglob("*") if p.is_file()]
        mb = sum(p.stat().st_size for p in files) / 1_000_000
        cache = args.work / f"cache-{size:g}"
        shutil.rmtree(cache, ignore_errors=True)
        # As installed for users: bytecode is cached (some CI images set PYTHONDONTWRITEBYTECODE, which
        # would make every run compile the package from source first).
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base_env["SEND_ALIGN_CACHE_DIR"] = str(cache)
        check = [*exe, "check", "--no-config", "--format", "json", "-o", os.devnull, str(corpus)]
        commands = {
            "send-align (cold)": ([*check, "--no-cache"], base_env),
            "send-align (warm)": (check, base_env),
            "rg -o -i -w -F -f": ([rg, "-o", "-i", "-w", "-F", "-f", str(phrases), str(corpus)], base_env),
            "rg -o -F -f": ([rg, "-o", "-F", "-f", str(phrases), str(corpus)], base_env),
        }
        timed(check, base_env)  # fill the cache for the warm runs
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.rounds):
            for name, (cmd, env) in commands.items():
                times[name].append(timed(cmd, env)[0])
        medians = {k: statistics.median(v) for k, v in times.items()}
        rss = {k: peak_rss(cmd, env) for k, (cmd, env) in commands.items()}
        print(f"\ncorpus {mb:.1f} MB, {len(files)} files ({args.rounds} interleaved rounds, median)")
        print(f"  {'command':<22} {'seconds':>8} {'MB/s':>8} {'files/s':>9} {'peak RSS MB':>12}")
        for name, sec in medians.items():
            print(f"  {name:<22} {sec:8.2f} {mb / sec:8.1f} {len(files) / sec:9.0f} {rss[name]:12d}")
        cold = medians["send-align (cold)"]
        ratios = {
            "cold / rg -i -w": cold / medians["rg -o -i -w -F -f"],
            "cold / rg -F": cold / medians["rg -o -F -f"],
            "cold / warm": cold / medians["send-align (warm)"],
        }
        print("  " + ", ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))
        rows.append((mb, cold, ratios, rss["send-align (cold)"]))
    if len(rows) > 1:
        per_mb = [cold / mb for mb, cold, _, _ in rows]
        print(f"\ngrowth: {', '.join(f'{p:.3f}' for p in per_mb)} s per MB across sizes (flat = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
