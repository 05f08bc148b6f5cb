"""``spintrace eval`` on real web pages: documents grouped by event and hand-labelled pairs.

The format (``../shared/data/news-reuse-real/pairs.jsonl``) has two kinds of lines::

    {"type": "doc", "id": "<event>/<n>", "event": "<event>", "url", "site", "text"}
    {"type": "pair", "a": "<doc id>", "b": "<doc id>", "label": "copy" | "independent" |
     "unrelated-same-topic" | "unsure", "evidence": "..."}

A ``copy`` must be called reuse; ``independent`` and ``unrelated-same-topic`` must not; ``unsure``
is left out. The figures: copies found and false positives by label, copies found by copy kind
(the evidence starts with the kind where it was recorded), and both per event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spintrace.errors import InputError
from spintrace.evaluation.baselines import Detection, Detector
from spintrace.evaluation.pairs import _read_jsonl

LABELS: tuple[str, ...] = ("copy", "independent", "unrelated-same-topic")
COPY_KINDS: tuple[str, ...] = ("spun/reworded", "lightly edited", "verbatim", "partial reuse")
UNRECORDED = "kind not recorded"
GOALS = {"copy": ">= 0.90", "independent": "<= 0.01", "unrelated-same-topic": "<= 0.01"}


@dataclass(frozen=True, slots=True)
class RealPair:
    event: str
    a: str
    b: str
    label: str
    copy_kind: str
    a_text: str
    b_text: str

    @property
    def reuse(self) -> bool:
        return self.label == "copy"


def copy_kind(evidence: str) -> str:
    low = evidence.strip().lower()
    return next((k for k in COPY_KINDS if low.startswith(k)), UNRECORDED)


def is_real_pages_file(path: str | Path) -> bool:
    """True when the first record of a JSONL file is a real-pages ``doc`` or ``pair`` line."""
    for _, record in _read_jsonl(Path(path)):
        return record.get("type") in ("doc", "pair")
    return False


def read_real_pairs(paths: Sequence[str | Path], warnings: list[str] | None = None) -> list[RealPair]:
    """The scored pairs (``unsure`` left out) of one or more real-pages files."""
    docs: dict[str, dict] = {}
    raw: list[tuple[str, dict]] = []
    for path in map(Path, paths):
        for number, rec in _read_jsonl(path):
            where = f"{path}:{number}"
            if rec.get("type") == "doc":
                if not isinstance(rec.get("id"), str) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                    raise InputError(where, "a doc needs string 'id' and non-empty 'text'")
                docs[rec["id"]] = rec
            elif rec.get("type") == "pair":
                raw.append((where, rec))
            elif warnings is not None:
                warnings.append(f"{where}: skipped: 'type' must be doc or pair")
    pairs = []
    for where, rec in raw:
        label = rec.get("label")
        if label == "unsure":
            continue
        a, b = docs.get(rec.get("a")), docs.get(rec.get("b"))
        if label not in LABELS or a is None or b is None:
            if warnings is not None:
                warnings.append(f"{where}: skipped: unknown label or document id")
            continue
        event = str(a.get("event") or a["id"].rsplit("/", 1)[0])
        kind = copy_kind(str(rec.get("evidence", ""))) if label == "copy" else ""
        pairs.append(RealPair(event, a["id"], b["id"], label, kind, a["text"], b["text"]))
    if not pairs:
        raise InputError(", ".join(map(str, paths)), "no labelled pairs (expected doc and pair lines)")
    return pairs


@dataclass(slots=True)
class RealPagesReport:
    method: str
    by_label: dict[str, tuple[int, int]]  # label -> (called reuse, pairs)
    by_kind: dict[str, tuple[int, int]]  # copy kind -> (found, copies)
    by_event: dict[str, dict[str, tuple[int, int]]]
    wrong: list[str] = field(default_factory=list)


def score_real_pairs(pairs: Sequence[RealPair], detections: Sequence[Detection], method: str) -> RealPagesReport:
    def tally(items) -> tuple[int, int]:
        items = list(items)
        return sum(1 for _, d in items if d.reused), len(items)

    both = list(zip(pairs, detections, strict=True))
    by_label = {label: tally((p, d) for p, d in both if p.label == label) for label in LABELS}
    kinds = [k for k in (*COPY_KINDS, UNRECORDED) if any(p.copy_kind == k for p in pairs)]
    by_kind = {k: tally((p, d) for p, d in both if p.label == "copy" and p.copy_kind == k) for k in kinds}
    by_event = {
        event: {label: tally((p, d) for p, d in both if p.event == event and p.label == label) for label in LABELS}
        for event in sorted({p.event for p in pairs})
    }
    wrong = [f"{p.a} ~ {p.b} ({p.label}{', ' + p.copy_kind if p.copy_kind else ''})" for p, d in both if d.reused != p.reuse]
    return RealPagesReport(method, by_label, by_kind, by_event, wrong)


def evaluate_real_pages(pairs: Sequence[RealPair], detector: Detector) -> RealPagesReport:
    return score_real_pairs(pairs, [detector.detect(p.a_text, p.b_text) for p in pairs], detector.name)


def _rate(found: int, total: int) -> str:
    return f"{found}/{total} ({found / total:.3f})" if total else "-"


def real_pages_markdown(reports: Sequence[RealPagesReport], table: Callable[[list[list[str]]], str]) -> str:
    """Tables: by label (copies found, false positives), by copy kind, by event."""
    labels = [["pairs", *(f"{r.method} called reuse" for r in reports), "goal"]]
    for label in LABELS:
        labels.append([label, *(_rate(*r.by_label[label]) for r in reports), GOALS[label]])
    kinds = [["copy kind", *(f"{r.method} found" for r in reports)]]
    for kind in reports[0].by_kind:
        kinds.append([kind, *(_rate(*r.by_kind[kind]) for r in reports)])
    events = [["event", *(f"{r.method}: copies found / independent called reuse / unrelated called reuse" for r in reports)]]
    for event in reports[0].by_event:
        events.append([event, *(" / ".join(_rate(*r.by_event[event][label]) for label in LABELS) for r in reports)])
    text = "By label:\n\n" + table(labels) + "\nCopies by kind:\n\n" + table(kinds) + "\nBy event:\n\n" + table(events)
    for r in reports:
        if r.wrong:
            text += f"\nWrong decisions of {r.method} ({len(r.wrong)}): " + "; ".join(r.wrong[:40])
            text += " ..." if len(r.wrong) > 40 else ""
            text += "\n"
    return text
