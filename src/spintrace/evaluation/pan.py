"""Score a passage detector on a PAN text-alignment corpus with the official PAN measures.

Any callable ``(suspicious_text, source_text) -> [(susp_start, susp_end, src_start, src_end), ...]``
can be scored, so spintrace and the baselines go through the same code. Note the argument order:
suspicious first, as in PAN, which is the reverse of ``baselines.Detector.detect(source, suspect)``.

Per-obfuscation scores follow how PAN reports them: PAN evaluates each obfuscation sub-corpus on
its own, so the score for type *t* uses the cases of type *t* and the detections made in the
pairs that contain a case of type *t*. (A pair holding cases of several types lends its
detections to each of them.) Detections in pairs without any case count only in ``overall``,
where they cost precision as they should.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spintrace.evaluation.pan_corpus import PanPair, iter_pairs, read_detections, write_detections
from spintrace.evaluation.pan_measures import Case, Detection, PanScores, pan_scores
from spintrace.evaluation.pan_truth_check import check_truth

__all__ = ["Detector", "PanReport", "evaluate_pan", "evaluate_pan_detections", "spans_to_detections"]

Span = tuple[int, int, int, int]
Detector = Callable[[str, str], Sequence[Span]]

UNSPECIFIED_OBFUSCATION = "unspecified"


@dataclass(frozen=True, slots=True)
class PanReport:
    """Scores over the whole corpus and per obfuscation type of the truth."""

    overall: PanScores
    by_obfuscation: dict[str, PanScores]
    overall_micro: PanScores
    pairs: int
    #: Document level: pairs the method called reuse (every PAN pair holds reuse), when known.
    pairs_flagged: int | None = None
    #: What ``check_truth`` found, when some truth offsets do not hold their copied text.
    truth_check: str | None = None
    #: The same detections scored against the relocated truth (only when offsets are off).
    relocated: "PanReport | None" = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pairs": self.pairs,
            "pairs_flagged": self.pairs_flagged,
            "overall": self.overall.to_dict(),
            "overall_micro": self.overall_micro.to_dict(),
            "by_obfuscation": {k: v.to_dict() for k, v in self.by_obfuscation.items()},
        }
        if self.relocated is not None:
            out["truth_check"] = self.truth_check
            out["relocated_truth"] = self.relocated.to_dict()
        return out

    def to_markdown(self) -> str:
        """A table whose rows read like PAN overview tables (plagdet first)."""
        lines = [
            "| subset | cases | detections | plagdet | recall | precision | granularity |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]

        def row(name: str, s: PanScores) -> str:
            return (
                f"| {name} | {s.cases} | {s.detections} | {s.plagdet:.4f} | {s.recall:.4f} | "
                f"{s.precision:.4f} | {s.granularity:.4f} |"
            )

        lines.append(row("overall (macro)", self.overall))
        lines.append(row("overall (micro)", self.overall_micro))
        for name in sorted(self.by_obfuscation):
            lines.append(row(f"obfuscation={name}", self.by_obfuscation[name]))
        return "\n".join(lines) + "\n"


def spans_to_detections(pair: PanPair, spans: Iterable[Span]) -> list[Detection]:
    """Turn end-exclusive spans into PAN detections for ``pair``.

    Out-of-range or reversed spans raise ``ValueError``: they are detector bugs, and scoring them
    quietly would report offsets that point at the wrong text. Spans empty on both sides carry no
    characters and are dropped (the official scorer would divide by zero on them); spans empty on
    one side only are kept and scored as PAN would, i.e. they cannot overlap any case.
    """
    # Bounds come from the texts, widened to the truth's own extent: some public copies of PAN
    # (the shared no-obfuscation sample included) hold truth cases that run past the end of the
    # text, and an oracle that echoes the truth must still be scorable.
    n_susp = max([len(pair.suspicious_text)] + [c.this_offset + c.this_length for c in pair.cases])
    n_src = max([len(pair.source_text)] + [c.source_offset + c.source_length for c in pair.cases])
    out: list[Detection] = []
    for span in spans:
        if len(span) != 4:
            raise ValueError(
                f"{pair.file_name}: detector span {span!r} is not (susp_start, susp_end, src_start, src_end)"
            )
        s0, s1, r0, r1 = (int(v) for v in span)
        if not (0 <= s0 <= s1 <= n_susp and 0 <= r0 <= r1 <= n_src):
            raise ValueError(
                f"{pair.file_name}: detector span {span!r} is reversed or outside the texts "
                f"(suspicious has {n_susp} characters, source {n_src})"
            )
        if s1 == s0 and r1 == r0:
            continue
        out.append(Detection(s0, s1 - s0, r0, r1 - r0, pair.suspicious_reference, pair.source_reference))
    return out


def _report_with_truth_check(pairs: list[PanPair], detections_by_pair: Sequence[Sequence[Detection]]) -> PanReport:
    """Scores against the truth as given, and beside them against the relocated truth when the
    truth's offsets do not hold their copied text (see ``pan_truth_check``)."""
    report = _report(pairs, detections_by_pair)
    check = check_truth(pairs)
    if check.offsets_hold:
        return report
    return replace(report, truth_check=check.summary(), relocated=_report(list(check.pairs), detections_by_pair))


def _report(pairs: Sequence[PanPair], detections_by_pair: Sequence[Sequence[Detection]]) -> PanReport:
    cases: list[Case] = [c for p in pairs for c in p.cases]
    detections: list[Detection] = [d for ds in detections_by_pair for d in ds]
    types: dict[str, tuple[list[Case], list[Detection]]] = {}
    for pair, dets in zip(pairs, detections_by_pair, strict=True):
        pair_types = {c.obfuscation or UNSPECIFIED_OBFUSCATION for c in pair.cases}
        for t in pair_types:
            t_cases, t_dets = types.setdefault(t, ([], []))
            t_cases.extend(c for c in pair.cases if (c.obfuscation or UNSPECIFIED_OBFUSCATION) == t)
            t_dets.extend(dets)
    return PanReport(
        overall=pan_scores(cases, detections),
        by_obfuscation={t: pan_scores(c, d) for t, (c, d) in sorted(types.items())},
        overall_micro=pan_scores(cases, detections, micro=True),
        pairs=len(pairs),
    )


def evaluate_pan(corpus_dir: str | Path, detector: Detector, out_dir: str | Path | None = None,
                 truth: str = "truth") -> PanReport:
    """Run ``detector`` on every pair of the corpus and score it against the truth.

    With ``out_dir``, each pair's detections are also written as PAN XML, so the run can be
    re-scored or checked with the official scorer.
    """
    pairs: list[PanPair] = []
    detections_by_pair: list[list[Detection]] = []
    for pair in iter_pairs(corpus_dir, truth):
        dets = spans_to_detections(pair, detector(pair.suspicious_text, pair.source_text))
        if out_dir is not None:
            write_detections(out_dir, pair, dets)
        pairs.append(pair)
        detections_by_pair.append(dets)
    return _report_with_truth_check(pairs, detections_by_pair)


def evaluate_pan_detections(corpus_dir: str | Path, detections_dir: str | Path, truth: str = "truth") -> PanReport:
    """Score detection XML files already on disk (ours or another PAN system's).

    Each pair reads the file named like its truth file; a missing file means no detections, as
    with the official scorer, which only sees the files that exist.
    """
    pairs: list[PanPair] = []
    detections_by_pair: list[list[Detection]] = []
    det_root = Path(detections_dir)
    for pair in iter_pairs(corpus_dir, truth):
        path = det_root / pair.file_name
        pairs.append(pair)
        detections_by_pair.append(read_detections(path) if path.exists() else [])
    return _report_with_truth_check(pairs, detections_by_pair)
