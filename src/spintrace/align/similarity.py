"""Sentence-pair similarity from lexical and semantic evidence.

Lexical evidence (shared stems weighted by rarity) catches copies whose wording survived; semantic
evidence (MiniLM cosine) catches reworded and spun sentences whose words were swapped. Neither is
enough alone: spinners defeat n-grams, and two outlets reporting the same fact have high cosine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from spintrace.pipeline.analyse import AnalysedText, SentenceProfile


@dataclass(frozen=True, slots=True)
class StrengthModel:
    """Logistic combination of the pair features into P(suspect sentence derives from source one).

    The shipped coefficients (``strength_model.json``) were fitted in session 2 on the 30 hand-made
    articles' rewrites, spins and independent reports (each derived suspect sentence with its best
    source sentence inside the paragraphs it came from, against each independent sentence with
    its best source sentence anywhere); ``scripts/fit_models.py`` does not refit them, since every
    threshold of ``AlignParams`` is read on this scale. A refit on all development sets (session
    21, EVALUATION.md) ranked those examples only slightly better (ROC AUC 0.850 against 0.838).
    The class defaults are a fallback when the file is missing.
    """

    bias: float = -9.0
    w_cosine: float = 9.5
    w_dice: float = 6.0
    w_containment: float = 1.5

    def __call__(self, cosine: np.ndarray, dice: np.ndarray, containment: np.ndarray) -> np.ndarray:
        z = self.bias + self.w_cosine * cosine + self.w_dice * dice + self.w_containment * containment
        return 1.0 / (1.0 + np.exp(-z))


def load_default_strength() -> StrengthModel:
    try:
        data = json.loads(resources.files("spintrace.align").joinpath("strength_model.json").read_text())
        return StrengthModel(**{k: float(v) for k, v in data.items()})
    except FileNotFoundError:
        return StrengthModel()


DEFAULT_STRENGTH = load_default_strength()


def weight_matrix(sentences: list[SentenceProfile], vocabulary: dict[str, int]) -> np.ndarray:
    """Sentences x stems matrix of word weights over ``vocabulary`` (other stems are left out)."""
    matrix = np.zeros((len(sentences), max(1, len(vocabulary))), dtype=np.float32)
    for r, sent in enumerate(sentences):
        for stem, w in sent.content.items():
            c = vocabulary.get(stem)
            if c is not None:
                matrix[r, c] = w
    return matrix


def lexical_overlap(source: AnalysedText, suspect: AnalysedText) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted shared-stem mass, and each side's total mass, for every sentence pair."""
    # Only stems both texts use can overlap, so a dense matrix over them stays small (a few hundred
    # columns for two articles) and needs no sparse-matrix library at start-up.
    shared = {stem for sent in source.sentences for stem in sent.content} & {
        stem for sent in suspect.sentences for stem in sent.content
    }
    vocabulary = {stem: k for k, stem in enumerate(sorted(shared))}
    a = weight_matrix(source.sentences, vocabulary)
    # min(w_a, w_b) == w for a shared stem (weights depend on the word only), so the overlap mass is
    # the weighted product of the binary patterns.
    binary_b = (weight_matrix(suspect.sentences, vocabulary) > 0).astype(np.float32)
    overlap = a @ binary_b.T
    wa = np.array([s.total_weight for s in source.sentences], dtype=np.float32)
    wb = np.array([s.total_weight for s in suspect.sentences], dtype=np.float32)
    return overlap, wa, wb


def dice_and_containment(overlap: np.ndarray, wa: np.ndarray, wb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = wa[:, None] + wb[None, :]
    dice = np.divide(2 * overlap, total, out=np.zeros_like(overlap), where=total > 0)
    smaller = np.minimum(wa[:, None], wb[None, :])
    containment = np.divide(overlap, smaller, out=np.zeros_like(overlap), where=smaller > 0)
    return dice, containment
