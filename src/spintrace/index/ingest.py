"""Ingest: documents in, fingerprinted rows out, written to the store one transaction per batch.

Ingest is lexical on purpose: fingerprinting a news article takes about half a millisecond, so a
corpus goes in at over a thousand documents a second per core, while sentence embeddings (a few hundred
sentences a second) are left to query time, for the handful of candidates that get aligned.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from spintrace.fingerprint import document_fingerprint
from spintrace.index.store import DocumentRow, Store, compress_text, content_hash
from spintrace.ingest.boilerplate import DEFAULT_BOILERPLATE, BoilerplateParams, site_template_keys
from spintrace.ingest.corpus import SkippedRecord
from spintrace.ingest.document import Document
from spintrace.processes import init_worker

# Documents per committed transaction. Each batch's postings are inserted sorted, so a larger
# batch touches each B-tree page once for more rows: at 200k documents 5,000 ingests 40% faster
# than 1,000 (2,772 against 1,971 documents/s, benchmarks/bench_ingest.py); 10,000 gains little
# more (2,847). An interrupted ingest loses at most the batch in flight.
DEFAULT_BATCH = 5000
# Sentence ends for the statistics only (the real segmenter runs at query time on candidates).
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*\n")


@dataclass(slots=True)
class IngestReport:
    """What one ``add`` run did; ``skipped`` names every record that could not be used."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records whose id a later record of the same batch took again: the later one is stored.
    duplicates: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged + self.duplicates + len(self.skipped)

    @property
    def rate(self) -> float:
        return self.seen / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "duplicates": self.duplicates,
            "skipped": len(self.skipped), "skipped_records": [str(s) for s in self.skipped],
            "seconds": round(self.seconds, 3), "documents_per_second": round(self.rate, 1),
        }


def count_sentences(text: str) -> int:
    return len(_SENTENCE_END_RE.findall(text.strip())) + 1


def prepare_row(doc: Document, digest: bytes | None = None) -> DocumentRow:
    """Fingerprint one document into the row the store writes (pure; runs in worker processes)."""
    fp = document_fingerprint(doc.text)
    return DocumentRow(
        id=doc.id, text_blob=compress_text(doc.text), chars=len(doc.text),
        content_hash=digest or content_hash(doc.text), title=doc.title, url=doc.url, published=doc.published, site=doc.site, meta=dict(doc.meta), tokens=fp.token_count,
        sentences=count_sentences(doc.text), terms=fp.anchor_hashes, bands=fp.band_keys, minhash=fp.minhash,
    )


def _prepare_pair(pair: tuple[Document, bytes]) -> DocumentRow:
    return prepare_row(*pair)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest(
    store: Store,
    items: Iterable[Document | SkippedRecord],
    *,
    batch_size: int = DEFAULT_BATCH,
    workers: int = 0,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Add ``items`` to ``store``: new ids inserted, changed texts replaced, identical ones skipped.

    Each batch is one transaction, so an interrupted ingest keeps every finished batch and a
    re-run resumes by skipping them. ``workers`` > 0 fingerprints in that many processes.
    ``on_progress(n)`` is called after each batch with the number of items it consumed.
    """
    report = IngestReport()
    started = time.perf_counter()
    pool = None
    if workers > 0:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(workers, initializer=init_worker)

    def write(rows: list[DocumentRow], replace: dict[str, int], consumed: int) -> None:
        if rows:
            with store.transaction():
                store.write_documents(rows, replace)
        if on_progress is not None:
            on_progress(consumed)

    # With workers, batch i+1 is fingerprinted while batch i is written (double buffering).
    pending = None
    try:
        for batch in _batches(items, batch_size):
            todo, replace = _plan_batch(store, batch, report)
            if pool is not None:
                job = pool.map_async(_prepare_pair, todo, chunksize=max(8, len(todo) // (4 * workers) or 1))
                if pending is not None:
                    write(pending[0].get(), pending[1], pending[2])
                pending = (job, replace, len(batch))
            else:
                write([prepare_row(doc, digest) for doc, digest in todo], replace, len(batch))
        if pending is not None:
            write(pending[0].get(), pending[1], pending[2])
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    update_site_templates(store)
    store.checkpoint()
    report.seconds = time.perf_counter() - started
    return report


# Pages of a site read to find its template: its most recently added ones. A template shows on
# every page, so a hundred find it as surely as all of them, at a bounded cost per site.
TEMPLATE_SAMPLE = 100


def update_site_templates(store: Store, params: BoilerplateParams = DEFAULT_BOILERPLATE) -> int:
    """Find again the template sentences of every site whose documents changed (``ingest.boilerplate``);
    returns how many sites were looked at. Query time blanks them in a suspect
    (``index.search.without_site_templates``). Each site is read and written in one transaction,
    so another writer's change to it is not marked done unseen."""
    sites = store.changed_sites()
    for site in sites:
        with store.transaction():
            store.set_site_templates(site, site_template_keys(store.site_texts(site, TEMPLATE_SAMPLE), params))
    return len(sites)


def _plan_batch(
    store: Store, batch: list[Document | SkippedRecord], report: IngestReport
) -> tuple[list[tuple[Document, bytes]], dict[str, int]]:
    """Which documents of ``batch`` to (re)write, and which stored ones they replace."""
    docs: dict[str, tuple[Document, bytes]] = {}
    for item in batch:
        if isinstance(item, SkippedRecord):
            report.skipped.append(item)
        else:
            # A later record with the same id in one batch wins, as it would across batches.
            report.duplicates += item.id in docs
            docs[item.id] = (item, content_hash(item.text))
    existing = store.existing_hashes(list(docs))
    todo = []
    replace: dict[str, int] = {}
    for doc_id, (doc, digest) in docs.items():
        old = existing.get(doc_id)
        if old is None:
            report.added += 1
        elif old[1] == digest:
            report.unchanged += 1
            continue
        else:
            report.updated += 1
            replace[doc_id] = old[0]
        todo.append((doc, digest))
    return todo, replace
