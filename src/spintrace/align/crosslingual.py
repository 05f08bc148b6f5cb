"""Sentence alignment across languages: the same aligner on language-independent evidence.

Shared stems mean nothing between a text and its translation, so each side is viewed through
``translation_view``: the same sentences, whose "content" is the anchors a translator keeps
(numbers, names and cognates as language-independent keys, see ``spintrace.language.anchors``)
and whose embeddings come from the multilingual encoders (``embed.multilingual.BitextEmbedder``:
the mean of e5's and USE's cosines). The aligner (links, 2:1 merges, support by neighbours, runs)
then runs unchanged, with its own strength model fitted on translations by
``scripts/fit_crosslingual.py``: these cosines sit on another scale than MiniLM's English ones,
so the English coefficients do not apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from spintrace.align.aligner import AlignParams
from spintrace.align.similarity import StrengthModel
from spintrace.language.anchors import sentence_anchors
from spintrace.pipeline.analyse import AnalysedText, SentenceProfile, text_language

MODELS_FILE = "crosslingual_models.json"

#: Link thresholds across languages (strength-model probabilities, like AlignParams').
TRANSLATION_PARAMS = AlignParams(lexically_decided=2.0)  # anchors never decide a pair alone


@dataclass(frozen=True, slots=True)
class DocumentModel:
    """Logistic P(reuse) over a few document features of a cross-language alignment."""

    bias: float = -6.0
    weights: dict[str, float] = field(default_factory=lambda: {"suspect_coverage": 6.0, "run_coverage": 6.0})

    def probability(self, features: dict[str, float]) -> float:
        import math

        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True, slots=True)
class CrossLingualModels:
    strength: StrengthModel = StrengthModel(bias=-40.0, w_cosine=44.0, w_dice=4.0, w_containment=1.0)
    document: DocumentModel = DocumentModel()


def load_models() -> CrossLingualModels:
    try:
        data = json.loads(resources.files("spintrace.align").joinpath(MODELS_FILE).read_text())
    except FileNotFoundError:
        return CrossLingualModels()
    return CrossLingualModels(
        StrengthModel(**{k: float(v) for k, v in data["strength"].items()}),
        DocumentModel(float(data["document"]["bias"]), {k: float(v) for k, v in data["document"]["weights"].items()}),
    )


DEFAULT_MODELS = load_models()


def translation_view(analysed: AnalysedText) -> AnalysedText:
    """``analysed`` with anchors as sentence content and no embeddings yet (see module doc)."""
    sentences = []
    language = text_language(analysed)
    for s in analysed.sentences:
        anchors = sentence_anchors(analysed.text, s.tokens, language)
        sentences.append(SentenceProfile(s.segment, s.tokens, anchors, sum(anchors.values())))
    return AnalysedText(analysed.text, sentences)
