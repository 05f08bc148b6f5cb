"""Ingest rate of `spintrace index add` by batch size, on a corpus file already built.

    .venv/bin/python benchmarks/bench_ingest.py .bench/index/corpus-all-sentences-1000000.jsonl \
        --limit 200000 --batch-sizes 1000 5000 10000

The corpus is any JSON Lines file `spintrace index add` reads (``bench_trace.py --keep`` leaves its
1M-document corpus at ``.bench/index/corpus-all-sentences-1000000.jsonl``). Each batch size builds
a fresh index in a temporary folder under ``.bench`` (deleted afterwards) with the given
fingerprinting workers. Results are appended to benchmarks/results/index.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spintrace.index import Index  # noqa: E402
from spintrace.ingest.corpus import iter_documents  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=None, help="documents to ingest (default: all)")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--results", default=str(ROOT / "benchmarks" / "results" / "index.md"))
    args = ap.parse_args()
    (ROOT / ".bench").mkdir(exist_ok=True)
    rows = []
    for batch in args.batch_sizes:
        folder = Path(tempfile.mkdtemp(dir=ROOT / ".bench"))
        try:
            index = Index(folder / "index")
            started = time.perf_counter()
            docs = iter_documents([args.corpus])
            report = index.add_documents(itertools.islice(docs, args.limit) if args.limit else docs,
                                         batch_size=batch, workers=args.workers)
            seconds = time.perf_counter() - started
            size = sum(f.stat().st_size for f in (folder / "index").iterdir())
            index.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        rows.append(f"| {batch:,} | {report.added:,} | {seconds:.0f} | {report.added / seconds:,.0f} | {size / 2**30:.2f} |")
        print(rows[-1], flush=True)
    lines = [
        "",
        f"### {time.strftime('%Y-%m-%d %H:%M')} — `benchmarks/bench_ingest.py {Path(args.corpus).name}"
        f"{f' --limit {args.limit}' if args.limit else ''} --batch-sizes {' '.join(map(str, args.batch_sizes))} --workers {args.workers}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| batch size | documents | seconds | documents/s | index GiB |",
        "|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    with open(args.results, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
