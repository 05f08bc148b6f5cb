"""A short copy of one part of a long source is judged against that part (``source_part``)."""

from __future__ import annotations

import pytest

from conftest import ROOT, shared_path
from spintrace.align.aligner import AlignedRun, Link
from spintrace.classify.verdict import VerdictRules
from spintrace.comparison import REUSE_VERDICTS
from spintrace.evaluation.pairs import build_pairs, read_articles, read_variants
from spintrace.pipeline.analyse import analyse_text
from spintrace.pipeline.compare import compare_analysed, source_part

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

HANDMADE = sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))
WHOLE_ONLY = VerdictRules(part_min_links=10**6)  # the first look alone


@pytest.fixture(scope="module")
def handmade_pairs():
    return build_pairs(read_variants(HANDMADE), read_articles(shared_path("bbc-news", "articles.jsonl")))


def _compare(pair, **options):
    return compare_analysed(analyse_text(pair.source_text), analyse_text(pair.suspect_text), **options)


def test_an_excerpt_of_a_rewrite_is_caught_against_the_part_it_copies(handmade_pairs):
    excerpts = [p for p in handmade_pairs if p.kind == "excerpt rewrite"]
    results = [(pair, _compare(pair)) for pair in excerpts]
    # ``source_part_share`` marks a verdict the second look made.
    caught = [(pair, result) for pair, result in results if "source_part_share" in result.features]
    assert len(caught) >= 3, "the second look caught fewer than 3 excerpts of the 30 hand-written rewrites"
    for pair, _ in caught[:3]:
        assert not _compare(pair, verdict_rules=WHOLE_ONLY).reused  # the first look alone misses it
    for pair, result in caught:
        share = result.features["source_part_share"]
        assert 0 < share < VerdictRules().part_max_share
        # Offsets and coverage are the whole source's: the part is a fraction of it, the rest omitted.
        assert result.source_text == pair.source_text
        assert result.source_coverage <= share + 0.05
        assert result.omitted
        # Every reported passage lies in the source paragraphs the excerpt was made from (truth).
        truth = [(c.source_offset, c.source_offset + c.source_length) for c in pair.cases]
        lo, hi = min(a for a, _ in truth), max(b for _, b in truth)
        assert all(lo - 1 <= p.source_start and p.source_end <= hi + 1 for p in result.passages)
        assert result.verdict in REUSE_VERDICTS and result.score >= VerdictRules().part_reuse_probability


def test_independent_reports_are_not_accused_by_the_second_look(handmade_pairs):
    independent = [p for p in handmade_pairs if p.kind == "independent"]
    assert len(independent) == 30
    accused = [p.label for p in independent if _compare(p).reused]
    assert accused == []


def test_a_part_needs_several_links_and_must_be_less_than_most_of_the_source():
    text = "\n\n".join(f"Paragraph {n} says the council met on Tuesday about item {n}." for n in range(10))
    source = analyse_text(text)

    def run(*sentences: int) -> AlignedRun:
        return AlignedRun(tuple(Link(k, k, n, n, 0.8, 0.8, 0.3) for n, k in enumerate(sentences)))

    assert [s.segment.paragraph for s in source.sentences] == list(range(10))
    assert source_part(source, [run(2, 3)]) is None  # two links
    assert source_part(source, [run(2, 3, 4)]) == [2, 3, 4]
    assert source_part(source, [run(2), run(6, 4)]) == [2, 3, 4, 5, 6]  # first to last, gaps included
    assert source_part(source, [run(0, 5), run(9)]) is None  # first to last paragraph: the whole
