"""Trace's candidate ranking in an archive where every name of a source is common."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import shared_path
from spintrace.evaluation.trace_cases import compilations, read_variant_records
from spintrace.index import Index
from spintrace.index.store import Store
from spintrace.index.trace import ranked_sources
from spintrace.pipeline.analyse import analyse_text
from spintrace.retrieve.coverage import CoverageParams, coverage_candidates, sentence_keys
from spintrace.segment import segment_sentences
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES

ROOT = Path(__file__).resolve().parents[3]
HANDMADE = sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment_sentences(text)]


@pytest.mark.shared_data
def test_each_reworded_part_of_a_compilation_finds_its_source_among_documents_sharing_its_sentences(
    tmp_path: Path,
) -> None:
    """Every sentence of both sources recurs in dozens of other documents (as in the 1M
    benchmark), so their names are common. Queried with each source's part (what is left once
    the other source is attributed), the fused ranking offers that source among the two judged;
    coverage retrieval alone misses at least one of them."""
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = {rec["id"]: rec["text"] for rec in map(json.loads, fh)}
    records = read_variant_records(HANDMADE)
    rng = random.Random(5)
    with Index(tmp_path / "index") as index:
        fillers = [s for text in list(articles.values())[:200] for s in _sentences(text)]
        for record in records:
            if record["variant"] == "rewrite":
                index.add(articles[record["id"]], id=record["id"])
        cases = compilations(records, articles, 2, 4, seed=3)
        sources = sorted({s for case in cases for s in case.sources})
        for source_id in sources:
            own = _sentences(articles[source_id])
            for n in range(3 * len(own)):
                picked = rng.sample(own, 2) + rng.sample(fillers, 6)
                rng.shuffle(picked)
                index.add(" ".join(picked), id=f"recombined/{source_id}/{n}")
    store = Store(tmp_path / "index", create=False)
    # This index is small; its document-frequency caps are scaled so that, as at 1M documents,
    # anchors held by dozens of documents key nothing.
    params = CoverageParams(min_df_cap=20, max_df_fraction=0.01)
    ids = dict(store.conn.execute("SELECT doc, id FROM documents"))
    found_fused = found_covering = total = 0
    for case in cases:
        analysed = analyse_text(case.text)
        keys = sentence_keys([analysed.sentence_text(i) for i in range(len(analysed.sentences))])
        for source_id in case.sources:
            spans = [(c.this_offset, c.this_offset + c.this_length) for c in case.truth if c.source_reference == source_id]
            part = [i for i, s in enumerate(analysed.sentences)
                    if any(s.segment.start < end and s.segment.end > start for start, end in spans)]
            covering = [ids[c.doc] for c in coverage_candidates(store, keys, part, params) if c.sentences >= MIN_EXPLAINED_SENTENCES]
            fused = [ids[d] for d in ranked_sources(store, analysed, keys, part, params)]
            total += 1
            found_covering += source_id in covering[:2]
            found_fused += source_id in fused[:2]
    assert found_fused == total, (found_fused, total)
    assert found_covering < total
