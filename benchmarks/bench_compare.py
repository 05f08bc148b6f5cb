"""Speed and memory of `spintrace compare` (issue: < 250 ms per ~1,000-word pair, load < 1 s, < 500 MB).

    .venv/bin/python benchmarks/bench_compare.py [--repeat 20] [--out benchmarks/results/compare.md]

Pairs: the seed pair (1,150 / 880 words) and ~1,000-word pairs built from the hand-written set
(two BBC articles joined vs their two rewrites / spins joined, and vs the independent reports).
Model load is timed in a fresh process; the pair timings are warm (model loaded, nothing cached
between repeats: each repeat analyses and embeds both texts again).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine_speed import machine_speed_line  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def build_pairs() -> list[tuple[str, str, str]]:
    pairs = [
        ("seed pair", (SHARED / "seed-pair/source.txt").read_text(), (SHARED / "seed-pair/suspect.txt").read_text())
    ]
    articles = {}
    with open(SHARED / "bbc-news/articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            articles[a["id"]] = a["text"]
    variants: dict[tuple[str, str], str] = {}
    for path in sorted((ROOT / "eval-data/rewrites-handmade").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            v = json.loads(line)
            variants[(v["id"], v["variant"])] = "\n\n".join(v["paragraphs"])
    ids = sorted({i for i, _ in variants})
    for kind in ("rewrite", "spun", "independent"):
        for a, b in list(zip(ids[0::2], ids[1::2]))[:3]:
            source = articles[a] + "\n\n" + articles[b]
            suspect = variants[(a, kind)] + "\n\n" + variants[(b, kind)]
            pairs.append((f"{kind} ({len(source.split())}/{len(suspect.split())} words)", source, suspect))
    return pairs


def time_model_load() -> float:
    code = (
        "import time; t=time.perf_counter(); from spintrace.embed import SentenceEmbedder; "
        "e=SentenceEmbedder.default(); e.encode(['warm up']); print(time.perf_counter()-t)"
    )
    runs = [float(subprocess.check_output([sys.executable, "-c", code]).decode().strip()) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/compare.md"))
    args = ap.parse_args()

    import psutil

    import spintrace
    from spintrace.embed import SentenceEmbedder

    from spintrace.align.edits import with_edit_scripts
    from spintrace.classify.substitutions import document_substitutions
    from spintrace.pipeline.analyse import analyse_text

    load_s = time_model_load()
    SentenceEmbedder.default().encode(["warm up"])
    rows = []
    for name, source, suspect in build_pairs():
        spintrace.compare(source, suspect)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = spintrace.compare(source, suspect)
            times.append(time.perf_counter() - t)
        # What the word-level edit scripts and the substitutions add (both are part of the timing
        # above): timed again on their own, on the analysed texts and the final passages.
        a, b = analyse_text(source), analyse_text(suspect)
        edit_times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            document_substitutions(a, b, with_edit_scripts(a, b, result.passages))
            edit_times.append(time.perf_counter() - t)
        rows.append((name, statistics.median(times) * 1000, max(times) * 1000, statistics.median(edit_times) * 1000, result.verdict))
    peak_mb = psutil.Process().memory_info().rss / 2**20
    try:
        import resource

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:
        pass
    speed = machine_speed_line()
    lines = [
        "# compare: speed and memory",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_compare.py --repeat {args.repeat}`  ",
        f"Machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the start {os.getloadavg()[0]:.1f}"
        + (" (the machine was shared with other jobs: absolute times are inflated)" if os.getloadavg()[0] > 1.5 else ""),
        "",
        speed[0].upper() + speed[1:] + ".",
        "",
        f"- Model load (fresh process, median of 3, includes import and a first encode): **{load_s * 1000:.0f} ms**",
        f"- Peak resident memory of the benchmark process: **{peak_mb:.0f} MB**",
        "",
        "| pair | median ms | max ms | of which edit scripts + substitutions, ms | verdict |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [f"| {n} | {med:.0f} | {mx:.0f} | {ed:.1f} | {v} |" for n, med, mx, ed, v in rows]
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
