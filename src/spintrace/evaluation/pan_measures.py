"""The PAN plagiarism-detection performance measures (Potthast et al., COLING 2010).

Scores must be comparable with published PAN text-alignment results, so every rule here follows
the official scorer (``pan09-plagiarism-detection-performance-measures.py`` in pan-code, reused
unchanged as ``pan13-text-alignment-perfmeasures.py``) rather than the paper's prose where they
could be read differently:

- A case and a detection *overlap* only if they share the suspicious document **and** the source
  document and their ranges intersect on **both** sides (half-open ``[offset, offset+length)``).
  A detection that points at the right suspicious passage but the wrong source passage detects
  nothing.
- Recall of one case is the share of its characters, suspicious side plus source side, covered by
  the detections that overlap it; macro recall averages that over *all* cases (undetected cases
  count as 0). Precision is the same computation with the roles swapped: the share of each
  detection's characters covered by overlapping cases, averaged over all detections.
- Micro recall/precision count characters instead: union of detected-and-plagiarised characters
  over union of plagiarised (resp. detected) characters, each side unioned per document. As in the
  official ``count_chars``, the source side is unioned per *source* document across all suspicious
  documents.
- Granularity is the mean number of overlapping detections per *detected* case (1 when nothing
  is detected), and plagdet = F1 / log2(1 + granularity).
- Edge cases: no cases and no detections scores recall = precision = 1; exactly one of the two
  empty scores 0 for both; plagdet is 0 when recall and precision are both 0.
- The official scorer reads annotations into a ``set``, so exact duplicate annotations (same
  documents and ranges) count once; :func:`pan_scores` and the measures here do the same, so a
  detector that emits the same passage twice is not rewarded or punished for it.

The official code marks characters in numpy bit arrays; here covered characters are counted as a
union of intervals, which gives the same integers without allocating per-case arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol, TypeVar

__all__ = [
    "Case",
    "Detection",
    "PanScores",
    "granularity",
    "is_overlapping",
    "macro_precision",
    "macro_recall",
    "micro_recall_and_precision",
    "pan_scores",
    "plagdet",
]


class Annotation(Protocol):
    """What the measures read from a case or a detection; both dataclasses satisfy it."""

    @property
    def this_offset(self) -> int: ...
    @property
    def this_length(self) -> int: ...
    @property
    def source_offset(self) -> int: ...
    @property
    def source_length(self) -> int: ...
    @property
    def suspicious_reference(self) -> str: ...
    @property
    def source_reference(self) -> str: ...


def _check_ranges(kind: str, this_offset: int, this_length: int, source_offset: int, source_length: int) -> None:
    # The official scorer divides by this_length + source_length, so an annotation without any
    # characters would crash it; negative values have no meaning. Refuse both at construction
    # time, where the culprit is still known.
    values = (this_offset, this_length, source_offset, source_length)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise TypeError(f"{kind} offsets and lengths must be int, got {values!r}")
    if min(values) < 0:
        raise ValueError(f"{kind} offsets and lengths must be non-negative, got {values!r}")
    if this_length + source_length == 0:
        raise ValueError(f"{kind} covers no characters on either side: {values!r}")


@dataclass(frozen=True, slots=True)
class Case:
    """One reused passage of the ground truth (a PAN ``plagiarism`` feature).

    ``obfuscation`` is kept for per-obfuscation reporting only; it takes no part in scoring or in
    duplicate removal, as in the official scorer.
    """

    this_offset: int
    this_length: int
    source_offset: int
    source_length: int
    suspicious_reference: str = ""
    source_reference: str = ""
    obfuscation: str | None = None

    def __post_init__(self) -> None:
        _check_ranges("Case", self.this_offset, self.this_length, self.source_offset, self.source_length)


@dataclass(frozen=True, slots=True)
class Detection:
    """One passage pair a system reports (a PAN ``detected-plagiarism`` feature)."""

    this_offset: int
    this_length: int
    source_offset: int
    source_length: int
    suspicious_reference: str = ""
    source_reference: str = ""

    def __post_init__(self) -> None:
        _check_ranges("Detection", self.this_offset, self.this_length, self.source_offset, self.source_length)


@dataclass(frozen=True, slots=True)
class PanScores:
    """The four PAN numbers plus the counts they were computed over (after duplicate removal)."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int
    averaging: str = "macro"

    def to_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


A = TypeVar("A", bound=Annotation)
_Key = tuple[str, int, int, str, int, int]


def _key(ann: Annotation) -> _Key:
    return (
        ann.suspicious_reference,
        ann.this_offset,
        ann.this_length,
        ann.source_reference,
        ann.source_offset,
        ann.source_length,
    )


def _unique(annotations: Iterable[A]) -> list[A]:
    """Drop exact duplicates, keeping first-seen order (the official scorer uses a set)."""
    seen: set[_Key] = set()
    out: list[A] = []
    for ann in annotations:
        k = _key(ann)
        if k not in seen:
            seen.add(k)
            out.append(ann)
    return out


def _by_suspicious(annotations: Iterable[A]) -> dict[str, list[A]]:
    index: dict[str, list[A]] = {}
    for ann in annotations:
        index.setdefault(ann.suspicious_reference, []).append(ann)
    return index


def is_overlapping(a: Annotation, b: Annotation) -> bool:
    """True iff ``a`` and ``b`` share both documents and intersect on both sides."""
    return (
        a.suspicious_reference == b.suspicious_reference
        and b.this_offset + b.this_length > a.this_offset
        and b.this_offset < a.this_offset + a.this_length
        and a.source_reference == b.source_reference
        and b.source_offset + b.source_length > a.source_offset
        and b.source_offset < a.source_offset + a.source_length
    )


def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    """Number of integers covered by half-open intervals, each counted once."""
    total = 0
    cur_start = cur_end = None
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if cur_end is None or start > cur_end:
            if cur_end is not None and cur_start is not None:
                total += cur_end - cur_start
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    if cur_end is not None and cur_start is not None:
        total += cur_end - cur_start
    return total


def _covered_chars(target: Annotation, others: Iterable[Annotation]) -> int:
    """Characters of ``target`` (both sides) covered by those ``others`` that overlap it."""
    hits = [o for o in others if is_overlapping(target, o)]
    if not hits:
        return 0
    t0, t1 = target.this_offset, target.this_offset + target.this_length
    s0, s1 = target.source_offset, target.source_offset + target.source_length
    this_side = _union_length((max(t0, o.this_offset), min(t1, o.this_offset + o.this_length)) for o in hits)
    source_side = _union_length((max(s0, o.source_offset), min(s1, o.source_offset + o.source_length)) for o in hits)
    return this_side + source_side


def _macro_average(reference: Sequence[Annotation], retrieved: Sequence[Annotation]) -> float:
    # Recall when reference = cases; precision when the roles are swapped, exactly as the official
    # macro_avg_precision(cases, detections) == macro_avg_recall(detections, cases).
    if not reference and not retrieved:
        return 1.0
    if not reference or not retrieved:
        return 0.0
    retrieved_index = _by_suspicious(retrieved)
    total = 0.0
    for ann in reference:
        candidates = retrieved_index.get(ann.suspicious_reference)
        if candidates:
            total += _covered_chars(ann, candidates) / (ann.this_length + ann.source_length)
    return total / len(reference)


def macro_recall(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> float:
    """Mean over cases of the share of each case's characters (both sides) that is detected."""
    return _macro_average(_unique(cases), _unique(detections))


def macro_precision(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> float:
    """Mean over detections of the share of each detection's characters that is plagiarised."""
    return _macro_average(_unique(detections), _unique(cases))


def _count_chars(annotations: Sequence[Annotation]) -> int:
    """Characters covered on the suspicious side (per suspicious document) plus on the source
    side (per source document), overlaps counted once: the official ``count_chars``."""
    this_side: dict[str, list[tuple[int, int]]] = {}
    source_side: dict[str, list[tuple[int, int]]] = {}
    for a in annotations:
        this_side.setdefault(a.suspicious_reference, []).append((a.this_offset, a.this_offset + a.this_length))
        source_side.setdefault(a.source_reference, []).append((a.source_offset, a.source_offset + a.source_length))
    return sum(_union_length(v) for v in this_side.values()) + sum(_union_length(v) for v in source_side.values())


@dataclass(frozen=True, slots=True)
class _Overlap:
    this_offset: int
    this_length: int
    source_offset: int
    source_length: int
    suspicious_reference: str
    source_reference: str


def _true_detections(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> list[_Overlap]:
    """Each (case, overlapping detection) pair reduced to the characters they share."""
    out: list[_Overlap] = []
    det_index = _by_suspicious(detections)
    for case in cases:
        for det in det_index.get(case.suspicious_reference, ()):
            if not is_overlapping(case, det):
                continue
            t0 = max(case.this_offset, det.this_offset)
            t1 = min(case.this_offset + case.this_length, det.this_offset + det.this_length)
            s0 = max(case.source_offset, det.source_offset)
            s1 = min(case.source_offset + case.source_length, det.source_offset + det.source_length)
            out.append(_Overlap(t0, t1 - t0, s0, s1 - s0, case.suspicious_reference, case.source_reference))
    return out


def micro_recall_and_precision(
    cases: Iterable[Annotation], detections: Iterable[Annotation]
) -> tuple[float, float]:
    """(recall, precision) counted over characters rather than averaged over cases/detections.

    Long cases weigh more here; PAN rankings use the macro variant, so this is a diagnostic.
    """
    case_list, det_list = _unique(cases), _unique(detections)
    if not case_list and not det_list:
        return 1.0, 1.0
    if not case_list or not det_list:
        return 0.0, 0.0
    plagiarised = _count_chars(case_list)
    detected = _count_chars(det_list)
    both = _count_chars(_true_detections(case_list, det_list))
    recall = both / plagiarised if plagiarised > 0 else 0.0
    precision = both / detected if detected > 0 else 0.0
    return recall, precision


def granularity(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> float:
    """Mean number of detections overlapping each detected case; 1.0 if none is detected."""
    case_list, det_list = _unique(cases), _unique(detections)
    if not det_list:
        return 1.0
    det_index = _by_suspicious(det_list)
    detected_cases = 0
    total = 0
    for case in case_list:
        n = sum(1 for d in det_index.get(case.suspicious_reference, ()) if is_overlapping(case, d))
        if n:
            detected_cases += 1
            total += n
    return total / detected_cases if detected_cases else 1.0


def plagdet(recall: float, precision: float, granularity: float) -> float:
    """F1 of recall and precision, discounted by log2(1 + granularity)."""
    if (recall == 0 and precision == 0) or precision < 0 or recall < 0 or granularity < 1:
        return 0.0
    return ((2 * recall * precision) / (recall + precision)) / math.log2(1 + granularity)


def pan_scores(cases: Iterable[Annotation], detections: Iterable[Annotation], *, micro: bool = False) -> PanScores:
    """All PAN measures at once, macro-averaged unless ``micro`` (granularity is the same either way)."""
    case_list, det_list = _unique(cases), _unique(detections)
    if micro:
        recall, precision = micro_recall_and_precision(case_list, det_list)
    else:
        recall = _macro_average(case_list, det_list)
        precision = _macro_average(det_list, case_list)
    gran = granularity(case_list, det_list)
    return PanScores(
        precision=precision,
        recall=recall,
        granularity=gran,
        plagdet=plagdet(recall, precision, gran),
        cases=len(case_list),
        detections=len(det_list),
        averaging="micro" if micro else "macro",
    )
