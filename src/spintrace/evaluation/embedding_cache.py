"""Sentence embeddings memoised for one evaluation run.

Evaluations meet the same sentence many times (a source article against each of its variants, one
MRPC sentence in several pairs); encoding each distinct text once, in large batches, is what keeps
a full run within minutes on two cores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]


class CachedEmbed:
    """An ``embed`` callable (list of texts -> rows) that encodes each distinct text once."""

    def __init__(self, embed: Embed | None = None) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def encoder(self) -> Embed:
        """The underlying embedder (loaded on first use), without the memo."""
        if self._embed is None:
            from spintrace.embed import SentenceEmbedder
            from spintrace.errors import SpintraceError

            try:
                self._embed = SentenceEmbedder.default().encode
            except FileNotFoundError as exc:
                raise SpintraceError(str(exc)) from None
        return self._embed

    def prefetch(self, texts: Sequence[str]) -> None:
        """Encode, in one batched call, every text not seen yet."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, row in zip(missing, self.encoder()(missing)):
                self._vectors[text] = np.asarray(row, dtype=np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.prefetch(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    @property
    def size(self) -> int:
        """How many distinct texts have been encoded."""
        return len(self._vectors)
