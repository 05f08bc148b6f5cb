"""Trace accuracy: sources found, condensed copies traced, attribution plagdet, false attribution.

Figures per case kind (see ``trace_cases``):

- *all sources found*: every true source of the case is among the traced sources;
- *first*: for a rewrite, spin or condensed copy, the source supplying the largest share is the
  true one;
- *independent attributed*: an independent report with any traced source (should be none);
- *plagdet*: PAN measures of the attributed passages against the paragraph truth, where a
  passage attributed to the wrong source detects nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from spintrace.evaluation.pan_measures import Detection, pan_scores
from spintrace.evaluation.trace_cases import INDEPENDENT_KINDS, TraceCase
from spintrace.trace.model import TraceResult


@dataclass(slots=True)
class TraceOutcome:
    case: TraceCase
    traced: tuple[str, ...]  # source ids, largest share first
    detections: tuple[Detection, ...]
    milliseconds: float
    cpu_milliseconds: float | None = None  # this process's CPU time: steadier on a shared machine

    @property
    def all_found(self) -> bool:
        return set(self.case.sources) <= set(self.traced)

    @property
    def first(self) -> bool:
        return bool(self.traced) and self.traced[0] == self.case.sources[0]


def outcome_of(case: TraceCase, result: TraceResult, milliseconds: float, cpu_milliseconds: float | None = None) -> TraceOutcome:
    detections = tuple(
        Detection(p.suspect_start, p.suspect_end - p.suspect_start, p.source_start, p.source_end - p.source_start,
                  case.case_id, p.source_id)
        for p in result.passages if p.suspect_end > p.suspect_start
    )
    return TraceOutcome(case, tuple(s.source.id for s in result.sources), detections, milliseconds, cpu_milliseconds)


@dataclass(slots=True)
class TraceEvaluation:
    outcomes: list[TraceOutcome] = field(default_factory=list)

    def of(self, *kinds: str) -> list[TraceOutcome]:
        return [o for o in self.outcomes if o.case.kind in kinds]

    @staticmethod
    def _rate(values: Sequence[bool]) -> float | None:
        return sum(values) / len(values) if values else None

    def summary(self) -> dict[str, float | int | None]:
        compilations = self.of("compilation2", "compilation3")
        reused = self.of("rewrite", "spun")
        independent = self.of(*INDEPENDENT_KINDS)
        attributed = self.of("compilation2", "compilation3", "condensed")
        scores = pan_scores([c for o in attributed for c in o.case.truth], [d for o in attributed for d in o.detections])
        times = [o.milliseconds for o in self.outcomes]
        cpu = [o.cpu_milliseconds for o in self.outcomes if o.cpu_milliseconds is not None]
        return {
            "cases": len(self.outcomes),
            "all_sources_found_2": self._rate([o.all_found for o in self.of("compilation2")]),
            "all_sources_found_3": self._rate([o.all_found for o in self.of("compilation3")]),
            "all_sources_found": self._rate([o.all_found for o in compilations]),
            "condensed_traced": self._rate([o.first for o in self.of("condensed")]),
            "rewrites_spins_first": self._rate([o.first for o in reused]),
            "independent_attributed": self._rate([bool(o.traced) for o in independent]),
            "plagdet": scores.plagdet, "precision": scores.precision, "recall": scores.recall,
            "granularity": scores.granularity,
            "trace_median_ms": statistics.median(times) if times else None,
            "trace_p95_ms": sorted(times)[int(0.95 * (len(times) - 1))] if times else None,
            "trace_cpu_median_ms": statistics.median(cpu) if cpu else None,
            "trace_cpu_p95_ms": sorted(cpu)[int(0.95 * (len(cpu) - 1))] if cpu else None,
        }

    def failures(self) -> list[str]:
        out = []
        for o in self.outcomes:
            bad = (not o.traced) if o.case.kind in INDEPENDENT_KINDS else False
            if o.case.kind in INDEPENDENT_KINDS:
                bad = bool(o.traced)
            elif o.case.kind.startswith("compilation"):
                bad = not o.all_found
            else:
                bad = not o.first
            if bad:
                out.append(f"{o.case.kind} {o.case.case_id}: expected {list(o.case.sources)}, traced {list(o.traced)}")
        return out
