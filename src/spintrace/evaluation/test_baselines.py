"""Baselines on hand-made texts whose answers are known."""

from __future__ import annotations

import pytest

from spintrace.errors import SpintraceError
from spintrace.evaluation.baselines import (
    MinHashDetector,
    NgramDetector,
    expand_baselines,
    make_detector,
    merge_seeds,
    word_shingles,
)

FILLER_A = " ".join(f"alpha{i} beta{i}." for i in range(150))
FILLER_B = " ".join(f"gamma{i} delta{i}." for i in range(150))
COPIED = ("The harbour authority said on Tuesday that the new container terminal would open in March "
          "after two years of delays caused by flooding and a dispute over wages.")


def test_word_shingles_are_five_word_windows() -> None:
    assert word_shingles("a b c d e f".split()) == ["a b c d e", "b c d e f"]
    assert word_shingles(["short", "one"]) == ["short one"]
    assert word_shingles([]) == []


def test_minhash_flags_near_duplicates_only() -> None:
    detector = MinHashDetector()
    same = detector.detect(FILLER_A + " " + COPIED, FILLER_A + " " + COPIED)
    assert same.reused and same.score == pytest.approx(1.0)
    assert same.passages[0].suspect_start == 0
    other = detector.detect(FILLER_A, FILLER_B)
    assert not other.reused and other.score < 0.1 and other.passages == ()
    # A passage copied into unrelated text is far below Jaccard 0.8: near-duplicate tools miss it.
    assert not detector.detect(FILLER_A + " " + COPIED, FILLER_B + " " + COPIED).reused


def test_merge_seeds_joins_close_seeds_and_drops_lonely_ones() -> None:
    seeds = [(0, [10]), (1, [11]), (2, [12]), (50, [90]), (200, [5]), (201, [6]), (202, [7])]
    assert merge_seeds(seeds, max_gap=30, min_seeds=3) == [(0, 2, 10, 12), (200, 202, 5, 7)]


def test_ngram_finds_the_copied_passage_exactly() -> None:
    source = FILLER_A + " " + COPIED + " " + FILLER_A[:200]
    suspect = FILLER_B + " " + COPIED + " " + FILLER_B[:100]
    detection = NgramDetector().detect(source, suspect)
    assert len(detection.passages) == 1
    p = detection.passages[0]
    assert suspect[p.suspect_start : p.suspect_end] == COPIED.rstrip(".")
    assert source[p.source_start : p.source_end] == COPIED.rstrip(".")
    assert not detection.reused  # a small share of the suspect: below the containment threshold


def test_ngram_calls_a_whole_copy_reused() -> None:
    detection = NgramDetector().detect(COPIED + " " + FILLER_A, COPIED + " " + FILLER_A)
    assert detection.reused and detection.score == pytest.approx(1.0)


def test_baseline_names_expand_and_unknown_is_a_clear_error() -> None:
    assert expand_baselines(["all"]) == ["minhash", "ngram", "embedding"]
    assert expand_baselines(["ngram", "minhash,ngram"]) == ["ngram", "minhash"]
    assert expand_baselines(None) == []
    with pytest.raises(SpintraceError, match="unknown method 'simhash'"):
        make_detector("simhash")
    with pytest.raises(SpintraceError, match="unknown baseline 'simhash'"):
        expand_baselines(["ngram,simhash"])


def test_minhash_misses_the_real_spun_copy_that_ngram_passages_find(seed_pair: tuple[str, str]) -> None:
    source, suspect = seed_pair
    minhash = MinHashDetector().detect(source, suspect)
    assert not minhash.reused and minhash.score < 0.3
    ngram = NgramDetector().detect(source, suspect)
    assert ngram.reused and len(ngram.passages) >= 3


def test_the_evaluated_detector_compares_as_the_product_does() -> None:
    """`spintrace eval` must measure what `spintrace compare` computes: a text's sentences are
    embedded with that text alone, never as a vector memoised from another text's batch (the int8
    model quantises per batch, so the two differ slightly and a borderline link can flip)."""
    from pathlib import Path

    from spintrace.evaluation.suite import detectors
    from spintrace.pipeline.compare import compare

    fixtures = Path(__file__).resolve().parent.parent / "classify" / "fixtures"
    source = (fixtures / "source.txt").read_text(encoding="utf-8")
    independent = (fixtures / "independent.txt").read_text(encoding="utf-8")
    # The suspect repeats two of the source's paragraphs beside other text, so its copied sentences
    # sit in other batches than they did in the source.
    paragraphs = [p for p in source.split("\n\n") if p.strip()]
    suspect = "\n\n".join([*independent.split("\n\n")[:2], *paragraphs[1:3]])
    (detector,) = detectors(["spintrace"])
    detector.detect(independent, source)  # the source's sentences are seen first here
    evaluated = detector.compare(independent, suspect)
    product = compare(independent, suspect)
    assert evaluated.features == product.features
    assert [(p.suspect_start, p.suspect_end, p.similarity) for p in evaluated.passages] == [
        (p.suspect_start, p.suspect_end, p.similarity) for p in product.passages]
