"""A boosted ensemble of small decision trees, evaluated without the library that fitted it.

``scripts/fit_models.py`` fits the document model with scikit-learn's histogram gradient
boosting and exports each tree's nodes here, so run time needs neither scikit-learn nor its
import cost: a few hundred depth-3 trees over ~30 features cost microseconds a pair in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Tree:
    """Nodes in arrays: an inner node sends a sample left when ``value <= threshold`` (and a
    missing value where ``missing_left`` says); a leaf holds its contribution to the logit."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    missing_left: tuple[bool, ...]
    leaf: tuple[bool, ...]
    value: tuple[float, ...]

    def predict(self, row: list[float | None]) -> float:
        node = 0
        while not self.leaf[node]:
            x = row[self.feature[node]]
            go_left = self.missing_left[node] if x is None else x <= self.threshold[node]
            node = self.left[node] if go_left else self.right[node]
        return self.value[node]


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Sum of ``trees`` plus ``baseline``: the log-odds of reuse over ``features`` (by name)."""

    features: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]

    def logit(self, values: dict[str, float]) -> float:
        row = [values.get(name) for name in self.features]
        return self.baseline + sum(tree.predict(row) for tree in self.trees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "baseline": self.baseline,
            "trees": [
                {"feature": list(t.feature), "threshold": list(t.threshold), "left": list(t.left),
                 "right": list(t.right), "missing_left": list(t.missing_left), "leaf": list(t.leaf),
                 "value": list(t.value)}
                for t in self.trees
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TreeEnsemble":
        # JSON already gives ints, floats and booleans: tuple() copies without converting each one.
        fields = ("feature", "threshold", "left", "right", "missing_left", "leaf", "value")
        return cls(tuple(data["features"]), float(data["baseline"]),
                   tuple(Tree(*(tuple(t[f]) for f in fields)) for t in data["trees"]))

    @classmethod
    def from_sklearn(cls, model: Any, features: tuple[str, ...]) -> "TreeEnsemble":
        """Export a fitted binary ``HistGradientBoostingClassifier`` (no categorical features)."""
        trees = []
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            trees.append(Tree(
                tuple(int(v) for v in nodes["feature_idx"]),
                tuple(float(v) for v in nodes["num_threshold"]),
                tuple(int(v) for v in nodes["left"]),
                tuple(int(v) for v in nodes["right"]),
                tuple(bool(v) for v in nodes["missing_go_to_left"]),
                tuple(bool(v) for v in nodes["is_leaf"]),
                tuple(float(v) for v in nodes["value"]),
            ))
        return cls(features, float(model._baseline_prediction.ravel()[0]), tuple(trees))
