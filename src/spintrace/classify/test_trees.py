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
