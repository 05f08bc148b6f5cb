"""Benchmark ``spintrace scan`` end to end: wall time, peak memory and recall of planted copies,
on the local and the Spark engine, at several corpus sizes.

The synthetic corpus is news-like with real vocabulary and sentence shapes: each document is
8-16 BBC sentences drawn at random, in which 40% of the longer words are replaced by words drawn
from the BBC word distribution. The replacement matters: with plain recombined sentences any two
documents drawing the same sentence would be (correctly) reported as partial reuse, and a
100k-document corpus would be mostly reuse, which is not what a news corpus looks like. Then 5%
of the documents are planted copies of other documents: exact duplicates, edited copies (20% of
sentences dropped, some words changed, a line added) and reordered excerpts, published 0-3 days
after their source. Recall is the share of planted copies found paired with their source.

    .venv/bin/python benchmarks/bench_scan.py --sizes 10000 100000 --engine local
    .venv/bin/python benchmarks/bench_scan.py --sizes 10000 --engine spark
    .venv/bin/python benchmarks/bench_scan.py --bbc --engines local spark

Each run is a separate ``spintrace scan`` process; peak memory is the largest summed RSS of its
process tree (workers, Spark JVM and Python workers included), sampled every 0.2 s. Results go to
benchmarks/results/scan.md (appended) and stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "scan.md"
WORD = re.compile(r"[A-Za-z][a-z]{3,}")


def build_corpus(path: Path, size: int, seed: int = 11) -> list[tuple[str, str]]:
    """Write ``size`` synthetic documents as JSON Lines; return the planted (source, copy) ids."""
    sys.path.insert(0, str(ROOT / "src"))
    from spintrace.segment import segment_sentences

    bbc = [json.loads(line) for line in open(SHARED / "bbc-news" / "articles.jsonl", encoding="utf-8")]
    pool: list[str] = []
    words: list[str] = []
    for article in bbc:
        text = article["text"]
        sentences = [text[s.start : s.end].strip() for s in segment_sentences(text)]
        pool.extend(s for s in sentences if len(s) > 30)
        words.extend(WORD.findall(text))
    rng = random.Random(seed)

    def perturb(sentence: str) -> str:
        return WORD.sub(lambda m: rng.choice(words) if rng.random() < 0.4 else m.group(), sentence)

    def new_document() -> list[str]:
        sentences = [perturb(rng.choice(pool)) for _ in range(rng.randint(8, 16))]
        paragraphs, i = [], 0
        while i < len(sentences):
            k = rng.randint(1, 3)
            paragraphs.append(" ".join(sentences[i : i + k]))
            i += k
        return paragraphs

    def copy_of(paragraphs: list[str], kind: str) -> list[str]:
        if kind == "duplicate":
            return list(paragraphs)
        if kind == "edited":
            kept = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
            kept = [WORD.sub(lambda m: rng.choice(words) if rng.random() < 0.05 else m.group(), p) for p in kept]
            return ["Updated by our correspondent."] + kept
        start = rng.randrange(max(1, len(paragraphs) - 3))
        part = paragraphs[start : start + 4]
        rng.shuffle(part)
        return part

    n_copies = size // 20
    docs: list[dict] = []
    texts: list[list[str]] = []
    planted: list[tuple[str, str]] = []
    start_day = date(2024, 1, 1)
    for i in range(size - n_copies):
        paragraphs = new_document()
        texts.append(paragraphs)
        docs.append({"id": f"doc{i:07d}", "published": (start_day + timedelta(days=rng.randrange(365))).isoformat(),
                     "site": f"site{rng.randrange(200)}.example", "text": "\n\n".join(paragraphs)})
    for j in range(n_copies):
        src = rng.randrange(len(texts))
        kind = ("duplicate", "edited", "excerpt")[j % 3]
        published = date.fromisoformat(docs[src]["published"]) + timedelta(days=rng.randint(0, 3))
        docs.append({"id": f"copy{j:07d}", "published": published.isoformat(),
                     "site": f"site{rng.randrange(200)}.example", "text": "\n\n".join(copy_of(texts[src], kind))})
        planted.append((docs[src]["id"], f"copy{j:07d}"))
    rng.shuffle(docs)
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return planted


def bbc_check(work: Path, engines: list[str]) -> int:
    """Scan all 2,095 BBC articles with the hand-written copies planted, on each engine; report
    duplicates found, copies paired with their source, origins, false reuse of independent reports
    and whether the engines agree."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    from collections import Counter

    from spintrace.engines.test_bbc_scan import planted_corpus

    corpus, bbc, variants = planted_corpus(work, distractors=None)
    counts = Counter(a["text"] for a in bbc)
    duplicates = [{a["id"] for a in bbc if a["text"] == t} for t, n in counts.items() if n > 1]
    lines = [f"\n### {time.strftime('%Y-%m-%d %H:%M')} — `benchmarks/bench_scan.py --bbc --engines {' '.join(engines)}`\n",
             f"All {len(bbc)} BBC articles + {len(variants)} hand-written variants + the seed pair "
             f"({os.cpu_count()} cores; wall time on a shared, busy machine).\n",
             "| engine | documents | candidates | reuse pairs | duplicated bodies found | rewrites paired | spins paired | "
             "origin = source | independent reports paired | wall s | peak RSS GiB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    outputs = {}
    for engine in engines:
        out = work / f"bbc-{engine}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak, status = run_measured([sys.executable, "-m", "spintrace", "scan", str(corpus), "--out", str(out),
                                              "--engine", engine, "-q", "--no-reports"])
        if status != 0:
            return 1
        pairs = [json.loads(line) for line in open(out / "pairs.jsonl", encoding="utf-8")]
        families = [json.loads(line) for line in open(out / "families.jsonl", encoding="utf-8")]
        family_of = {m: f for f in families for m in f["members"]}
        found = {(p["source_id"], p["suspect_id"]) for p in pairs}
        unordered = [{p["source_id"], p["suspect_id"]} for p in pairs]
        scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))

        def paired(kind: str) -> str:
            group = [v for v in variants if v["variant"] == kind]
            return f"{sum((v['id'], v['planted_id']) in found for v in group)}/{len(group)}"

        copies = [v for v in variants if v["variant"] != "independent"]
        origin_ok = sum(family_of.get(v["planted_id"], {}).get("origin") in ({v["id"]} | next((d for d in duplicates if v["id"] in d), set()))
                        for v in copies)
        independent = [v for v in variants if v["variant"] == "independent"]
        false_reuse = sum({v["id"], v["planted_id"]} in unordered for v in independent)
        lines.append(f"| {engine} | {scan['documents']:,} | {scan['candidates']:,} | {scan['pairs']} | "
                     f"{sum(d in unordered for d in duplicates)}/{len(duplicates)} | {paired('rewrite')} | {paired('spun')} | "
                     f"{origin_ok}/{len(copies)} | {false_reuse}/{len(independent)} | {seconds:.0f} | {peak:.2f} |")
        outputs[engine] = [(out / name).read_text(encoding="utf-8") for name in ("pairs.jsonl", "families.jsonl")]
    if len(outputs) > 1:
        same = all(v == next(iter(outputs.values())) for v in outputs.values())
        lines.append(f"\nEngines give identical pairs.jsonl and families.jsonl: {'yes' if same else 'NO'}")
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(text)
    return 0


def run_measured(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak summed RSS (GiB) of the process tree, exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    status = proc.wait()
    done.set()
    thread.join()
    return time.perf_counter() - start, peak / 2**30, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--engine", choices=("local", "spark"), default="local")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--work", default="/tmp/spintrace-bench-scan")
    parser.add_argument("--no-reports", action="store_true")
    parser.add_argument("--bbc", action="store_true", help="quality check on the whole BBC corpus with planted copies")
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], help="engines for --bbc")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.bbc:
        return bbc_check(work, args.engines)
    rows = []
    for size in args.sizes:
        corpus = work / f"corpus-{size}.jsonl"
        planted_file = work / f"planted-{size}.json"
        if not corpus.exists() or not planted_file.exists():
            t = time.perf_counter()
            planted = build_corpus(corpus, size)
            planted_file.write_text(json.dumps(planted), encoding="utf-8")
            print(f"built {size} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        planted = [tuple(p) for p in json.loads(planted_file.read_text(encoding="utf-8"))]
        out = work / f"out-{args.engine}-{size}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-m", "spintrace", "scan", str(corpus), "--out", str(out), "--engine", args.engine, "-q"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        if args.no_reports:
            cmd.append("--no-reports")
        seconds, peak_gib, status = run_measured(cmd)
        if status != 0:
            print(f"scan failed with status {status}", file=sys.stderr)
            return 1
        scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
        pair_rows = [json.loads(line) for line in open(out / "pairs.jsonl", encoding="utf-8")]
        found = {(r["source_id"], r["suspect_id"]) for r in pair_rows}
        directed = {(r["source_id"], r["suspect_id"]) for r in pair_rows if r["direction"] == "source"}
        recall = sum(p in found or p[::-1] in found for p in planted) / max(1, len(planted))
        # Among found copies with a direction (same-day copies without copying artefacts have none).
        oriented = sum(p in directed for p in planted) / max(1, sum(p in directed or p[::-1] in directed for p in planted))
        row = (f"| {args.engine} | {size:,} | {scan['candidates']:,} | {scan['pairs']:,} | {scan['families']:,} | "
               f"{recall:.3f} | {oriented:.3f} | {seconds:.0f} | {peak_gib:.2f} |")
        print(row)
        rows.append(row)
    header = (f"\n### {time.strftime('%Y-%m-%d %H:%M')} — `{' '.join(['benchmarks/bench_scan.py', *sys.argv[1:]])}`\n\n"
              f"Machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.processor() or platform.machine()}, "
              f"Python {platform.python_version()}\n\n"
              "| engine | documents | candidate pairs | reuse pairs | families | planted recall | directed copies oriented right | wall s | peak RSS GiB |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(header + "\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
