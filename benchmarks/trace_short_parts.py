"""Trace compilations in which one source supplied only one or two sentences, on a kept index.

    .venv/bin/python benchmarks/trace_short_parts.py [--seeds 10] [--index .bench/index/index-all-sentences-1000000]

Builds the development compilations (``rewrites-dev``; 100 two-source and 100 three-source ones
per seed, seeds 1..N, so none is the benchmark's seed-0 set) and keeps those with a piece of at
most two evidence sentences (``trace.evidence.MIN_CONTENT`` content words or more). Each is traced;
prints the short pieces' sources found, the other pieces' sources found, sources traced that
supplied nothing, and the trace times. Trace judges a part alone from three sentences, so a
shorter part is found only through compare's decision on the whole pair (``judge.short_parts``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spintrace.evaluation.trace_cases import build_trace_cases, read_bbc_articles  # noqa: E402
from spintrace.index import Index  # noqa: E402
from spintrace.pipeline.analyse import analyse_text  # noqa: E402
from spintrace.pipeline.compare import default_embed  # noqa: E402
from spintrace.trace.evidence import MIN_CONTENT  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def piece_sizes(case) -> dict[str, int]:
    analysed = analyse_text(case.text)
    sizes: dict[str, set[int]] = {}
    for truth in case.truth:
        for i, sentence in enumerate(analysed.sentences):
            seg = sentence.segment
            if (len(sentence.content) >= MIN_CONTENT and seg.start >= truth.this_offset
                    and seg.end <= truth.this_offset + truth.this_length + 1):
                sizes.setdefault(truth.source_reference, set()).add(i)
    return {source: len(sentences) for source, sentences in sizes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--index", default=str(ROOT / ".bench" / "index" / "index-all-sentences-1000000"))
    args = parser.parse_args()
    articles = read_bbc_articles(SHARED / "bbc-news" / "articles.jsonl")
    files = sorted((SHARED / "rewrites-dev").glob("variants*.jsonl"))
    selected = []
    for seed in range(1, args.seeds + 1):
        for case in build_trace_cases(files, articles, compilations_each=100, seed=seed):
            if case.kind.startswith("compilation"):
                sizes = piece_sizes(case)
                if any(n <= 2 for n in sizes.values()):
                    selected.append((case, sizes))
    index = Index(args.index, create=False)
    embed = default_embed()
    short = short_found = other = other_found = extra = 0
    times = []
    for case, sizes in selected:
        started = time.perf_counter()
        result = index.trace(case.text, embed=embed)
        times.append((time.perf_counter() - started) * 1000)
        traced = {s.source.id for s in result.sources}
        for source in case.sources:
            if sizes.get(source, 0) <= 2:
                short, short_found = short + 1, short_found + (source in traced)
            else:
                other, other_found = other + 1, other_found + (source in traced)
        extra += len(traced - set(case.sources))
    times.sort()
    print(f"{len(selected)} compilations over {len(index):,} documents: sources of short pieces found "
          f"{short_found}/{short}, of the other pieces {other_found}/{other}; sources traced that supplied "
          f"nothing {extra}; trace median {statistics.median(times):.0f} ms, p95 {times[int(0.95 * len(times))]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
