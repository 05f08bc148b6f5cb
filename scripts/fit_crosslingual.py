"""Fit the cross-language strength and document models on the development translations.

    .venv/bin/python scripts/fit_crosslingual.py [--variants ../shared/data/rewrites-dev/variants*.jsonl]
        [--articles ../shared/data/bbc-news/articles.jsonl] [--folds 5] [--write] [--cache F] [--dump F]

Pairs (every one also reversed: search and scan meet pairs in either orientation):
- reuse: each ``translation`` variant against its BBC source; two or three translated
  paragraphs planted inside another article's translation (a partial translated copy); each
  ``independent-translation`` against the English ``independent`` report it translates (a short
  whole translation; document level only, as it has no paragraph truth);
- not reuse: each English ``independent``/``independent2`` report against the translation of its
  event's BBC article (two reports of one event in two languages, neither derived from the
  other: the stand-in for a translated independent report), and the translation against an
  unrelated BBC article of the same category.

Sentence level: a translated sentence is paired with its best source sentence inside the
paragraphs it derives from (positive) and with its best source sentence elsewhere (negative);
every sentence of an independent report with its best counterpart (negative). Features: the
cosine (the mean of e5's and USE's, ``embed.multilingual.BitextEmbedder``), and dice/containment of the language-independent anchors. Document level: the features
of ``pipeline.translated.translation_features`` after aligning with the fitted strength model.
Both are L2-regularised logistic regressions; the printed figures are grouped cross-validation
(no article in both train and test folds), then the models are refitted on everything.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_models import fit_logistic  # noqa: E402
from spintrace.align.aligner import sentences_to_embed  # noqa: E402
from spintrace.align.crosslingual import (  # noqa: E402
    MODELS_FILE, TRANSLATION_PARAMS, CrossLingualModels, DocumentModel, translation_view,
)
from spintrace.align.similarity import StrengthModel, dice_and_containment, lexical_overlap  # noqa: E402
from spintrace.embed.multilingual import BitextEmbedder  # noqa: E402
from spintrace.evaluation.sentences import roc_auc  # noqa: E402
from spintrace.pipeline.analyse import analyse_text, embed_missing  # noqa: E402
from spintrace.pipeline.translated import REUSE_THRESHOLD, align_translation  # noqa: E402

DOCUMENT_FEATURES = ("source_coverage", "run_coverage", "mean_strength", "longest_run", "strong_coverage", "local_margin")
L2 = 0.1
SHARED = ROOT.parent / "shared" / "data"


def load(variant_globs: list[str], articles_path: str):
    articles, by_category = {}, defaultdict(list)
    with open(articles_path, encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            a["text"] = "\n\n".join(p.strip() for p in a["text"].split("\n\n") if p.strip())
            articles[a["id"]] = a
            by_category[a["category"]].append(a["id"])
    variants = []
    for pattern in variant_globs:
        for path in sorted(glob.glob(pattern)):
            with open(path, encoding="utf-8") as fh:
                variants.extend(json.loads(line) for line in fh if line.strip())
    return articles, by_category, variants


def document_pairs(articles, by_category, variants, seed=11):
    """(group, source_text, suspect_text, label, kind, derived_from or None)."""
    rng = random.Random(seed)
    translations = {v["id"]: v for v in variants if v["variant"] == "translation"}
    pairs = []
    ids = sorted(translations)
    for ident in ids:
        t = translations[ident]
        text = "\n\n".join(t["paragraphs"])
        pairs.append((ident, articles[ident]["text"], text, 1, f"translation-{t['lang']}", t["derived_from"]))
        for v in variants:
            if v["id"] == ident and v["variant"] in ("independent", "independent2"):
                pairs.append((ident, "\n\n".join(v["paragraphs"]), text, 0, "independent vs translation", None))
            if v["id"] == ident and v["variant"] == "independent-translation":
                # Another outlet's own report in the other language: the negative a user meets.
                pairs.append((ident, articles[ident]["text"], "\n\n".join(v["paragraphs"]), 0,
                              f"independent translation-{v['lang']}", None))
                # ... and a translation of that report: a short whole translation (no paragraph
                # truth, so document level only).
                original = next((o for o in variants if o["id"] == ident and o["variant"] == "independent"), None)
                if original is not None:
                    pairs.append((ident, "\n\n".join(original["paragraphs"]), "\n\n".join(v["paragraphs"]), 1,
                                  f"short translation-{v['lang']}", None))
        cat = articles[ident]["category"]
        other = rng.choice([o for o in by_category[cat] if o != ident and articles[o]["text"] != articles[ident]["text"]])
        pairs.append((ident, articles[other]["text"], text, 0, "unrelated", None))
        host = translations[rng.choice([i for i in ids if i != ident])]["paragraphs"]
        k = rng.randint(1, max(1, len(t["paragraphs"]) - 3))
        planted = t["paragraphs"][k : k + rng.choice([2, 3])]
        pairs.append((ident, articles[ident]["text"], "\n\n".join(host[:2] + planted + host[2:]), 1, "partial translation", None))
    pairs += [(g, u, s, y, kind + " (reversed)", None) for g, s, u, y, kind, _ in pairs]
    return pairs


class Texts:
    """Each distinct text analysed, viewed and embedded once."""

    def __init__(self, embed):
        self.embed = embed
        self.cache = {}

    def __call__(self, text: str):
        if text not in self.cache:
            analysed = analyse_text(text)
            analysed.translation_view = translation_view(analysed)
            view = analysed.translation_view
            embed_missing([(view, sentences_to_embed(view, TRANSLATION_PARAMS))], self.embed)
            self.cache[text] = analysed
        return self.cache[text]


def sentence_examples(pairs, texts):
    rows, labels, groups = [], [], []
    for group, source, suspect, label, kind, derived in pairs:
        if kind.startswith(("partial", "unrelated", "short")) or kind.endswith("(reversed)"):
            continue
        src, sus = texts(source).translation_view, texts(suspect).translation_view
        overlap, wa, wb = lexical_overlap(src, sus)
        dice, cont = dice_and_containment(overlap, wa, wb)
        cos = np.clip(src.embeddings @ sus.embeddings.T, 0, 1)
        src_para = [s.segment.paragraph for s in src.sentences]
        for j, sent in enumerate(sus.sentences):
            if len(sent.tokens) < TRANSLATION_PARAMS.min_link_words:
                continue
            inside = derived[sent.segment.paragraph] if derived else []
            allowed = [i for i in range(len(src.sentences)) if src_para[i] in inside]
            others = [i for i in range(len(src.sentences)) if src_para[i] not in inside]
            for candidates, y in ((allowed, 1), (others, 0)):
                if candidates:
                    i = max(candidates, key=lambda i: cos[i, j] + dice[i, j])
                    rows.append((cos[i, j], dice[i, j], cont[i, j]))
                    labels.append(y)
                    groups.append(group)
    return np.array(rows), np.array(labels, dtype=float), groups


def folds_of(groups, k):
    names = sorted(set(groups))
    random.Random(5).shuffle(names)
    fold = {g: i % k for i, g in enumerate(names)}
    return np.array([fold[g] for g in groups])


def fit_strength(x, y):
    # Barely regularised: the informative cosine range is narrow (0.80-0.95), so the cosine weight
    # must be large, and an L2 penalty on unscaled features would shrink it below dice's.
    w = fit_logistic(x, y, l2=1e-3)
    return StrengthModel(bias=float(w[0]), w_cosine=float(w[1]), w_dice=float(w[2]), w_containment=float(w[3]))


def document_rows(pairs, texts, strength):
    models = CrossLingualModels(strength, DocumentModel())
    feats = []
    for _, source, suspect, *_ in pairs:
        *_, features = align_translation(texts(source), texts(suspect), texts.embed, models)
        feats.append([features[n] for n in DOCUMENT_FEATURES])
    return np.array(feats)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", nargs="+", default=[str(SHARED / "rewrites-dev" / "variants*.jsonl")])
    ap.add_argument("--articles", default=str(SHARED / "bbc-news" / "articles.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--cache", type=Path, help="pickle of analysed, embedded texts (made if missing)")
    ap.add_argument("--dump", type=Path, help="pickle the out-of-fold document probabilities here: "
                    "(group, kind, label, probability, features) per pair")
    args = ap.parse_args()

    articles, by_category, variants = load(args.variants, args.articles)
    pairs = document_pairs(articles, by_category, variants)
    texts = Texts(BitextEmbedder.default().encode)
    print(f"{len(pairs)} document pairs, {sum(p[3] for p in pairs)} reuse")
    if args.cache and args.cache.exists():
        import pickle

        texts.cache = pickle.loads(args.cache.read_bytes())
    for p in pairs:
        texts(p[1]), texts(p[2])
    if args.cache:
        import pickle

        args.cache.write_bytes(pickle.dumps(texts.cache))

    x, y, groups = sentence_examples(pairs, texts)
    folds = folds_of(groups, args.folds)
    held = np.zeros(len(y))
    for f in range(args.folds):
        model = fit_strength(x[folds != f], y[folds != f])
        held[folds == f] = model(x[folds == f, 0], x[folds == f, 1], x[folds == f, 2])
    print(f"sentences: {len(y)} ({int(y.sum())} positive); grouped-CV AUC {roc_auc(y.astype(bool), held):.3f}, "
          f"accuracy@0.5 {np.mean((held >= 0.5) == y):.3f}; cosine alone AUC {roc_auc(y.astype(bool), x[:, 0]):.3f}")
    strength = fit_strength(x, y)
    print("strength model:", strength)

    # Document model, grouped CV: the strength model of each fold is fitted without its articles.
    doc_groups = [p[0] for p in pairs]
    doc_y = np.array([p[3] for p in pairs], dtype=float)
    doc_folds = folds_of(doc_groups, args.folds)
    held_doc = np.zeros(len(pairs))
    for f in range(args.folds):
        mask = np.array([fo != f for fo in folds])
        fold_strength = fit_strength(x[mask], y[mask])
        feats = document_rows(pairs, texts, fold_strength)
        w = fit_logistic(feats[doc_folds != f], doc_y[doc_folds != f], l2=L2)
        z = w[0] + feats[doc_folds == f] @ w[1:]
        held_doc[doc_folds == f] = 1 / (1 + np.exp(-z))
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        rates = defaultdict(list)
        for p, prob in zip(pairs, held_doc):
            rates[p[4].replace(" (reversed)", "").split("-")[0]].append(prob >= threshold)
        print(f"  threshold {threshold}: " + ", ".join(f"{k} {np.mean(v):.3f}" for k, v in sorted(rates.items())))
    if args.dump:
        import pickle

        rows = document_rows(pairs, texts, strength)
        args.dump.write_bytes(pickle.dumps([(p[0], p[4], p[3], float(h), dict(zip(DOCUMENT_FEATURES, r)))
                                            for p, h, r in zip(pairs, held_doc, rows)]))
    predicted = held_doc >= REUSE_THRESHOLD
    print(f"  by kind at the shipped reuse threshold {REUSE_THRESHOLD}:")
    by_kind = defaultdict(list)
    for p, hit in zip(pairs, predicted):
        by_kind[p[4]].append(hit)
    for kind, hits in sorted(by_kind.items()):
        print(f"  {kind:38s} n={len(hits):3d} called reuse {np.mean(hits):.3f}")
    print(f"documents: grouped-CV accuracy at {REUSE_THRESHOLD} {np.mean(predicted == doc_y):.3f}, AUC {roc_auc(doc_y.astype(bool), held_doc):.3f}")

    feats = document_rows(pairs, texts, strength)
    w = fit_logistic(feats, doc_y, l2=L2)
    document = DocumentModel(float(w[0]), {n: float(v) for n, v in zip(DOCUMENT_FEATURES, w[1:])})
    print("document model:", document)
    if args.write:
        out = ROOT / "src" / "spintrace" / "align" / MODELS_FILE
        out.write_text(json.dumps({
            "strength": {"bias": strength.bias, "w_cosine": strength.w_cosine, "w_dice": strength.w_dice,
                         "w_containment": strength.w_containment},
            "document": {"bias": document.bias, "weights": document.weights},
        }, indent=2) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
