"""Start-up of the command line: `spintrace --help` and a one-shot `spintrace compare` of the seed
pair, wall time in fresh processes (issue 13: --help < 0.2 s, one-shot compare < 0.8 s on 2 cores),
and what `compare --pairs` costs per pair once started.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--baseline-src /work/main/src]

Each command runs ``--runs`` times, interleaved with the same command on ``--baseline-src`` (the
code before this change) when given, so both see the same machine load; medians are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine_speed import machine_speed_line  # noqa: E402
SEED = ROOT.parent / "shared" / "data" / "seed-pair"


def wall(cmd: list[str], src: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--baseline-src", help="src/ folder of the code to compare against (e.g. /work/main/src)")
    ap.add_argument("--pairs", type=int, default=10, help="lines in the --pairs file")
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/startup.md"))
    args = ap.parse_args()

    py = sys.executable
    source, suspect = str(SEED / "source.txt"), str(SEED / "suspect.txt")
    tmp = Path(tempfile.mkdtemp(prefix="spintrace-startup-"))
    pairs_file = tmp / "pairs.jsonl"
    pairs_file.write_text(
        "".join(json.dumps({"id": str(k), "source_path": source, "suspect_path": suspect}) + "\n" for k in range(args.pairs))
    )
    commands = {
        "spintrace --help": [py, "-m", "spintrace", "--help"],
        "spintrace compare (text report)": [py, "-m", "spintrace", "compare", source, suspect],
        "spintrace compare --format json": [py, "-m", "spintrace", "compare", source, suspect, "--format", "json"],
        "spintrace compare --format html": [py, "-m", "spintrace", "compare", source, suspect, "--format", "html"],
    }
    sides = {"this code": ROOT / "src"}
    if args.baseline_src:
        sides["before (baseline)"] = Path(args.baseline_src)
    load_before = os.getloadavg()[0]
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            for side, src in sides.items():
                times.setdefault((name, side), []).append(wall(cmd, src))
    pairs_runs = [wall([py, "-m", "spintrace", "compare", "--pairs", str(pairs_file), "-o", str(tmp / "out.jsonl")], ROOT / "src")
                  for _ in range(3)]
    one_shot = statistics.median(times[("spintrace compare --format json", "this code")])
    per_pair = (statistics.median(pairs_runs) - one_shot) / max(1, args.pairs - 1)
    load_after = os.getloadavg()[0]

    header = "| command | " + " | ".join(f"{s}: median s (min-max)" for s in sides) + " |"
    speed = machine_speed_line()
    lines = [
        "# Command-line start-up",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_startup.py --runs {args.runs}"
        + (f" --baseline-src {args.baseline_src}`" if args.baseline_src else "`") + "  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load_before:.1f} before, {load_after:.1f} after"
        + (" (shared with other jobs: absolute times are inflated, the before/after columns ran interleaved under the same load)"
           if max(load_before, load_after) > 1.5 else ""),
        "",
        speed[0].upper() + speed[1:] + ".",
        "",
        "Wall time of a fresh process, seed pair (1,150 / 880 words); targets: `--help` < 0.2 s, one-shot compare < 0.8 s.",
        "",
        header,
        "|---|" + "---:|" * len(sides),
    ]
    for name in commands:
        cells = []
        for side in sides:
            ts = times[(name, side)]
            cells.append(f"{statistics.median(ts):.2f} ({min(ts):.2f}-{max(ts):.2f})")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"`spintrace compare --pairs` with {args.pairs} seed-pair lines: median {statistics.median(pairs_runs):.2f} s in all, "
        f"so each pair after the first costs about **{per_pair * 1000:.0f} ms** (one start-up shared).",
    ]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
