"""The calibrated reuse probability of a pair from its document features (fitted, shipped as JSON)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources

from spintrace.classify.trees import TreeEnsemble


@dataclass(frozen=True, slots=True)
class ShortSuspectModel:
    """A second opinion on a suspect much shorter than its source (``length_ratio`` at most
    ``max_length_ratio``): boosted trees fitted on such pairs alone.

    A short suspect is a summary, an excerpt (copied or reworded) or a short report of the same
    facts, and the features mean something else there than for a whole article: a brief that
    covers the story's facts covers as much of the source as a summary does. The document model,
    fitted on every kind of pair, leaves little of its capacity to that distinction. The pair's
    log-odds become the document model's and this model's, mixed with ``weight`` for this one,
    less ``shift``, which puts the bar chosen for the mix in grouped cross-validation on
    ``VerdictRules.reuse_probability``.
    """

    ensemble: TreeEnsemble
    max_length_ratio: float
    shift: float
    weight: float = 0.5

    def logit(self, document_logit: float, features: dict[str, float]) -> float:
        """The pair's log-odds from the document model's and this model's."""
        return (1 - self.weight) * document_logit + self.weight * self.ensemble.logit(features) - self.shift

    def applies(self, features: dict[str, float]) -> bool:
        return features.get("length_ratio", 1.0) <= self.max_length_ratio

    def to_dict(self) -> dict:
        return {"max_length_ratio": self.max_length_ratio, "shift": self.shift, "weight": self.weight,
                "ensemble": self.ensemble.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> "ShortSuspectModel":
        return cls(TreeEnsemble.from_dict(data["ensemble"]), float(data["max_length_ratio"]), float(data["shift"]),
                   float(data.get("weight", 0.5)))


@dataclass(frozen=True, slots=True)
class ScoreModel:
    """The reuse probability of a pair from its document features, fitted by ``scripts/fit_models.py``.

    With an ``ensemble`` (boosted trees over every document feature) that is the model; otherwise
    the logistic regression of ``bias`` and ``weights``. The ensemble's log-odds are shifted by
    ``ensemble_shift`` so that the decision bar chosen in grouped cross-validation falls on
    ``VerdictRules.reuse_probability``. ``condensed_weights`` give the probability that a suspect
    much shorter than its source is a condensed copy (a summary): the ``condensed`` flag.
    ``short`` (with an ensemble) gives its second opinion on suspects much shorter than the source.
    """

    bias: float
    weights: dict[str, float] = field(default_factory=dict)
    condensed_bias: float = -50.0
    condensed_weights: dict[str, float] = field(default_factory=dict)
    ensemble: TreeEnsemble | None = None
    ensemble_shift: float = 0.0
    short: ShortSuspectModel | None = None

    @staticmethod
    def _sigmoid(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def _logistic(cls, bias: float, weights: dict[str, float], features: dict[str, float]) -> float:
        return cls._sigmoid(bias + sum(w * features.get(name, 0.0) for name, w in weights.items()))

    def probability(self, features: dict[str, float]) -> float:
        if self.ensemble is not None:
            logit = self.ensemble.logit(features) - self.ensemble_shift
            if self.short is not None and self.short.applies(features):
                logit = self.short.logit(logit, features)
            return self._sigmoid(logit)
        return self._logistic(self.bias, self.weights, features)

    def condensed_probability(self, features: dict[str, float]) -> float:
        return self._logistic(self.condensed_bias, self.condensed_weights, features)

    @classmethod
    def from_dict(cls, data: dict) -> "ScoreModel":
        condensed = data.get("condensed") or {"bias": -50.0, "weights": {}}
        ensemble = data.get("ensemble")
        short = data.get("short")
        return cls(float(data.get("bias", 0.0)), {k: float(v) for k, v in data.get("weights", {}).items()},
                   float(condensed["bias"]), {k: float(v) for k, v in condensed["weights"].items()},
                   TreeEnsemble.from_dict(ensemble) if ensemble else None, float(data.get("ensemble_shift", 0.0)),
                   ShortSuspectModel.from_dict(short) if short else None)

    def to_dict(self) -> dict:
        out = {"bias": self.bias, "weights": self.weights,
               "condensed": {"bias": self.condensed_bias, "weights": self.condensed_weights}}
        if self.ensemble is not None:
            out["ensemble"] = self.ensemble.to_dict()
            out["ensemble_shift"] = self.ensemble_shift
        if self.short is not None:
            out["short"] = self.short.to_dict()
        return out

    @classmethod
    def load_default(cls) -> "ScoreModel":
        try:
            return cls.from_dict(json.loads(resources.files("spintrace.classify").joinpath("score_model.json").read_text()))
        except FileNotFoundError:
            # Hand-set before any fit: own-wording coverage dominates, strength and order confirm.
            return cls(-7.0, {"own_words_coverage": 9.0, "mean_strength": 3.0, "order_consistency": 1.5, "exact_share": 2.0})
