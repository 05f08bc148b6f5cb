"""What the news stream's word substitution costs compare, apart from scale.

The stream (``news_stream.py``) makes 20k events from 178 hand-written templates by swapping, per
event, every name and number and a share of the ordinary words. A planted rewrite or summary is
then compared with its source after the same swap. This measures compare on the same
development templates' (BBC text, derived text) pairs as written, with names and numbers
swapped, and with half the ordinary words swapped too (the stream's default), so that the
stream's per-kind recall can be read against compare's own.

The templates are development data (the models were fitted on them), so the "as written" row is
not an estimate of accuracy; only the differences between rows are the point.

    .venv/bin/python benchmarks/stream_substitution.py --pairs 40 [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import news_stream  # noqa: E402

SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "scan.md"
KINDS = ("rewrite", "summary", "spun")
HEADINGS = {"rewrite": "rewrites", "summary": "summaries", "spun": "spun copies"}
CONDITIONS = (("as written", None), ("names and numbers swapped", 0.0), ("and half the ordinary words (stream default)", 0.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=40, help="templates per kind (those with every kind)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"append the table to {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    from spintrace.pipeline.compare import compare

    templates = [t for t in news_stream.load_templates(SHARED) if all(k in t.texts for k in KINDS)]
    random.Random(args.seed).shuffle(templates)
    templates = templates[: args.pairs]
    vocab = news_stream.Vocabulary(SHARED)
    started = time.perf_counter()
    rows = []
    for label, share in CONDITIONS:
        found = {}
        for kind in KINDS:
            hits = 0
            for n, template in enumerate(templates):
                swap = (lambda text: text) if share is None else news_stream.EventRewriter(vocab, random.Random(n), share)
                hits += compare(swap(template.texts["bbc"]), swap(template.texts[kind])).reused
            found[kind] = hits
        rows.append(f"| {label} | " + " | ".join(f"{found[k]}/{len(templates)}" for k in KINDS) + " |")
        print(rows[-1], flush=True)
    lines = [
        f"### {time.strftime('%Y-%m-%d %H:%M')} — `benchmarks/stream_substitution.py --pairs {args.pairs}`",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"{time.perf_counter() - started:.0f} s. Called reuse by compare, per kind, on {len(templates)} development "
        "templates (BBC text against its hand-written variant, the same swap applied to both):",
        "",
        "| the pair | " + " | ".join(HEADINGS[k] for k in KINDS) + " |",
        "|---|" + "---:|" * len(KINDS),
        *rows,
        "",
    ]
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
