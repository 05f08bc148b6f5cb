"""Partial reuse inside a report of the same story: a site's own report with source sentences pasted in.

Issue 10's hardest real-page case is a site that writes its own report of an event and pastes a
few sentences of the wire story into it, lightly edited. No labelled set holds it (the planted
copies sit in articles about something else), so this benchmark builds it from the development
sets: each hand-written independent report (the host, not reuse of its source article) gets ``k``
consecutive sentences of the source article pasted in as a paragraph of their own after its second
paragraph. Sentences holding quotation marks are not pasted (a shared quote is a fact two reports
carry), nor sentences under 8 words. The pasted sentences are either verbatim or edited by
dropping ``d`` ordinary words per sentence (lower-case words of 4+ letters, never the first) and
writing "says" for "said": a crude copy desk, but one that breaks 8-word runs as real light edits
do. The never-tuned set (rewrites-heldout5) is not used.

    python benchmarks/pasted_in_same_story.py [--host independent2] [--results FILE]

Prints, per construction, how many pairs compare calls reuse and how many of those `partial`,
and how many hosts alone are called reuse (false accusations).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from spintrace.pipeline.compare import compare  # noqa: E402
from spintrace.segment import segment_sentences  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
SETS = {
    "rewrites-dev": [SHARED / "rewrites-dev" / "variants.jsonl", SHARED / "rewrites-dev" / "variants-more.jsonl"],
    "heldout2": [ROOT / "eval-data" / "rewrites-heldout2" / "variants.jsonl"],
    "heldout3": [ROOT / "eval-data" / "rewrites-heldout3" / "variants.jsonl"],
    "heldout4": [ROOT / "eval-data" / "rewrites-heldout4" / "variants.jsonl"],
}
QUOTE_MARKS = '"“”'


def edited(sentence: str, drops: int, rng: random.Random) -> str:
    words = sentence.split()
    ordinary = [i for i, w in enumerate(words) if i > 0 and w.islower() and len(w) > 3]
    dropped = set(rng.sample(ordinary, min(drops, len(ordinary))))
    return " ".join("says" if w == "said" else w for i, w in enumerate(words) if i not in dropped)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="independent2", choices=("independent", "independent2"))
    ap.add_argument("--sentences", type=int, nargs="+", default=[2, 3, 4])
    ap.add_argument("--drops", type=int, nargs="+", default=[0, 2, 3, 4], help="words dropped per sentence (0: verbatim)")
    ap.add_argument("--seed", type=int, default=32)
    ap.add_argument("--results", type=Path, help="append the table to this Markdown file")
    args = ap.parse_args()
    started = time.time()
    articles: dict[str, str] = {}
    for line in open(SHARED / "bbc-news" / "articles.jsonl", encoding="utf-8"):
        a = json.loads(line)
        articles.setdefault(a["id"], a["text"])
    hosts: dict[tuple[str, str], list[str]] = {}
    for name, files in SETS.items():
        for f in files:
            for line in open(f, encoding="utf-8"):
                v = json.loads(line)
                if v["variant"] == args.host and v["id"] in articles:
                    hosts[(name, v["id"])] = v["paragraphs"]
    rng = random.Random(args.seed)
    called, partial, n = Counter(), Counter(), Counter()
    host_reused = 0
    for (_, article), paragraphs in sorted(hosts.items()):
        source = articles[article]
        host_reused += compare(source, "\n\n".join(paragraphs)).reused
        sentences = [source[s.start:s.end] for s in segment_sentences(source)]
        pastable = [len(s.split()) >= 8 and not any(q in s for q in QUOTE_MARKS) for s in sentences]
        for k in args.sentences:
            starts = [i for i in range(len(sentences) - k + 1) if all(pastable[i:i + k])]
            if not starts:
                continue
            start = rng.choice(starts)
            for d in args.drops:
                pasted = " ".join(s if d == 0 else edited(s, d, rng) for s in sentences[start:start + k])
                at = min(2, len(paragraphs))
                result = compare(source, "\n\n".join(paragraphs[:at] + [pasted] + paragraphs[at:]))
                n[(k, d)] += 1
                called[(k, d)] += result.reused
                partial[(k, d)] += result.verdict == "partial"
    lines = [
        f"#### {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} — `benchmarks/pasted_in_same_story.py --host {args.host}`",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; {len(hosts)} hosts "
        f"({args.host} reports of the development sets' articles), {time.time() - started:.0f} s.",
        "",
        "| sentences pasted | edit | pairs | called reuse | of which `partial` |",
        "|---:|---|---:|---:|---:|",
    ]
    for (k, d) in sorted(n):
        edit = "verbatim" if d == 0 else f"{d} words dropped a sentence"
        lines.append(f"| {k} | {edit} | {n[(k, d)]} | {called[(k, d)]} | {partial[(k, d)]} |")
    lines += ["", f"Hosts alone called reuse: {host_reused} of {len(hosts)}.", ""]
    text = "\n".join(lines)
    print(text)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
