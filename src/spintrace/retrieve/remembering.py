"""An index view that remembers what one trace has already read from it.

Trace asks the index again for each part of the suspect still unattributed, and every round's
anchors and pooled documents are mostly the first round's: their document frequencies and stored
anchor terms are read once here and answered from memory after. The answers are exactly the
index's, so retrieval ranks the same documents in the same order. Meant to live for one trace (a
write to the index between traces is then always seen).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class RememberingSource:
    """Wraps a ``CandidateSource`` / ``CoverageSource`` (``spintrace.index.store.Store``);
    ``document_frequencies``, ``anchor_terms`` and ``size_estimate`` are remembered, every other
    call goes straight to the wrapped source."""

    def __init__(self, source: Any) -> None:
        self._source = source
        self._size: int | None = None
        # term -> (count, cap it was counted to): a count past its cap only says "more than cap".
        self._frequencies: dict[int, tuple[int, int]] = {}
        self._terms: dict[int, np.ndarray] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)

    def size_estimate(self) -> int:
        if self._size is None:
            self._size = self._source.size_estimate()
        return self._size

    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]:
        """As the source answers: each term's document count, counted no further than ``cap + 1``."""
        out: dict[int, int] = {}
        unknown = []
        for term in dict.fromkeys(int(t) for t in terms):
            known = self._frequencies.get(term)
            if known is not None and (known[0] <= known[1] or cap <= known[1]):
                out[term] = min(known[0], cap + 1)
            else:
                unknown.append(term)
        if unknown:
            counted = self._source.document_frequencies(unknown, cap)
            for term in unknown:
                count = counted.get(term, 0)
                self._frequencies[term] = (count, cap)
                out[term] = count
        return out

    def anchor_terms(self, docs: Sequence[int]) -> dict[int, np.ndarray]:
        unknown = [int(d) for d in docs if int(d) not in self._terms]
        if unknown:
            self._terms.update(self._source.anchor_terms(unknown))
        return {int(d): self._terms[int(d)] for d in docs if int(d) in self._terms}
