"""The unit every stage after ingest works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """An article's text plus whatever metadata its container carried.

    ``text`` is the text all offsets refer to: the file's own text for .txt/.md, the extracted
    main text for HTML and WARC records.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    site: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
