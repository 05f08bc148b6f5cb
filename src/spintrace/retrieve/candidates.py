"""Candidate generators for one suspect against the index, and their fusion.

Two generators, each strong where the other is weak:

- **anchor postings** (an inverted index on the suspect's names, numbers and rare words, scored
  by IDF): finds sources of rewrites and spins, which keep who, where and how much while
  rewording everything else. Only the posting lists of anchors rare in this corpus are read; they
  pick a pool that is then rescored on all anchors from the stored fingerprints.
- **LSH bands** (MinHash over content-stem bigrams): finds copies and light edits in constant
  time per band, whatever words they contain.

Their ranked lists are merged by reciprocal-rank fusion, which needs no score calibration
between generators, and only the fused top few are passed on to the (expensive) alignment.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from spintrace.fingerprint import BANDS, DocumentFingerprint

RRF_K = 20.0


class CandidateSource(Protocol):
    """What retrieval needs from an index (``spintrace.index.store.Store`` provides it)."""

    def size_estimate(self) -> int: ...
    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]: ...
    def top_by_terms(self, weights: dict[int, float], limit: int, min_shared: int = 1) -> list[tuple[int, float]]: ...
    def anchor_terms(self, docs: Sequence[int]) -> dict[int, np.ndarray]: ...
    def band_matches(self, keys: Sequence[int], cap: int) -> list[np.ndarray]: ...


@dataclass(frozen=True, slots=True)
class RetrievalParams:
    """Knobs of candidate generation."""

    max_query_anchors: int = 48  # rarest-in-corpus suspect anchors whose postings are read
    max_df_fraction: float = 0.02  # postings of anchors in more than this share of documents ...
    min_df_cap: int = 50  # ... (but at least this many) are not read: they only rescore the pool
    max_df_cap: int = 2000  # and never read a posting list longer than this
    band_cap: int = 500  # a band key shared by more documents is boilerplate, not evidence
    per_generator: int = 50  # candidates each generator hands to fusion
    # Documents the rare anchors pick for rescoring on all anchors. At 1M documents a spun copy
    # may keep one rare word of its source while its spinner's synonyms are each in hundreds of
    # other documents: with 1,000 those filled the pool and two whole copies of the development
    # cases lost their source (test_candidates.py); 3,000 made trace at 1M 16 ms slower (median
    # 286 -> 302 ms, benchmarks/results/trace.md).
    pool: int = 3000
    count_cap: int = 5000  # document frequencies are counted up to this
    # When fewer of the suspect's anchors than this are rare, the least common of the others pick
    # the pool too, reading at most ``posting_budget`` postings. At 1M documents a reworded part
    # of a compilation may keep no rare word of its source, while four of its names, each in
    # 5,000-25,000 documents ("psp", "gameboy", "ds", "sony"), are together in few but the source.
    # A whole rewrite of a politics story may keep only names each in 20,000-60,000 documents
    # ("jackson", "westminster", "kennedy"): with 4 anchors and 50,000 postings the rewriter's own
    # rare words picked the pool and the source was not in it. On the 400 development rewrites,
    # spins and summaries at 1M: source first 387 -> 396, among the first ten 389 -> 400, anchor
    # generator mean 41 -> 50 ms (p95 53 -> 85; 10 and 200,000: no more found, 69 ms).
    min_pool_anchors: int = 8
    posting_budget: int = 100_000
    # When none of the suspect's anchors is rare (or of a part's, ``anchor_candidates_by_part``),
    # the documents holding most of its ``conjunctive_anchors`` least common ones (two thirds of
    # them, whatever their postings) join the pool. A reworded part of a politics story may keep
    # only names each in 20,000-100,000 of 1M documents (Kennedy, Howard, Westminster): no posting
    # budget reaches them one by one, but few documents hold four of them. 0: off.
    conjunctive_anchors: int = 6


DEFAULT_RETRIEVAL = RetrievalParams()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document worth aligning, with the evidence that brought it up."""

    doc: int
    fused: float
    anchor_score: float = 0.0
    anchor_rank: int | None = None
    shared_bands: int = 0
    band_rank: int | None = None


def anchor_candidates(
    source: CandidateSource,
    fp: DocumentFingerprint,
    params: RetrievalParams = DEFAULT_RETRIEVAL,
    extra_pool: Sequence[int] = (),
) -> list[tuple[int, float]]:
    """Documents sharing the suspect's anchors, by summed IDF share (best first).

    Two stages keep long posting lists out of the query: the anchors rare in this corpus pick a
    pool of documents (scored inside SQLite), then every pooled document is rescored against
    *all* the suspect's anchors, common ones included, from its stored fingerprint. The story's
    recurring names ("Bellamy", "Newcastle") may each be in thousands of documents, but together
    they still single out the source among the pool. The score is the IDF mass of shared anchors
    over the IDF mass of all the suspect's anchors, so 1.0 means every one is in the document.
    ``extra_pool``: documents another generator found, rescored the same way.
    """
    return anchor_candidates_by_part(source, fp, (), params, extra_pool)[0]


def anchor_candidates_by_part(
    source: CandidateSource,
    fp: DocumentFingerprint,
    parts: Sequence[DocumentFingerprint],
    params: RetrievalParams = DEFAULT_RETRIEVAL,
    extra_pool: Sequence[int] = (),
) -> list[list[tuple[int, float]]]:
    """``anchor_candidates`` of the whole suspect, then of each of its ``parts`` (fingerprints of
    parts of its text), all from the pool the whole's rare anchors pick: a part's rare anchors
    are the whole's, so its source is in that pool, and ranking a part costs no further query
    (but for a part with no rare anchor at all: ``conjunctive_anchors``)."""
    total = max(1, source.size_estimate())
    cap = int(min(params.max_df_cap, max(params.min_df_cap, params.max_df_fraction * total)))
    frequencies = source.document_frequencies([int(t) for t in fp.anchor_hashes], params.count_cap)
    missing = sorted({int(t) for part in parts for t in part.anchor_hashes} - set(frequencies))
    if missing:
        frequencies.update(source.document_frequencies(missing, params.count_cap))
    # Counting stops at count_cap, so the IDF of the commonest anchors is an upper bound.
    idf_all = {term: math.log(1.0 + total / df) for term, df in frequencies.items() if df > 0}
    idf = {int(t): idf_all[int(t)] for t in fp.anchor_hashes if int(t) in idf_all}
    rare = sorted(((w, term) for term, w in idf.items() if frequencies[term] <= cap), reverse=True)
    rare = rare[: params.max_query_anchors]
    rare += _least_common(source, frequencies, idf, {term for _, term in rare}, total, params)
    pool: list[tuple[int, float]] = []
    if rare:
        rare_mass = sum(w for w, _ in rare)
        pool = source.top_by_terms({term: w / rare_mass for w, term in rare}, params.pool)
    if params.conjunctive_anchors > 0:
        for query in (fp, *parts):  # the whole suspect, and each part, whose anchors are all common
            terms = {int(t): w for t, w in zip(query.anchor_hashes, query.anchor_weights) if int(t) in idf_all}
            if terms and not any(frequencies[t] <= cap for t in terms):
                query_idf = {t: idf_all[t] for t in terms}
                pool = _joined_pools(pool, _conjunctive_pool(source, frequencies, query_idf, terms, params))
    pooled = {doc for doc, _ in pool}
    pool.extend((doc, 0.0) for doc in dict.fromkeys(extra_pool) if doc not in pooled)
    empty: list[list[tuple[int, float]]] = [[] for _ in range(1 + len(parts))]
    if not pool or not idf:
        return empty
    stored = source.anchor_terms([doc for doc, _ in pool])
    docs = [doc for doc, _ in pool if doc in stored]
    if not docs:
        return empty
    terms = np.concatenate([stored[doc] for doc in docs])
    owner = np.repeat(np.arange(len(docs)), [len(stored[doc]) for doc in docs])
    rankings = [_rescored(docs, terms, owner, idf, params.per_generator)]
    for part in parts:
        part_idf = {int(t): idf_all[int(t)] for t in part.anchor_hashes if int(t) in idf_all}
        rankings.append(_rescored(docs, terms, owner, part_idf, params.per_generator) if part_idf else [])
    return rankings


def _rescored(docs: list[int], terms: np.ndarray, owner: np.ndarray, idf: dict[int, float], limit: int
              ) -> list[tuple[int, float]]:
    """The pooled ``docs`` (their anchor ``terms``, each row's document index in ``owner``) by the
    IDF share of the query's anchors they hold, best first; pool order breaks ties."""
    query_terms = np.fromiter(idf.keys(), dtype=np.int64, count=len(idf))
    query_weights = np.fromiter(idf.values(), dtype=np.float64, count=len(idf))
    order = np.argsort(query_terms)
    query_terms, query_weights = query_terms[order], query_weights[order] / query_weights.sum()
    position = np.minimum(np.searchsorted(query_terms, terms), len(query_terms) - 1)
    shared = query_terms[position] == terms
    scores = np.bincount(owner[shared], weights=query_weights[position[shared]], minlength=len(docs))
    rescored = sorted(((float(scores[i]), -i, doc) for i, doc in enumerate(docs)), reverse=True)
    return [(doc, score) for score, _, doc in rescored[:limit]]


def _conjunctive_pool(source: CandidateSource, frequencies: dict[int, int], idf: dict[int, float],
                      informative: dict[int, float], params: RetrievalParams) -> list[tuple[int, float]]:
    """Documents holding at least two thirds of the query's ``conjunctive_anchors`` least common
    anchors, by their summed IDF (best first). Frequencies are counted only up to a cap, so among
    anchors past it the most informative in general English (names first) are taken."""
    terms = sorted(idf, key=lambda term: (frequencies[term], -informative.get(term, 0.0), term))
    terms = terms[: params.conjunctive_anchors]
    if len(terms) < 3:
        return []
    return source.top_by_terms({term: idf[term] for term in terms}, params.pool, min_shared=(2 * len(terms) + 2) // 3)


def _joined_pools(first: list[tuple[int, float]], second: list[tuple[int, float]]) -> list[tuple[int, float]]:
    seen = {doc for doc, _ in first}
    return first + [(doc, score) for doc, score in second if doc not in seen]


def _least_common(
    source: CandidateSource,
    frequencies: dict[int, int],
    idf: dict[int, float],
    chosen: set[int],
    total: int,
    params: RetrievalParams,
) -> list[tuple[float, int]]:
    """(IDF, term) of the least common anchors beyond the rare ones, up to ``min_pool_anchors``
    read in all and ``posting_budget`` postings; none when enough anchors are rare."""
    wanted = params.min_pool_anchors - sum(1 for term in chosen if frequencies.get(term, 0) > 0)
    if wanted <= 0:
        return []
    budget = params.posting_budget - sum(frequencies.get(term, 0) for term in chosen)
    added: list[tuple[float, int]] = []
    counted = 0
    for df, term in sorted((frequencies[term], term) for term in idf if term not in chosen):
        if len(added) >= wanted or budget <= 0:
            break
        if df < params.count_cap:
            exact = df
        elif counted < 2 * wanted:  # past the counting cap the order is unknown: count a few
            counted += 1
            exact = source.document_frequencies([term], budget)[term]
        else:
            break
        if exact <= budget:
            added.append((math.log(1.0 + total / exact), term))
            budget -= exact
    return added


def band_candidates(
    source: CandidateSource, fp: DocumentFingerprint, params: RetrievalParams = DEFAULT_RETRIEVAL
) -> list[tuple[int, int]]:
    """Documents sharing LSH bands with the suspect, by number of shared bands (best first)."""
    lists = [docs for docs in source.band_matches([int(k) for k in fp.band_keys], params.band_cap) if len(docs) <= params.band_cap]
    if not lists:
        return []
    docs = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
    if len(docs) == 0:
        return []
    unique, counts = np.unique(docs, return_counts=True)
    top = np.argsort(-counts, kind="stable")[: params.per_generator]
    return [(int(unique[i]), int(counts[i])) for i in top]


def fuse(
    anchors: list[tuple[int, float]], bands: list[tuple[int, int]], limit: int
) -> list[Candidate]:
    """Reciprocal-rank fusion of the two generators' lists, ``limit`` best first.

    A near-copy (half the LSH bands shared) is put first whatever its anchor rank: band agreement
    that strong does not happen by chance.
    """
    anchor_rank = {doc: rank for rank, (doc, _) in enumerate(anchors)}
    anchor_score = dict(anchors)
    band_rank = {doc: rank for rank, (doc, _) in enumerate(bands)}
    band_count = dict(bands)
    out = []
    for doc in set(anchor_rank) | set(band_rank):
        fused = 0.0
        if doc in anchor_rank:
            fused += 1.0 / (RRF_K + anchor_rank[doc])
        if doc in band_rank:
            fused += 1.0 / (RRF_K + band_rank[doc])
        if band_count.get(doc, 0) >= BANDS // 2:
            fused += 1.0
        out.append(
            Candidate(
                doc=doc, fused=fused, anchor_score=anchor_score.get(doc, 0.0), anchor_rank=anchor_rank.get(doc),
                shared_bands=band_count.get(doc, 0), band_rank=band_rank.get(doc),
            )
        )
    out.sort(key=lambda c: (-c.fused, -c.anchor_score, c.doc))
    return out[:limit]


def reciprocal_rank(rankings: Sequence[Sequence[int]]) -> list[int]:
    """Documents of several ranked lists, best first by reciprocal-rank fusion (ties: first seen)."""
    score: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking):
            score[doc] = score.get(doc, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(score, key=lambda doc: -score[doc])


def retrieve_candidates(
    source: CandidateSource, fp: DocumentFingerprint, limit: int, params: RetrievalParams = DEFAULT_RETRIEVAL
) -> list[Candidate]:
    """The ``limit`` documents most likely to be the suspect's source, from both generators."""
    return fuse(anchor_candidates(source, fp, params), band_candidates(source, fp, params), limit)


def evidence(candidate: Candidate) -> float:
    """Retrieval evidence on a 0-1 scale: share of the suspect's anchor IDF mass, or of LSH bands."""
    return max(candidate.anchor_score, candidate.shared_bands / BANDS)


def plausible_sources(candidates: list[Candidate], ratio: float) -> list[Candidate]:
    """The candidates whose evidence is at least ``ratio`` times the best one's (order kept).

    A document sharing under half the names, numbers and rare words that the best candidate
    shares is not where the suspect came from; aligning it would cost as much as aligning the
    real source and change nothing. ``ratio`` 0 keeps them all.
    """
    if not candidates or ratio <= 0:
        return list(candidates)
    best = max(evidence(c) for c in candidates)
    return [c for c in candidates if evidence(c) >= ratio * best]
