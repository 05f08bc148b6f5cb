"""Session 21's look at a richer sentence-pair strength model (EVALUATION.md, "Tried in session 21").

    PYTHONPATH=src .venv/bin/python scripts/strength_experiment.py --cache CACHE            # ROC AUCs
    PYTHONPATH=src .venv/bin/python scripts/strength_experiment.py --cache CACHE --cv OUT.md [--mix 0.5]

Examples follow the shipped strength model's recipe (session 2): each suspect sentence of a
derived paragraph of a rewrite or spun copy with its best source sentence (cosine + dice) inside
the paragraphs it was made from (derived), each sentence of an independent or wire-style report
with its best source sentence anywhere (not derived). The ROC AUCs are out of fold (grouped by
article, ``fit_models.fold_of``). ``--cv`` fits boosted trees on *all* examples, re-scores every
candidate link of the aligner with them (``--mix`` blends with the shipped strength) and runs
``fit_models.py``'s grouped CV: optimistic for the trees, a first look only. Needs scikit-learn
and an analysed cache that ``fit_models.py`` has filled.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_models  # noqa: E402
from labelled_sets import CACHE, development_sets  # noqa: E402

import spintrace.align.aligner as aligner  # noqa: E402
from spintrace.align.aligner import Link  # noqa: E402
from spintrace.align.similarity import DEFAULT_STRENGTH, dice_and_containment, lexical_overlap  # noqa: E402
from spintrace.classify.derivation import DERIVATION_FEATURES, link_features  # noqa: E402
from spintrace.evaluation.labelled import AnalysedCache  # noqa: E402

KINDS = ("rewrite", "spun", "independent", "independent2")
CONSTRUCTION = [n for n in DERIVATION_FEATURES if n not in ("cosine", "dice", "merged")]


def pair_row(source, suspect, link: Link, containment: float) -> list[float]:
    features = link_features(source, suspect, link, bytearray(len(suspect.text)))
    a = sum(len(source.sentences[k].tokens) for k in range(link.src_first, link.src_last + 1))
    b = sum(len(suspect.sentences[k].tokens) for k in range(link.sus_first, link.sus_last + 1))
    return ([link.cosine, link.dice, containment] + [features[n] for n in CONSTRUCTION]
            + [min(a, b) / max(a, b, 1), float(np.log(max(a, 1))), float(np.log(max(b, 1)))])


def examples(cache: AnalysedCache, kinds: tuple[str, ...] = KINDS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, labels, folds = [], [], []
    for p in development_sets():
        kind = p.kind.split(" (")[0]
        if kind not in kinds:
            continue
        src, sus = cache.get(p.source_text), cache.get(p.suspect_text)
        if src.embeddings is None or sus.embeddings is None or not src.sentences or not sus.sentences:
            continue
        overlap, wa, wb = lexical_overlap(src, sus)
        dice, containment = dice_and_containment(overlap, wa, wb)
        cosine = np.clip(src.embeddings @ sus.embeddings.T, 0, 1)
        for j, s in enumerate(sus.sentences):
            if len(s.tokens) < 4:
                continue
            span = (s.segment.start, s.segment.end)
            cases = ([] if kind in fit_models.NOT_DERIVED_KINDS else
                     [c for c in p.cases if fit_models._inside(span, c.this_offset, c.this_length) >= 0.5])
            if cases:
                allowed = [i for i, t in enumerate(src.sentences) if len(t.tokens) >= 4 and any(
                    fit_models._inside((t.segment.start, t.segment.end), c.source_offset, c.source_length) >= 0.5
                    for c in cases)]
                if not allowed:
                    continue
                i, label = max(allowed, key=lambda i: cosine[i, j] + dice[i, j]), 1
            elif kind in fit_models.NOT_DERIVED_KINDS:
                i, label = int(np.argmax(cosine[:, j] + dice[:, j])), 0
            else:
                continue  # a copy's own added text: no label
            link = Link(i, i, j, j, 0.0, float(cosine[i, j]), float(dice[i, j]))
            rows.append(pair_row(src, sus, link, float(containment[i, j])))
            labels.append(label)
            folds.append(fit_models.fold_of(p.group, 5))
    return np.array(rows), np.array(labels, dtype=float), np.array(folds)


def report_auc(x: np.ndarray, y: np.ndarray, folds: np.ndarray) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    def out_of_fold(columns: slice, trees: bool) -> np.ndarray:
        p = np.zeros(len(y))
        for f in range(5):
            train, test = folds != f, folds == f
            xs = x[:, columns]
            if trees:
                model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3,
                                                       min_samples_leaf=40).fit(xs[train], y[train])
                p[test] = model.predict_proba(xs[test])[:, 1]
            else:
                mu, sd = xs[train].mean(0), xs[train].std(0) + 1e-9
                w = fit_models.fit_logistic((xs[train] - mu) / sd, y[train], l2=1.0)
                p[test] = 1 / (1 + np.exp(-(w[0] + ((xs[test] - mu) / sd) @ w[1:])))
        return p

    shipped = DEFAULT_STRENGTH(x[:, 0], x[:, 1], x[:, 2])
    print(f"{len(y)} examples, {int(y.sum())} derived")
    print(f"ROC AUC: shipped {roc_auc_score(y, shipped):.3f}; refitted logistic (3 features) "
          f"{roc_auc_score(y, out_of_fold(slice(0, 3), False)):.3f}; logistic, all features "
          f"{roc_auc_score(y, out_of_fold(slice(None), False)):.3f}; boosted trees, all features "
          f"{roc_auc_score(y, out_of_fold(slice(None), True)):.3f}")


def run_cv(x: np.ndarray, y: np.ndarray, cache_path: str, out: str, mix: float) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3, min_samples_leaf=40).fit(x, y)
    containment: list[np.ndarray] = []
    shipped_scores, shipped_propose = aligner.pair_scores, aligner.propose_links

    def pair_scores(*args, **kwargs):
        scores = shipped_scores(*args, **kwargs)
        containment[:] = [scores[3]]
        return scores

    def propose_links(source, suspect, strength, cosine, dice, model_, params):
        links = shipped_propose(source, suspect, strength, cosine, dice, model_, params)
        if not links:
            return links
        rows = [pair_row(source, suspect, l, max(float(containment[0][a, b])
                                                  for a in range(l.src_first, l.src_last + 1)
                                                  for b in range(l.sus_first, l.sus_last + 1))) for l in links]
        p = model.predict_proba(np.array(rows))[:, 1]
        return [replace(l, strength=float(mix * q + (1 - mix) * l.strength)) for l, q in zip(links, p)]

    aligner.pair_scores, aligner.propose_links = pair_scores, propose_links
    sys.argv = ["fit_models.py", "--cache", cache_path, "--report", out]
    fit_models.main()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=str(CACHE))
    ap.add_argument("--cv", metavar="OUT.md", help="run fit_models' grouped CV with the re-scored links")
    ap.add_argument("--mix", type=float, default=1.0, help="weight of the trees' score against the shipped strength")
    ap.add_argument("--kinds", default=",".join(KINDS),
                    help="pair kinds the examples come from (add 'summary' for condensed sentences)")
    args = ap.parse_args()
    x, y, folds = examples(AnalysedCache(None, args.cache), tuple(args.kinds.split(",")))
    if args.cv:
        run_cv(x, y, args.cache, args.cv, args.mix)
    else:
        report_auc(x, y, folds)


if __name__ == "__main__":
    main()
