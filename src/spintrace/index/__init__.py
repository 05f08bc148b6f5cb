"""The corpus index: ingest a corpus once, then find the sources of suspect articles in it.

    >>> import spintrace
    >>> index = spintrace.Index("news-index")
    >>> index.add_paths(["archive/"])            # folders, JSON Lines, WARC, Parquet
    >>> index.add("Article text ...", id="my-article", title="...")
    >>> for hit in index.search(suspect_text, top=5):
    ...     print(hit.id, hit.verdict, hit.score)

The index is a directory holding one SQLite database (no server). See ``store`` for the layout,
``ingest`` for how documents go in, ``spintrace.retrieve`` and ``search`` for how they come out.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spintrace.errors import CorpusIndexError, InputError, ReadOnlyIndexError
from spintrace.index.ingest import DEFAULT_BATCH, IngestReport, ingest, update_site_templates
from spintrace.index.search import DEFAULT_ALIGN, DEFAULT_EVIDENCE_RATIO, SearchHit, search_store
from spintrace.index.directory import directory_size
from spintrace.index.store import Store, StoredDocument
from spintrace.ingest.corpus import SkippedRecord, iter_documents
from spintrace.ingest.document import Document
from spintrace.ingest.files import MAX_ARTICLE_CHARS
from spintrace.pipeline.compare import Embed
from spintrace.trace.model import TraceResult

__all__ = ["Index", "IngestReport", "SearchHit", "StoredDocument", "TraceResult"]


def _check_query(suspect: object) -> None:
    if not isinstance(suspect, str) or not suspect.strip():
        raise InputError("suspect", "empty text")
    if len(suspect) > MAX_ARTICLE_CHARS:
        raise InputError("suspect", f"too long to search the index with ({len(suspect):,} characters; the limit is "
                                    f"{MAX_ARTICLE_CHARS:,}): split it into articles")


class Index:
    """A corpus index in directory ``path`` (created on first use unless ``create=False``).

    Raises ``CorpusIndexError`` (one clear line) for a path that is a file, a directory holding
    something else, or a damaged database.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        if not str(path).strip():
            raise CorpusIndexError("the index path is empty; give the index folder")
        self.path = Path(path)
        self._store = Store(self.path, create=create)

    # -- adding and removing -----------------------------------------------------------------

    def add(
        self,
        text: str | Document,
        *,
        id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: str | None = None,
        site: str | None = None,
        **meta: Any,
    ) -> str:
        """Add (or update) one article and return its id (a content hash when ``id`` is not given)."""
        if isinstance(text, Document):
            doc = text
        else:
            if not isinstance(text, str) or not text.strip():
                raise InputError(id or "text", "empty text")
            from spintrace.index.store import content_hash

            doc = Document(
                id=id or content_hash(text).hex()[:16], text=text, title=title, url=url,
                published=published, site=site, meta=meta,
            )
        self.add_documents([doc])
        return doc.id

    def add_documents(
        self,
        documents: Iterable[Document | SkippedRecord],
        *,
        batch_size: int = DEFAULT_BATCH,
        workers: int = 0,
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add many documents; unchanged ones are skipped, changed ones replaced (see ``ingest``)."""
        self._check_writable()
        self._guard(self._store.ensure_site_tables)
        return self._guard(
            lambda: ingest(self._store, documents, batch_size=batch_size, workers=workers, on_progress=on_progress)
        )

    def add_paths(
        self,
        paths: Iterable[str | Path],
        *,
        batch_size: int = DEFAULT_BATCH,
        workers: int = 0,
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add every document in files and folders (.txt/.md/.html, JSON Lines, WARC, Parquet)."""
        return self.add_documents(
            iter_documents(list(paths)), batch_size=batch_size, workers=workers, on_progress=on_progress
        )

    def remove(self, *ids: str) -> list[str]:
        """Remove documents by id; returns the ids that were not in the index."""
        self._check_writable()
        missing = []

        def run() -> None:
            self._store.ensure_site_tables()
            with self._store.transaction():
                for doc_id in ids:
                    if not self._store.delete(doc_id):
                        missing.append(doc_id)
            update_site_templates(self._store)

        self._guard(run)
        return missing

    # -- reading ------------------------------------------------------------------------------

    def get(self, doc_id: str) -> StoredDocument | None:
        return self._guard(lambda: self._store.get(doc_id))

    def __len__(self) -> int:
        return self._guard(self._store.count)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def stats(self) -> dict[str, Any]:
        """Documents, sentences (approximate), tokens, characters and bytes on disk."""
        totals = self._guard(self._store.totals)
        size = directory_size(self.path)
        totals["bytes_on_disk"] = size
        totals["bytes_per_document"] = round(size / totals["documents"]) if totals["documents"] else 0
        return totals

    def search(
        self,
        suspect: str,
        *,
        top: int = 5,
        k: int | None = None,
        align: int = DEFAULT_ALIGN,
        min_score: float = 0.0,
        embed: Embed | None = None,
        suspect_published: str | None = None,
        exclude_ids: Iterable[str] = (),
        exhaustive: bool = False,
    ) -> list[SearchHit]:
        """Ranked candidate sources of ``suspect``, each with its full comparison.

        At most ``top`` (alias ``k``) hits are returned. Of the ``align`` best retrieval
        candidates, those with at least half the best one's retrieval evidence are aligned (all of
        them with ``exhaustive=True``); hits scoring under ``min_score`` are dropped.
        """
        _check_query(suspect)
        return self._guard(
            lambda: search_store(
                self._store, suspect, top=k or top, align=align, min_score=min_score, embed=embed,
                suspect_published=suspect_published, exclude_ids=frozenset(exclude_ids),
                evidence_ratio=0.0 if exhaustive else DEFAULT_EVIDENCE_RATIO,
            )
        )

    def trace(
        self,
        suspect: str,
        *,
        embed: Embed | None = None,
        suspect_published: str | None = None,
        exclude_ids: Iterable[str] = (),
    ) -> TraceResult:
        """Every indexed source ``suspect`` really uses, which passage came from which, and the
        share each supplied (see ``spintrace.trace``)."""
        _check_query(suspect)
        from spintrace.index.trace import trace_store

        return self._guard(
            lambda: trace_store(self._store, suspect, embed=embed, suspect_published=suspect_published,
                                exclude_ids=frozenset(exclude_ids))[0]
        )

    def without_site_templates(self, text: str) -> str:
        """``text`` with its sentences that are an indexed site's template blanked, offsets kept
        (what ``search`` and ``trace`` read; ``spintrace.ingest.boilerplate``)."""
        from spintrace.index.search import without_site_templates

        return self._guard(lambda: without_site_templates(self._store, text))

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """True for an index this process may read but not change (no write permission there)."""
        return self._store.read_only

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyIndexError(f"{self.path}: the index is read-only here (no write permission); "
                                   "search and trace work, adding and removing do not")

    def _guard(self, fn):
        """Database trouble becomes one actionable line, never a traceback."""
        try:
            return fn()
        except sqlite3.OperationalError as exc:  # locked, disk full, read-only, I/O error
            raise CorpusIndexError(f"{self.path}: cannot use the index ({exc})") from None
        except (sqlite3.DatabaseError, zlib.error) as exc:
            raise CorpusIndexError(f"{self.path}: the index database is damaged ({exc})") from None
