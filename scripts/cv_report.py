"""Markdown tables of out-of-fold results (``scripts/fit_models.py``), beside the previous release."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spintrace.evaluation.baselines import DetectedPassage, Detection  # noqa: E402
from spintrace.evaluation.pairs import EvalPair, passage_rows, score_detections  # noqa: E402
from spintrace.evaluation.real_pages import RealPair, real_pages_markdown, score_real_pairs  # noqa: E402
from spintrace.evaluation.suite import markdown_table  # noqa: E402
from spintrace.evaluation.pairs import document_rows  # noqa: E402

DATASETS = {
    "handmade": "Hand-written development set (eval-data/rewrites-handmade, 30 articles)",
    "heldout": "Hand-written held-out set 1 (eval-data/rewrites-heldout, 8 articles)",
    "heldout2": "Held-out set 2, development since its first run (eval-data/rewrites-heldout2, 30 articles, English variants)",
    "heldout3": "Held-out set 3, development since its first run (eval-data/rewrites-heldout3, 40 articles, with short independent briefs)",
    "heldout4": "Held-out set 4, development since its first run (eval-data/rewrites-heldout4, 40 articles, with short independent briefs)",
    "rewrites-dev": "Shared rewrites-dev (30 articles, with summaries and second independent reports)",
    "real-dev": "Real pages, development half (../shared/data/news-reuse-real, 24 events)",
}


def _detection(result) -> Detection:
    passages = tuple(DetectedPassage(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in result.passages)
    return Detection(result.reused, float(result.score), passages, result.verdict, bool(getattr(result, "condensed", False)))


def _previous(path: str | None) -> dict[str, Detection]:
    if not path:
        return {}
    out = {}
    for dataset, label, _kind, verdict, reused, score, passages in pickle.loads(Path(path).read_bytes()):
        out[f"{dataset}|{label}"] = Detection(reused, score, tuple(DetectedPassage(*p) for p in passages), verdict)
    return out


def _real_pair(p) -> RealPair:
    a, b = p.label.split("~")
    m = re.match(r"real (\S+)(?: \((.*)\))?$", p.kind)
    return RealPair(p.group.removeprefix("event:"), a, b, m.group(1), m.group(2) or "", p.source_text, p.suspect_text)


def cv_markdown(records: list[dict], results: dict, folds: int, previous_path: str | None = None) -> str:
    previous = _previous(previous_path)
    parts = [
        f"Grouped {folds}-fold cross-validation: each BBC source article (with all its variants, planted copies "
        "and unrelated partner) and each real-page event sits in exactly one test fold; every pair is compared "
        "by the whole pipeline with the derivation judge and document model fitted on the other folds. "
        "`previous release` is commit a2be94f (session 9's release) on the same pairs, by "
        "`scripts/labelled_sets.py`-style detections at that commit (its models were fitted on most of these sets, "
        "so its figures here are optimistic for it).\n"
    ]
    for dataset, title in DATASETS.items():
        recs = [r for r in records if r["pair"].dataset == dataset]
        if not recs:
            continue
        keys = [f"{dataset}|{r['pair'].label}" for r in recs]
        cv = [_detection(results[k]) for k in keys]
        # The previous release is shown on the pairs it was run on (pair kinds added since, such
        # as excerpts, have no previous figure).
        known = [i for i, k in enumerate(keys) if k in previous]
        parts.append(f"\n### {title}\n\n")
        if dataset.startswith("real"):
            pairs = [_real_pair(r["pair"]) for r in recs]
            reports = [score_real_pairs(pairs, cv, "grouped CV")]
            if known:
                reports.insert(0, score_real_pairs([pairs[i] for i in known], [previous[keys[i]] for i in known],
                                                   "previous release"))
            parts.append(real_pages_markdown(reports, markdown_table))
            continue
        pairs = [EvalPair(r["pair"].label, r["pair"].kind, r["pair"].group, r["pair"].source_text,
                          r["pair"].suspect_text, r["pair"].cases) for r in recs]
        reports = [score_detections(pairs, cv, "grouped CV", calibrated=True)]
        if known:
            reports.insert(0, score_detections([pairs[i] for i in known], [previous[keys[i]] for i in known],
                                               "previous release", calibrated=True))
        parts.append(markdown_table(document_rows(reports)))
        parts.append("\nPassages against the `derived_from` paragraph truth:\n\n" + markdown_table(passage_rows(reports)))
        misses = reports[-1].misses
        if misses:
            parts.append(f"\nWrong reuse decisions (grouped CV, {len(misses)}): " + ", ".join(f"`{m}`" for m in misses) + "\n")
    return "".join(parts)
