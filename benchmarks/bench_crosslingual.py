"""Speed of the cross-language path: model load, e5 and USE throughput, ~1,000-word translated pairs.

    .venv/bin/python benchmarks/bench_crosslingual.py [--repeat 5] [--out benchmarks/results/crosslingual.md]

Pairs: two BBC articles joined (~700-1,000 words) against their two development translations
joined (es/fr), and the repository's fixture (en vs de/ru). Timings are warm (models loaded) and
nothing is cached between repeats: each repeat analyses, detects the languages and embeds both
texts again. Also timed: the multilingual models' load in a fresh process (e5 + USE), each one's
throughput on news sentences, and language detection on English (no classifier) and on a foreign text.
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
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "src" / "spintrace" / "pipeline" / "fixtures_translated"


def build_pairs() -> list[tuple[str, str, str]]:
    articles = {}
    with open(SHARED / "bbc-news/articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            articles[a["id"]] = a["text"]
    translations = [json.loads(l) for l in open(SHARED / "rewrites-dev/variants-more.jsonl", encoding="utf-8")]
    translations = [t for t in translations if t["variant"] == "translation"]
    pairs = []
    for lang in ("es", "fr"):
        chosen = [t for t in translations if t["lang"] == lang]
        for a, b in list(zip(chosen[0::2], chosen[1::2]))[:2]:
            source = articles[a["id"]] + "\n\n" + articles[b["id"]]
            suspect = "\n\n".join(a["paragraphs"] + b["paragraphs"])
            pairs.append((f"en-{lang} translation ({len(source.split())}/{len(suspect.split())} words)", source, suspect))
    source = (FIXTURES / "source.en.txt").read_text()
    for lang in ("de", "ru"):
        suspect = (FIXTURES / f"translation.{lang}.txt").read_text()
        pairs.append((f"en-{lang} fixture ({len(source.split())}/{len(suspect.split())} words)", source, suspect))
    return pairs


def fresh_process(code: str) -> float:
    runs = [float(subprocess.check_output([sys.executable, "-c", code]).decode().strip()) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/crosslingual.md"))
    args = ap.parse_args()

    import psutil

    import spintrace
    from spintrace.embed.multilingual import BitextEmbedder
    from spintrace.language import detect_language
    from spintrace.pipeline.analyse import analyse_text

    load_s = fresh_process(
        "import time; t=time.perf_counter(); from spintrace.embed.multilingual import BitextEmbedder; "
        "e=BitextEmbedder.default(); e.encode(['warm up']); print(time.perf_counter()-t)"
    )
    langid_s = fresh_process(
        "import time; t=time.perf_counter(); from spintrace.language import detect_language; "
        "detect_language('El presidente de Kazajistán ha destituido al Gobierno.'); print(time.perf_counter()-t)"
    )
    pairs = build_pairs()
    sentences = []
    for _, source, suspect in pairs[:4]:
        for text in (source, suspect):
            a = analyse_text(text)
            sentences += [a.sentence_text(i) for i in range(len(a.sentences))]
    embedder = BitextEmbedder.default()
    embedder.encode(sentences[:8])
    throughput = {}
    for name, encode in (("e5", embedder.e5.encode), ("USE", embedder.use.encode), ("both", embedder.encode)):
        t = time.perf_counter()
        encode(sentences)
        throughput[name] = len(sentences) / (time.perf_counter() - t)
    english, foreign = pairs[0][1], pairs[0][2]
    t = time.perf_counter()
    for _ in range(100):
        detect_language(english)
    english_ms = (time.perf_counter() - t) * 10
    t = time.perf_counter()
    for _ in range(100):
        detect_language(foreign)
    foreign_ms = (time.perf_counter() - t) * 10
    rows = []
    for name, source, suspect in pairs:
        spintrace.compare(source, suspect)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = spintrace.compare(source, suspect)
            times.append(time.perf_counter() - t)
        rows.append((name, statistics.median(times) * 1000, max(times) * 1000, result.verdict))
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    lines = [
        "# cross-language compare: speed",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_crosslingual.py --repeat {args.repeat}`  ",
        f"Machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; load average {load:.1f} at the end (this benchmark's "
        "own threads count in it; anything above ~2 means other jobs shared the cores and the figures are upper bounds)",
        "",
        f"- Multilingual models (e5-small int8, 58 MB + 6 MB tokenizer; USE-multilingual v3, 32 MB) load, fresh process, "
        f"median of 3, incl. a first encode: **{load_s * 1000:.0f} ms**",
        f"- Throughput on {len(sentences)} news sentences (en/es/fr): e5 **{throughput['e5']:.0f}**, USE "
        f"**{throughput['USE']:.0f}**, both (what a cross-language pair pays) **{throughput['both']:.0f} sentences/s**",
        f"- Language detection: English text {english_ms:.2f} ms (function-word shortcut, no classifier); "
        f"foreign text {foreign_ms:.2f} ms; py3langid load in a fresh process {langid_s * 1000:.0f} ms (only when a text is not clearly English)",
        f"- Peak resident memory of the benchmark process (both models loaded): **{peak_mb:.0f} MB**",
        "",
        "| pair | median ms | max ms | verdict |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {n} | {med:.0f} | {mx:.0f} | {v} |" for n, med, mx, v in rows]
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
