"""`make bench`: run the benchmarks and rebuild BENCHMARKS.md from their result files.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only compare,serve,...] [--no-run]

Each benchmark writes (or appends to) ``benchmarks/results/<name>.md`` with the exact command and
machine; BENCHMARKS.md is those files in a fixed order under a short header. The 1M-document index
and 100k-document scan runs take tens of minutes and are not part of the default run; their
commands are in the index and scan result files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PY = sys.executable

BENCHMARKS: dict[str, list[list[str]]] = {
    "compare": [[PY, "benchmarks/bench_compare.py", "--repeat", "10"]],
    "startup": [[PY, "benchmarks/bench_startup.py", "--runs", "7"]],
    "crosslingual": [[PY, "benchmarks/bench_crosslingual.py", "--repeat", "5"]],
    "ablation": [[PY, "benchmarks/bench_ablation.py"]],
    "index": [[PY, "benchmarks/bench_index.py", "--sizes", "10000", "--workers", "1"]],
    "scan": [[PY, "benchmarks/bench_scan.py", "--sizes", "10000", "--engine", "local"]],
    "serve": [[PY, "benchmarks/bench_serve.py"]],
    "eval": [[PY, "benchmarks/bench_eval.py"]],
    "trace": [[PY, "benchmarks/bench_trace.py", "--sizes", "10000", "--compilations", "10"]],
}
QUICK = {"compare": [[PY, "benchmarks/bench_compare.py", "--repeat", "3"]], "serve": [[PY, "benchmarks/bench_serve.py", "--clients", "2", "--duration", "10", "--no-write"]]}
ORDER = ["compare", "startup", "crosslingual", "ablation", "index", "trace", "scan", "serve", "eval"]
NOT_RUN_BY_DEFAULT: set[str] = set()

HEADER = """# Benchmarks

Speed, memory and accuracy-ablation figures, each with the command that reproduces it and the
machine it ran on. `make bench` reruns the default set and rebuilds this file from
`benchmarks/results/*.md`. Accuracy against the shared benchmarks and baselines is in
EVALUATION.md (`make eval`).

Targets (from the issues) and where they are shown:

| target | where |
|---|---|
| compare: ~1,000-word pair < 250 ms warm, model load < 1 s, peak memory < 500 MB | compare |
| command line: `spintrace --help` < 0.2 s, one-shot compare of the seed pair < 0.8 s (2 cores) | startup |
| what lexical and semantic evidence each contribute | ablation |
| index: ingest >= 1,000 docs/s, search median < 200 ms at 1M docs, recall@1 unchanged | index |
| trace: all sources of compilations >= 0.95, condensed >= 0.90, plagdet >= 0.85, independents <= 3%, trace median < 500 ms at 1M | trace |
| scan: 100k docs < 15 min on the local engine; Spark 10k/100k | scan |
| scan on a realistic news stream: candidates per document, planted-reuse recall >= 0.97 at 100k, growth fit; Spark standalone cluster | scan (news stream, `bench_scan_stream.py`) |
| serve: 8 concurrent clients for 60 s, no errors, throughput and p50/p95 | serve |
| make eval < 20 min on 2 cores | eval |

**Hosts differ.** Every result file says when it ran and at what load. The ones run from
2026-11-30 (session 10) also give the host's speed (`benchmarks/machine_speed.py`). That day's
2-core host (AMD EPYC under KVM, AVX2 without AVX-512/VNNI) ran the int8 MiniLM embedder at
about 40 sentences/s per thread. The 2026-11-25 figures came from a host that ran it roughly
ten times faster. Embedding is most of a comparison's time, so compare and start-up times from
the two hosts cannot be compared directly; rerun both on one machine to compare code. On
2026-12-01 (session 17) the host was an Intel Xeon of the Sapphire Rapids generation (AVX-512
VNNI, AVX-VNNI, AMX; 2 cores): MiniLM int8 at 350 sentences/s per thread, like the brief's
measurement and the 2026-11-25 host; compare, start-up and cross-language were rerun there.

"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=",".join(n for n in ORDER if n not in NOT_RUN_BY_DEFAULT))
    ap.add_argument("--quick", action="store_true", help="short versions, for checking the scripts run")
    ap.add_argument("--no-run", action="store_true", help="only rebuild BENCHMARKS.md from the result files")
    args = ap.parse_args()
    failed = []
    if not args.no_run:
        for name in args.only.split(","):
            for cmd in (QUICK.get(name) if args.quick and name in QUICK else BENCHMARKS[name]):
                print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
                t = time.time()
                if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                    failed.append(name)
                print(f"== {name}: {time.time() - t:.0f} s", flush=True)
    parts = [HEADER]
    for name in ORDER:
        path = RESULTS / f"{name}.md"
        if path.exists():
            # Each result file is a document of its own; here its headings sit one level down.
            lines = path.read_text(encoding="utf-8").strip().splitlines()
            body = "\n".join("#" + l if l.startswith("#") else l for l in lines)
            parts.append(f"<!-- from benchmarks/results/{name}.md -->\n\n{body}\n")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    print("BENCHMARKS.md rebuilt" + (f"; failed: {', '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
