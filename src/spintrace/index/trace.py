"""Trace against the index: coverage retrieval as the candidate provider of ``spintrace.trace``."""

from __future__ import annotations

from collections.abc import Sequence

from spintrace.index.store import Store, StoredDocument
from spintrace.pipeline.analyse import analyse_text
from spintrace.pipeline.compare import Embed, default_embed
from spintrace.fingerprint import document_fingerprint
from spintrace.retrieve.candidates import anchor_candidates, reciprocal_rank
from spintrace.retrieve.coverage import DEFAULT_COVERAGE, CoverageParams, coverage_candidates, sentence_keys
from spintrace.trace import TraceResult, trace_analysed
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES
from spintrace.trace.model import SourceDocument


ANCHOR_CANDIDATES = 30


def as_source(doc: StoredDocument) -> SourceDocument:
    return SourceDocument(id=doc.id, text=doc.text, title=doc.title, url=doc.url, published=doc.published)


def trace_store(
    store: Store,
    suspect: str,
    *,
    embed: Embed | None = None,
    suspect_published: str | None = None,
    exclude_ids: frozenset[str] = frozenset(),
    params: CoverageParams = DEFAULT_COVERAGE,
) -> tuple[TraceResult, dict[str, StoredDocument]]:
    """Trace ``suspect`` to the stored documents it uses; also returns those documents by id."""
    analysed = analyse_text(suspect)
    keys = sentence_keys([analysed.sentence_text(i) for i in range(len(analysed.sentences))])
    seen: dict[str, StoredDocument] = {}

    def provider(sentences: Sequence[int], exclude: frozenset[str]) -> list[SourceDocument]:
        # a document explaining a single sentence is a shared fact or a shared quote, not a source
        covering = [c.doc for c in coverage_candidates(store, keys, sentences, params) if c.sentences >= MIN_EXPLAINED_SENTENCES]
        # A reworded part keeps its source's names, but few of its rare words: rarely two anchors
        # a sentence that the source holds too. The anchor generator on the part's whole text
        # (what search uses) still ranks the source by all the names it shares.
        part = document_fingerprint(" ".join(analysed.sentence_text(i) for i in sentences))
        sharing = [doc for doc, _ in anchor_candidates(store, part)[:ANCHOR_CANDIDATES]]
        found = reciprocal_rank([covering, sharing])
        documents = store.get_many(found[: len(exclude) + 8])
        out = []
        for candidate in found:
            doc = documents.get(candidate)
            if doc is not None and doc.id not in exclude:
                seen[doc.id] = doc
                out.append(as_source(doc))
        return out

    result = trace_analysed(analysed, provider, embed=embed or default_embed(),
                            suspect_published=suspect_published, exclude_ids=exclude_ids)
    return result, seen
