"""Where trace's misses come from, and how well it finds a compilation's seams (development data).

    # seams (trace/segments.py) on the trace cases of rewrites-dev: found, missed, false cuts
    .venv/bin/python scripts/trace_diagnostics.py seams

    # every expected source of the trace cases: accepted, judged and rejected, or never judged,
    # against an index kept by benchmarks/bench_trace.py --keep
    .venv/bin/python scripts/trace_diagnostics.py misses --index .bench/index/index-all-sentences-1000000 \\
        --variants eval-data/rewrites-heldout2/variants.jsonl eval-data/rewrites-heldout4/variants.jsonl

Cases are built as ``benchmarks/bench_trace.py`` builds them (30 compilations of each size).
Never point it at the never-tuned set (rewrites-heldout5).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared" / "data"
DEV = [str(SHARED / "rewrites-dev" / "variants.jsonl"), str(SHARED / "rewrites-dev" / "variants-more.jsonl")]


def _cases(variants: list[str]):
    from spintrace.evaluation.trace_cases import build_trace_cases, read_bbc_articles

    articles = read_bbc_articles(str(SHARED / "bbc-news" / "articles.jsonl"))
    return build_trace_cases(variants, articles, compilations_each=30)


def seams(variants: list[str]) -> None:
    from spintrace.pipeline.analyse import analyse_text, ensure_embeddings
    from spintrace.pipeline.compare import default_embed
    from spintrace.trace.segments import topic_segments

    embed = default_embed()
    found = missed = false = cases = 0
    for case in _cases(variants):
        text = analyse_text(case.text)
        ensure_embeddings(text, embed)
        source_of = []
        for s in text.sentences:
            middle = (s.segment.start + s.segment.end) // 2
            owners = [t.source_reference for t in case.truth if t.this_offset <= middle < t.this_offset + t.this_length]
            source_of.append(owners[0] if owners else None)
        true = {i for i in range(1, len(source_of))
                if source_of[i] and source_of[i - 1] and source_of[i] != source_of[i - 1]}
        cuts = {segment[0] for segment in topic_segments(text, range(len(text.sentences)))[1:]}
        found, missed, false, cases = found + len(cuts & true), missed + len(true - cuts), false + len(cuts - true), cases + 1
    print(f"{cases} cases: seams between sources found {found}, missed {missed}; cuts inside one source {false}")


def misses(index_path: str, variants: list[str], verbose: bool = False) -> None:
    import spintrace.trace as trace
    from spintrace.index import Index

    judged: dict[str, bool] = {}
    real = trace.judge_candidate

    def judge(document, *args, **kwargs):
        judgement = real(document, *args, **kwargs)
        judged[document.id] = judgement.claim is not None
        return judgement

    trace.judge_candidate = judge
    counts: Counter[tuple[str, str]] = Counter()
    with Index(index_path, create=False) as index:
        for case in _cases(variants):
            kind = case.case_id.split("/")[0]
            if kind.startswith("independent"):
                continue
            judged.clear()
            index.trace(case.text)
            for source in {t.source_reference for t in case.truth}:
                state = "accepted" if judged.get(source) else "rejected" if source in judged else "never judged"
                counts[(kind, state)] += 1
                if verbose and state != "accepted":
                    words = sum(len(case.text[t.this_offset:t.this_offset + t.this_length].split())
                                for t in case.truth if t.source_reference == source)
                    print(f"  {state}: {case.case_id} {source} ({words} words)", flush=True)
    for (kind, state), n in sorted(counts.items()):
        print(f"{kind:14s} {state:14s} {n}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("seams", "misses"))
    ap.add_argument("--variants", nargs="+", default=DEV, help="rewrites-format files (default: rewrites-dev)")
    ap.add_argument("--index", default=str(ROOT / ".bench" / "index" / "index-all-sentences-1000000"))
    ap.add_argument("--verbose", action="store_true", help="misses: name each source not accepted")
    args = ap.parse_args()
    if any("heldout5" in v for v in args.variants):
        ap.error("rewrites-heldout5 is the never-tuned set: no diagnostics on it")
    seams(args.variants) if args.what == "seams" else misses(args.index, args.variants, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
