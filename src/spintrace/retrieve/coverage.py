"""Candidate sources ranked by how much of the suspect they can explain.

The document-level anchor generator (``candidates``) sums the IDF of shared anchors over a pool
picked by the rarest ones. In a real archive a story's names recur in hundreds of other
documents, each sharing a sentence or two with the suspect, and a capped pool of postings fills
up with them. What no such document can do is explain *many different sentences* of the suspect:
the source explains most of them (or, for a compilation, a run of them). So each suspect
sentence becomes a key of its own anchors, a document explains the sentence when it holds two
of them, and documents are ranked by the distinct sentences they explain, inside SQLite.

Searching again with only the sentences not yet explained finds a compilation's second and
third sources, which ``sentence_keys`` + ``coverage_candidates`` make a one-line call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from spintrace.fingerprint import ANCHOR_MIN_WEIGHT, content_terms, term_hash


class CoverageSource(Protocol):
    """What coverage retrieval needs from an index (``spintrace.index.store.Store`` has it)."""

    def size_estimate(self) -> int: ...
    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]: ...
    def top_by_sentence_coverage(
        self, pairs: Sequence[tuple[int, int, float, int]], min_shared: int, limit: int
    ) -> list[tuple[int, float, int]]: ...


@dataclass(frozen=True, slots=True)
class CoverageParams:
    """Knobs of coverage retrieval (few on purpose)."""

    min_shared: int = 2  # anchors a document must share with a sentence to explain it
    # Anchors in more documents than this share (and than min_df_cap) are too common to key a
    # sentence. Set high on purpose: in an archive a story's names recur in hundreds of documents
    # per sentence, and a sentence without two usable anchors can no longer be explained.
    max_df_fraction: float = 0.03
    min_df_cap: int = 200
    max_df_cap: int = 20000
    pool: int = 30


DEFAULT_COVERAGE = CoverageParams()


@dataclass(frozen=True, slots=True)
class CoverageCandidate:
    """A document and the suspect sentences' weight (and count) it explains."""

    doc: int
    explained: float
    sentences: int


#: One sentence's key: its anchors, each a group of interchangeable index terms (an English
#: anchor is one term; a foreign name is the English spellings it may have).
SentenceKey = tuple[frozenset[int], ...]


def sentence_keys(sentences: Sequence[str]) -> list[SentenceKey]:
    """The anchor term hashes of each sentence (names, numbers, rare words), as the index stores them."""
    keys = []
    for sentence in sentences:
        terms, _ = content_terms(sentence)
        hashes = sorted({term_hash(t.stem) for t in terms if t.anchor_weight >= ANCHOR_MIN_WEIGHT})
        keys.append(tuple(frozenset((h,)) for h in hashes))
    return keys


def coverage_candidates(
    source: CoverageSource,
    keys: Sequence[SentenceKey],
    only: Iterable[int] | None = None,
    params: CoverageParams = DEFAULT_COVERAGE,
) -> list[CoverageCandidate]:
    """Documents ranked by the suspect sentences they explain (``only``: just those sentences).

    A sentence weighs the IDF of its two rarest usable anchors, so a sentence of rare names
    counts more than one of common ones; anchors too common in this index key nothing. A group
    of several terms is as rare as its rarest spelling that the index holds.
    """
    wanted = range(len(keys)) if only is None else sorted(set(only))
    terms = sorted({t for i in wanted for group in keys[i] for t in group})
    if not terms:
        return []
    total = max(1, source.size_estimate())
    cap = int(min(params.max_df_cap, max(params.min_df_cap, params.max_df_fraction * total)))
    frequencies = source.document_frequencies(terms, cap)
    idf = {t: math.log(1.0 + total / df) for t, df in frequencies.items() if 0 < df <= cap}
    pairs = []
    for i in wanted:
        usable = [group for group in keys[i] if any(t in idf for t in group)]
        if len(usable) < params.min_shared:
            continue
        rarity = sorted((max(idf[t] for t in group if t in idf) for group in usable), reverse=True)
        weight = sum(rarity[: params.min_shared]) / params.min_shared
        for g, group in enumerate(usable):
            pairs.extend((t, i, weight, g) for t in group if t in idf)
    rows = source.top_by_sentence_coverage(pairs, params.min_shared, params.pool)
    return [CoverageCandidate(doc, float(w), int(n)) for doc, w, n in rows]
