"""The server's view of ``spintrace.index``: open, get, add and search, shaped as JSON.

Kept apart from the routes so the HTTP layer does not depend on the index's record types, and
so a missing or damaged index degrades to clear 503 answers instead of a failed start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spintrace.errors import CorpusIndexError, SpintraceError
from spintrace.pipeline.compare import Embed


class NotFound(SpintraceError):
    """An id the index does not hold (HTTP 404)."""


def open_index(path: Path) -> Any:
    """Open the index at ``path``, creating an empty one when the directory does not exist yet."""
    try:
        from spintrace.index import Index
    except ImportError as exc:
        raise CorpusIndexError(f"{path}: index support is not available ({exc})") from None
    return Index(path)


def document_json(record: Any) -> dict[str, Any]:
    """A stored document as the API shows it: id, title, text and the metadata it has."""
    out: dict[str, Any] = {"id": record.id, "title": record.title, "text": record.text}
    for key in ("url", "published", "site", "added_at"):
        value = getattr(record, key, None)
        if value is not None:
            out[key] = value
    meta = getattr(record, "meta", None)
    if meta:
        out["meta"] = meta
    return out


def get_document(index: Any, doc_id: str) -> Any:
    record = index.get(doc_id)
    if record is None:
        raise NotFound(f"no document with id '{doc_id}' in the index")
    return record


def add_document(index: Any, text: str, *, id: str | None = None, title: str | None = None,
                 published: str | None = None, url: str | None = None, site: str | None = None) -> Any:
    """Store one article (replacing a document with the same id) and return it as stored."""
    new_id = index.add(text, id=id, title=title, published=published, url=url, site=site)
    return get_document(index, new_id)


def search_index(index: Any, text: str, *, limit: int, embed: Embed | None = None) -> list[Any]:
    """Ranked hits (``spintrace.index.SearchHit``), each with its full comparison."""
    return list(index.search(text, top=limit, embed=embed))


def hit_json(hit: Any) -> dict[str, Any]:
    """A hit as JSON: the document's id and metadata with the verdict and scores (the full
    comparison is left out: a hit's report is asked for when it is opened)."""
    return hit.to_dict(with_comparison=False)


def document_count(index: Any) -> int:
    return len(index)
