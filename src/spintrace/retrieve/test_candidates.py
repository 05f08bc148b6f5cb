"""Anchor retrieval at archive scale, where the source's own words are common in the corpus."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spintrace.fingerprint import DocumentFingerprint, term_hash
from spintrace.retrieve.candidates import anchor_candidates

CORPUS_SIZE = 1_000_000


class MemoryAnchors:
    """The retrieval protocol over documents held as anchor sets (what the SQLite store answers)."""

    def __init__(self, docs: dict[int, set[str]]) -> None:
        self.docs = {doc: {term_hash(t) for t in terms} for doc, terms in docs.items()}

    def size_estimate(self) -> int:
        return CORPUS_SIZE

    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]:
        return {t: min(cap + 1, sum(t in anchors for anchors in self.docs.values())) for t in terms}

    def top_by_terms(self, weights: dict[int, float], limit: int, min_shared: int = 1) -> list[tuple[int, float]]:
        scored = [(sum(w for t, w in weights.items() if t in anchors), sum(t in anchors for t in weights), doc)
                  for doc, anchors in self.docs.items()]
        scored = sorted((s, -doc) for s, n, doc in scored if s > 0 and n >= min_shared)[::-1]
        return [(-doc, s) for s, doc in scored[:limit]]

    def anchor_terms(self, docs: Sequence[int]) -> dict[int, np.ndarray]:
        return {doc: np.array(sorted(self.docs[doc]), dtype=np.int64) for doc in docs}

    def band_matches(self, keys: Sequence[int], cap: int) -> list[np.ndarray]:
        return []


def test_a_spun_copy_finds_its_source_when_documents_with_the_spinners_words_outnumber_the_pool() -> None:
    # A spinner swapped the source's words for "fretted" and "unlawful"; in a large archive each of
    # those is in hundreds of other documents, while the one rare word the copy kept ("12575") is in
    # 936 documents, the source among them, and the story's other words are in thousands each.
    story = {"cafe", "china", "chinese", "agency", "december", "october", "news", "2004", "2002"}
    docs: dict[int, set[str]] = {0: {"12575"} | story}
    docs.update({1 + i: {"unlawful", f"other{i}"} for i in range(380)})
    docs.update({1000 + i: {"fretted", f"other{i}"} for i in range(932)})
    docs.update({3000 + i: {"12575", f"other{i}"} for i in range(935)})
    # The story's words are common: each in 5,000 documents, none of them sharing more than one.
    for k, word in enumerate(sorted(story)):
        docs.update({10_000 + 5_000 * k + i: {word} for i in range(5_000)})
    suspect = ["12575", "unlawful", "fretted", *sorted(story)]
    fp = DocumentFingerprint(tuple(suspect), tuple(1.0 for _ in suspect), np.zeros(0), np.zeros(0), 300, 150)
    ranked = anchor_candidates(MemoryAnchors(docs), fp)
    assert ranked[0][0] == 0


def test_a_rewrite_keeping_only_common_names_finds_its_source_among_documents_with_its_rare_words() -> None:
    # A rewrite of a politics story keeps its names, each in thousands of documents, and brings
    # four rare words of its own, each in 900 other documents: those are the only rare anchors.
    # The names the source holds are together in no other document; enough of them must help
    # pick the pool (with four anchors and 50,000 postings, as before, they did not).
    from dataclasses import replace

    from spintrace.retrieve.candidates import DEFAULT_RETRIEVAL

    names = ["kennedi", "jackson", "westminst", "howard", "labour", "tori"]
    own = ["disench", "undecid", "nearer", "plain"]
    docs: dict[int, set[str]] = {0: set(names)}
    for k, word in enumerate(own):
        docs.update({1 + 1000 * k + i: {word, names[k % 2], f"other{i}"} for i in range(900)})
    for k, word in enumerate(names):
        docs.update({10_000 + 6_000 * k + i: {word, f"other{i}"} for i in range(6_000)})
    suspect = [*own, *names]
    fp = DocumentFingerprint(tuple(suspect), tuple(1.0 for _ in suspect), np.zeros(0), np.zeros(0), 300, 150)
    index = MemoryAnchors(docs)
    assert anchor_candidates(index, fp)[0][0] == 0
    narrow = replace(DEFAULT_RETRIEVAL, min_pool_anchors=4, posting_budget=50_000)
    assert 0 not in dict(anchor_candidates(index, fp, narrow))


def test_a_part_made_only_of_very_common_names_finds_the_one_document_holding_most_of_them() -> None:
    # A reworded part of a politics story keeps six names and nothing rarer, each name in 60,000
    # documents: the posting budget reads one of them, whose documents all tie and fill the pool.
    # Only the source holds most of them together.
    from dataclasses import replace

    from spintrace.retrieve.candidates import DEFAULT_RETRIEVAL

    names = ["kennedi", "howard", "westminst", "jackson", "lib", "dem"]
    source = 999_999
    docs: dict[int, set[str]] = {source: set(names)}
    for k, word in enumerate(names):
        docs.update({1 + 60_000 * k + i: {word} for i in range(60_000)})
    fp = DocumentFingerprint(tuple(names), tuple(1.0 for _ in names), np.zeros(0), np.zeros(0), 120, 60)
    index = MemoryAnchors(docs)
    assert anchor_candidates(index, fp)[0][0] == source
    assert source not in dict(anchor_candidates(index, fp, replace(DEFAULT_RETRIEVAL, conjunctive_anchors=0)))

    # The same part inside a compilation whose other part has rare words: the whole suspect's rare
    # anchors pick its pool, and the part's own common names add the documents holding them together.
    from spintrace.retrieve.candidates import anchor_candidates_by_part

    index.docs.update({2_000_000 + i: {term_hash("lusaka"), term_hash(f"other{i}")} for i in range(30)})
    whole = DocumentFingerprint((*names, "lusaka"), tuple(1.0 for _ in range(7)), np.zeros(0), np.zeros(0), 240, 120)
    _, part_ranking = anchor_candidates_by_part(index, whole, [fp])
    assert part_ranking[0][0] == source
    _, part_ranking = anchor_candidates_by_part(index, whole, [fp], replace(DEFAULT_RETRIEVAL, conjunctive_anchors=0))
    assert source not in dict(part_ranking)
