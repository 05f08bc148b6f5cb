"""The exported tree ensemble gives the fitted model's own log-odds, without scikit-learn."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spintrace.classify.trees import TreeEnsemble
from spintrace.classify.verdict import ScoreModel, VerdictRules


def test_exported_trees_reproduce_the_fitted_model() -> None:
    ensemble_module = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(7)
    x = rng.random((600, 4))
    x[rng.random(600) < 0.05, 2] = np.nan  # missing values take the side the fit learned
    y = ((x[:, 0] + 0.5 * np.nan_to_num(x[:, 2]) + 0.2 * rng.random(600)) > 0.8).astype(float)
    model = ensemble_module.HistGradientBoostingClassifier(
        max_iter=40, max_depth=3, monotonic_cst=[1, 0, 0, 0], random_state=0).fit(x, y)
    names = ("a", "b", "c", "d")
    ensemble = TreeEnsemble.from_dict(json.loads(json.dumps(TreeEnsemble.from_sklearn(model, names).to_dict())))
    expected = model.decision_function(x)
    got = [ensemble.logit({n: float(v) for n, v in zip(names, row) if not np.isnan(v)}) for row in x]
    assert np.allclose(got, expected, atol=1e-9)


def test_the_shipped_score_model_is_the_tree_ensemble_and_rises_with_evidence() -> None:
    model = ScoreModel.load_default()
    assert model.ensemble is not None
    weak = {name: 0.0 for name in model.ensemble.features} | {"topic_cosine": 0.6, "length_ratio": 1.0,
                                                                "unlinked_similarity": 0.5, "unlinked_share": 0.8}
    strong = weak | {"derived_suspect": 0.9, "derived_source": 0.9, "derived_mass": 0.85, "mean_derivation": 0.95,
                     "derived_links": 1.0, "derived_run_words": 1.0, "derived_run_coverage": 0.9,
                     "suspect_coverage": 0.95, "own_words_coverage": 0.95, "mean_strength": 0.8, "run_coverage": 0.9,
                     "longest_run": 1.0, "unlinked_share": 0.05}
    bar = VerdictRules().reuse_probability
    assert model.probability(weak) < bar <= model.probability(strong)


def _constant(value: float, names: tuple[str, ...] = ("length_ratio",)) -> TreeEnsemble:
    """An ensemble whose log-odds are ``value`` whatever the features."""
    return TreeEnsemble.from_dict({"features": list(names), "baseline": value, "trees": []})


def test_the_short_suspect_model_gives_a_second_opinion_on_short_suspects_only() -> None:
    from spintrace.classify.score_model import ShortSuspectModel

    short = ShortSuspectModel(_constant(-4.0), max_length_ratio=0.6, shift=0.5)
    model = ScoreModel(0.0, ensemble=_constant(2.0), ensemble_shift=1.0, short=short)
    whole, brief = {"length_ratio": 1.0}, {"length_ratio": 0.3}
    assert model.probability(whole) == pytest.approx(1 / (1 + np.exp(-1.0)))  # 2.0 - 1.0
    # The mean of the two log-odds, less the short model's shift: (1.0 - 4.0) / 2 - 0.5.
    assert model.probability(brief) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert ScoreModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


def test_the_shipped_short_suspect_model_reads_the_suspects_the_fit_chose() -> None:
    model = ScoreModel.load_default()
    assert model.short is not None
    assert model.short.max_length_ratio == VerdictRules().condensed_length_ratio
    assert {"source_stretch", "linked_sentences"} <= set(model.short.ensemble.features)
