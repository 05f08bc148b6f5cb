"""The result of comparing a source article with a suspect article.

These dataclasses are the public contract: ``Comparison.to_dict()`` is exactly the JSON that
``spintrace compare --format json`` prints and that ``POST /compare`` returns. All offsets are
Python string indices (code points, end exclusive) into the texts as read (for HTML input, into
the extracted text, returned as ``source_text`` / ``suspect_text``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["verbatim", "paraphrase", "partial", "same-story", "unrelated"]
PassageKind = Literal["exact", "near", "paraphrase"]
ChangeKind = Literal["number", "date", "name", "quote"]
Original = Literal["source", "suspect", "unknown"]

REUSE_VERDICTS: frozenset[str] = frozenset({"verbatim", "paraphrase", "partial"})


@dataclass(frozen=True, slots=True)
class Span:
    """A character range ``[start, end)`` in one of the two texts."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Change:
    """A detail that differs inside an aligned passage, e.g. a re-transliterated name.

    ``source_text``/``suspect_text`` is ``None`` when the detail is present on one side only
    (a number the copy dropped, a name it added); offsets are then ``None`` on that side too.
    """

    kind: ChangeKind
    source_text: str | None
    suspect_text: str | None
    source_start: int | None = None
    source_end: int | None = None
    suspect_start: int | None = None
    suspect_end: int | None = None


@dataclass(frozen=True, slots=True)
class SentenceLink:
    """One N:M link between source sentences and suspect sentences inside a passage."""

    source_start: int
    source_end: int
    suspect_start: int
    suspect_end: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of suspect text aligned to a run of source text."""

    source_start: int
    source_end: int
    suspect_start: int
    suspect_end: int
    similarity: float
    kind: PassageKind
    changes: tuple[Change, ...] = ()
    links: tuple[SentenceLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Direction:
    """Which text is more likely the original, with the evidence that says so."""

    original: Original
    confidence: float
    evidence: tuple[str, ...] = ()


@dataclass(slots=True)
class Comparison:
    """Everything ``spintrace.compare`` found about one source/suspect pair."""

    verdict: Verdict
    score: float
    suspect_coverage: float
    source_coverage: float
    passages: list[Passage]
    omitted: list[Span]
    added: list[Span]
    direction: Direction
    source_text: str
    suspect_text: str
    features: dict[str, float] = field(default_factory=dict)
    source_language: str | None = None  # ISO 639-1, detected
    suspect_language: str | None = None

    @property
    def translated(self) -> bool:
        """True when the two texts are in different languages (a translated copy if reused)."""
        return None not in (self.source_language, self.suspect_language) and self.source_language != self.suspect_language

    @property
    def reused(self) -> bool:
        """True when the verdict is a kind of reuse (verbatim, paraphrase or partial)."""
        return self.verdict in REUSE_VERDICTS

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: plain types only, stable field names."""
        return {
            "verdict": self.verdict,
            "reused": self.reused,
            "score": round(self.score, 4),
            "suspect_coverage": round(self.suspect_coverage, 4),
            "source_coverage": round(self.source_coverage, 4),
            "passages": [
                {
                    **{k: v for k, v in asdict(p).items() if k not in ("changes", "links")},
                    "similarity": round(p.similarity, 4),
                    "changes": [asdict(c) for c in p.changes],
                    "links": [{**asdict(l), "similarity": round(l.similarity, 4)} for l in p.links],
                }
                for p in self.passages
            ],
            "omitted": [{"start": s.start, "end": s.end} for s in self.omitted],
            "added": [{"start": s.start, "end": s.end} for s in self.added],
            "direction": {
                "original": self.direction.original,
                "confidence": round(self.direction.confidence, 4),
                "evidence": list(self.direction.evidence),
            },
            "features": {k: round(float(v), 4) for k, v in self.features.items()},
            "source_language": self.source_language,
            "suspect_language": self.suspect_language,
            "source_text": self.source_text,
            "suspect_text": self.suspect_text,
        }
