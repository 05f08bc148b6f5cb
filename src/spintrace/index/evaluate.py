"""Search quality on the hand-written development set: does the index find the right source?

For every rewrite and spin of a BBC article (and the seed pair's suspect), the hit ranked first
must be its source (recall@1); for every independent report of the same event, no hit may carry
a reuse verdict. ``spintrace eval`` and ``benchmarks/bench_index.py`` both report these.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spintrace.index import Index
from spintrace.pipeline.compare import Embed

REUSED_VARIANTS = ("rewrite", "spun", "seed")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A suspect text, the id of its true source and what kind of derivative it is."""

    text: str
    source_id: str
    variant: str  # rewrite | spun | independent | seed


@dataclass(slots=True)
class QueryOutcome:
    query: SearchQuery
    top_id: str | None
    top_verdict: str | None
    any_reused: bool
    milliseconds: float
    aligned: int = 0
    embedding_ms: float = 0.0  # part of ``milliseconds`` spent in the sentence embedder

    @property
    def correct(self) -> bool:
        if self.query.variant == "independent":
            return not self.any_reused
        return self.top_id == self.query.source_id


@dataclass(slots=True)
class SearchEvaluation:
    outcomes: list[QueryOutcome] = field(default_factory=list)

    def rate(self, variant: str) -> float | None:
        chosen = [o.correct for o in self.outcomes if o.query.variant == variant]
        return sum(chosen) / len(chosen) if chosen else None

    @property
    def median_ms(self) -> float:
        return statistics.median(o.milliseconds for o in self.outcomes) if self.outcomes else 0.0

    @property
    def median_ms_without_embedding(self) -> float:
        values = [o.milliseconds - o.embedding_ms for o in self.outcomes]
        return statistics.median(values) if values else 0.0

    def summary(self) -> dict[str, float | int | None]:
        reused = [o.correct for o in self.outcomes if o.query.variant in REUSED_VARIANTS]
        return {
            "queries": len(self.outcomes),
            "recall_at_1_rewrite": self.rate("rewrite"),
            "recall_at_1_spun": self.rate("spun"),
            "recall_at_1_seed": self.rate("seed"),
            "recall_at_1_reused": sum(reused) / len(reused) if reused else None,
            "independent_not_reused": self.rate("independent"),
            "median_search_ms": round(self.median_ms, 1),
            "median_search_ms_without_embedding": round(self.median_ms_without_embedding, 1),
        }

    def failures(self) -> list[str]:
        return [
            f"{o.query.variant} of {o.query.source_id}: top hit {o.top_id} ({o.top_verdict})"
            for o in self.outcomes if not o.correct
        ]


def load_rewrite_queries(variant_files: Iterable[Path], seed_suspect: Path | None = None) -> list[SearchQuery]:
    """Queries from variants JSONL files (``{"id", "variant", "paragraphs"}``) and the seed suspect."""
    queries = []
    for file in variant_files:
        for line in open(file, encoding="utf-8"):
            if line.strip():
                v = json.loads(line)
                queries.append(SearchQuery("\n\n".join(v["paragraphs"]), v["id"], v["variant"]))
    if seed_suspect is not None:
        queries.append(SearchQuery(seed_suspect.read_text(encoding="utf-8"), "seed-pair/source", "seed"))
    return queries


def evaluate_search(
    index: Index,
    queries: Iterable[SearchQuery],
    *,
    top: int = 5,
    align: int = 10,
    embed: Embed | None = None,
    exhaustive: bool = False,
) -> SearchEvaluation:
    """Search the index with every query and record what came first and how long it took."""
    from spintrace.pipeline.compare import default_embed

    inner = embed or default_embed()
    spent = [0.0]

    def timed_embed(texts):
        started = time.perf_counter()
        try:
            return inner(texts)
        finally:
            spent[0] += time.perf_counter() - started

    evaluation = SearchEvaluation()
    for query in queries:
        spent[0] = 0.0
        started = time.perf_counter()
        hits = index.search(query.text, top=top, align=align, embed=timed_embed, exhaustive=exhaustive)
        elapsed = (time.perf_counter() - started) * 1000
        evaluation.outcomes.append(
            QueryOutcome(
                query=query,
                top_id=hits[0].id if hits else None,
                top_verdict=hits[0].verdict if hits else None,
                any_reused=any(h.reused for h in hits),
                milliseconds=elapsed,
                aligned=len(hits),
                embedding_ms=spent[0] * 1000,
            )
        )
    return evaluation
