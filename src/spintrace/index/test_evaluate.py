"""The search evaluation used by `spintrace eval` and the index benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spintrace.index import Index
from spintrace.index.evaluate import SearchQuery, evaluate_search
from spintrace.ingest import Document


def zero_embed(texts):
    return np.zeros((len(texts), 384), dtype=np.float32)


def test_evaluation_scores_rank_one_and_counts_embedding_time(tmp_path: Path) -> None:
    index = Index(tmp_path / "idx")
    index.add_documents([
        Document(id="kz", text="Kazakhstan's president Kassym-Jomart Tokayev asked the CSTO for help after riots in Almaty."),
        Document(id="shell", text="Shell will pay Judy Boynton $1m after the firm over-stated its oil reserves by 20%."),
    ])
    queries = [
        SearchQuery("President Tokayev of Kazakhstan requested CSTO help following unrest in Almaty.", "kz", "spun"),
        SearchQuery("Judy Boynton gets a $1m pay-off from Shell after the reserves scandal.", "shell", "rewrite"),
        SearchQuery("Nothing in common with anything indexed here at all.", "kz", "independent"),
    ]
    evaluation = evaluate_search(index, queries, embed=zero_embed)
    summary = evaluation.summary()
    assert summary["recall_at_1_spun"] == 1.0 and summary["recall_at_1_rewrite"] == 1.0
    assert summary["independent_not_reused"] == 1.0 and summary["queries"] == 3
    assert all(0 <= o.embedding_ms <= o.milliseconds for o in evaluation.outcomes)
    assert evaluation.failures() == []
