"""``spintrace eval pairs``: document- and passage-level figures on the rewrites format.

Each variant of a BBC article (``rewrite``/``spun`` = reuse, ``independent`` = another outlet's
report of the same event) is compared with its source article; every source is also compared
with an unrelated article of the same category. The figures:

- reuse recall per variant, false-positive rate on independent and on unrelated pairs;
- verdict confusion matrix (expected: rewrite/spun -> a reuse verdict, independent ->
  ``same-story``, unrelated -> ``unrelated``);
- passage precision/recall/granularity/plagdet with the PAN measures, the ground truth being the
  variant's ``derived_from`` (suspect paragraph -> source paragraphs) mapped to character spans;
- score calibration: reliability table and Brier score (only for methods whose score is meant as
  a probability), and ROC AUC of the score for every method.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spintrace.errors import InputError
from spintrace.evaluation.baselines import Detection, Detector
from spintrace.evaluation.pan_measures import Case, PanScores, pan_scores
from spintrace.evaluation.pan_measures import Detection as PanDetection
from spintrace.evaluation.sentences import roc_auc
from spintrace.ingest.json_lines import MalformedJson, loads_untrusted

VARIANT_KINDS: tuple[str, ...] = (
    "rewrite", "spun", "summary", "independent", "independent2", "brief", "translation", "independent-translation",
)
#: Texts in another language than their BBC source: scored by the cross-language path, and kept out
#: of the English models' training sets (``read_variants(..., skip=CROSS_LANGUAGE_KINDS)``).
CROSS_LANGUAGE_KINDS: frozenset[str] = frozenset({"translation", "independent-translation"})
PLANTED_KINDS: tuple[str, ...] = ("planted spun", "planted rewrite")
EXCERPT_KINDS: tuple[str, ...] = ("excerpt spun", "excerpt rewrite")
#: Excerpts of independent reports: not reuse (``evaluation/planted.excerpt_pairs``).
EXCERPT_NOT_REUSE_KINDS: tuple[str, ...] = ("excerpt independent",)
REUSE_KINDS: frozenset[str] = frozenset({"rewrite", "spun", "summary", "translation", *PLANTED_KINDS, *EXCERPT_KINDS})
PAIR_KINDS: tuple[str, ...] = (
    "rewrite", "spun", "planted spun", "planted rewrite", *EXCERPT_KINDS, "summary", "translation",
    "independent", "independent2", *EXCERPT_NOT_REUSE_KINDS, "brief", "independent-translation", "unrelated",
)
#: What a method should do with each kind: the goal column of the document table.
GOALS: dict[str, str] = {
    "rewrite": ">= 0.98", "spun": ">= 0.98", "planted spun": ">= 0.95", "planted rewrite": ">= 0.95",
    "excerpt spun": ">= 0.95", "excerpt rewrite": ">= 0.95",
    "summary": ">= 0.85", "translation": ">= 0.95", "independent": "<= 0.03", "independent2": "<= 0.03",
    "brief": "<= 0.03", "independent-translation": "<= 0.03", "unrelated": "0.00",
    "excerpt independent": "<= 0.03",
}
VERDICT_COLUMNS: tuple[str, ...] = ("verbatim", "paraphrase", "partial", "same-story", "unrelated")
RELIABILITY_BINS = 10

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Variant:
    """One hand-written text derived from (or independent of) a BBC article."""

    source_id: str
    kind: str
    title: str
    paragraphs: tuple[str, ...]
    derived_from: tuple[tuple[int, ...], ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    category: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class EvalPair:
    """A (source, suspect) pair with its expected class and passage ground truth."""

    label: str
    kind: str
    source_id: str
    source_text: str
    suspect_text: str
    cases: tuple[Case, ...] = ()

    @property
    def reuse(self) -> bool:
        return self.kind in REUSE_KINDS


@dataclass(slots=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_score: float
    reuse_share: float


@dataclass(slots=True)
class PairsReport:
    """All figures of one method on one set of pairs."""

    method: str
    calibrated: bool
    pairs: int
    reuse_recall: dict[str, float]
    false_positive_rate: dict[str, float]
    counts: dict[str, int]
    confusion: dict[str, dict[str, int]]
    passages: dict[str, PanScores]
    auc: float
    brier: float | None
    reliability: list[ReliabilityBin]
    scores: dict[str, list[float]] = field(default_factory=dict)
    threshold: float | None = None
    misses: list[str] = field(default_factory=list)
    condensed: dict[str, float] = field(default_factory=dict)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs, stripped, as ``[start, end)`` spans (numbered from 0)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece_end, next_pos in [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)] + [(len(text), len(text))]:
        start, end = pos, piece_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        pos = next_pos
    return spans


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = loads_untrusted(line)
                except MalformedJson as exc:
                    raise InputError(f"{path}:{number}", str(exc)) from None
                if not isinstance(record, dict):
                    raise InputError(f"{path}:{number}", "a line must be a JSON object")
                yield number, record
        except UnicodeDecodeError:
            raise InputError(str(path), "not UTF-8 text (expected JSON Lines)") from None


def read_variants(paths: Sequence[str | Path], warnings: list[str] | None = None,
                  skip: frozenset[str] = frozenset()) -> list[Variant]:
    """Variants from rewrites-format JSONL files; an unusable record is skipped and named in
    ``warnings``; variants of the kinds in ``skip`` are left out silently. A file without a single
    usable record is an ``InputError``."""
    variants: list[Variant] = []
    for path in map(Path, paths):
        before = len(variants)
        for number, rec in _read_jsonl(path):
            where = f"{path}:{number}"
            paragraphs, derived = rec.get("paragraphs"), rec.get("derived_from")
            problem = None
            if rec.get("variant") in skip:
                continue
            if not isinstance(rec.get("id"), str) or rec.get("variant") not in VARIANT_KINDS:
                problem = "needs a string 'id' and 'variant' one of " + "/".join(VARIANT_KINDS)
            elif not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs) or not any(
                p.strip() for p in paragraphs
            ):
                problem = "'paragraphs' must be a non-empty list of strings"
            elif not isinstance(derived, list) or len(derived) != len(paragraphs) or not all(
                isinstance(d, list) and all(isinstance(i, int) and i >= 0 for i in d) for d in derived
            ):
                problem = "'derived_from' must hold one list of source paragraph indices per paragraph"
            if problem:
                if warnings is not None:
                    warnings.append(f"{where}: skipped: {problem}")
                continue
            variants.append(
                Variant(rec["id"], rec["variant"], str(rec.get("title", "")), tuple(p.strip() for p in paragraphs),
                        tuple(tuple(d) for d in derived))
            )
        if len(variants) == before and not any(True for _, r in _read_jsonl(path) if r.get("variant") in skip):
            raise InputError(str(path), "no usable rewrites-format records")
    return variants


def read_articles(path: str | Path) -> dict[str, Article]:
    """BBC articles (``{"id","category","title","text"}`` a line) by id."""
    articles: dict[str, Article] = {}
    for number, rec in _read_jsonl(Path(path)):
        if not all(isinstance(rec.get(k), str) for k in ("id", "text")):
            raise InputError(f"{path}:{number}", "an article needs string 'id' and 'text'")
        articles[rec["id"]] = Article(rec["id"], str(rec.get("category", "")), str(rec.get("title", "")), rec["text"])
    if not articles:
        raise InputError(str(path), "no articles")
    return articles


def consecutive_runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted indices as maximal runs of consecutive values, (first, last)."""
    runs: list[tuple[int, int]] = []
    for i in sorted(set(indices)):
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def truth_cases(label: str, source_text: str, variant: Variant) -> tuple[Case, ...]:
    """PAN cases from ``derived_from``: each suspect paragraph against each run of consecutive
    source paragraphs it derives from. Indices past the source's last paragraph are an error."""
    src_spans = paragraph_spans(source_text)
    sus_spans = paragraph_spans(variant.text)
    if len(sus_spans) != len(variant.paragraphs):
        raise InputError(label, "a paragraph contains a blank line, so paragraph numbers would not match")
    cases = []
    for (s0, s1), derived in zip(sus_spans, variant.derived_from):
        for first, last in consecutive_runs(derived):
            if last >= len(src_spans):
                raise InputError(label, f"derived_from names source paragraph {last}, the source has {len(src_spans)}")
            cases.append(Case(s0, s1 - s0, src_spans[first][0], src_spans[last][1] - src_spans[first][0],
                              label, variant.source_id))
    return tuple(cases)


def build_pairs(
    variants: Sequence[Variant], articles: dict[str, Article], seed: int = 0, warnings: list[str] | None = None,
    planted: bool = True,
) -> list[EvalPair]:
    """The variant pairs, plus for each source one unrelated article of the same category.

    With ``planted``, each spun and rewrite variant also gives a planted partial copy and an
    excerpt (``evaluation/planted.py``). The unrelated article is drawn with a generator seeded by ``seed`` and the source id, so runs
    repeat exactly; articles with the same body as the source (the BBC set has duplicates) or that
    are themselves a source here are never drawn.
    """
    pairs: list[EvalPair] = []
    sources: list[str] = []
    for variant in variants:
        article = articles.get(variant.source_id)
        if article is None:
            if warnings is not None:
                warnings.append(f"{variant.source_id} ({variant.kind}): skipped: unknown article id")
            continue
        label = f"{variant.source_id}#{variant.kind}"
        pairs.append(EvalPair(label, variant.kind, variant.source_id, article.text, variant.text,
                              truth_cases(label, article.text, variant)))
        if variant.source_id not in sources:
            sources.append(variant.source_id)
    used = set(sources)
    by_category: dict[str, list[Article]] = {}
    for article in sorted(articles.values(), key=lambda a: a.id):
        by_category.setdefault(article.category, []).append(article)
    for source_id in sources:
        source = articles[source_id]
        candidates = [a for a in by_category.get(source.category, []) if a.id not in used and a.text.strip() != source.text.strip()]
        if not candidates:
            continue
        other = random.Random(f"{seed}:{source_id}").choice(candidates)
        pairs.append(EvalPair(f"{source_id}#unrelated:{other.id}", "unrelated", source_id, source.text, other.text))
    if planted:
        from spintrace.evaluation.planted import excerpt_pairs, planted_pairs

        known = [v for v in variants if v.source_id in articles]
        pairs += planted_pairs(known, articles, seed=seed)
        pairs += excerpt_pairs(known, articles, seed=seed)
    return pairs


def _rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def reliability_table(scores: Sequence[float], outcomes: Sequence[bool], bins: int = RELIABILITY_BINS) -> list[ReliabilityBin]:
    """Scores in equal-width bins: how many, their mean, and the observed share of reuse."""
    table = []
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(outcomes, dtype=bool)
    index = np.minimum((s * bins).astype(int), bins - 1)
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        table.append(ReliabilityBin(b / bins, (b + 1) / bins, n, float(s[mask].mean()) if n else float("nan"),
                                    float(y[mask].mean()) if n else float("nan")))
    return table


def score_detections(pairs: Sequence[EvalPair], detections: Sequence[Detection], method: str, calibrated: bool) -> PairsReport:
    """The figures for detections already made (``detections[i]`` belongs to ``pairs[i]``)."""
    by_kind: dict[str, list[tuple[EvalPair, Detection]]] = {k: [] for k in PAIR_KINDS}
    for pair, det in zip(pairs, detections, strict=True):
        by_kind.setdefault(pair.kind, []).append((pair, det))
    columns = VERDICT_COLUMNS if any(d.verdict for d in detections) else ("reused", "not reused")
    confusion = {}
    for kind, items in by_kind.items():
        row = dict.fromkeys(columns, 0)
        for _, det in items:
            row[det.verdict if det.verdict in row else ("reused" if det.reused else "not reused")] += 1
        confusion[kind] = row

    def pan(items: list[tuple[EvalPair, Detection]]) -> PanScores:
        cases = [c for p, _ in items for c in p.cases]
        found = [
            PanDetection(d.suspect_start, d.suspect_end - d.suspect_start, d.source_start, d.source_end - d.source_start,
                         p.label, p.source_id)
            for p, det in items for d in det.passages if d.suspect_end > d.suspect_start or d.source_end > d.source_start
        ]
        return pan_scores(cases, found)

    present = [k for k in by_kind if by_kind[k]]
    reuse_items = [it for k in present if k in REUSE_KINDS for it in by_kind[k]]
    passages = {k: pan(by_kind[k]) for k in present if k != "unrelated"}
    if reuse_items:
        passages["all reuse"] = pan(reuse_items)
    scores = [d.score for d in detections]
    outcomes = [p.reuse for p in pairs]
    brier = float(np.mean([(s - y) ** 2 for s, y in zip(scores, outcomes)])) if calibrated and scores else None
    return PairsReport(
        method=method,
        calibrated=calibrated,
        pairs=len(pairs),
        reuse_recall={k: _rate([d.reused for _, d in by_kind[k]]) for k in present if k in REUSE_KINDS},
        false_positive_rate={k: _rate([d.reused for _, d in by_kind[k]]) for k in present if k not in REUSE_KINDS},
        counts={k: len(v) for k, v in by_kind.items()},
        confusion=confusion,
        passages=passages,
        condensed={k: _rate([d.condensed for _, d in by_kind[k]]) for k in present},
        auc=roc_auc(outcomes, scores),
        brier=brier,
        reliability=reliability_table(scores, outcomes) if calibrated else [],
        scores={k: [d.score for _, d in v] for k, v in by_kind.items()},
        misses=[p.label for p, d in zip(pairs, detections) if d.reused != p.reuse],
    )


def evaluate_pairs(pairs: Sequence[EvalPair], detector: Detector) -> PairsReport:
    """Run ``detector`` on every pair and compute all figures."""
    detections = [detector.detect(p.source_text, p.suspect_text) for p in pairs]
    report = score_detections(pairs, detections, detector.name, detector.calibrated)
    report.threshold = getattr(detector, "threshold", None)
    return report


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None or value != value else f"{value:.{digits}f}"


def document_rows(reports: Sequence[PairsReport]) -> list[list[str]]:
    """Document-level table: one row per kind of pair, the share called reuse by each method."""
    kinds = [k for k in PAIR_KINDS if any(r.counts.get(k) for r in reports)]
    kinds += [k for r in reports for k in r.counts if r.counts[k] and k not in kinds]
    rows = [["case", "n", "reuse?", *(f"{r.method} called reuse" for r in reports), "goal"]]
    for kind in kinds:
        rates = [r.reuse_recall.get(kind, r.false_positive_rate.get(kind)) for r in reports]
        rows.append([kind, str(max(r.counts.get(kind, 0) for r in reports)), "yes" if kind in REUSE_KINDS else "no",
                     *(_fmt(v) for v in rates), GOALS.get(kind, "-")])
    rows.append(["ROC AUC of the score", "", "", *(_fmt(r.auc) for r in reports), ""])
    rows.append(["Brier score", "", "", *(_fmt(r.brier) for r in reports), ""])
    if any(r.condensed.get("summary") for r in reports):
        rows.append(["summaries flagged `condensed`", str(reports[0].counts.get("summary", 0)), "",
                     *(_fmt(r.condensed.get("summary")) for r in reports), ""])
    # An excerpt is a partial copy, as long as the stretch it reproduces: flagging it condensed is wrong.
    for kind, name in (("excerpt spun", "excerpts of spun copies"), ("excerpt rewrite", "excerpts of rewrites")):
        if any(kind in r.condensed for r in reports):
            rows.append([f"{name} flagged `condensed` (wrongly)", str(reports[0].counts.get(kind, 0)), "",
                         *(_fmt(r.condensed.get(kind)) for r in reports), ""])
    return rows


def passage_rows(reports: Sequence[PairsReport]) -> list[list[str]]:
    """Passage-level PAN measures: one row per method and subset."""
    rows = [["method", "subset", "cases", "detections", "precision", "recall", "granularity", "plagdet"]]
    for r in reports:
        for subset, s in r.passages.items():
            rows.append([r.method, subset, str(s.cases), str(s.detections), _fmt(s.precision), _fmt(s.recall),
                         _fmt(s.granularity), _fmt(s.plagdet)])
    return rows


def confusion_rows(report: PairsReport) -> list[list[str]]:
    columns = list(next(iter(report.confusion.values())).keys()) if report.confusion else []
    rows = [["true \\ predicted", *columns]]
    for kind, row in report.confusion.items():
        if report.counts.get(kind):
            rows.append([kind, *(str(row[c]) for c in columns)])
    return rows


def reliability_rows(report: PairsReport) -> list[list[str]]:
    rows = [["score bin", "pairs", "mean score", "observed reuse share"]]
    for b in report.reliability:
        if b.count:
            rows.append([f"{b.low:.1f}-{b.high:.1f}", str(b.count), _fmt(b.mean_score), _fmt(b.reuse_share)])
    return rows
