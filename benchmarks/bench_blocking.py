"""Time and peak memory of the local engine's corpus-wide blocking (``retrieve/corpus_pairs``).

    .venv/bin/python benchmarks/bench_blocking.py /tmp/spintrace-bench-stream/stream-100000-r5-w0.5.jsonl

The corpus is any JSON Lines file ``spintrace scan`` reads (``bench_scan_stream.py --sizes N``
leaves its news streams in ``--work``). Block keys are computed on all cores, as the engine
does; then ``candidate_pairs`` runs alone in a fresh process, so its peak resident memory is its
own (the keys it is given included). Results are appended to benchmarks/results/scan.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

RESULTS = ROOT / "benchmarks" / "results" / "scan.md"

_COUNT = """
import pickle, resource, sys, time
sys.path.insert(0, {src!r})
import spintrace.retrieve.corpus_pairs as corpus_pairs
keys = pickle.load(open({keys!r}, "rb"))
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
start = time.perf_counter()
cands = corpus_pairs.candidate_pairs(keys, spill_dir={spill!r})
print(len(cands), time.perf_counter() - start, loaded, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6)
"""


def _keys(text: str) -> np.ndarray:
    from spintrace.engines.stages import document_block_keys

    return np.asarray(document_block_keys(text), dtype=np.int64)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--results", default=str(RESULTS))
    args = ap.parse_args()
    from spintrace.engines.stages import read_corpus

    texts = [d.text for d in read_corpus([args.corpus]).documents]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        keys = pool.map(_keys, texts, chunksize=64)
    keys_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="spintrace-bench-blocking-") as tmp:
        path = Path(tmp) / "keys.pkl"
        path.write_bytes(pickle.dumps(keys))
        del keys
        script = _COUNT.format(src=str(ROOT / "src"), keys=str(path), spill=tmp)
        out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    candidates, seconds, loaded_gb, peak_gb = out.split()
    row = (f"| {len(texts):,} | {int(candidates):,} | {keys_s:.0f} | {float(seconds):.1f} | "
           f"{float(loaded_gb):.1f} | {float(peak_gb):.1f} |")
    print(row)
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    with open(args.results, "a", encoding="utf-8") as fh:
        fh.write(f"\n### {stamp} — `benchmarks/bench_blocking.py {args.corpus}`\n\n"
                 f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
                 f"load average at the end {os.getloadavg()[0]:.1f}.\n\n"
                 "| documents | candidates | block keys s (all cores) | candidate_pairs s | GB with the keys loaded | "
                 "peak GB |\n|---:|---:|---:|---:|---:|---:|\n" + row + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
