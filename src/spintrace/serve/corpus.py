"""The server's view of ``spintrace.index``: open, get, add, search, shaped as JSON.

Kept apart from the routes so the HTTP layer does not depend on the index's record types, and
so a missing index package degrades to clear 503 answers instead of an import failure.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from spintrace.errors import CorpusIndexError, SpintraceError


class NotFound(SpintraceError):
    """An id the index does not hold (HTTP 404)."""


def open_index(path: Path) -> Any:
    """Open (or create) the index at ``path``."""
    try:
        from spintrace.index import Index
    except ImportError as exc:
        raise CorpusIndexError(f"{path}: index support is not available ({exc})") from None
    return Index(path)


def _plain(record: Any) -> dict[str, Any]:
    if record is None:
        return {}
    if isinstance(record, dict):
        return dict(record)
    if is_dataclass(record):
        return asdict(record)
    return {k: getattr(record, k) for k in dir(record) if not k.startswith("_") and not callable(getattr(record, k))}


def document_json(record: Any) -> dict[str, Any]:
    """A stored document as the API shows it: id, title, text and whatever metadata it has."""
    data = _plain(record)
    out = {"id": str(data.get("id") or data.get("doc_id") or ""), "title": data.get("title"),
           "text": data.get("text") or ""}
    for key in ("published", "url", "source", "added_at"):
        if data.get(key) is not None:
            out[key] = data[key]
    return out


def get_document(index: Any, doc_id: str) -> Any:
    try:
        record = index.get(doc_id)
    except KeyError:
        record = None
    if record is None:
        raise NotFound(f"no document with id '{doc_id}' in the index")
    return record


def add_document(index: Any, text: str, *, id: str | None = None, title: str | None = None,
                 published: str | None = None, url: str | None = None) -> Any:
    meta = {k: v for k, v in (("title", title), ("published", published), ("url", url)) if v is not None}
    new_id = index.add(text, id=id, **meta)
    return get_document(index, str(getattr(new_id, "id", new_id)))


def search_index(index: Any, text: str, *, limit: int, embed: Any = None) -> list[dict[str, Any]]:
    """Ranked hits as JSON: document id and title plus the hit's verdict and scores."""
    hits = index.search(text, k=limit)
    out = []
    for rank, hit in enumerate(hits, start=1):
        data = _plain(hit)
        comparison = data.get("comparison")
        row = {
            "rank": rank,
            "id": str(data.get("id") or data.get("doc_id") or ""),
            "title": data.get("title"),
            "score": data.get("score"),
            "verdict": data.get("verdict"),
        }
        if isinstance(comparison, dict):
            row.setdefault("verdict", comparison.get("verdict"))
            for key in ("suspect_coverage", "source_coverage"):
                row[key] = comparison.get(key)
        for key in ("suspect_coverage", "source_coverage", "reused"):
            if key in data and key not in row:
                row[key] = data[key]
        out.append(row)
    return out
