"""Rewrites-pairs evaluation on hand-made pairs whose figures were computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spintrace.errors import InputError
from spintrace.evaluation.baselines import DetectedPassage, Detection
from spintrace.evaluation.pairs import (
    Article,
    Variant,
    build_pairs,
    paragraph_spans,
    read_variants,
    reliability_table,
    score_detections,
    truth_cases,
)

SOURCE = "First para here.\n\nSecond para, longer.\n\n  Third one.  \n\nFourth."


def _articles() -> dict[str, Article]:
    return {
        "bbc/tech/a": Article("bbc/tech/a", "tech", "A", SOURCE),
        "bbc/tech/b": Article("bbc/tech/b", "tech", "B", "Other tech news.\n\nMore of it."),
        "bbc/tech/dup": Article("bbc/tech/dup", "tech", "A again", SOURCE + "\n"),
        "bbc/sport/c": Article("bbc/sport/c", "sport", "C", "A match."),
    }


def test_paragraph_spans_are_stripped_blank_line_paragraphs() -> None:
    spans = paragraph_spans(SOURCE)
    assert [SOURCE[a:b] for a, b in spans] == ["First para here.", "Second para, longer.", "Third one.", "Fourth."]


def test_truth_cases_join_consecutive_source_paragraphs() -> None:
    variant = Variant("bbc/tech/a", "rewrite", "t", ("New one.", "Filler.", "Mixed."), ((0,), (), (1, 2, 3)))
    cases = truth_cases("a#rewrite", SOURCE, variant)
    src = paragraph_spans(SOURCE)
    assert [(c.this_offset, c.this_length) for c in cases] == [(0, 8), (19, 6)]
    assert (cases[1].source_offset, cases[1].source_offset + cases[1].source_length) == (src[1][0], src[3][1])
    bad = Variant("bbc/tech/a", "spun", "t", ("x",), ((7,),))
    with pytest.raises(InputError, match="source paragraph 7"):
        truth_cases("a#spun", SOURCE, bad)


def test_build_pairs_adds_a_deterministic_unrelated_pair_of_the_same_category() -> None:
    variants = [Variant("bbc/tech/a", k, "t", ("Para.",), ((0,),)) for k in ("rewrite", "spun")]
    variants.append(Variant("bbc/missing", "spun", "t", ("Para.",), ((0,),)))
    warnings: list[str] = []
    pairs = build_pairs(variants, _articles(), warnings=warnings, planted=False)
    assert [p.kind for p in pairs] == ["rewrite", "spun", "unrelated"]
    # the duplicate body and the other category are never drawn
    assert pairs[2].suspect_text == "Other tech news.\n\nMore of it."
    assert warnings == ["bbc/missing (spun): skipped: unknown article id"]
    assert build_pairs(variants, _articles(), planted=False) == pairs


def test_read_variants_skips_bad_records_by_name_and_rejects_useless_files(tmp_path: Path) -> None:
    good = {"id": "bbc/tech/a", "variant": "spun", "title": "t", "paragraphs": ["P."], "derived_from": [[0]]}
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "derived_from": [[0], [1]]}) + "\n")
    warnings: list[str] = []
    assert len(read_variants([path], warnings)) == 1
    assert warnings and "v.jsonl:2" in warnings[0] and "derived_from" in warnings[0]
    path.write_text("{not json\n")
    with pytest.raises(InputError, match="v.jsonl:1: malformed JSON"):
        read_variants([path])
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(InputError, match="not UTF-8"):
        read_variants([path])


def test_figures_of_hand_made_detections() -> None:
    variants = [
        Variant("bbc/tech/a", "rewrite", "t", ("Reworded first.", "Added."), ((0,), ())),
        Variant("bbc/tech/a", "spun", "t", ("Spun second.",), ((1,),)),
        Variant("bbc/tech/a", "independent", "t", ("Own words.",), ((),)),
    ]
    pairs = build_pairs(variants, _articles(), planted=False)
    src = paragraph_spans(SOURCE)
    # rewrite: the first paragraph found exactly; spun: missed; independent: a false alarm;
    # unrelated: correctly nothing.
    detections = [
        Detection(True, 0.9, (DetectedPassage(0, 15, *src[0]),), "paraphrase"),
        Detection(False, 0.3, (), "same-story"),
        Detection(True, 0.6, (DetectedPassage(0, 10, *src[2]),), "partial"),
        Detection(False, 0.0, (), "unrelated"),
    ]
    report = score_detections(pairs, detections, "hand", calibrated=True)
    assert report.reuse_recall == {"rewrite": 1.0, "spun": 0.0}
    assert report.false_positive_rate == {"independent": 1.0, "unrelated": 0.0}
    assert report.confusion["spun"]["same-story"] == 1 and report.confusion["independent"]["partial"] == 1
    rewrite = report.passages["rewrite"]
    assert (rewrite.precision, rewrite.recall, rewrite.granularity, rewrite.plagdet) == (1.0, 1.0, 1.0, 1.0)
    both = report.passages["all reuse"]
    assert both.recall == pytest.approx(0.5) and both.precision == 1.0
    assert both.plagdet == pytest.approx(2 / 3)
    # Brier: ((0.9-1)^2 + (0.3-1)^2 + 0.6^2 + 0^2) / 4 = (0.01 + 0.49 + 0.36) / 4
    assert report.brier == pytest.approx(0.215)
    # AUC: reuse scores {0.9, 0.3} vs others {0.6, 0.0}: 3 of 4 pairs ordered right
    assert report.auc == pytest.approx(0.75)
    assert report.misses == [pairs[1].label, pairs[2].label]


def test_reliability_table_bins_scores() -> None:
    table = reliability_table([0.05, 0.07, 0.95, 1.0], [False, True, True, True], bins=10)
    assert (table[0].count, table[0].reuse_share, table[0].mean_score) == (2, 0.5, pytest.approx(0.06))
    assert table[9].count == 2 and table[9].reuse_share == 1.0
    assert sum(b.count for b in table) == 4


def test_planted_copy_puts_two_derived_paragraphs_inside_a_host_of_another_category() -> None:
    host_text = "Match report opens.\n\nSecond host paragraph.\n\nThird host paragraph.\n\nLast one."
    articles = {**_articles(), "bbc/sport/d": Article("bbc/sport/d", "sport", "D", host_text)}
    spun = Variant("bbc/tech/a", "spun", "t", ("Spun first.", "Filler.", "Spun third.", "Spun fourth."),
                   ((0,), (), (2,), (3,)))
    pairs = build_pairs([spun], articles)
    [planted] = [p for p in pairs if p.kind == "planted spun"]
    assert planted.reuse and planted.label.endswith(":bbc/sport/d")
    text = planted.suspect_text
    assert "Spun third.\n\nSpun fourth." in text and text.startswith("Match report opens.")
    assert "Filler." not in text
    src = paragraph_spans(SOURCE)
    located = sorted((text[c.this_offset : c.this_offset + c.this_length],
                      SOURCE[c.source_offset : c.source_offset + c.source_length]) for c in planted.cases)
    assert located == [("Spun fourth.", SOURCE[src[3][0]:src[3][1]]), ("Spun third.", SOURCE[src[2][0]:src[2][1]])]
    assert build_pairs([spun], articles) == pairs


def test_an_excerpt_is_a_run_of_a_copy_s_paragraphs_published_alone_with_their_truth() -> None:
    paragraphs = tuple(f"Spun paragraph {k}." for k in range(6))
    spun = Variant("bbc/tech/a", "spun", "t", paragraphs, ((0,), (1,), (2,), (3,), (), (3,)))
    pairs = build_pairs([spun], _articles())
    [excerpt] = [p for p in pairs if p.kind == "excerpt spun"]
    assert excerpt.reuse and excerpt.source_text == SOURCE
    kept = excerpt.suspect_text.split("\n\n")
    assert 2 <= len(kept) <= 3  # a third to a half of six paragraphs
    first = paragraphs.index(kept[0])
    assert kept == list(paragraphs[first : first + len(kept)]) and spun.derived_from[first]
    src = paragraph_spans(SOURCE)
    for case in excerpt.cases:
        k = paragraphs.index(excerpt.suspect_text[case.this_offset : case.this_offset + case.this_length])
        (a,) = spun.derived_from[k]
        assert (case.source_offset, case.source_offset + case.source_length) == src[a]
    assert len(excerpt.cases) == sum(1 for p in kept if spun.derived_from[paragraphs.index(p)])
    assert build_pairs([spun], _articles()) == pairs



@pytest.mark.shared_data
def test_every_pair_has_its_own_label() -> None:
    """A label names one pair: grouped cross-validation (scripts/fit_models.py) keys each pair's
    out-of-fold comparison by it, so two pairs under one label were both reported with the later
    one's comparison (an article's ``independent`` and ``independent2`` both gave the label
    ``...#excerpt independent``)."""
    from conftest import shared_path
    from spintrace.evaluation.pairs import read_articles

    folder = shared_path("rewrites-dev")
    variants = read_variants([folder / "variants.jsonl", folder / "variants-more.jsonl"])
    pairs = build_pairs(variants, read_articles(shared_path("bbc-news", "articles.jsonl")))
    labels = [p.label for p in pairs]
    assert sum(p.kind == "excerpt independent" for p in pairs) >= 2 * 30
    assert len(labels) == len(set(labels))
