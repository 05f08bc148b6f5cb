"""Search: retrieve candidates for a suspect, align the best few with the compare engine, rank.

Retrieval is cheap and recall-oriented; alignment is what decides. The suspect is analysed once
and its sentence embeddings are reused across every candidate it is aligned with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spintrace.comparison import Comparison
from spintrace.fingerprint import document_fingerprint
from spintrace.index.store import Store, StoredDocument
from spintrace.ingest.boilerplate import blank_spans
from spintrace.ingest.boilerplate import sentence_keys as template_sentence_keys
from spintrace.pipeline.analyse import AnalysedText, analyse_text, language_parts, language_view, text_language
from spintrace.pipeline.compare import Embed, compare_analysed
from spintrace.retrieve.crosslingual import translated_candidates
from spintrace.retrieve.respelling import respelled_names, with_respellings
from spintrace.retrieve.candidates import (
    DEFAULT_RETRIEVAL, Candidate, RetrievalParams, plausible_sources, retrieve_candidates,
)

DEFAULT_ALIGN = 10
# Candidates with under this share of the best candidate's retrieval evidence are not aligned.
DEFAULT_EVIDENCE_RATIO = 0.5


@dataclass(slots=True)
class SearchHit:
    """One candidate source, with the full comparison of the suspect against it.

    The headline fields (id, title, verdict, score, coverages) are copied out of ``document`` and
    ``comparison`` so that plain field access (and ``dataclasses.asdict``) sees them.
    """

    rank: int
    id: str
    title: str | None
    verdict: str
    score: float
    reused: bool
    suspect_coverage: float
    source_coverage: float
    document: StoredDocument
    comparison: Comparison
    candidate: Candidate

    @classmethod
    def of(cls, document: StoredDocument, comparison: Comparison, candidate: Candidate, rank: int = 0) -> SearchHit:
        return cls(
            rank=rank, id=document.id, title=document.title, verdict=comparison.verdict, score=comparison.score,
            reused=comparison.reused, suspect_coverage=comparison.suspect_coverage,
            source_coverage=comparison.source_coverage, document=document, comparison=comparison, candidate=candidate,
        )

    def to_dict(self, *, with_comparison: bool = True) -> dict[str, Any]:
        """Plain-JSON hit; ``comparison`` is the compare contract without the suspect's text."""
        doc = self.document
        out: dict[str, Any] = {
            "rank": self.rank,
            "id": doc.id,
            "title": doc.title,
            "url": doc.url,
            "published": doc.published,
            "site": doc.site,
            "verdict": self.verdict,
            "reused": self.reused,
            "score": round(self.score, 4),
            "suspect_coverage": round(self.suspect_coverage, 4),
            "source_coverage": round(self.source_coverage, 4),
            "retrieval": {
                "fused": round(self.candidate.fused, 4),
                "anchor_score": round(self.candidate.anchor_score, 4),
                "shared_bands": self.candidate.shared_bands,
            },
        }
        if with_comparison:
            comparison = self.comparison.to_dict()
            comparison.pop("suspect_text", None)  # the same for every hit; given once at top level
            out["comparison"] = comparison
        return out


def without_site_templates(store: Store, suspect: str) -> str:
    """``suspect`` with the sentences that are an indexed site's template blanked (offsets kept).

    A suspect that carries a site's footer would otherwise find every indexed page of that site
    as a partial source of the footer alone (``ingest.boilerplate``). A suspect that is nothing
    but template text is searched as it is.
    """
    keys = template_sentence_keys(suspect)
    template = store.template_keys([k.key for k in keys])
    if not template:
        return suspect
    blanked = blank_spans(suspect, [(k.start, k.end) for k in keys if k.key in template])
    return blanked if any(ch.isalnum() for ch in blanked) else suspect


def suspect_candidates(
    store: Store, suspect: AnalysedText, limit: int, params: RetrievalParams = DEFAULT_RETRIEVAL,
) -> list[Candidate]:
    """The ``limit`` best retrieval candidates for one suspect text (or one language part's view),
    by its language's path: anchors and bands for English, cross-language search for another."""
    if text_language(suspect) != "en":  # a translation: see retrieve/crosslingual.py
        sentences = [suspect.sentence_text(i) for i in range(len(suspect.sentences))]
        return translated_candidates(store, suspect.text, suspect.language, limit, params, sentences=sentences)
    # A name no indexed document spells this way is looked up under its usual respellings.
    query = with_respellings(document_fingerprint(suspect.text), respelled_names(store, suspect.text))
    return retrieve_candidates(store, query, limit, params)


def taken_in_turn(rankings: Sequence[Sequence[Candidate]]) -> list[tuple[int, Candidate]]:
    """(ranking index, candidate): each ranking's first, then each one's second, and so on, so that
    every language part of a suspect gets its best candidates compared within one budget."""
    longest = max((len(r) for r in rankings), default=0)
    return [(k, ranking[rank]) for rank in range(longest) for k, ranking in enumerate(rankings) if rank < len(ranking)]


def search_store(
    store: Store,
    suspect: str,
    *,
    top: int = 5,
    align: int = DEFAULT_ALIGN,
    min_score: float = 0.0,
    embed: Embed | None = None,
    suspect_published: str | None = None,
    exclude_ids: frozenset[str] = frozenset(),
    evidence_ratio: float = DEFAULT_EVIDENCE_RATIO,
    params: RetrievalParams = DEFAULT_RETRIEVAL,
) -> list[SearchHit]:
    """The ``top`` most likely sources of ``suspect`` among the stored documents, best first.

    Of the ``align`` best retrieval candidates, those with at least ``evidence_ratio`` of the
    best one's retrieval evidence are compared in full (``evidence_ratio=0``: all of them); hits
    are ranked by the comparison's calibrated score (retrieval evidence breaks ties) and those
    under ``min_score`` are dropped. ``exclude_ids`` leaves documents out (e.g. the suspect
    itself, when indexed). Sentences that are an indexed site's template are not evidence
    (``without_site_templates``).

    A suspect mixing English with another language (``language_parts``) is searched one language
    part at a time, as ``trace`` does: each part's candidates come from its language's retrieval,
    taken in turn, ``align`` in all, and each is compared with the whole suspect (compare judges
    a mixed-language pair part by part).
    """
    suspect = without_site_templates(store, suspect)
    analysed_suspect = analyse_text(suspect)
    parts = language_parts(analysed_suspect)
    texts = [analysed_suspect] if len(parts) == 1 else [language_view(analysed_suspect, part) for part in parts]
    width = max(align, top)
    found = [suspect_candidates(store, text, width + len(exclude_ids), params) for text in texts]
    documents = store.get_many([c.doc for candidates in found for c in candidates])
    kept = [[c for c in candidates if c.doc in documents and documents[c.doc].id not in exclude_ids][:width]
            for candidates in found]
    per_text = [plausible_sources(candidates, evidence_ratio) for candidates in kept]
    queue = taken_in_turn(per_text)[:width]
    if not queue:
        return []
    best: dict[int, tuple[Comparison, Candidate]] = {}
    for _, candidate in queue:
        if candidate.doc in best:  # retrieved for two parts: compared once
            continue
        doc = documents[candidate.doc]
        # With the whole suspect: compare judges a mixed-language pair part by part itself
        # (``pipeline.mixed``), so a source copied half in English and half translated is one
        # copy of the whole, not two halves.
        comparison = compare_analysed(
            # the source read as scan reads it: its template left out too, so the coverages agree
            analyse_text(without_site_templates(store, doc.text)), analysed_suspect, embed=embed,
            source_published=doc.published, suspect_published=suspect_published,
        )
        best[candidate.doc] = (comparison, candidate)
    scored = [(comparison, candidate, documents[doc]) for doc, (comparison, candidate) in best.items()]
    # Scores equal to two decimals are a tie the calibration cannot break: retrieval evidence does.
    scored.sort(key=lambda item: (-round(item[0].score, 2), -item[1].fused))
    hits = [
        SearchHit.of(doc, comparison, candidate)
        for comparison, candidate, doc in scored
        if comparison.score >= min_score
    ][:top]
    for rank, hit in enumerate(hits, start=1):
        hit.rank = rank
    return hits
