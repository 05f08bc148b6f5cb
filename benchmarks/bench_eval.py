"""Benchmark the full evaluation (``make eval``): wall time per part and peak memory on this machine.

The issue's budget: all benchmarks, spintrace and every baseline, on 2 cores in under 20 minutes.

    .venv/bin/python benchmarks/bench_eval.py            # writes benchmarks/results/eval.md

The evaluation itself goes to a temporary folder (EVALUATION.md in the repo is left alone).
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def main() -> int:
    from spintrace.evaluation.baselines import BASELINE_NAMES
    from spintrace.evaluation.suite import run_all

    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run_all(SHARED, Path(tmp) / "EVALUATION.md", ["spintrace", *BASELINE_NAMES], ROOT / "eval-data" / "rewrites-handmade",
                "benchmarks/bench_eval.py", seconds=seconds, heldout=ROOT / "eval-data" / "rewrites-heldout")
        wall = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[1]
    lines = [
        "# Evaluation run time (`make eval`)",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_eval.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python {platform.python_version()}",
        "",
        "| part | seconds |",
        "|---|---:|",
        *(f"| {name} | {value:.0f} |" for name, value in seconds.items() if name != "total"),
        f"| **total** | **{wall:.0f}** ({wall / 60:.1f} min; budget 20 min) |",
        "",
        f"Peak memory (RSS): {peak_mib:.0f} MiB. Machine load average (5 min) at the end: {load:.1f}"
        " (other processes share these cores, so times are upper bounds).",
        "",
    ]
    out = ROOT / "benchmarks" / "results" / "eval.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
