"""What each kind of evidence contributes: lexical vs semantic, and the aligner's run support.

    .venv/bin/python benchmarks/bench_ablation.py [--cache PATH] [--out benchmarks/results/ablation.md]

Each configuration switches one kind of evidence off, then refits the derivation judge and the
document models fold by fold exactly as the release is fitted (``scripts/fit_models.py``: grouped
5-fold cross-validation over the hand-written development pairs, never the never-tuned set). So
each row is what the pipeline can do without that evidence, not the release with a part switched
off. Reported: the out-of-fold share of pairs called reuse per kind, and passage plagdet against
the ``derived_from`` truth over every reuse pair. The sentence strength model (fitted on MRPC)
is not refitted.
"""

from __future__ import annotations

import argparse
import copy
import platform
import runpy
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
fit = runpy.run_path(str(ROOT / "scripts" / "fit_models.py"))

from cv_report import _detection as detection  # noqa: E402  (scripts/ is on the path once fit_models ran)
from spintrace.align.aligner import DEFAULT_PARAMS  # noqa: E402
from spintrace.embed import SentenceEmbedder  # noqa: E402
from spintrace.evaluation.labelled import AnalysedCache  # noqa: E402
from spintrace.evaluation.pairs import EvalPair, score_detections  # noqa: E402

CONFIGS = {
    "lexical + semantic (release)": {},
    "lexical only (no sentence embeddings)": {"zero_embeddings": True},
    "no run support (isolated links accepted)": {"params": replace(DEFAULT_PARAMS, isolated=DEFAULT_PARAMS.supported)},
}
KINDS = ("rewrite", "spun", "planted rewrite", "excerpt rewrite", "summary",
         "independent", "independent2", "excerpt independent", "unrelated")


class WithoutEmbeddings:
    """The cache's analysed texts with every sentence embedding zeroed: cosine carries nothing."""

    def __init__(self, cache: AnalysedCache) -> None:
        self.cache, self.seen = cache, {}

    def get(self, text: str):
        if text not in self.seen:
            blank = copy.copy(self.cache.get(text))
            blank.embeddings = np.zeros_like(blank.embeddings)
            self.seen[text] = blank
        return self.seen[text]


def run(name: str, config: dict, pairs: list, cache: AnalysedCache) -> str:
    started = time.perf_counter()
    source = WithoutEmbeddings(cache) if config.get("zero_embeddings") else cache
    params = config.get("params", DEFAULT_PARAMS)
    records = fit["collect"](pairs, source, params)
    results = fit["cross_validate"](records, source, 5, measured_only=frozenset(fit["RELEASE_MEASURED_ONLY"]),
                                    kind_weights=fit["RELEASE_KIND_WEIGHTS"], align_params=params)
    # Scored on the hand-written pairs (the real pages are fitted on, as in the release, but have
    # no passage truth).
    records = [r for r in records if not r["pair"].dataset.startswith("real")]
    keys = [f"{r['pair'].dataset}|{r['pair'].label}" for r in records]
    detections = [detection(results[k]) for k in keys]
    report = score_detections([EvalPair(r["pair"].label, r["pair"].kind, r["pair"].group, r["pair"].source_text,
                                        r["pair"].suspect_text, r["pair"].cases) for r in records],
                              detections, name, calibrated=True)
    rates = {**report.reuse_recall, **report.false_positive_rate}
    cells = [f"{rates[k]:.2f}" if k in rates else "–" for k in KINDS]
    print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)
    return f"| {name} | " + " | ".join(cells) + f" | {report.passages['all reuse'].plagdet:.3f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=str(fit["CACHE"]))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "ablation.md"))
    args = ap.parse_args()
    pairs = fit["development_sets"]()
    cache = AnalysedCache(lambda xs: SentenceEmbedder.default().encode(xs), args.cache)
    cache.warm(t for p in pairs for t in (p.source_text, p.suspect_text))
    rows = [run(name, config, pairs, cache) for name, config in CONFIGS.items()]
    text = "\n".join([
        "# Ablation: what each kind of evidence contributes", "",
        f"Command: `.venv/bin/python benchmarks/bench_ablation.py` ({time.strftime('%Y-%m-%d %H:%M')} UTC, "
        f"{platform.machine()}, Python {platform.python_version()}). Each row refits the derivation judge and the "
        "document models fold by fold as the release is fitted (`scripts/fit_models.py`, grouped 5-fold "
        "cross-validation over the hand-written development pairs) and gives the out-of-fold share of pairs "
        "called reuse per kind (recall for reuse kinds, false positives for the others), then passage plagdet "
        "over every reuse pair. The sentence strength model is the release's in every row.", "",
        "| configuration | " + " | ".join(KINDS) + " | passage plagdet |",
        "|---|" + "---:|" * (len(KINDS) + 1),
        *rows, "",
    ])
    # The reading and the earlier runs below the table are kept (they start at "Reading it").
    out = Path(args.out)
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    kept = previous[previous.index("Reading it"):] if "Reading it" in previous else ""
    out.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
