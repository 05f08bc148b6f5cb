"""Scan scale on a news stream with realistic reuse structure (benchmarks/news_stream.py).

Three measurements, appended to benchmarks/results/scan.md:

1. **Blocking at scale** (``--sizes``): fingerprint + candidate blocking over the whole corpus, as
   the local engine runs them (all cores): wall time, candidates per document, and the share of
   planted derivations blocking proposes (*blocking recall*: a pair never proposed is lost for
   good) and of candidates that are real reuse.
2. **Alignment, sampled** (``--sample``): alignment is per pair, so its outcome does not depend on
   the corpus size. A random sample of planted derivations that blocking proposed and a random
   sample of the other candidates are aligned one by one (one process, one thread): alignment
   recall, false-pair rate and seconds per pair. End-to-end recall = blocking recall x alignment
   recall; estimated alignment time = candidates x seconds per pair / cores. These are
   **estimates**, stated as such.
3. **End to end** (``--full``): ``spintrace scan`` on the local engine and on a Spark standalone
   cluster (master + two one-core workers on 127.0.0.1) for the sizes given, scored against the
   ground truth, with the engines' outputs compared.

    .venv/bin/python benchmarks/bench_scan_stream.py --sizes 10000 100000 --reports 5 --sample 120
    .venv/bin/python benchmarks/bench_scan_stream.py --sizes 10000 --reports 3 5 10 20 --sample 0
    .venv/bin/python benchmarks/bench_scan_stream.py --sizes --full 300
    .venv/bin/python benchmarks/bench_scan_stream.py --sizes --full 1000 --engines local   # one engine only
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import news_stream  # noqa: E402
from bench_scan import run_measured  # noqa: E402

SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "scan.md"


def corpus(work: Path, size: int, reports: float, word_share: float, pasted_share: float = 0.0) -> tuple[Path, dict]:
    path = work / (f"stream-{size}-r{reports:g}-w{word_share:g}" + (f"-p{pasted_share:g}" if pasted_share else "") + ".jsonl")
    truth_path = path.with_suffix(".truth.json")
    if not path.exists() or not truth_path.exists():
        t = time.perf_counter()
        truth = news_stream.build_stream(SHARED, path, size, reports=reports, word_share=word_share,
                                         pasted_share=pasted_share)
        truth_path.write_text(json.dumps(truth), encoding="utf-8")
        print(f"built {size} documents ({truth['events']} events) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path, json.loads(truth_path.read_text(encoding="utf-8"))


def _keys(text: str) -> np.ndarray:
    from spintrace.engines.stages import document_block_keys

    return np.asarray(document_block_keys(text), dtype=np.int64)


def blocking(path: Path, truth: dict, workers: int) -> dict:
    from spintrace.engines.stages import read_corpus
    from spintrace.retrieve.corpus_pairs import candidate_pairs

    docs = read_corpus([str(path)]).documents
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        keys = pool.map(_keys, [d.text for d in docs], chunksize=64)
    t1 = time.perf_counter()
    cands = candidate_pairs(keys)
    t2 = time.perf_counter()
    index_of = {d.id: d.index for d in docs}
    roots = news_stream.root_of(truth)
    ids = [d.id for d in docs]
    related = same_event = same_template = 0
    template = truth.get("template_of_event")
    for a, b in zip(cands.left.tolist(), cands.right.tolist()):
        if roots.get(ids[a], ids[a]) == roots.get(ids[b], ids[b]):
            related += 1
            continue
        ea, eb = int(ids[a][1:7]), int(ids[b][1:7])
        same_event += ea == eb
        same_template += ea != eb and template is not None and template[ea] == template[eb]
    return {"docs": docs, "cands": cands, "index_of": index_of, "fingerprint_s": t1 - t0, "blocking_s": t2 - t1,
            "candidates": len(cands), "related": related, "same_event": same_event, "same_template": same_template,
            "blocking_recall": news_stream.candidate_recall(truth, index_of, cands.left, cands.right),
            "blocking_by_kind": news_stream.candidate_recall_by_kind(truth, index_of, cands.left, cands.right)}


def sampled_alignment(block: dict, truth: dict, sample: int, seed: int = 3) -> dict:
    """Align a sample of proposed planted pairs and of the other candidates; recall, false rate, s/pair."""
    os.environ["SPINTRACE_THREADS"] = "1"
    from spintrace.engines.stages import AnalysisCache, ScanOptions, align_pair

    docs, cands, index_of = block["docs"], block["cands"], block["index_of"]
    proposed = {(int(a), int(b)) for a, b in zip(cands.left, cands.right)}
    planted = [p for p in truth["planted"] if tuple(sorted((index_of[p[0]], index_of[p[1]]))) in proposed]
    roots = news_stream.root_of(truth)
    others = [(a, b) for a, b in proposed if roots.get(docs[a].id, docs[a].id) != roots.get(docs[b].id, docs[b].id)]
    rng = random.Random(seed)
    planted_sample = rng.sample(planted, min(sample, len(planted)))
    other_sample = rng.sample(sorted(others), min(sample, len(others)))
    options = ScanOptions()
    # Warm the model up so the first pair does not carry the load time.
    align_pair(docs[0], docs[1], options, AnalysisCache())

    def run(pairs):
        # CPU seconds of this process, not wall: on a shared machine wall time mostly measures the
        # other jobs. (Runs before 2026-11-30 09:15 reported wall seconds.)
        hits, t = 0, time.process_time()
        for a, b in pairs:
            hits += align_pair(docs[a], docs[b], options, AnalysisCache()) is not None
        return hits, (time.process_time() - t) / max(1, len(pairs))

    found, planted_s = run([(index_of[s], index_of[d]) for s, d, _ in planted_sample])
    false, other_s = run(other_sample)
    return {"align_recall": found / max(1, len(planted_sample)), "planted_sampled": len(planted_sample),
            "false_rate": false / max(1, len(other_sample)), "others_sampled": len(other_sample),
            "planted_s": planted_s, "other_s": other_s, "unrelated_candidates": len(others)}


def measure(args) -> list[str]:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for reports in args.reports:
        for size in args.sizes:
            path, truth = corpus(work, size, reports, args.word_share, args.pasted_share)
            block = blocking(path, truth, args.workers)
            n = block["candidates"]
            row = (f"| {size:,} | {reports:g} | {truth['events']:,} | {len(truth['planted']):,} | {n:,} | {n / size:.2f} | "
                   f"{block['related'] / size:.2f} / {block['same_event'] / size:.2f} / {block['same_template'] / size:.2f} / "
                   f"{(n - block['related'] - block['same_event'] - block['same_template']) / size:.2f} | {block['blocking_recall']:.4f} | "
                   f"{block['fingerprint_s']:.0f} + {block['blocking_s']:.0f} |")
            if args.sample:
                s = sampled_alignment(block, truth, args.sample)
                unrelated = s["unrelated_candidates"]
                seconds = (n - unrelated) * s["planted_s"] + unrelated * s["other_s"]
                row += (f" {s['align_recall']:.3f} ({s['planted_sampled']}) | {s['false_rate']:.3f} ({s['others_sampled']}) | "
                        f"{block['blocking_recall'] * s['align_recall']:.3f} | {s['planted_s']:.2f} / {s['other_s']:.2f} | "
                        f"{seconds / 3600 / args.workers:.2f} |")
            else:
                row += " | | | | |"
            row += " " + ", ".join(f"{k} {p / n:.3f}" for k, (p, n) in block["blocking_by_kind"].items()) + " |"
            print(row, flush=True)
            rows.append(row)
            del block
    return rows


def end_to_end(args) -> list[str]:
    from spintrace.engines.spark_standalone import StandaloneCluster

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows, outputs = [], {}
    for size in args.full:
        path, truth = corpus(work, size, args.reports[0], args.word_share, args.pasted_share)
        for engine in args.engines:
            out = work / f"e2e-{engine}-{size}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "spintrace", "scan", str(path), "--out", str(out), "--engine", engine, "-q", "--no-reports"]
            if engine == "spark":
                cluster = StandaloneCluster(workers=2, cores=1, ports=range(41450, 41500),
                                            env={"PYTHONPATH": str(ROOT / "src")}).start()
                cmd += ["--master", cluster.master_url]
            try:
                seconds, peak, status = run_measured(cmd)
            finally:
                if engine == "spark":
                    cluster.stop()
            if status != 0:
                raise SystemExit(f"{engine} scan failed")
            pairs = [json.loads(line) for line in open(out / "pairs.jsonl", encoding="utf-8")]
            scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
            score = news_stream.score_pairs(truth, pairs)
            engine_label = "spark (standalone, 2 workers x 1 core)" if engine == "spark" else "local (2 processes)"
            rows.append(f"| {engine_label} | {size:,} | {scan['candidates']:,} | {scan['candidates'] / size:.2f} | {scan['pairs']:,} | "
                        f"{score['recall']:.3f} | {score['precision']:.3f} ({score['false_pairs']} false: {score['false_same_event']} same event, "
                        f"{score['false_same_template']} same template) | {score['precision_without_template_pairs']:.3f} | "
                        f"{', '.join(f'{k} {v}' for k, v in score['per_kind'].items())} | {seconds:.0f} | {peak:.2f} |")
            print(rows[-1], flush=True)
            outputs[(engine, size)] = [(out / n).read_text(encoding="utf-8") for n in ("pairs.jsonl", "families.jsonl")]
        if len(args.engines) < 2:
            continue
        same = outputs[("local", size)] == outputs[("spark", size)]
        rows.append(f"| engines agree at {size:,} | {'identical pairs.jsonl and families.jsonl' if same else 'OUTPUTS DIFFER'} | | | | | | | | | |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--reports", type=float, nargs="+", default=[5.0], help="mean reports per event")
    parser.add_argument("--sample", type=int, default=100, help="pairs of each kind aligned to estimate alignment (0: none)")
    parser.add_argument("--full", type=int, nargs="*", default=[], help="sizes to scan end to end on both engines")
    parser.add_argument("--engines", nargs="+", choices=("local", "spark"), default=["local", "spark"],
                        help="engines of the --full runs (both by default, compared byte for byte)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default="/tmp/spintrace-bench-stream")
    parser.add_argument("--word-share", type=float, default=news_stream.WORD_SHARE,
                        help="share of ordinary word types each event swaps (names and numbers are always swapped)")
    parser.add_argument("--pasted-share", type=float, default=0.0,
                        help="share of events whose wire-style report pastes 2-4 of the first report's sentences "
                             "(kind 'pasted'; 0: the corpus of every earlier run)")
    args = parser.parse_args()
    machine = (f"Machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
               f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; load average at start "
               f"{os.getloadavg()[0]:.1f}" + (" (the machine was shared with other jobs: wall times are upper bounds)."
                                              if os.getloadavg()[0] > 2.5 else "."))
    text = [f"\n### {time.strftime('%Y-%m-%d %H:%M')} — `{' '.join(['benchmarks/bench_scan_stream.py', *sys.argv[1:]])}`\n", machine, ""]
    if args.sizes:
        rows = measure(args)
        text += ["| documents | reports per event | events | planted derivations | candidates | candidates per document | "
                 "per document: reuse / same event, not reuse / another event on the same template / other | blocking recall | fingerprint + blocking s | alignment recall (sampled) | "
                 "false-pair rate among other candidates (sampled) | estimated end-to-end recall | s per pair (planted / other) | "
                 "estimated alignment hours | blocking recall by kind |",
                 "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|", *rows]
    if args.full:
        rows = end_to_end(args)
        text += ["", "| engine | documents | candidates | per document | reuse pairs | planted recall | precision | "
                 "precision without same-template pairs | recall per kind | wall s | peak RSS GiB |",
                 "|---|---:|---:|---:|---:|---:|---|---:|---|---:|---:|", *rows]
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(text) + "\n")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
