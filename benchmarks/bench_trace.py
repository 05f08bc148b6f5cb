"""Benchmark trace at archive scale: are all sources of compilations and condensed copies found,
is each passage attributed to the right one, do independent reports stay unattributed, how fast?

Corpus: ``bench_index.py``'s builder (N news-like documents recombined from *all* BBC sentences,
the query sources' included, plus every BBC article verbatim). Cases (``spintrace.evaluation.
trace_cases``): compilations of two and three reused variants (rewrite/spun) of articles from
different categories at varied split points, condensed copies (``summary``), whole rewrites and
spins, independent reports (``independent``, ``independent2``), from the given rewrites-format
files.

    nice -n 10 .venv/bin/python benchmarks/bench_trace.py --sizes 100000 --keep        # dev cases
    .venv/bin/python benchmarks/bench_trace.py --sizes 100000 --reuse --set heldout       # once, at the end

Results are appended to benchmarks/results/trace.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SETS = {
    "dev": [SHARED / "rewrites-dev" / "variants.jsonl", SHARED / "rewrites-dev" / "variants-more.jsonl"],
    "handmade": sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl")),
    "heldout": [Path(os.environ["SPINTRACE_HELDOUT"])] if os.environ.get("SPINTRACE_HELDOUT") else
               [ROOT / "eval-data/rewrites-heldout2/variants.jsonl", ROOT / "eval-data/rewrites-heldout3/variants.jsonl"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--workdir", default=str(ROOT / ".bench" / "index"))
    parser.add_argument("--workers", type=int, default=2, help="fingerprinting processes besides the writer")
    parser.add_argument("--set", choices=sorted(SETS), default="dev")
    parser.add_argument("--variants", nargs="*", help="rewrites-format files (default: those of --set)")
    parser.add_argument("--compilations", type=int, default=30, help="compilations of each size (2 and 3 sources)")
    parser.add_argument("--keep", action="store_true", help="keep the built index")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept index (time the queries only)")
    parser.add_argument("--no-search", action="store_true", help="skip the search timings")
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results" / "trace.md"))
    args = parser.parse_args()

    from bench_index import build_corpus, load_inputs

    from spintrace.evaluation.trace_cases import build_trace_cases, read_bbc_articles
    from spintrace.evaluation.trace_eval import TraceEvaluation, outcome_of
    from spintrace.index import Index
    from spintrace.pipeline.compare import default_embed

    files = [Path(f) for f in (args.variants or SETS[args.set])]
    files = [f for f in files if f.exists()]
    if not files:
        print(f"no variant files for set {args.set}", file=sys.stderr)
        return 2
    articles = read_bbc_articles(SHARED / "bbc-news" / "articles.jsonl")
    cases = build_trace_cases(files, articles, compilations_each=args.compilations)
    embed = default_embed()
    bbc, variants, seed_source, _ = load_inputs()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        corpus = work / f"corpus-all-sentences-{size}.jsonl"
        if not corpus.exists():
            build_corpus(corpus, size, bbc, variants, seed_source)
        index_dir = work / f"index-all-sentences-{size}"
        reused = args.reuse and index_dir.exists()
        if not reused:
            shutil.rmtree(index_dir, ignore_errors=True)
        index = Index(index_dir)
        ingest_rate = None
        if not reused:
            started = time.perf_counter()
            index.add_paths([corpus], workers=args.workers, batch_size=2000)
            ingest_s = time.perf_counter() - started
            ingest_rate = len(index) / ingest_s
            print(f"[{size}] ingested {len(index):,} docs in {ingest_s:.0f} s = {ingest_rate:,.0f} docs/s", flush=True)
        documents = len(index)
        index.trace(cases[0].text, embed=embed)  # warm-up: model, caches
        evaluation = TraceEvaluation()
        for n, case in enumerate(cases, 1):
            started, cpu = time.perf_counter(), time.process_time()
            result = index.trace(case.text, embed=embed)
            evaluation.outcomes.append(outcome_of(case, result, (time.perf_counter() - started) * 1000,
                                                  (time.process_time() - cpu) * 1000))
            if n % 20 == 0:
                print(f"  {n}/{len(cases)} traced", flush=True)
        search_ms = []
        # Search on the same index: a rewrite's or spin's source ranked first and called reuse; an
        # independent report (or brief) with no hit called reuse. Only copies are timed.
        first = copies = accused = uncopied = 0
        if not args.no_search:
            for case in cases:
                if case.kind in ("rewrite", "spun"):
                    started = time.perf_counter()
                    hits = index.search(case.text, top=5, embed=embed)
                    search_ms.append((time.perf_counter() - started) * 1000)
                    copies += 1
                    first += bool(hits) and hits[0].id == case.sources[0] and hits[0].reused
                elif not case.sources:
                    uncopied += 1
                    accused += any(h.reused for h in index.search(case.text, top=5, embed=embed))
        summary = evaluation.summary()
        summary.update({"documents": documents, "ingest_docs_per_s": ingest_rate, "set": args.set,
                        "files": [f.name for f in files],
                        "search_median_ms": statistics.median(search_ms) if search_ms else None,
                        "search_first": [first, copies], "search_accused": [accused, uncopied]})
        print(json.dumps(summary, indent=1), flush=True)
        for failure in evaluation.failures():
            print("  miss:", failure, flush=True)
        write_results(Path(args.results), summary, evaluation, args)
        index.close()
        # An index this run did not build is never deleted (``--reuse`` without ``--keep`` once
        # removed a kept 1M index).
        if not args.keep and not reused:
            shutil.rmtree(index_dir, ignore_errors=True)
    return 0


def _f(value, spec: str = ".3f") -> str:
    return "–" if value is None else format(value, spec)


def write_results(path: Path, s: dict, evaluation, args) -> None:
    counts = {}
    for o in evaluation.outcomes:
        counts[o.case.kind] = counts.get(o.case.kind, 0) + 1
    lines = [
        f"\n## Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {s['set']} cases, {s['documents']:,} documents",
        "",
        f"Command: `python benchmarks/bench_trace.py {' '.join(sys.argv[1:])}`  ",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; shared with "
        f"other jobs (load average {os.getloadavg()[0]:.1f} at the end), so times are pessimistic.  ",
        f"Cases: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))} (from {', '.join(s['files'])})",
        "",
        "| all sources found (2 / 3 / all) | condensed traced | attribution plagdet (P / R / gran.) | "
        "independent reports attributed | rewrites and spins first | trace median / p95 ms (wall) | trace median / p95 CPU ms | search median ms | ingest docs/s |",
        "|---|---:|---|---:|---:|---|---|---:|---:|",
        f"| {_f(s['all_sources_found_2'])} / {_f(s['all_sources_found_3'])} / {_f(s['all_sources_found'])} | "
        f"{_f(s['condensed_traced'])} | {_f(s['plagdet'])} ({_f(s['precision'])} / {_f(s['recall'])} / "
        f"{_f(s['granularity'], '.2f')}) | {_f(s['independent_attributed'])} | {_f(s['rewrites_spins_first'])} | "
        f"{_f(s['trace_median_ms'], '.0f')} / {_f(s['trace_p95_ms'], '.0f')} | "
        f"{_f(s['trace_cpu_median_ms'], '.0f')} / {_f(s['trace_cpu_p95_ms'], '.0f')} | {_f(s['search_median_ms'], '.0f')} | "
        f"{_f(s['ingest_docs_per_s'], ',.0f')} |",
        "",
    ]
    if s.get("search_first", [0, 0])[1]:
        lines += [f"Search (`Index.search`, top 5) on the same index: rewrites and spins with their source first and "
                  f"called reuse {s['search_first'][0]}/{s['search_first'][1]}; reports that copy nothing with a "
                  f"reuse hit {s['search_accused'][0]}/{s['search_accused'][1]}.", ""]
    misses = evaluation.failures()
    if misses:
        lines += ["<details><summary>misses</summary>", "", *[f"- {m}" for m in misses], "", "</details>", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8") as fh:
        if new:
            fh.write("# Trace at archive scale (`benchmarks/bench_trace.py`)\n")
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
