"""Accuracy regression guard: small subsets of each benchmark with the real pipeline.

Thresholds sit a few points under the figures measured when they were set (noted beside each), so
a change that costs accuracy fails CI while run-to-run noise does not. ``make eval`` gives the
full figures (EVALUATION.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, shared_path
from spintrace.evaluation.sentences import SentenceScorers, evaluate_sentences, read_mrpc
from spintrace.evaluation.suite import ORACLE, run_pairs, run_pan

HANDMADE = ROOT / "eval-data" / "rewrites-handmade"
# Four articles of the hand-written set, one per category where possible.
PAIR_SOURCES = (
    "bbc/business/boeing-unveils-new-777-aircraft",
    "bbc/politics/guantanamo-pair-s-passport-ban",
    "bbc/tech/iran-jails-blogger-for-14-years",
    "bbc/sport/scotland-18-10-italy",
)


# Measured 2026-11-25 (values in brackets); thresholds a few points under.
PAN_PLAGDET_MIN = 0.83  # [0.877 on the first 10 pairs; exact-copy oracle 0.912]
PAN_RECALL_MIN = 0.85  # [0.901]
PAN_RELOCATED_PLAGDET_MIN = 0.92  # [0.960 against the truth moved onto the copies]
MRPC_AUC_MIN = 0.66  # [0.712 on 100 dev pairs, thresholds from 400 train pairs]
MRPC_ACCURACY_MIN = 0.66  # [0.710; majority class 0.660]
REWRITE_RECALL_MIN = 0.75  # [1.0 on 4 pairs: one miss fails]
SPUN_RECALL_MIN = 0.75  # [1.0]
INDEPENDENT_FPR_MAX = 0.25  # [0.0]
PASSAGE_PLAGDET_MIN = 0.80  # [0.863]

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]


def _quiet(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def pan_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 10 pairs of the shared PAN sample, as a corpus of its own."""
    sample = shared_path("pan-no-obfuscation-sample")
    corpus = tmp_path_factory.mktemp("pan10")
    lines = (sample / "pairs").read_text(encoding="utf-8").splitlines()[:10]
    (corpus / "pairs").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for folder in ("susp", "src", "truth"):
        (corpus / folder).symlink_to(sample / folder, target_is_directory=True)
    return corpus


def test_pan_subset(pan_subset: Path, tmp_path: Path) -> None:
    reports, _ = run_pan(pan_subset, ["spintrace", "ngram", "minhash"], detections_dir=tmp_path, progress=_quiet)
    ceiling = reports[ORACLE].overall
    spintrace = reports["spintrace"].overall
    assert len(list((tmp_path / "spintrace").glob("*.xml"))) == 10
    assert spintrace.plagdet >= PAN_PLAGDET_MIN
    assert spintrace.recall >= PAN_RECALL_MIN
    assert spintrace.granularity <= 1.10
    assert ceiling.plagdet < 0.95  # the stored truth offsets are off: see pan_oracle
    relocated = reports["spintrace"].relocated
    assert relocated is not None, "the truth check no longer notices the shifted truth"
    assert relocated.overall.plagdet >= PAN_RELOCATED_PLAGDET_MIN
    assert relocated.overall.granularity <= 1.05
    assert reports["minhash"].overall.recall == 0.0  # passages copied into other text: no near-duplicate


def test_mrpc_subset() -> None:
    folder = shared_path("mrpc")
    train = read_mrpc(folder / "msr_paraphrase_train.txt", limit=400)
    dev = read_mrpc(folder / "msr_paraphrase_dev.txt", limit=100)
    results = {r.method: r for r in evaluate_sentences(train, dev, ["spintrace", "embedding", "minhash"], SentenceScorers())}
    assert results["spintrace"].auc >= MRPC_AUC_MIN
    assert results["spintrace"].accuracy >= MRPC_ACCURACY_MIN
    assert results["minhash"].auc < results["spintrace"].auc


def test_rewrites_subset() -> None:
    articles = shared_path("bbc-news", "articles.jsonl")
    run = run_pairs(sorted(HANDMADE.glob("*.jsonl")), articles, ["spintrace", "minhash"], source_ids=PAIR_SOURCES,
                    progress=_quiet)
    spintrace, minhash = run.reports
    # rewrite, spun, independent, unrelated, 2 planted, 3 excerpts (of the spun, rewrite, independent)
    assert run.pairs == 9 * len(PAIR_SOURCES)
    assert spintrace.reuse_recall["rewrite"] >= REWRITE_RECALL_MIN
    assert spintrace.reuse_recall["spun"] >= SPUN_RECALL_MIN
    assert spintrace.false_positive_rate["independent"] <= INDEPENDENT_FPR_MAX
    assert spintrace.false_positive_rate["unrelated"] == 0.0
    assert spintrace.passages["all reuse"].plagdet >= PASSAGE_PLAGDET_MIN
    assert spintrace.reuse_recall["planted spun"] >= SPUN_RECALL_MIN
    assert spintrace.reuse_recall["excerpt spun"] >= SPUN_RECALL_MIN
    # The point of the product: near-duplicate detection does not see spins.
    assert minhash.reuse_recall["spun"] == 0.0


# The first held-out set, measured 2026-11-25: rewrite recall 0.875 (7/8), spun 1.0, independent
# FPR 0.125 (1/8), rewrite+spun passage plagdet 0.844. Since issue 10 it is part of the grouped
# cross-validation data (evaluation-cv.md): all reuse 0.822 with planted copies; planted spun 1.0.
HELDOUT = ROOT / "eval-data" / "rewrites-heldout" / "variants.jsonl"


def test_heldout_set() -> None:
    articles = shared_path("bbc-news", "articles.jsonl")
    run = run_pairs([HELDOUT], articles, ["spintrace"], progress=_quiet)
    [spintrace] = run.reports
    assert run.pairs == 72  # 48 before excerpts (one per rewrite, spun copy and independent report)
    assert spintrace.reuse_recall["rewrite"] >= 0.74
    assert spintrace.reuse_recall["spun"] >= 0.85
    assert spintrace.false_positive_rate["independent"] <= 0.25
    assert spintrace.false_positive_rate["unrelated"] == 0.0
    assert spintrace.passages["all reuse"].plagdet >= 0.78
    assert spintrace.reuse_recall["planted spun"] >= 0.85
