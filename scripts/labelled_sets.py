"""The labelled pair sets every model of spintrace is fitted and cross-validated on.

    .venv/bin/python scripts/labelled_sets.py --detections OUT.pkl   # compare every pair, keep the results

Used by ``scripts/fit_models.py``; run alone, it records what the installed code says about every
pair (how the previous release's figures beside the new ones in EVALUATION.md were made: run it
at that commit with this file copied in).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spintrace.evaluation.labelled import AnalysedCache, LabelledPair, real_page_pairs, rewrites_pairs  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ARTICLES = SHARED / "bbc-news" / "articles.jsonl"
CACHE = Path("/tmp/spintrace-fit-cache/analysed.pkl")


def development_sets(shared: Path = SHARED) -> list[LabelledPair]:
    """All hand-written data and the real-page development half (never eval-data/rewrites-heldout5)."""
    pairs: list[LabelledPair] = []
    pairs += rewrites_pairs(sorted((ROOT / "eval-data/rewrites-handmade").glob("*.jsonl")), ARTICLES, "handmade")
    pairs += rewrites_pairs([ROOT / "eval-data/rewrites-heldout/variants.jsonl"], ARTICLES, "heldout")
    # Never-tuned until their first run showed short wire-style independent reports called condensed
    # copies; since then development data (their short independents are the negatives the
    # condensed-copy model lacked), and eval-data/rewrites-heldout4 is the never-tuned set.
    pairs += rewrites_pairs([ROOT / "eval-data/rewrites-heldout2/variants.jsonl"], ARTICLES, "heldout2")
    # heldout3's short independent briefs (briefs.jsonl) are the hard negatives of a condensed copy:
    # as short as a summary, on the same facts, not made from the source's sentences.
    pairs += rewrites_pairs(sorted((ROOT / "eval-data/rewrites-heldout3").glob("*.jsonl")), ARTICLES, "heldout3")
    # Never-tuned until its one run with the condensed-copy model of this release showed 7 of its 40
    # short independent briefs called condensed copies; development data since, and
    # eval-data/rewrites-heldout5 is the never-tuned set.
    pairs += rewrites_pairs(sorted((ROOT / "eval-data/rewrites-heldout4").glob("*.jsonl")), ARTICLES, "heldout4")
    pairs += rewrites_pairs([shared / "rewrites-dev/variants.jsonl", shared / "rewrites-dev/variants-more.jsonl"],
                            ARTICLES, "rewrites-dev")
    pairs += real_page_pairs([shared / "news-reuse-real/pairs.jsonl"], "real-dev")
    return pairs


#: Development sets with two hand-written independent reports per article (``independent`` and
#: ``independent2``): the pairs of those two reports, compared with each other.
TWO_INDEPENDENT_SETS = {
    "heldout2": [ROOT / "eval-data/rewrites-heldout2/variants.jsonl"],
    "heldout3": [ROOT / "eval-data/rewrites-heldout3/variants.jsonl"],
    "heldout4": [ROOT / "eval-data/rewrites-heldout4/variants.jsonl"],
    "rewrites-dev": [SHARED / "rewrites-dev/variants.jsonl", SHARED / "rewrites-dev/variants-more.jsonl"],
}


def independent_pairs() -> list[LabelledPair]:
    """Kind ``independent pair``: an article's ``independent`` report as source, its
    ``independent2`` as suspect. Two reports of the same facts by different writers, neither made
    from the other (not reuse); the rewrites-format pairs only ever compare a variant with the
    BBC text, so this kind is not in ``development_sets``."""
    from spintrace.evaluation.pairs import read_variants

    pairs = []
    for dataset, files in TWO_INDEPENDENT_SETS.items():
        by_article: dict[str, dict[str, str]] = {}
        for v in read_variants(files, []):
            if v.kind in ("independent", "independent2"):
                by_article.setdefault(v.source_id, {})[v.kind] = v.text
        for article, texts in sorted(by_article.items()):
            if len(texts) == 2:
                pairs.append(LabelledPair(article, "independent pair", f"{article}#independent pair", False,
                                          texts["independent"], texts["independent2"], (), dataset))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--detections", required=True, help="pickle of (pair label, dataset, Comparison summary)")
    ap.add_argument("--cache", default=str(CACHE))
    args = ap.parse_args()
    from spintrace.embed import SentenceEmbedder
    from spintrace.pipeline.compare import compare_analysed

    pairs = development_sets()
    cache = AnalysedCache(SentenceEmbedder.default().encode, args.cache)
    start = time.perf_counter()
    cache.warm(t for p in pairs for t in (p.source_text, p.suspect_text))
    print(f"{len(pairs)} pairs analysed in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    out = []
    for p in pairs:
        r = compare_analysed(cache.get(p.source_text), cache.get(p.suspect_text), embed=lambda xs: None)
        out.append((p.dataset, p.label, p.kind, r.verdict, r.reused, r.score,
                    [(q.suspect_start, q.suspect_end, q.source_start, q.source_end) for q in r.passages]))
    Path(args.detections).write_bytes(pickle.dumps(out))
    print(f"compared in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
