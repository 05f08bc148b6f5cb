"""Fit the sentence strength model and the document score model on hand-written rewrites.

    .venv/bin/python scripts/fit_models.py [--variants eval-data/rewrites-handmade/*.jsonl]
        [--articles ../shared/data/bbc-news/articles.jsonl] [--write]

Sentence level: a suspect sentence in a paragraph derived from source paragraphs P is paired with
its best source sentence inside P (positive); sentences of independent reports and of filler
paragraphs are paired with their best source sentence anywhere (hard negatives).
Document level: rewrites, spins, exact duplicates and planted partial copies are reuse; independent
reports and unrelated articles of the same category are not. Both are small logistic regressions
(L2-regularised), leave-one-article-out validated so the printed accuracy is not a training score.
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

from spintrace.align.passages import runs_to_passages  # noqa: E402
from spintrace.align.similarity import dice_and_containment, lexical_overlap  # noqa: E402
from spintrace.classify.verdict import FEATURE_NAMES, document_features  # noqa: E402
from spintrace.embed import SentenceEmbedder  # noqa: E402
from spintrace.pipeline.analyse import analyse_text, ensure_embeddings  # noqa: E402


# Few, interpretable features: coverage, coverage by runs of links, the longest run, link strength,
# order and exactness. More would fit the 24 development articles, not the task.
DOCUMENT_MODEL_FEATURES = (
    "suspect_coverage",
    "run_coverage",
    "longest_run",
    "mean_strength",
    "order_consistency",
    "exact_share",
    "verbatim_words",
)
L2_DOCUMENT = 0.1


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Newton-Raphson logistic regression with an L2 penalty (bias unpenalised)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[0, 0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg @ w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for para in text.split("\n\n"):
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    return spans


def load(variants_glob: list[str], articles_path: str):
    articles = {}
    by_category = defaultdict(list)
    bodies = defaultdict(list)
    with open(articles_path, encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            a["text"] = "\n\n".join(p.strip() for p in a["text"].split("\n\n") if p.strip())
            articles[a["id"]] = a
            by_category[a["category"]].append(a["id"])
            bodies[a["text"]].append(a["id"])
    variants = []
    for pattern in variants_glob:
        for path in sorted(glob.glob(pattern)):
            with open(path, encoding="utf-8") as fh:
                variants.extend(json.loads(line) for line in fh if line.strip())
    duplicates = [ids for ids in bodies.values() if len(ids) > 1]
    return articles, by_category, variants, duplicates


def sentence_examples(articles, variants, embed):
    rows, labels, groups = [], [], []
    for v in variants:
        src = analyse_text(articles[v["id"]]["text"])
        text = "\n\n".join(v["paragraphs"])
        sus = analyse_text(text)
        ensure_embeddings(src, embed)
        ensure_embeddings(sus, embed)
        overlap, wa, wb = lexical_overlap(src, sus)
        dice, cont = dice_and_containment(overlap, wa, wb)
        cos = np.clip(src.embeddings @ sus.embeddings.T, 0, 1)
        src_para = [s.segment.paragraph for s in src.sentences]
        sus_para = [s.segment.paragraph for s in sus.sentences]
        for j in range(len(sus.sentences)):
            derived = v["derived_from"][sus_para[j]] if v["variant"] != "independent" else []
            if derived:
                allowed = [i for i in range(len(src.sentences)) if src_para[i] in derived]
                if not allowed:
                    continue
                i = max(allowed, key=lambda i: cos[i, j] + dice[i, j])
                label = 1
            else:
                i = int(np.argmax(cos[:, j] + dice[:, j]))
                label = 0
            rows.append((cos[i, j], dice[i, j], cont[i, j]))
            labels.append(label)
            groups.append(v["id"])
    return np.array(rows), np.array(labels, dtype=float), groups


def document_pairs(articles, by_category, variants, duplicates, seed=7):
    rng = random.Random(seed)
    pairs = []  # (group, source_text, suspect_text, label, kind)
    for v in variants:
        src = articles[v["id"]]["text"]
        pairs.append((v["id"], src, "\n\n".join(v["paragraphs"]), int(v["variant"] != "independent"), v["variant"]))
    for ident in sorted({v["id"] for v in variants}):
        cat = articles[ident]["category"]
        other = rng.choice([o for o in by_category[cat] if o != ident and articles[o]["text"] != articles[ident]["text"]])
        pairs.append((ident, articles[ident]["text"], articles[other]["text"], 0, "unrelated"))
        # Planted partial copies: two spun paragraphs, or two verbatim source paragraphs, inside
        # another article of another category.
        spun = next((v for v in variants if v["id"] == ident and v["variant"] == "spun"), None)
        host_cat = rng.choice([c for c in by_category if c != cat])
        host = articles[rng.choice(by_category[host_cat])]["text"].split("\n\n")
        if spun:
            planted = [p for p, d in zip(spun["paragraphs"], spun["derived_from"]) if d][1:3]
            pairs.append((ident, articles[ident]["text"], "\n\n".join(host[:2] + planted + host[2:]), 1, "partial"))
        source_paragraphs = articles[ident]["text"].split("\n\n")
        planted = source_paragraphs[2:4]
        pairs.append((ident, articles[ident]["text"], "\n\n".join(host[:3] + planted + host[3:]), 1, "partial-verbatim"))
        # PAN-style: one copied paragraph of 40+ words inside a long, unrelated page.
        long_host = host + articles[rng.choice(by_category[host_cat])]["text"].split("\n\n")
        paragraph = max(source_paragraphs[1:], key=lambda p: -abs(len(p.split()) - 60))
        pairs.append((ident, articles[ident]["text"], "\n\n".join(long_host[:5] + [paragraph] + long_host[5:]), 1, "one-paragraph copy"))
    for ids in duplicates[:10]:
        pairs.append((ids[0], articles[ids[0]]["text"], articles[ids[1]]["text"], 1, "duplicate"))
    # Scan and search meet pairs in either orientation: the score must not depend on which text is
    # called the source, so every pair is also learnt reversed.
    pairs += [(g, u, s, label, kind + " (reversed)") for g, s, u, label, kind in pairs if kind != "duplicate"]
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", nargs="+", default=[str(ROOT / "eval-data/rewrites-handmade/*.jsonl")])
    ap.add_argument("--articles", default=str(ROOT.parent / "shared/data/bbc-news/articles.jsonl"))
    ap.add_argument("--write", action="store_true", help="write the fitted models into the package")
    args = ap.parse_args()
    articles, by_category, variants, duplicates = load(args.variants, args.articles)
    embed = SentenceEmbedder.default().encode
    print(f"{len(variants)} variants of {len({v['id'] for v in variants})} articles")

    x, y, groups = sentence_examples(articles, variants, embed)
    w = fit_logistic(x, y, l2=0.5)
    print("strength model: bias %.3f cos %.3f dice %.3f cont %.3f" % tuple(w))
    print(f"  sentence examples: {int(y.sum())} positive, {int((1 - y).sum())} negative")

    from spintrace.align.similarity import StrengthModel
    from spintrace.classify.verdict import ScoreModel
    from spintrace.pipeline.compare import compare_analysed

    strength = StrengthModel(*map(float, w))
    pairs = document_pairs(articles, by_category, variants, duplicates)
    feats, labels, kinds, pgroups = [], [], [], []
    for group, src, sus, label, kind in pairs:
        a, b = analyse_text(src), analyse_text(sus)
        result = compare_analysed(a, b, embed=embed, strength_model=strength)
        feats.append([result.features[n] for n in FEATURE_NAMES])
        labels.append(label)
        kinds.append(kind)
        pgroups.append(group)
    fx, fy = np.array(feats), np.array(labels, dtype=float)
    used = list(DOCUMENT_MODEL_FEATURES)
    cols = [FEATURE_NAMES.index(n) for n in used]
    # Leave-one-article-out: an honest estimate of how the fit generalises to unseen articles.
    correct = defaultdict(list)
    for g in sorted(set(pgroups)):
        train = np.array([pg != g for pg in pgroups])
        wd = fit_logistic(fx[train][:, cols], fy[train], l2=L2_DOCUMENT)
        for k in np.nonzero(~train)[0]:
            p = 1 / (1 + np.exp(-(wd[0] + fx[k, cols] @ wd[1:])))
            correct[kinds[k]].append(int((p >= 0.5) == bool(fy[k])))
    for kind, c in sorted(correct.items()):
        print(f"  held-out accuracy {kind:12s} {np.mean(c):.3f} (n={len(c)})")
    wd = fit_logistic(fx[:, cols], fy, l2=L2_DOCUMENT)
    model = {"bias": float(wd[0]), "weights": {n: float(v) for n, v in zip(used, wd[1:])}}
    print("score model:", json.dumps(model, indent=1))
    if args.write:
        (ROOT / "src/spintrace/align/strength_model.json").write_text(
            json.dumps({"bias": w[0], "w_cosine": w[1], "w_dice": w[2], "w_containment": w[3]}, indent=1) + "\n"
        )
        (ROOT / "src/spintrace/classify/score_model.json").write_text(json.dumps(model, indent=1) + "\n")
        print("written")
    score = ScoreModel(model["bias"], model["weights"])
    for kind in sorted(set(kinds)):
        ps = [score.probability(dict(zip(FEATURE_NAMES, f))) for f, k in zip(feats, kinds) if k == kind]
        print(f"  {kind:12s} scores: min {min(ps):.2f} median {np.median(ps):.2f} max {max(ps):.2f}")


if __name__ == "__main__":
    main()
