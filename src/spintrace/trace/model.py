"""What a trace returns: the suspect's passages, each attributed to one source, and the shares.

``TraceResult.to_dict()`` is the JSON contract of ``spintrace trace --format json`` and
``POST /trace``. Offsets are code-point indices, end exclusive: suspect offsets into
``suspect_text``, source offsets into that source's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JudgedOn = Literal["whole", "part", "condensed"]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A candidate source as trace sees it (index-independent)."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """Suspect text taken from source text, as one judge saw it (a sentence link or a passage)."""

    suspect_start: int
    suspect_end: int
    source_start: int
    source_end: int
    similarity: float
    passage: int  # which passage of that judge's comparison the link belongs to


@dataclass(frozen=True, slots=True)
class Claim:
    """A source the judge accepted, with the suspect text it supplied."""

    source: SourceDocument
    verdict: str
    score: float
    judged_on: JudgedOn
    links: tuple[Link, ...]
    # The judge's passages as it reported them (suspect start, end, source start, end), indexed by
    # ``Link.passage``: widened past their links to the stretch the copy spans.
    extents: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class AttributedPassage:
    """A run of the suspect attributed to one source (``also_in``: other sources carrying it)."""

    suspect_start: int
    suspect_end: int
    source_id: str
    source_start: int
    source_end: int
    similarity: float
    also_in: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "suspect_start": self.suspect_start, "suspect_end": self.suspect_end, "source_id": self.source_id,
            "source_start": self.source_start, "source_end": self.source_end,
            "similarity": round(self.similarity, 4), "also_in": list(self.also_in),
        }


@dataclass(frozen=True, slots=True)
class TracedSource:
    """One source of the suspect and the share of the suspect it supplied."""

    source: SourceDocument
    share: float  # of the suspect's non-space characters attributed to this source
    verdict: str
    score: float
    judged_on: JudgedOn
    passages: int
    # Published after the suspect (both dates given): the copy may be the indexed document.
    published_after_suspect: bool = False

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.source.id, "title": self.source.title, "url": self.source.url,
            "published": self.source.published, "share": round(self.share, 4), "verdict": self.verdict,
            "score": round(self.score, 4), "judged_on": self.judged_on, "passages": self.passages,
            "published_after_suspect": self.published_after_suspect,
        }
        if with_text:
            out["text"] = self.source.text
        return out


@dataclass(slots=True)
class TraceResult:
    """Every source a suspect really uses, which passage came from which, and what is left."""

    suspect_text: str
    sources: list[TracedSource]
    passages: list[AttributedPassage]
    unattributed: list[tuple[int, int]]
    attributed_share: float
    candidates_judged: int = 0
    rounds: int = 0
    took_ms: float = 0.0
    rejected: list[str] = field(default_factory=list)

    @property
    def traced(self) -> bool:
        return bool(self.sources)

    def to_dict(self, *, with_source_texts: bool = True) -> dict[str, Any]:
        return {
            "traced": self.traced,
            "attributed_share": round(self.attributed_share, 4),
            "unattributed_share": round(1.0 - self.attributed_share, 4) if self.suspect_text.strip() else 0.0,
            "sources": [s.to_dict(with_text=with_source_texts) for s in self.sources],
            "passages": [p.to_dict() for p in self.passages],
            "unattributed": [{"start": s, "end": e} for s, e in self.unattributed],
            "candidates_judged": self.candidates_judged,
            "rounds": self.rounds,
            "took_ms": round(self.took_ms, 1),
            "suspect_text": self.suspect_text,
        }
