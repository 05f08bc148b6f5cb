"""The scan stages as pure functions; the local and Spark engines only decide where they run.

fingerprint (``document_block_keys``) -> blocking (``retrieve.blocking``) -> metadata filter
(``pair_allowed``) -> alignment (``align_pair``) -> families (``engines.families``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from spintrace.comparison import Comparison
from spintrace.dates import parse_date, published_order
from spintrace.errors import SpintraceError
from spintrace.ingest.boilerplate import site_key
from spintrace.pipeline.analyse import AnalysedText, analyse_text
from spintrace.retrieve.blocking import DEFAULT_BLOCKING, BlockingParams, document_keys

Embed = Callable[[list[str]], np.ndarray]

# Texts longer than this are cut for alignment: one pathological record (a whole book pasted into
# a JSONL field) must not hold a worker for minutes.
MAX_ALIGN_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class ScanDocument:
    """What the scan keeps of each ``Document``: enough to align, filter and label pairs."""

    index: int
    id: str
    text: str
    title: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Which pairs a scan keeps."""

    min_score: float = 0.5
    max_days: int | None = None
    exclude_same_site: bool = False
    # Sentences a site repeats across its own pages (its template) are blanked before anything
    # is fingerprinted or aligned (``ingest.boilerplate``); False keeps them as evidence.
    site_boilerplate: bool = True
    blocking: BlockingParams = DEFAULT_BLOCKING

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PairRecord:
    """One reuse pair as written to ``pairs.jsonl``/``pairs.parquet``; source = likely original."""

    source_id: str
    suspect_id: str
    verdict: str
    score: float
    source_coverage: float
    suspect_coverage: float
    direction: str  # "source" when the source is the likely original, else "unknown"
    direction_confidence: float
    direction_evidence: list[str]
    passages: list[dict[str, Any]] = field(default_factory=list)
    substitutions: list[dict[str, Any]] = field(default_factory=list)  # {"source", "suspect", "count"}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PairRecord:
        # Fields added later have defaults, so records a resumed scan wrote before still load.
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    @property
    def key(self) -> tuple[str, str]:
        return tuple(sorted((self.source_id, self.suspect_id)))  # type: ignore[return-value]


def document_block_keys(text: str, params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """Fingerprint stage: the block keys of one document."""
    return document_keys(text, params)


def check_embedder_available(embed: Embed | None) -> None:
    """Fail before any work is scheduled, not in a worker an hour in, when the model is missing.

    Only the file is checked: loading the model here would put an ONNX session in the parent that
    forked worker processes would inherit.
    """
    if embed is not None:
        return
    from spintrace.embed.embedder import MODEL_FILE

    if not MODEL_FILE.is_file():
        raise SpintraceError(f"sentence-embedding model not found at {MODEL_FILE}; reinstall spintrace")


def pair_allowed(a: ScanDocument, b: ScanDocument, options: ScanOptions) -> bool:
    """Metadata filter: publication dates too far apart, or both from the same site."""
    if options.exclude_same_site and (site := site_key(a.site)) is not None and site == site_key(b.site):
        return False
    if options.max_days is not None:
        da, db = parse_date(a.published), parse_date(b.published)
        if da and db and abs((da - db).days) > options.max_days:
            return False
    return True


class AnalysisCache:
    """Analysed texts and sentence vectors of recently aligned documents, reused across pairs.

    Results must not depend on the order pairs are aligned in, or the local and Spark engines
    (which order work differently) would disagree. Two things would make them: sharing one
    ``AnalysedText`` between pairs (the aligner embeds only the sentences a pair needs, and
    sentences left unembedded count as zero vectors), and embedding sentences in batches whose make-up
    depends on history (the int8 model quantises activations per batch, so a sentence's vector
    shifts slightly with its batch-mates). So each pair gets a fresh ``AnalysedText`` over the
    cached analysis, and each document's sentences are embedded together, in one call of their
    own, the first time any of them is needed.
    """

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, AnalysedText] = OrderedDict()
        self._vectors: OrderedDict[str, dict[str, np.ndarray]] = OrderedDict()

    def _analysed(self, doc: ScanDocument) -> AnalysedText:
        item = self._items.get(doc.id)
        if item is None:
            item = analyse_text(doc.text[:MAX_ALIGN_CHARS])
            self._items[doc.id] = item
            if len(self._items) > self.capacity:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(doc.id)
        return item

    def get(self, doc: ScanDocument) -> AnalysedText:
        """A fresh ``AnalysedText`` (no embeddings yet) over the document's cached analysis."""
        item = self._analysed(doc)
        return AnalysedText(item.text, item.sentences)

    def sentence_vectors(self, doc: ScanDocument, embed: Embed) -> dict[str, np.ndarray]:
        """The sentences of ``doc`` the aligner embeds -> their vectors, embedded on first use.

        Exactly the sentences, in the order, that ``compare`` embeds for this text: the int8 model
        quantises per batch, so the same batches give the same vectors and the same scores.
        """
        from spintrace.align.aligner import DEFAULT_PARAMS, sentences_to_embed

        table = self._vectors.get(doc.id)
        if table is None:
            item = self._analysed(doc)
            texts = [item.sentence_text(i) for i in sentences_to_embed(item, DEFAULT_PARAMS)]
            vectors = np.asarray(embed(texts), dtype=np.float32) if texts else np.zeros((0, 384), np.float32)
            table = dict(zip(texts, vectors))
            self._vectors[doc.id] = table
            if len(self._vectors) > self.capacity:
                self._vectors.popitem(last=False)
        else:
            self._vectors.move_to_end(doc.id)
        return table

    def pair_embed(self, source: ScanDocument, suspect: ScanDocument, embed: Embed) -> Embed:
        """An embed function for one pair that answers from the two documents' vectors."""

        def lookup(texts) -> np.ndarray:
            texts = list(texts)
            if not texts:
                return np.zeros((0, 384), dtype=np.float32)
            tables = (self.sentence_vectors(source, embed), self.sentence_vectors(suspect, embed))
            rows = []
            for t in texts:
                vector = tables[0].get(t)
                if vector is None:
                    vector = tables[1].get(t)
                if vector is None:  # not a sentence of either text: embed it on its own
                    vector = np.asarray(embed([t]), dtype=np.float32)[0]
                rows.append(vector)
            return np.stack(rows)

        return lookup


def _first_source(a: ScanDocument, b: ScanDocument) -> tuple[ScanDocument, ScanDocument]:
    """Which side to try as source first: the earlier published, else the smaller id."""
    order = published_order(a.published, b.published)
    if order:
        return (a, b) if order < 0 else (b, a)
    return (a, b) if a.id <= b.id else (b, a)


def _dated_apart(a: ScanDocument, b: ScanDocument) -> bool:
    """Both published dates known and different: ``_first_source`` ordered the pair by them."""
    return published_order(a.published, b.published) != 0


def _could_condense(original: AnalysedText, copy: AnalysedText) -> bool:
    """Whether ``copy`` is short enough beside ``original`` for compare's condensed-copy judgement
    (``VerdictRules.condensed_length_ratio``), which only a suspect gets."""
    from spintrace.classify.verdict import VerdictRules

    return copy.token_count <= VerdictRules().condensed_length_ratio * original.token_count


def _record(source: ScanDocument, suspect: ScanDocument, result: Comparison) -> PairRecord:
    return PairRecord(
        source_id=source.id,
        suspect_id=suspect.id,
        verdict=result.verdict,
        score=round(float(result.score), 4),
        source_coverage=round(float(result.source_coverage), 4),
        suspect_coverage=round(float(result.suspect_coverage), 4),
        direction="source" if result.direction.original == "source" else "unknown",
        direction_confidence=round(float(result.direction.confidence), 4),
        direction_evidence=list(result.direction.evidence),
        passages=[
            {
                "source_start": p.source_start,
                "source_end": p.source_end,
                "suspect_start": p.suspect_start,
                "suspect_end": p.suspect_end,
                "similarity": round(float(p.similarity), 4),
                "kind": p.kind,
            }
            for p in result.passages
        ],
        substitutions=[{"source": s.source, "suspect": s.suspect, "count": s.count} for s in result.substitutions],
    )


def align_pair(
    a: ScanDocument,
    b: ScanDocument,
    options: ScanOptions,
    cache: AnalysisCache,
    embed: Embed | None = None,
) -> tuple[PairRecord, Comparison] | None:
    """Alignment stage: compare two candidates, oriented so the source is the likely original.

    Returns ``None`` unless the pair is reuse with at least ``options.min_score``.
    """
    from spintrace.pipeline.compare import compare_analysed, default_embed

    embed = embed or default_embed()
    source, suspect = _first_source(a, b)
    try:
        result = compare_analysed(
            cache.get(source), cache.get(suspect), embed=cache.pair_embed(source, suspect, embed),
            source_published=source.published, suspect_published=suspect.published,
        )
    except SpintraceError:
        # Two book-length "articles" too long to align whole: no pair rather than a stopped scan.
        return None
    if not result.reused and not _dated_apart(source, suspect) and _could_condense(cache.get(suspect), cache.get(source)):
        # The first try's source is short enough to be a condensed copy of its suspect, and only a
        # suspect is ever judged condensed: a summary tried as the source (same day, or no dates,
        # and the smaller id) was lost. Dates that differ already put the earlier one first.
        swapped = compare_analysed(
            cache.get(suspect), cache.get(source), embed=cache.pair_embed(suspect, source, embed),
            source_published=suspect.published, suspect_published=source.published,
        )
        if swapped.reused and swapped.direction.original != "suspect":
            source, suspect, result = suspect, source, swapped
    if not result.reused or result.score < options.min_score:
        return None
    if result.direction.original == "suspect":
        # The copy was tried as source; compare again the right way round so coverages, passages
        # and the omitted/added split describe what the copy did to the original.
        source, suspect = suspect, source
        flipped = compare_analysed(
            cache.get(source), cache.get(suspect), embed=cache.pair_embed(source, suspect, embed),
            source_published=source.published, suspect_published=suspect.published,
        )
        if flipped.reused and flipped.direction.original != "suspect":
            result = flipped
        else:
            source, suspect = suspect, source
    return _record(source, suspect, result), result


def report_path(record: PairRecord) -> str:
    """Where a pair's HTML report goes, relative to the scan's output folder (ids may hold any
    character, so the file name is a hash of them)."""
    digest = hashlib.blake2b(f"{record.source_id}\x00{record.suspect_id}".encode(), digest_size=10).hexdigest()
    return f"reports/{digest}.html"


@dataclass(slots=True)
class FoundPair:
    """A reuse pair and, when asked for, its rendered HTML report."""

    record: PairRecord
    report_html: str | None = None


def align_pairs(
    pairs: Iterable[tuple[ScanDocument, ScanDocument]],
    options: ScanOptions,
    cache: AnalysisCache | None = None,
    embed: Embed | None = None,
    with_reports: bool = False,
) -> list[FoundPair]:
    """Alignment stage over a batch of candidates (one work unit of either engine)."""
    from spintrace.pipeline.compare import default_embed

    cache = cache or AnalysisCache()
    embed = embed or default_embed()
    found = []
    for a, b in pairs:
        if not pair_allowed(a, b, options):
            continue
        aligned = align_pair(a, b, options, cache, embed)
        if aligned is None:
            continue
        record, comparison = aligned
        html = None
        if with_reports:
            from spintrace.report import render_html

            html = render_html(comparison, source_label=record.source_id, suspect_label=record.suspect_id)
        found.append(FoundPair(record, html))
    return found


@dataclass(slots=True)
class CorpusRead:
    """The usable documents of a corpus and the records skipped, counted by reason."""

    documents: list[ScanDocument]
    skipped: dict[str, int]
    examples: list[str]
    boilerplate_documents: int = 0  # documents whose site template sentences were blanked


#: The skip reason of a record whose id an earlier record of the corpus already has.
DUPLICATE_ID = "duplicate id"


def skip_category(reason: str) -> str:
    """"malformed JSON (Expecting value at column 1)" -> "malformed JSON": a countable name."""
    return reason.split(" (")[0].strip()


def read_corpus(paths: Iterable[str], max_examples: int = 20, site_boilerplate: bool = True) -> CorpusRead:
    """Ingest stage for scans: every readable document once (first of a repeated id wins).

    With ``site_boilerplate`` each site's template sentences are blanked in its documents' text
    (offsets unchanged; ``ingest.boilerplate``), so no later stage takes them for reuse.
    """
    from spintrace.ingest.corpus import SkippedRecord, iter_documents

    docs: list[ScanDocument] = []
    seen: set[str] = set()
    skipped: dict[str, int] = {}
    examples: list[str] = []

    def skip(where: str, reason: str) -> None:
        name = skip_category(reason)
        skipped[name] = skipped.get(name, 0) + 1
        if len(examples) < max_examples:
            examples.append(f"{where}: {reason}")

    for item in iter_documents(paths):
        if isinstance(item, SkippedRecord):
            skip(item.source, item.reason)
            continue
        if item.id in seen:
            skip(item.id, DUPLICATE_ID)
            continue
        seen.add(item.id)
        docs.append(ScanDocument(len(docs), item.id, item.text, item.title, item.published, item.site, item.url))
    blanked = 0
    if site_boilerplate:
        from dataclasses import replace

        from spintrace.ingest.boilerplate import blank_spans, find_site_boilerplate

        for n, spans in enumerate(find_site_boilerplate([(d.site, d.text) for d in docs])):
            if spans:
                docs[n] = replace(docs[n], text=blank_spans(docs[n].text, spans))
                blanked += 1
    return CorpusRead(docs, skipped, examples, blanked)
