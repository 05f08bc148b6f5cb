"""Trace against the index: coverage and anchor retrieval as the candidate provider of ``spintrace.trace``.

After a round that attributes nothing, the provider also ranks candidates for each part of what
is left (``trace.segments``: where the subject changes), and the parts' best candidates are judged
in turn with the whole's: at a million documents a compilation's parts can each rank their source
first while the whole suspect ranks only documents sharing a little of every part.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from spintrace.index.store import Store, StoredDocument
from spintrace.index.search import without_site_templates
from spintrace.pipeline.analyse import AnalysedText, analyse_text, language_parts, sentence_contents, text_language
from spintrace.pipeline.compare import Embed, default_embed
from spintrace.fingerprint import document_fingerprint
from spintrace.retrieve.candidates import anchor_candidates_by_part, reciprocal_rank
from spintrace.retrieve.crosslingual import translated_candidates
from spintrace.retrieve.respelling import respelled_keys, respelled_names, with_respellings
from spintrace.retrieve.coverage import (
    DEFAULT_COVERAGE, CoverageParams, CoverageSource, SentenceKey, coverage_candidates, sentence_keys,
)
from spintrace.retrieve.remembering import RememberingSource
from spintrace.trace import CandidateProvider, CarrierProvider, TraceResult, trace_analysed, trace_parts
from spintrace.dates import published_sort_key
from spintrace.trace.evidence import SentenceEvidence, contents_evidence, explained_weight
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES
from spintrace.trace.segments import topic_segments
from spintrace.trace.model import SourceDocument


#: Candidates the anchor generator hands to the fusion (as search takes its top few).
ANCHOR_CANDIDATES = 30
#: Fused candidates re-ranked by how much of the suspect each explains (``rerank_by_explained``).
RERANKED = 30
#: Candidates per topic segment of the suspect (``trace.segments``) re-ranked beside the fused ones.
SEGMENT_CANDIDATES = 10
#: A document is offered as another carrier of an accepted source's part when its words explain
#: at least this share of what the source's explain of it (a verbatim duplicate: all of it).
CARRIER_EVIDENCE = 0.9
#: Candidates a foreign-language suspect's provider returns (trace judges the first few a round).
TRANSLATED_CANDIDATES = 10


def as_source(doc: StoredDocument) -> SourceDocument:
    return SourceDocument(id=doc.id, text=doc.text, title=doc.title, url=doc.url, published=doc.published)


def ranked_sources(
    store: Store,
    suspect: AnalysedText,
    keys: Sequence[SentenceKey],
    sentences: Sequence[int],
    params: CoverageParams = DEFAULT_COVERAGE,
) -> list[int]:
    """Stored documents most likely to be where ``sentences`` of the suspect came from, best first.

    Coverage retrieval ranks documents by the sentences they explain (a document explaining a
    single sentence is a shared fact or a shared quote, not a source). But a reworded part keeps
    its source's names and few of its rare words, so its sentences rarely hold two anchors that
    the source holds too; the anchor generator on the part's whole text (what search uses) still
    ranks the source by all the names it shares. The two rankings are merged by reciprocal rank.
    """
    return ranked_sources_by_segment(store, suspect, keys, sentences, [], params)[0]


def ranked_sources_by_segment(
    store: Store | RememberingSource,
    suspect: AnalysedText,
    keys: Sequence[SentenceKey],
    sentences: Sequence[int],
    segments: Sequence[Sequence[int]],
    params: CoverageParams = DEFAULT_COVERAGE,
    respelled: dict[str, tuple[str, ...]] | None = None,
    coverage_store: CoverageSource | None = None,
) -> list[list[int]]:
    """``ranked_sources`` of ``sentences``, then the documents sharing most anchors with each of
    ``segments`` (``trace.segments``: the parts of a compilation), from the same anchor pool.
    ``respelled``: the indexed spellings of the suspect's unknown names (``retrieve.respelling``),
    added to each anchor query as its ``keys`` already hold them. ``coverage_store``: a second
    connection to the index (``Store.reader``): coverage retrieval then runs in a thread beside
    anchor retrieval, each generator mostly inside SQLite, which runs without the GIL."""

    def fingerprint(indices: Sequence[int]):
        text = " ".join(suspect.sentence_text(i) for i in indices)
        return with_respellings(document_fingerprint(text), respelled or {})

    whole, parts = fingerprint(sentences), [fingerprint(s) for s in segments]
    if coverage_store is None:
        found = coverage_candidates(store, keys, sentences, params)
        rankings = anchor_candidates_by_part(store, whole, parts)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            covered = pool.submit(coverage_candidates, coverage_store, keys, sentences, params)
            rankings = anchor_candidates_by_part(store, whole, parts)
            found = covered.result()
    covering = [c.doc for c in found if c.sentences >= MIN_EXPLAINED_SENTENCES]
    sharing = [doc for doc, _ in rankings[0][:ANCHOR_CANDIDATES]]
    return [reciprocal_rank([covering, sharing]),
            *([doc for doc, _ in ranking[:ANCHOR_CANDIDATES]] for ranking in rankings[1:])]


def rerank_by_explained(
    suspect: AnalysedText,
    documents: Sequence[StoredDocument],
    sentences: Sequence[int],
    contents: dict[str, list[dict[str, float]]],
    evidence: dict[str, SentenceEvidence] | None = None,
) -> list[StoredDocument]:
    """``documents`` (best first) re-ranked by how much of ``sentences`` each explains
    (``evidence.explained_weight``); ties keep their order.

    At a million documents the fused ranking counts anchors and explained sentences wherever they
    sit, and documents that recombine a story's sentences (or share its names) fill its first
    places; a compilation's sources ranked 7th to 19th and trace judged only the first few. A
    source explains every sentence of its part a little (a reworded sentence keeps a third to a
    half of its words), a recombined document the two or three sentences it holds and nothing
    else. Counting only sentences explained past a fixed share (session 18) lost reworded parts,
    whose sentences mostly fall just short of it. Reading the few dozen texts costs a few
    milliseconds each; ``contents`` caches each document's sentence contents across rounds,
    ``evidence`` what it explains of the suspect.
    """
    evidence = {} if evidence is None else evidence
    within = set(sentences)

    def weight(doc: StoredDocument) -> float:
        if doc.id not in evidence:
            if doc.id not in contents:
                contents[doc.id] = sentence_contents(doc.text)
            evidence[doc.id] = contents_evidence(contents[doc.id], suspect)
        return explained_weight(evidence[doc.id], within)

    weights = [weight(doc) for doc in documents]
    order = sorted(range(len(documents)), key=lambda k: (-weights[k], k))
    return [documents[k] for k in order]


def interleave(rankings: Sequence[Sequence[StoredDocument]]) -> list[StoredDocument]:
    """The rankings' firsts, then their seconds, and so on (each document once): every part of a
    compilation gets its best candidate judged early, which fused scores would not give a part
    whose source no other ranking holds."""
    out: dict[str, StoredDocument] = {}
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking):
                out.setdefault(ranking[rank].id, ranking[rank])
    return list(out.values())


def translated_sources(
    store: Store,
    suspect: AnalysedText,
    language: str,
    sentences: Sequence[int],
    exclude: frozenset[str],
    seen: dict[str, StoredDocument],
) -> list[SourceDocument]:
    """Candidate sources of the foreign ``sentences`` of the suspect, best first, as cross-language
    search finds them (their names and numbers in English spellings, ``retrieve.crosslingual``)."""
    texts = [suspect.sentence_text(i) for i in sentences]
    found = translated_candidates(store, " ".join(texts), language, TRANSLATED_CANDIDATES + len(exclude), sentences=texts)
    documents = store.get_many([c.doc for c in found])
    out = []
    for c in found:
        doc = documents.get(c.doc)
        if doc is not None and doc.id not in exclude:
            seen[doc.id] = doc
            out.append(as_source(doc))
    return out


def trace_store(
    store: Store,
    suspect: str,
    *,
    embed: Embed | None = None,
    suspect_published: str | None = None,
    exclude_ids: frozenset[str] = frozenset(),
    params: CoverageParams = DEFAULT_COVERAGE,
) -> tuple[TraceResult, dict[str, StoredDocument]]:
    """Trace ``suspect`` to the stored documents it uses; also returns those documents by id.

    Sentences that are an indexed site's template are not evidence (``without_site_templates``).
    A suspect mixing English with another language (``language_parts``) is traced one language
    part at a time, each with the providers of its language (``trace_parts``).
    """
    suspect = without_site_templates(store, suspect)
    analysed = analyse_text(suspect)
    parts = language_parts(analysed)
    seen: dict[str, StoredDocument] = {}
    # Each round asks for mostly the same anchors and pooled documents again (in every part).
    anchors_source, coverage_source = RememberingSource(store), RememberingSource(store.reader())

    def providers(text: AnalysedText) -> tuple[CandidateProvider, CarrierProvider]:
        return store_providers(store, text, anchors_source, coverage_source, seen, params)

    embed = embed or default_embed()
    if len(parts) == 1:
        provider, carriers = providers(analysed)
        result = trace_analysed(analysed, provider, embed=embed, suspect_published=suspect_published,
                                exclude_ids=exclude_ids, carriers=carriers)
    else:
        result = trace_parts(analysed, parts, providers, embed=embed, suspect_published=suspect_published,
                             exclude_ids=exclude_ids)
    return result, seen


def store_providers(
    store: Store,
    analysed: AnalysedText,
    anchors_source: RememberingSource,
    coverage_source: RememberingSource,
    seen: dict[str, StoredDocument],
    params: CoverageParams = DEFAULT_COVERAGE,
) -> tuple[CandidateProvider, CarrierProvider]:
    """The candidate and carrier providers of one suspect text (or one language part's view) in
    its language (``text_language``): coverage and anchor retrieval for English, cross-language
    search for another. ``seen`` gathers every document offered (by id)."""
    language = text_language(analysed)
    # A foreign suspect's candidates come from cross-language search, which keys it its own way.
    keys = sentence_keys([analysed.sentence_text(i) for i in range(len(analysed.sentences))]) if language == "en" else []
    # Names no indexed document spells this way are looked up under their usual respellings too.
    respelled = respelled_names(store, analysed.text) if language == "en" else {}
    keys = respelled_keys(keys, respelled)
    contents: dict[str, list[dict[str, float]]] = {}
    evidence: dict[str, SentenceEvidence] = {}
    asked: list[int] = []
    retrieved: dict[int, StoredDocument] = {}

    def provider(sentences: Sequence[int], exclude: frozenset[str]) -> list[SourceDocument]:
        if language != "en":
            return translated_sources(store, analysed, language, sentences, exclude, seen)
        # When the last round attributed nothing (the same sentences are asked for again), the
        # best candidates for the whole were wrong: look for each part's source on its own.
        idle = list(sentences) == asked
        asked[:] = sentences
        segments = topic_segments(analysed, sentences) if idle else []
        found, *segment_found = ranked_sources_by_segment(
            anchors_source, analysed, keys, sentences, segments if len(segments) > 1 else [], params, respelled,
            coverage_store=coverage_source)
        head = found[: len(exclude) + RERANKED]
        segment_heads = [ranking[: len(exclude) + SEGMENT_CANDIDATES] for ranking in segment_found]
        wanted = list(dict.fromkeys([*head, *(doc for h in segment_heads for doc in h)]))
        documents = store.get_many(wanted)
        retrieved.update((c, documents[c]) for c in head if c in documents)
        # Earlier rounds' candidates stay in the running: what is left of a compilation can be
        # too short to retrieve its source on its own (its names all common at 1M documents)
        # when the search on the whole suspect had found it.
        fresh = [doc for doc in retrieved.values() if doc.id not in exclude]
        rankings = []
        for h, segment in zip(segment_heads, segments):
            candidates = [documents[c] for c in h if c in documents and documents[c].id not in exclude]
            rankings.append(rerank_by_explained(analysed, candidates, segment, contents, evidence))
        rankings.append(rerank_by_explained(analysed, fresh, sentences, contents, evidence))
        out = []
        for doc in interleave(rankings):
            seen[doc.id] = doc
            out.append(as_source(doc))
        return out

    def carriers(sentences: Sequence[int], source_id: str, exclude: frozenset[str]) -> list[SourceDocument]:
        # Only documents the rounds already read: a duplicate of an accepted source ranks beside
        # it, so its words are known and cost nothing to weigh; the comparison is spent only on
        # those explaining the part about as fully (``CARRIER_EVIDENCE``).
        if language != "en" or source_id not in evidence:
            return []
        within = set(sentences)
        bar = CARRIER_EVIDENCE * explained_weight(evidence[source_id], within)
        weighed = [(explained_weight(evidence[doc.id], within), doc) for doc in seen.values()
                   if doc.id != source_id and doc.id not in exclude and doc.id in evidence]
        carrying = [(weight, doc) for weight, doc in weighed if weight >= bar > 0]
        # Earliest published first: only a few are judged, and the passage goes to the earliest.
        carrying.sort(key=lambda w: (published_sort_key(w[1].published), -w[0], w[1].id))
        return [as_source(doc) for _, doc in carrying]

    return provider, carriers
