"""Benchmark the corpus index: ingest rate, search latency, recall@1 with the sources hidden in a
large synthetic corpus, index size on disk and peak memory, at several corpus sizes.

The synthetic corpus is news-like with real vocabulary: each document is 12-24 sentences drawn at
random from the BBC articles, in paragraphs of 1-3 sentences. The BBC articles behind the
hand-written rewrites/spins/independent reports are drawn from like every other (until 2026-11-30
they were left out, which made retrieval easier than in a real archive); every BBC article and the
seed pair's source are added verbatim at random positions: the search must find them among N
documents, hundreds of which share some of their sentences.

    .venv/bin/python benchmarks/bench_index.py --sizes 10000 100000 --workers 1
    nice -n 19 .venv/bin/python benchmarks/bench_index.py --sizes 1000000 --workers 1

Results go to benchmarks/results/index.md (appended per size) and stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
VARIANT_FILES = sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))


def load_inputs():
    bbc = [json.loads(line) for line in open(SHARED / "bbc-news" / "articles.jsonl", encoding="utf-8")]
    variants = [json.loads(line) for f in VARIANT_FILES for line in open(f, encoding="utf-8") if line.strip()]
    seed_source = (SHARED / "seed-pair" / "source.txt").read_text(encoding="utf-8")
    seed_suspect = (SHARED / "seed-pair" / "suspect.txt").read_text(encoding="utf-8")
    return bbc, variants, seed_source, seed_suspect


def build_corpus(path: Path, size: int, bbc, variants, seed_source: str, seed: int = 7) -> None:
    """Write ``size`` synthetic documents plus the BBC corpus and the seed source as JSON Lines."""
    from spintrace.segment import segment_sentences

    # Every BBC article's sentences feed the distractors, the query sources' included: in a real
    # archive a story's names and sentences recur in other documents, and retrieval must still
    # single out the one that explains the whole suspect.
    pool = []
    for article in bbc:
        text = article["text"]
        pool.extend(text[s.start : s.end].strip() for s in segment_sentences(text))
    pool = [s for s in pool if len(s) > 30]
    rng = random.Random(seed)
    real = [{"id": a["id"], "title": a["title"], "text": a["text"]} for a in bbc]
    real.append({"id": "seed-pair/source", "title": "seed source", "text": seed_source})
    positions = set(rng.sample(range(size), min(len(real), size)))
    real_iter = iter(real)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for i in range(size):
            if i in positions:
                out.write(json.dumps(next(real_iter), ensure_ascii=False) + "\n")
            sentences = rng.sample(pool, rng.randint(12, 24))
            paragraphs, j = [], 0
            while j < len(sentences):
                k = rng.randint(1, 3)
                paragraphs.append(" ".join(sentences[j : j + k]))
                j += k
            out.write(json.dumps({"id": f"synth/{i:07d}", "title": sentences[0][:60], "text": "\n\n".join(paragraphs)}) + "\n")
        for doc in real_iter:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    tmp.rename(path)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the fingerprint workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", default=str(ROOT / ".bench" / "index"))
    parser.add_argument("--workers", type=int, default=1, help="fingerprinting processes besides the writer")
    parser.add_argument("--align", type=int, default=10)
    parser.add_argument("--embed", choices=("model", "zero"), default="model",
                        help="'zero' replaces sentence embeddings by zeros (plumbing only; verdicts then wrong)")
    parser.add_argument("--keep", action="store_true", help="keep the built index directories")
    parser.add_argument("--exhaustive", action="store_true",
                        help="align all --align candidates instead of only the plausible ones (the default cascade)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept index (time the queries only)")
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results" / "index.md"))
    args = parser.parse_args()

    import numpy as np

    from spintrace.index import Index
    from spintrace.index.evaluate import evaluate_search, load_rewrite_queries
    from spintrace.fingerprint import document_fingerprint
    from spintrace.retrieve.candidates import retrieve_candidates

    embed = None
    if args.embed == "zero":
        embed = lambda texts: np.zeros((len(texts), 384), dtype=np.float32)  # noqa: E731
    else:
        from spintrace.pipeline.compare import default_embed

        embed = default_embed()

    bbc, variants, seed_source, _seed_suspect = load_inputs()
    queries = load_rewrite_queries(VARIANT_FILES, SHARED / "seed-pair" / "suspect.txt")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        corpus = work / f"corpus-all-sentences-{size}.jsonl"
        if not corpus.exists():
            t = time.perf_counter()
            build_corpus(corpus, size, bbc, variants, seed_source)
            print(f"built {corpus} in {time.perf_counter() - t:.0f} s", flush=True)
        index_dir = work / f"index-{size}"
        reused = args.reuse and index_dir.exists()
        if not reused:
            shutil.rmtree(index_dir, ignore_errors=True)
        index = Index(index_dir)
        cpu_before = cpu_seconds()
        t = time.perf_counter()
        report = index.add_paths([corpus], workers=args.workers) if not reused else None
        ingest_s = time.perf_counter() - t
        ingest_cpu_s = cpu_seconds() - cpu_before
        docs = len(index)
        stats = index.stats()
        if not reused:
            print(f"[{size}] ingested {docs:,} docs in {ingest_s:.1f} s = {docs / ingest_s:,.0f} docs/s "
                  f"({ingest_cpu_s / docs * 1000:.2f} CPU ms/doc); {stats['bytes_per_document']:,} bytes/doc", flush=True)

        # Warm-up (model load, caches), then timed queries.
        index.search(queries[0].text, top=5, align=args.align, embed=embed)
        retrieval_ms = []
        for query in queries:
            t = time.perf_counter()
            retrieve_candidates(index._store, document_fingerprint(query.text), args.align)
            retrieval_ms.append((time.perf_counter() - t) * 1000)
        evaluation = evaluate_search(index, queries, top=5, align=args.align, embed=embed, exhaustive=args.exhaustive)
        search_ms = [o.milliseconds for o in evaluation.outcomes]
        for failure in evaluation.failures():
            print("  miss:", failure, flush=True)
        own, children = peak_rss_mib()
        row = {
            "size": size, "documents": docs, "ingest_s": ingest_s if not reused else None,
            "ingest_rate": docs / ingest_s if not reused else None,
            "ingest_cpu_ms_per_doc": ingest_cpu_s / docs * 1000 if not reused else None,
            "bytes_per_doc": stats["bytes_per_document"], "disk_mib": stats["bytes_on_disk"] / 2**20,
            "retrieval_median_ms": statistics.median(retrieval_ms), "search_median_ms": statistics.median(search_ms),
            "search_p90_ms": float(np.percentile(search_ms, 90)),
            "mean_aligned": statistics.mean(o.aligned for o in evaluation.outcomes),
            "search_median_ms_without_embedding": evaluation.median_ms_without_embedding,
            "peak_rss_mib": own, "peak_rss_children_mib": children, "skipped": len(report.skipped) if report else None,
            **{v: evaluation.rate(v) for v in ("rewrite", "spun", "seed", "independent")},
            "queries": len(queries),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        index.close()
        if not args.keep:
            shutil.rmtree(index_dir, ignore_errors=True)

    write_results(Path(args.results), rows, args)
    return 0


def _num(value, spec: str) -> str:
    return "(reused)" if value is None else format(value, spec)


def write_results(path: Path, rows: list[dict], args) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = "python benchmarks/bench_index.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Command: `{cmd}`  ",
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        f"embeddings: {args.embed}; fingerprint workers: {args.workers}; "
        f"alignment: {'all' if args.exhaustive else 'plausible (>= half the best evidence)'} of the top {args.align} candidates",
        "",
        "| corpus docs | ingest s | docs/s (wall) | CPU ms/doc | bytes/doc | disk MiB | retrieval median ms | search median ms (retrieve + align) | search p90 ms | search median ms excluding MiniLM | candidates aligned (mean) | peak RSS MiB (main / workers) | recall@1 rewrite | recall@1 spun | seed found | independent: no hit reused |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['documents']:,} | {_num(r['ingest_s'], '.1f')} | {_num(r['ingest_rate'], ',.0f')} | "
            f"{_num(r['ingest_cpu_ms_per_doc'], '.2f')} | {r['bytes_per_doc']:,} | {r['disk_mib']:,.0f} | "
            f"{r['retrieval_median_ms']:.1f} | {r['search_median_ms']:.0f} | {r['search_p90_ms']:.0f} | "
            f"{r['search_median_ms_without_embedding']:.0f} | {r['mean_aligned']:.1f} | "
            f"{r['peak_rss_mib']:.0f} / {r['peak_rss_children_mib']:.0f} | {r.get('rewrite', 0):.3f} | {r.get('spun', 0):.3f} | "
            f"{r.get('seed', 0):.0f} | {r.get('independent', 0):.3f} |"
        )
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
