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
EditOp = Literal["keep", "replace", "insert", "delete", "move"]

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
class WordEdit:
    """One step of a link's word-level edit script: a run of words kept, reworded, moved, dropped
    (``delete``) or added (``insert``). Offsets cover whole words; ``None`` on the side a
    ``delete``/``insert`` has no words on."""

    op: EditOp
    source_start: int | None
    source_end: int | None
    suspect_start: int | None
    suspect_end: int | None


@dataclass(frozen=True, slots=True)
class Substitution:
    """A word or short phrase the suspect writes in place of the source's, and how often."""

    source: str
    suspect: str
    count: int


@dataclass(frozen=True, slots=True)
class SentenceLink:
    """One N:M link between source sentences and suspect sentences inside a passage."""

    source_start: int
    source_end: int
    suspect_start: int
    suspect_end: int
    similarity: float
    edits: tuple[WordEdit, ...] = ()


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


@dataclass(frozen=True, slots=True)
class JudgedPart:
    """One language part of a pair in which a text mixes English with another language, judged on
    its languages' path (English, or cross-language): where the two parts lie in the texts (runs
    of paragraphs) and what that judgement said. ``Comparison.parts`` lists one per pair of parts."""

    source_language: str
    suspect_language: str
    source_spans: tuple[Span, ...]
    suspect_spans: tuple[Span, ...]
    verdict: Verdict
    score: float

    @property
    def reused(self) -> bool:
        return self.verdict in REUSE_VERDICTS


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
    substitutions: list[Substitution] = field(default_factory=list)
    #: A reuse verdict whose suspect retells much of the source in far fewer words (a summary).
    condensed: bool = False
    source_language: str | None = None  # ISO 639-1, detected; "en+fr" for a text mixing two
    suspect_language: str | None = None
    #: Empty when each text is in one language; else how each pair of language parts was judged.
    parts: list[JudgedPart] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        """True when the two texts are in different languages (a translated copy if reused). For a
        text mixing languages: when a part judged across languages is reused (or, with nothing
        reused, when any part pairs two languages)."""
        if self.parts:
            deciding = [p for p in self.parts if p.reused] or self.parts
            return any(p.source_language != p.suspect_language for p in deciding)
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
            "condensed": self.condensed,
            "suspect_coverage": round(self.suspect_coverage, 4),
            "source_coverage": round(self.source_coverage, 4),
            "passages": [
                {
                    **{k: v for k, v in asdict(p).items() if k not in ("changes", "links")},
                    "similarity": round(p.similarity, 4),
                    "changes": [asdict(c) for c in p.changes],
                    "links": [_link_dict(l) for l in p.links],
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
            "substitutions": [asdict(s) for s in self.substitutions],
            "source_language": self.source_language,
            "suspect_language": self.suspect_language,
            "parts": [
                {
                    "source_language": p.source_language,
                    "suspect_language": p.suspect_language,
                    "source_spans": [{"start": s.start, "end": s.end} for s in p.source_spans],
                    "suspect_spans": [{"start": s.start, "end": s.end} for s in p.suspect_spans],
                    "verdict": p.verdict,
                    "score": round(p.score, 4),
                }
                for p in self.parts
            ],
            "source_text": self.source_text,
            "suspect_text": self.suspect_text,
        }


def _link_dict(link: SentenceLink) -> dict[str, Any]:
    return {
        "source_start": link.source_start,
        "source_end": link.source_end,
        "suspect_start": link.suspect_start,
        "suspect_end": link.suspect_end,
        "similarity": round(link.similarity, 4),
        "edits": [
            {"op": e.op, "source_start": e.source_start, "source_end": e.source_end,
             "suspect_start": e.suspect_start, "suspect_end": e.suspect_end}
            for e in link.edits
        ],
    }
