"""Search recall@1 for translated suspects over the BBC corpus plus distractors.

    .venv/bin/python scripts/eval_crosslingual_search.py VARIANTS.jsonl... [--articles ...]
        [--distractors ../shared/data/rewrites-dev/variants*.jsonl] [--index DIR] [--out FILE]

Indexes the BBC articles (2,095) and, as distractors, every English independent report in the
``--distractors`` files (another outlet's report of the same event: the hardest wrong answer
there is), then searches with every ``translation`` variant (its source must rank first) and
every ``independent-translation`` variant (no hit may be called reuse). The repository's own
fixtures (src/spintrace/pipeline/fixtures_translated) are added unless ``--no-fixtures``: the
English source, four translations and four translated independent reports (whose English
original is not indexed). Prints (and with ``--out`` writes) a Markdown summary.

``--trace``: each suspect is traced (``Index.trace``) instead of searched; a translation counts
when its source is the first (largest) traced source, a translated independent report when it
is attributed to nothing.

``--grouped-cv K`` (for the development records the shipped models were fitted on): refits the
cross-language models K times with ``scripts/fit_crosslingual.py``'s pairs and folds, each time
without one fold's articles, and searches with each translation using the models that never saw
its article (fixtures are left out: they are in no fold).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from spintrace.index import Index  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "src" / "spintrace" / "pipeline" / "fixtures_translated"


def queries(paths: list[str], fixtures: bool) -> list[tuple[str, str, str, str]]:
    """(kind, language, source id, text) for translations and translated independents."""
    out = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            v = json.loads(line)
            if v.get("variant") in ("translation", "independent-translation"):
                out.append((v["variant"], v.get("lang", "?"), v["id"], "\n\n".join(v["paragraphs"])))
    for lang in ("es", "de", "fr", "ru") if fixtures else ():
        out.append(("translation", lang, "fixture/source", (FIXTURES / f"translation.{lang}.txt").read_text()))
        out.append(("independent-translation", lang, "fixture/source", (FIXTURES / f"independent.{lang}.txt").read_text()))
    return out


def fold_models_by_article(variant_paths: list[str], articles: str, k: int) -> dict:
    """Article id -> cross-language models fitted without that article's fold."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from fit_crosslingual import (
        DOCUMENT_FEATURES, L2, Texts, document_pairs, document_rows, fit_strength, folds_of, load, sentence_examples,
    )
    from fit_models import fit_logistic

    from spintrace.align.crosslingual import CrossLingualModels, DocumentModel
    from spintrace.embed.multilingual import BitextEmbedder

    articles_by_id, by_category, variants = load(variant_paths, articles)
    pairs = document_pairs(articles_by_id, by_category, variants)
    texts = Texts(BitextEmbedder.default().encode)
    x, y, groups = sentence_examples(pairs, texts)
    folds = folds_of(groups, k)
    doc_groups = [p[0] for p in pairs]
    doc_folds = folds_of(doc_groups, k)
    doc_y = np.array([p[3] for p in pairs], dtype=float)
    by_article = {}
    for f in range(k):
        strength = fit_strength(x[folds != f], y[folds != f])
        feats = document_rows(pairs, texts, strength)
        w = fit_logistic(feats[doc_folds != f], doc_y[doc_folds != f], l2=L2)
        models = CrossLingualModels(strength, DocumentModel(float(w[0]), {n: float(v) for n, v in zip(DOCUMENT_FEATURES, w[1:])}))
        by_article.update({g: models for g, fo in zip(doc_groups, doc_folds) if fo == f})
    return by_article


def traced_as_hits(result) -> list:
    """A trace's sources (largest share first) as search-like hits: each one was judged reuse."""
    from types import SimpleNamespace

    return [SimpleNamespace(id=s.source.id, reused=True, verdict=s.verdict, score=s.score) for s in result.sources]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--articles", default=str(SHARED / "bbc-news" / "articles.jsonl"))
    ap.add_argument("--distractors", nargs="*", default=sorted(str(p) for p in (SHARED / "rewrites-dev").glob("variants*.jsonl")))
    ap.add_argument("--index", help="index directory (default: a temporary one)")
    ap.add_argument("--out")
    ap.add_argument("--no-fixtures", action="store_true", help="leave the repository's fixtures out")
    ap.add_argument("--grouped-cv", type=int, metavar="K", help="search with fold models that never saw the article")
    ap.add_argument("--trace", action="store_true", help="trace each suspect (Index.trace) instead of searching")
    args = ap.parse_args()
    fold_models = fold_models_by_article(args.variants, args.articles, args.grouped_cv) if args.grouped_cv else None
    if fold_models is not None:
        args.no_fixtures = True

    with tempfile.TemporaryDirectory() as tmp:
        index = Index(args.index or Path(tmp) / "index")
        started = time.perf_counter()
        index.add_paths([args.articles])
        distractors = 0
        for path in args.distractors:
            for n, line in enumerate(open(path, encoding="utf-8")):
                v = json.loads(line)
                if v.get("variant") in ("independent", "independent2") and v.get("lang", "en") == "en":
                    index.add("\n\n".join(v["paragraphs"]), id=f"distractor/{Path(path).stem}/{n}")
                    distractors += 1
        index.add((FIXTURES / "source.en.txt").read_text(), id="fixture/source")
        ingest_s = time.perf_counter() - started
        docs = index.stats()["documents"] if hasattr(index, "stats") else "?"
        rows, found, clean, times = [], [], [], []
        for kind, lang, source_id, text in queries(args.variants, not args.no_fixtures):
            if fold_models is not None:
                from spintrace.pipeline.translated import compare_translated

                compare_translated.__kwdefaults__["models"] = fold_models[source_id]
            t0 = time.perf_counter()
            hits = traced_as_hits(index.trace(text)) if args.trace else index.search(text, top=5)
            times.append((time.perf_counter() - t0) * 1000)
            top = hits[0] if hits else None
            if kind == "translation":
                ok = top is not None and top.id == source_id and top.reused
                found.append(ok)
            else:
                ok = not any(h.reused for h in hits)
                clean.append(ok)
            if not ok:
                rows.append(f"- MISS {kind} ({lang}) of {source_id}: top {top.id if top else None} "
                            f"({top.verdict if top else '-'}, {top.score if top else 0:.2f})")
    lines = [
        f"Index: {docs} documents (BBC articles, {distractors} English independent reports as distractors, "
        f"the fixture source); built in {ingest_s:.1f} s, nothing embedded at ingest.",
        "",
        "| queries | source ranked first and called reuse (recall@1) | translated independents with no reuse hit | median search ms |",
        "|---|---|---|---|",
        f"| {len(found)} translations, {len(clean)} translated independents | {sum(found)}/{len(found)} = "
        f"{sum(found) / max(1, len(found)):.3f} | {sum(clean)}/{len(clean)} | {statistics.median(times):.0f} |",
        "",
        *rows,
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
