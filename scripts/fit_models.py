"""Fit the derivation judge and the document score model; report grouped cross-validation.

    .venv/bin/python scripts/fit_models.py [--write] [--report evaluation-cv.md] [--folds 5]

Data (``scripts/labelled_sets.py``): every hand-written set (eval-data/rewrites-handmade,
eval-data/rewrites-heldout, ../shared/data/rewrites-dev with summaries and second independent
reports), planted partial copies built from them (``evaluation/planted.py``), unrelated articles,
and the real-page development half (../shared/data/news-reuse-real). Never the never-tuned set.

1. Align every pair with the shipped aligner and label each selected link from the paragraph
   ground truth: inside a derived paragraph pair -> derived; any link of an independent report,
   an unrelated article or a host paragraph of a planted copy -> not derived.
2. The derivation judge (``classify/derivation.py``): L2 logistic regression over the link's
   construction features.
3. The document model (``classify/score_model.py`` over ``classify/features.py``): boosted trees over every document feature
   (``TREE_FEATURES``, monotonic in the evidence of copying; ``--document-model logistic`` for the
   earlier L2 logistic regression), plus the condensed-copy model that flags short suspects.
4. Grouped K-fold cross-validation (a BBC source article with all its variants, planted copies and
   unrelated partner, or a real-page event, is one group: never in both training and test folds):
   every pair is compared by the full pipeline with the models of the fold that did not see its
   group, and the figures are those out-of-fold results. ``--write`` then fits on everything and
   writes the models into the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from labelled_sets import CACHE, development_sets, independent_pairs  # noqa: E402

from spintrace.align.aligner import DEFAULT_PARAMS, AlignParams, align_sentences  # noqa: E402
from spintrace.classify.derivation import DERIVATION_FEATURES, DerivationModel, link_features  # noqa: E402
from spintrace.classify.evidence import condensation_features, derivation_features, host_features, source_stretch  # noqa: E402
from spintrace.classify.trees import TreeEnsemble  # noqa: E402
from spintrace.classify.score_model import ShortSuspectModel  # noqa: E402
from spintrace.classify.verdict import ScoreModel, VerdictRules, document_features  # noqa: E402
from spintrace.normalise.quotes import quoted_mask  # noqa: E402
from spintrace.evaluation.labelled import AnalysedCache, LabelledPair  # noqa: E402
from spintrace.evaluation.pairs import EXCERPT_KINDS  # noqa: E402
from spintrace.pipeline.compare import _passages  # noqa: E402

# Evidence of derivation first; verbatim stretches and order confirm. Few features: more would fit
# these few hundred pairs, not the task.
DOCUMENT_MODEL_FEATURES = (
    "derived_suspect",
    "derived_source",
    "derived_mass",
    "derived_run_words",
    "derived_run_coverage",
    "mean_derivation",
    "verbatim_words",
    "order_consistency",
    "run_coverage",
    "longest_run",
    "mean_strength",
    "suspect_coverage",
    "explained_suspect",
    "explained_floor",
    "shared_5grams",
)
# The condensed-copy model sees only suspects at most ``condensed_length_ratio`` of the source's
# length; there summaries are the reuse and short independent reports the hard negatives, both
# classes weighed alike.
CONDENSED_MODEL_FEATURES = ("explained_suspect", "explained_floor", "suspect_coverage", "mean_strength",
                            "ordered_explained", "in_source_order", "source_reach", "length_ratio")
CONDENSED_NOT_REUSE_WEIGHT = 2.0
# The boosted-trees document model (``--document-model trees``) reads every document feature;
# small trees and many examples per leaf, since a few hundred articles are all there is to learn.
TREE_FEATURES = (
    "suspect_coverage", "source_coverage", "own_words_coverage", "mean_strength", "order_consistency",
    "exact_share", "longest_run_share", "run_coverage", "longest_run", "verbatim_words", "topic_cosine",
    "shared_names", "near_verbatim_words", "shared_5grams", "shared_8grams",
    "derived_suspect", "derived_source", "derived_mass", "mean_derivation", "derived_run_words",
    "derived_run_coverage", "derived_links", "length_ratio",
    "explained_suspect", "explained_floor", "ordered_explained", "in_source_order", "source_reach",
    "unlinked_similarity", "unlinked_share", "fusion_gain",
)
# More evidence of copying never lowers the score: the trees may only rise with these features
# (the others, such as length or shared names, may go either way).
TREE_INCREASING = frozenset({
    "suspect_coverage", "own_words_coverage", "mean_strength", "exact_share", "run_coverage", "longest_run",
    "verbatim_words", "near_verbatim_words", "shared_5grams", "shared_8grams", "derived_suspect",
    "derived_source", "derived_mass", "mean_derivation", "derived_run_words", "derived_run_coverage",
    "derived_links", "fusion_gain",
})
# The short-suspect model (``ShortSuspectModel``) also sees how long a stretch of the source the
# suspect retells and how many of its sentences are linked: what tells a summary from an excerpt.
SHORT_TREE_FEATURES = (*TREE_FEATURES, "source_stretch", "linked_sentences")
TREE_PARAMS = {"max_iter": 300, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 20,
               "l2_regularization": 1.0, "random_state": 0}


@dataclass(frozen=True, slots=True)
class Trees:
    """The boosted-trees document model's choices: its own decision bar (mapped onto the rules'
    reuse bar) and whether it may only rise with ``TREE_INCREASING``. The release: the defaults."""

    bar: float = 0.8
    monotonic: bool = True
    # The short-suspect model's bar on the mean of its log-odds and the document model's (mapped
    # onto the rules' reuse bar); None: no short-suspect model.
    short_bar: float | None = 0.35
    short_max_length_ratio: float = VerdictRules().condensed_length_ratio
    short_weight: float = 0.5  # the short-suspect model's share of the mixed log-odds


L2_LINK = 1.0
L2_DOCUMENT = 0.3
# A kind of pair weighs the square root of its count in the document fit (so 30 summaries are not
# drowned by 459 real independent pairs, nor the reverse), and a pair that is not reuse weighs this
# much more: a false accusation of
# copying is the most expensive error the tool can make.
NOT_REUSE_WEIGHT = 4.0
NOT_DERIVED_KINDS = ("independent", "independent2", "excerpt independent", "brief", "unrelated")
# The release's choices of what is fitted (session 18, EVALUATION.md): the fact-list briefs are
# condensed copies in all but name and are measured only; excerpts of independent reports weigh a
# tenth (at full weight they take summaries from 101 to 15 of 140 in grouped CV).
RELEASE_MEASURED_ONLY: tuple[str, ...] = ("brief",)
RELEASE_KIND_WEIGHTS: Mapping[str, float] = MappingProxyType({"excerpt independent": 0.1})


def no_embed(texts):  # every text comes from the cache fully embedded
    raise AssertionError("the analysed cache should hold every embedding")


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 100,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Newton-Raphson logistic regression with an L2 penalty (bias unpenalised), optionally
    with a weight per example."""
    sw = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[0, 0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (sw * (p - y)) + reg @ w
        hess = xb.T @ (xb * (sw * p * (1 - p))[:, None]) + reg + np.eye(xb.shape[1]) * 1e-9
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fold_of(group: str, folds: int) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % folds


def _inside(span: tuple[int, int], start: int, length: int) -> float:
    a, b = span
    return max(0, min(b, start + length) - max(a, start)) / max(1, b - a)


def link_label(source, suspect, link, pair: LabelledPair) -> int | None:
    """1 derived, 0 not, None when the truth cannot say (real pages; a derived paragraph linked
    to a source paragraph it was not made from)."""
    if pair.kind.startswith("real"):
        return None
    if pair.kind in NOT_DERIVED_KINDS:
        return 0
    sus = (suspect.sentences[link.sus_first].segment.start, suspect.sentences[link.sus_last].segment.end)
    src = (source.sentences[link.src_first].segment.start, source.sentences[link.src_last].segment.end)
    in_case = [c for c in pair.cases if _inside(sus, c.this_offset, c.this_length) >= 0.5]
    if not in_case:
        return 0
    if any(_inside(src, c.source_offset, c.source_length) >= 0.5 for c in in_case):
        return 1
    return None


def collect(pairs: list[LabelledPair], cache: AnalysedCache, align_params: AlignParams = DEFAULT_PARAMS) -> list[dict]:
    records = []
    for p in pairs:
        src, sus = cache.get(p.source_text), cache.get(p.suspect_text)
        alignment = align_sentences(src, sus, no_embed, params=align_params)
        runs = alignment.runs
        base = document_features(src, sus, runs, _passages(src, sus, runs))
        base.update(condensation_features(src, sus, alignment.matrices["strength"]))
        base.update(source_stretch(src, sus, alignment.matrices["strength"]))
        base.update(host_features(src, sus, runs))
        quotes = quoted_mask(sus.text)
        links = [l for r in runs for l in r.links]
        rows = [[link_features(src, sus, l, quotes)[n] for n in DERIVATION_FEATURES] for l in links]
        records.append({"pair": p, "runs": runs, "base": base, "x": np.array(rows).reshape(-1, len(DERIVATION_FEATURES)),
                        "y": [link_label(src, sus, l, p) for l in links]})
    return records


def fit_judge(records: list[dict]) -> DerivationModel:
    x = np.vstack([r["x"][k] for r in records for k, y in enumerate(r["y"]) if y is not None] or [np.zeros((0, len(DERIVATION_FEATURES)))])
    y = np.array([y for r in records for y in r["y"] if y is not None], dtype=float)
    w = fit_logistic(x, y, l2=L2_LINK)
    return DerivationModel(float(w[0]), {n: float(v) for n, v in zip(DERIVATION_FEATURES, w[1:])})


def document_rows(records: list[dict], judge: DerivationModel, cache: AnalysedCache) -> np.ndarray:
    rows = []
    for r in records:
        p = r["pair"]
        probs = [judge.probability(dict(zip(DERIVATION_FEATURES, row))) for row in r["x"]]
        feats = {**r["base"], **derivation_features(cache.get(p.source_text), cache.get(p.suspect_text), r["runs"], probs)}
        r["features"] = feats
        rows.append([feats[n] for n in DOCUMENT_MODEL_FEATURES])
    return np.array(rows)


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def fit_trees(records: list[dict], y: np.ndarray, weights: np.ndarray, trees: Trees,
              features: tuple[str, ...] = TREE_FEATURES) -> tuple[TreeEnsemble, float]:
    """Boosted trees over ``features``; the shift puts ``trees.bar`` on the rules' reuse bar."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.array([[r["features"][n] for n in features] for r in records])
    monotonic = [1 if n in TREE_INCREASING else 0 for n in features] if trees.monotonic else None
    model = HistGradientBoostingClassifier(**TREE_PARAMS, monotonic_cst=monotonic).fit(x, y, sample_weight=weights)
    shift = _logit(trees.bar) - _logit(VerdictRules().reuse_probability)
    return TreeEnsemble.from_sklearn(model, features), shift


def _kind(record: dict) -> str:
    return record["pair"].kind.split(" (")[0]


def _balanced_weights(records: list[dict], kind_weights: Mapping[str, float]) -> np.ndarray:
    """Each kind weighs the square root of its count, a pair that is not reuse ``NOT_REUSE_WEIGHT``
    times more; mean 1."""
    kinds = [_kind(r) for r in records]
    counts = {k: kinds.count(k) for k in set(kinds)}
    weights = np.array([(NOT_REUSE_WEIGHT if not r["pair"].reuse else 1.0) * kind_weights.get(k, 1.0) / np.sqrt(counts[k])
                        for k, r in zip(kinds, records)])
    return weights / weights.mean()


def fit_short(records: list[dict], trees: Trees) -> ShortSuspectModel | None:
    """The short-suspect model, fitted on every pair whose suspect is short (briefs included: they
    are what a summary must be told from), each kind balanced as in the document fit. Each record's
    features must come from the same derivation judge (``document_rows``)."""
    if trees.short_bar is None:
        return None
    short = [r for r in records if r["features"]["length_ratio"] <= trees.short_max_length_ratio]
    y = np.array([float(r["pair"].reuse) for r in short])
    ensemble, _ = fit_trees(short, y, _balanced_weights(short, {}), trees, SHORT_TREE_FEATURES)
    return ShortSuspectModel(ensemble, trees.short_max_length_ratio,
                             _logit(trees.short_bar) - _logit(VerdictRules().reuse_probability), trees.short_weight)


def fit_document(records: list[dict], judge: DerivationModel, cache: AnalysedCache, trees: Trees | None,
                 kind_weights: Mapping[str, float] = MappingProxyType({})) -> ScoreModel:
    """The document models; ``kind_weights`` scales a kind's weight in both fits (``--kind-weight``)."""
    x = document_rows(records, judge, cache)
    y = np.array([float(r["pair"].reuse) for r in records])
    weights = _balanced_weights(records, kind_weights)
    w = fit_logistic(x, y, l2=L2_DOCUMENT, weights=weights)
    ensemble, shift = fit_trees(records, y, weights, trees) if trees else (None, 0.0)
    short = [r for r in records if r["features"]["length_ratio"] <= VerdictRules().condensed_length_ratio]
    xs = np.array([[r["features"][n] for n in CONDENSED_MODEL_FEATURES] for r in short])
    ys = np.array([float(r["pair"].reuse) for r in short])
    sw = np.where(ys == 1, 1.0, CONDENSED_NOT_REUSE_WEIGHT) * np.array(
        [kind_weights.get(r["pair"].kind.split(" (")[0], 1.0) for r in short])
    wc = fit_logistic(xs, ys, l2=L2_DOCUMENT, weights=sw / sw.mean())
    return ScoreModel(float(w[0]), {n: float(v) for n, v in zip(DOCUMENT_MODEL_FEATURES, w[1:])},
                      float(wc[0]), {n: float(v) for n, v in zip(CONDENSED_MODEL_FEATURES, wc[1:])},
                      ensemble, shift)


def fit(records: list[dict], cache: AnalysedCache, measured_only: frozenset[str] = frozenset(),
        trees: Trees | None = Trees(), kind_weights: Mapping[str, float] = MappingProxyType({}),
        ) -> tuple[DerivationModel, ScoreModel]:
    # Excerpts are measured, not learned from: trained on, they lifted excerpts of rewrites from
    # 0.59 to 0.88 in grouped CV but also had 4-5 more of 140 wire-style independent reports (each
    # as long as an excerpt and on the same facts) called copies.
    # The trees learn from excerpts too: they weigh length and coverage against derivation
    # evidence themselves instead of lowering one weight for every pair.
    # The short-suspect model learns from the briefs the document model only measures: a short
    # report of the same facts is what it must tell a summary from.
    every = records
    records = [r for r in records if r["pair"].kind not in measured_only
               and (trees is not None or r["pair"].kind not in EXCERPT_KINDS)]
    judge = fit_judge(records)
    document = fit_document(records, judge, cache, trees, kind_weights)  # fills their features
    if trees is None:
        return judge, document
    document_rows([r for r in every if r["pair"].kind in measured_only], judge, cache)
    return judge, replace(document, short=fit_short(every, trees))


def cross_validate(records: list[dict], cache: AnalysedCache, folds: int,
                   rules: VerdictRules = VerdictRules(), measured_only: frozenset[str] = frozenset(),
                   trees: Trees | None = Trees(), kind_weights: Mapping[str, float] = MappingProxyType({}),
                   align_params: AlignParams = DEFAULT_PARAMS) -> dict[str, object]:
    """Out-of-fold Comparison for every pair, by the whole pipeline with the fold's models."""
    from spintrace.pipeline.compare import compare_analysed

    keys = [r["pair"].dataset + "|" + r["pair"].label for r in records]
    if len(set(keys)) != len(keys):
        # Two pairs under one key would both be reported with the comparison of the later one.
        raise ValueError(f"pair labels are not unique: {sorted({k for k in keys if keys.count(k) > 1})[:5]}")
    results: dict[str, object] = {}
    for k in range(folds):
        train = [r for r in records if fold_of(r["pair"].group, folds) != k]
        test = [r for r in records if fold_of(r["pair"].group, folds) == k]
        judge, doc = fit(train, cache, measured_only, trees, kind_weights)
        for r in test:
            p = r["pair"]
            results[p.dataset + "|" + p.label] = compare_analysed(
                cache.get(p.source_text), cache.get(p.suspect_text), embed=no_embed,
                derivation_model=judge, score_model=doc, verdict_rules=rules, align_params=align_params,
            )
        print(f"  fold {k + 1}/{folds}: {len(train)} train, {len(test)} test pairs", file=sys.stderr)
    return results


def score_model_json(model: ScoreModel) -> str:
    """The model file: readable weights, then each ensemble's trees one per line (a few hundred)."""
    data = model.to_dict()
    trees: list[str] = []

    def one_per_line(ensemble: dict) -> None:
        trees.append(",\n  ".join(json.dumps(t, separators=(",", ":")) for t in ensemble["trees"]))
        ensemble["trees"] = f"@TREES{len(trees) - 1}@"

    if "ensemble" in data:
        one_per_line(data["ensemble"])
    if "short" in data:
        one_per_line(data["short"]["ensemble"])
    text = json.dumps(data, indent=1)
    for k, block in enumerate(trees):
        text = text.replace(f'"@TREES{k}@"', f"[\n  {block}\n ]")
    return text + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="write the models fitted on all data into the package")
    ap.add_argument("--report", default=str(ROOT / "evaluation-cv.md"), help="grouped-CV figures (Markdown)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", default=str(CACHE))
    ap.add_argument("--dump", help="pickle the out-of-fold comparisons here: (set, kind, reuse, score, features, pair label) each")
    ap.add_argument("--align", action="append", default=[], metavar="NAME=VALUE",
                    help="override an AlignParams threshold in the fit and the cross-validation (to compare choices)")
    ap.add_argument("--rule", action="append", default=[], metavar="NAME=VALUE",
                    help="override a VerdictRules threshold in the cross-validation (to compare choices)")
    ap.add_argument("--independent-pairs", choices=("measure", "fit"),
                    help="add pairs of two independent reports of one article (labelled_sets.independent_pairs): "
                         "measured in the CV only, or also fitted on")
    ap.add_argument("--document-model", choices=("logistic", "trees"), default="trees",
                    help="the document model: boosted trees (the release; needs scikit-learn) or one logistic regression")
    ap.add_argument("--bar", type=float, default=Trees().bar,
                    help="the trees' own probability at which a pair is reuse (mapped onto the rules' reuse bar)")
    ap.add_argument("--free-trees", action="store_true", help="no monotonic constraints on the trees")
    ap.add_argument("--short-bar", type=float, default=Trees().short_bar,
                    help="the short-suspect model's bar on its mean log-odds with the document model "
                         "(mapped onto the rules' reuse bar); 0: no short-suspect model")
    ap.add_argument("--short-weight", type=float, default=Trees().short_weight,
                    help="the short-suspect model's share of the mixed log-odds (the document model has the rest)")
    ap.add_argument("--measure-only", action="append", metavar="KIND",
                    help="measure this kind of pair in the cross-validation but never fit on it (repeatable; "
                         f"default: the release's {', '.join(RELEASE_MEASURED_ONLY)}; 'none' for none)")
    ap.add_argument("--kind-weight", action="append", metavar="KIND=W",
                    help="multiply a kind's weight in the document fit (repeatable; default: the release's "
                         + ", ".join(f"{k}={w}" for k, w in RELEASE_KIND_WEIGHTS.items()) + ")")
    ap.add_argument("--previous", help="detections of the previous release (scripts/labelled_sets.py --detections)")
    args = ap.parse_args()
    trees = (Trees(args.bar, not args.free_trees, args.short_bar or None, short_weight=args.short_weight)
             if args.document_model == "trees" else None)
    kind_weights = (dict(RELEASE_KIND_WEIGHTS) if args.kind_weight is None
                    else {k: float(w) for k, w in (item.rsplit("=", 1) for item in args.kind_weight)})
    from spintrace.embed import SentenceEmbedder

    started = time.perf_counter()
    pairs = development_sets()
    if args.independent_pairs:
        pairs += independent_pairs()
    measure_only = RELEASE_MEASURED_ONLY if args.measure_only is None else [k for k in args.measure_only if k != "none"]
    measured_only = frozenset(measure_only) | (
        frozenset({"independent pair"}) if args.independent_pairs == "measure" else frozenset())
    cache = AnalysedCache(lambda xs: SentenceEmbedder.default().encode(xs), args.cache)
    cache.warm(t for p in pairs for t in (p.source_text, p.suspect_text))
    align_params = replace(DEFAULT_PARAMS, **{k: type(getattr(DEFAULT_PARAMS, k))(v)
                                              for k, v in (item.split("=", 1) for item in args.align)})
    records = collect(pairs, cache, align_params)
    labelled = [y for r in records for y in r["y"] if y is not None]
    print(f"{len(pairs)} pairs, {len(labelled)} labelled links ({sum(labelled)} derived)", file=sys.stderr)
    overrides = dict(item.split("=", 1) for item in args.rule)
    def parsed(name: str, value: str) -> object:
        kind = type(getattr(VerdictRules(), name))
        return value.lower() in ("1", "true", "yes") if kind is bool else kind(value)

    rules = VerdictRules(**{k: parsed(k, v) for k, v in overrides.items()})
    results = cross_validate(records, cache, args.folds, rules, measured_only, trees, kind_weights, align_params)
    if args.dump:
        import pickle

        Path(args.dump).write_bytes(pickle.dumps([
            (r["pair"].dataset, r["pair"].kind, r["pair"].reuse, results[r["pair"].dataset + "|" + r["pair"].label].score,
             results[r["pair"].dataset + "|" + r["pair"].label].features, r["pair"].label) for r in records]))
    from cv_report import cv_markdown

    report = cv_markdown(records, results, args.folds, args.previous)
    Path(args.report).write_text(report, encoding="utf-8")
    print(report)
    judge, doc = fit(records, cache, measured_only, trees, kind_weights)
    print("judge:", json.dumps({"bias": judge.bias, "weights": judge.weights}, indent=1), file=sys.stderr)
    print("document:", json.dumps(doc.to_dict(), indent=1), file=sys.stderr)
    if args.write:
        (ROOT / "src/spintrace/classify/derivation_model.json").write_text(
            json.dumps({"bias": judge.bias, "weights": judge.weights}, indent=1) + "\n")
        (ROOT / "src/spintrace/classify/score_model.json").write_text(score_model_json(doc))
        print("models written", file=sys.stderr)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
