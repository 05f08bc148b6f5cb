"""Time trace on a sample of the development cases against a kept 1M index, and record what each
trace found, so two versions of the code can be compared on the same host back to back.

    # this checkout, then another (a git worktree) on the same cases and index:
    .venv/bin/python benchmarks/trace_paired.py /tmp/new.json
    PYTHONPATH=/path/to/worktree/src .venv/bin/python benchmarks/trace_paired.py /tmp/old.json
    .venv/bin/python benchmarks/trace_paired.py --compare /tmp/old.json /tmp/new.json

The index is the one ``bench_trace.py --sizes 1000000 --keep`` builds (``--index`` to choose
another). Every ``--step``-th case of held-out sets 2 and 4 (62 at the default 6) is traced once
to warm up, then each is timed (wall and process CPU). ``--compare`` prints both medians and p95s
and how many traces found the same sources, and the same sources, shares, scores and passages
(the second only holds between versions with the same models).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not any(Path(p).resolve() == (ROOT / "src").resolve() for p in sys.path if p):
    sys.path.append(str(ROOT / "src"))  # after PYTHONPATH: a worktree's code comes first
SHARED = ROOT.parent / "shared" / "data"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * len(ordered))]


def run(out: Path, index_dir: Path, step: int) -> None:
    from spintrace.evaluation.trace_cases import build_trace_cases, read_bbc_articles
    from spintrace.index import Index
    from spintrace.pipeline.compare import default_embed

    files = [ROOT / "eval-data/rewrites-heldout2/variants.jsonl", ROOT / "eval-data/rewrites-heldout4/variants.jsonl"]
    cases = build_trace_cases(files, read_bbc_articles(SHARED / "bbc-news/articles.jsonl"), compilations_each=30)[::step]
    embed = default_embed()
    rows = []
    with Index(index_dir) as index:
        index.trace(cases[0].text, embed=embed)
        for case in cases:
            cpu, wall = time.process_time(), time.perf_counter()
            result = index.trace(case.text, embed=embed)
            rows.append({
                "cpu_ms": (time.process_time() - cpu) * 1000, "wall_ms": (time.perf_counter() - wall) * 1000,
                "sources": [[s.source.id, round(s.share, 6), round(s.score, 6)] for s in result.sources],
                "passages": [[p.suspect_start, p.suspect_end, p.source_id] for p in result.passages],
            })
    out.write_text(json.dumps(rows))
    wall = [r["wall_ms"] for r in rows]
    print(f"{len(rows)} traces: median {statistics.median(wall):.0f} ms, p95 {_p95(wall):.0f} ms wall")


def compare(old: Path, new: Path) -> None:
    a, b = json.loads(old.read_text()), json.loads(new.read_text())
    for name, rows in (("old", a), ("new", b)):
        wall, cpu = [r["wall_ms"] for r in rows], [r["cpu_ms"] for r in rows]
        print(f"{name}: wall median {statistics.median(wall):.0f} / p95 {_p95(wall):.0f} ms, "
              f"CPU median {statistics.median(cpu):.0f} ms")
    same = sum(x["sources"] == y["sources"] and x["passages"] == y["passages"] for x, y in zip(a, b))
    same_ids = sum(sorted(s[0] for s in x["sources"]) == sorted(s[0] for s in y["sources"]) for x, y in zip(a, b))
    print(f"same sources found: {same_ids} of {len(a)}; same sources, shares, scores and passages: {same} "
          "(scores move whenever the models differ)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--index", type=Path, default=ROOT / ".bench/index/index-all-sentences-1000000")
    parser.add_argument("--step", type=int, default=6)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    elif args.out:
        run(args.out, args.index, args.step)
    else:
        parser.error("give an output file, or --compare OLD NEW")


if __name__ == "__main__":
    main()
