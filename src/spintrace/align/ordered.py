"""The heaviest chain of sentence matches that keeps the source's order.

A summary or a retelling is written down the source: the source sentences its sentences match
never go back. The document features ask how much of the suspect such a chain explains
(``classify.evidence.fact_order_features``); a condensed copy's passages reach over the matches on
it (``align.passages.ordered_matches``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A match weaker than this is chance: it counts neither for nor against order.
ORDER_MATCH_STRENGTH = 0.35


@dataclass(frozen=True, slots=True)
class OrderedChain:
    """The chain's summed value and its (source, suspect) sentence pairs in suspect order (empty
    unless asked for)."""

    value: float
    pairs: tuple[tuple[int, int], ...]


def heaviest_ordered_chain(strength: np.ndarray, weights: np.ndarray, floor: float, *, with_pairs: bool = True
                           ) -> OrderedChain:
    """Over ``strength`` (source x suspect sentences), the chain of matches at ``floor`` or more
    that never goes back in the source (each suspect sentence at most once; a source sentence may
    serve several), heaviest by strength times the suspect sentence's ``weights``."""
    if strength.size == 0:
        return OrderedChain(0.0, ())
    n, m = strength.shape
    value = np.where(strength >= floor, strength, 0.0) * weights[None, :]
    # best[j, i]: the heaviest chain over the first j suspect sentences whose matches all lie at
    # or before source sentence i (non-decreasing in i).
    best = np.zeros((m + 1, n))
    for j in range(m):
        best[j + 1] = np.maximum.accumulate(best[j] + value[:, j])
    if not with_pairs:
        return OrderedChain(float(best[m, n - 1]), ())
    pairs = []
    i = n - 1
    for j in range(m - 1, -1, -1):
        if best[j + 1, i] <= best[j, i]:
            continue  # the heaviest chain leaves suspect sentence j unmatched
        matched = np.where(value[: i + 1, j] > 0, best[j, : i + 1] + value[: i + 1, j], -np.inf)
        i = int(np.argmax(matched))
        pairs.append((i, j))
    return OrderedChain(float(best[m, n - 1]), tuple(pairs[::-1]))
