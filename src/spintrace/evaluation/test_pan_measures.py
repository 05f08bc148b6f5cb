"""Hand-computed PAN scores: each expected number is worked out in the comment beside it, so a
change in the scorer that breaks comparability with published PAN results shows up here."""

from __future__ import annotations

import math

import pytest

from spintrace.evaluation.pan_measures import (
    Case,
    Detection,
    granularity,
    is_overlapping,
    macro_precision,
    macro_recall,
    micro_recall_and_precision,
    pan_scores,
    plagdet,
)


def case(t: int, tl: int, s: int, sl: int, susp: str = "susp1", src: str = "src1", obf: str = "none") -> Case:
    return Case(t, tl, s, sl, susp, src, obf)


def det(t: int, tl: int, s: int, sl: int, susp: str = "susp1", src: str = "src1") -> Detection:
    return Detection(t, tl, s, sl, susp, src)


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-12)


def test_perfect_detection_scores_one_everywhere() -> None:
    # The detection is the case: every character is covered both ways, one detection per case.
    c = case(100, 50, 0, 50)
    s = pan_scores([c], [det(100, 50, 0, 50)])
    assert (s.precision, s.recall, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0)
    assert (s.cases, s.detections) == (1, 1)


def test_detection_covering_half_a_case() -> None:
    # Case: susp [0,100) + src [0,100) = 200 chars. Detection: susp [0,50) + src [0,50) = 100 chars.
    # recall = 100/200 = 0.5; precision = 100/100 = 1; granularity = 1;
    # plagdet = 2*0.5*1/1.5 / log2(2) = 2/3.
    s = pan_scores([case(0, 100, 0, 100)], [det(0, 50, 0, 50)])
    assert s.recall == approx(0.5)
    assert s.precision == approx(1.0)
    assert s.granularity == 1.0
    assert s.plagdet == approx(2 / 3)


def test_source_side_counts_in_recall_and_precision() -> None:
    # Detection susp [0,100) matches the case's suspicious side; its source side [50,150) covers
    # only [50,100) of the case's source [0,100).
    # recall = (100 + 50) / 200 = 0.75; precision = (100 + 50) / 200 = 0.75; plagdet = 0.75.
    s = pan_scores([case(0, 100, 0, 100)], [det(0, 100, 50, 100)])
    assert (s.recall, s.precision, s.plagdet) == (approx(0.75), approx(0.75), approx(0.75))


def test_right_suspicious_passage_wrong_source_passage_detects_nothing() -> None:
    # Overlap needs both sides: source [200,300) misses the case's [0,100), so the case is
    # undetected (recall 0), the detection is false (precision 0), granularity falls back to 1.
    c, d = case(0, 100, 0, 100), det(0, 100, 200, 100)
    assert not is_overlapping(c, d)
    s = pan_scores([c], [d])
    assert (s.recall, s.precision, s.granularity, s.plagdet) == (0.0, 0.0, 1.0, 0.0)
    # The same offsets in another source document do not count either.
    assert pan_scores([c], [det(0, 100, 0, 100, src="src2")]).plagdet == 0.0


def test_one_case_detected_as_two_pieces_has_granularity_two() -> None:
    # Two detections each cover half of the case exactly: recall (100+100)/200 = 1; each detection
    # lies wholly inside the case so precision = (1 + 1)/2 = 1; 2 detections for 1 detected case
    # -> granularity 2; plagdet = 1 / log2(3) = 0.6309297535714574.
    s = pan_scores([case(0, 100, 0, 100)], [det(0, 50, 0, 50), det(50, 50, 50, 50)])
    assert (s.recall, s.precision) == (approx(1.0), approx(1.0))
    assert s.granularity == 2.0
    assert s.plagdet == approx(1 / math.log2(3))
    assert s.plagdet == approx(0.6309297535714574)


def test_overlapping_detections_count_covered_characters_once() -> None:
    # Detections [0,60) and [40,100) on both sides overlap each other: the case's characters are
    # covered once each (recall 1, not 1.2); each detection is inside the case (precision 1);
    # granularity 2.
    s = pan_scores([case(0, 100, 0, 100)], [det(0, 60, 0, 60), det(40, 60, 40, 60)])
    assert (s.recall, s.precision, s.granularity) == (approx(1.0), approx(1.0), 2.0)


def test_false_detection_in_unrelated_text_halves_precision() -> None:
    # One exact detection plus one at susp [500,600) / src [500,600), far from the case:
    # recall = 1; precision = (1 + 0)/2 = 0.5; granularity = 1 (the case has one detection);
    # plagdet = 2*1*0.5/1.5 = 2/3.
    s = pan_scores([case(0, 100, 0, 100)], [det(0, 100, 0, 100), det(500, 100, 500, 100)])
    assert s.recall == approx(1.0)
    assert s.precision == approx(0.5)
    assert s.granularity == 1.0
    assert s.plagdet == approx(2 / 3)


def test_granularity_one_and_a_half() -> None:
    # Cases A = [0,100)/[0,100) and B = [100,200)/[100,200). D1 = [0,200)/[0,200) overlaps both,
    # D2 = [0,50)/[0,50) overlaps A only. Detections per detected case: A 2, B 1 -> 3/2 = 1.5.
    # recall: A fully (D1) = 1, B fully = 1 -> 1. precision: D1's 400 chars all inside A or B -> 1,
    # D2 inside A -> 1 -> 1. plagdet = 1/log2(2.5) = 0.7564707973660301.
    cases = [case(0, 100, 0, 100), case(100, 100, 100, 100)]
    dets = [det(0, 200, 0, 200), det(0, 50, 0, 50)]
    s = pan_scores(cases, dets)
    assert s.granularity == 1.5
    assert (s.recall, s.precision) == (approx(1.0), approx(1.0))
    assert s.plagdet == approx(0.7564707973660301)


def test_detection_spanning_two_cases_and_a_gap() -> None:
    # Cases [0,100)/[0,100) and [200,300)/[200,300); one detection [0,300)/[0,300).
    # recall = 1 (both cases fully covered); precision of the detection: covered chars are
    # 100+100 per side = 400 of 600 -> 2/3; granularity 1 (each case has one detection);
    # plagdet = 2*(2/3)/(5/3) = 0.8.
    s = pan_scores([case(0, 100, 0, 100), case(200, 100, 200, 100)], [det(0, 300, 0, 300)])
    assert (s.recall, s.precision, s.granularity) == (approx(1.0), approx(2 / 3), 1.0)
    assert s.plagdet == approx(0.8)


def test_two_documents_macro_versus_micro() -> None:
    # Document A: case [0,100)/[0,100), detected exactly -> case recall 1.
    # Document B: case [0,300)/[0,300), detected [0,150)/[0,150) -> case recall 300/600 = 0.5.
    # macro recall = (1 + 0.5)/2 = 0.75; macro precision = (1 + 1)/2 = 1; granularity 1;
    # macro plagdet = 2*0.75/1.75 = 6/7.
    # micro recall = detected plagiarised chars / plagiarised chars = (200 + 300)/(200 + 600)
    # = 0.625; micro precision = 500/500 = 1; micro plagdet = 2*0.625/1.625 = 10/13.
    cases = [case(0, 100, 0, 100, "suspA", "srcA"), case(0, 300, 0, 300, "suspB", "srcB")]
    dets = [det(0, 100, 0, 100, "suspA", "srcA"), det(0, 150, 0, 150, "suspB", "srcB")]
    macro = pan_scores(cases, dets)
    assert (macro.recall, macro.precision, macro.granularity) == (approx(0.75), approx(1.0), 1.0)
    assert macro.plagdet == approx(6 / 7)
    micro = pan_scores(cases, dets, micro=True)
    assert micro.averaging == "micro"
    assert (micro.recall, micro.precision) == (approx(0.625), approx(1.0))
    assert micro.plagdet == approx(10 / 13)


def test_detection_in_the_wrong_document_does_not_count() -> None:
    # Both documents have a case at the same offsets, only document A's is detected:
    # macro recall = (1 + 0)/2 = 0.5, precision 1.
    cases = [case(0, 100, 0, 100, "suspA", "srcA"), case(0, 100, 0, 100, "suspB", "srcB")]
    dets = [det(0, 100, 0, 100, "suspA", "srcA")]
    assert macro_recall(cases, dets) == approx(0.5)
    assert macro_precision(cases, dets) == approx(1.0)


def test_empty_inputs_follow_the_official_scorer() -> None:
    # No cases, no detections: recall = precision = 1, granularity 1, plagdet 1.
    s = pan_scores([], [])
    assert (s.recall, s.precision, s.granularity, s.plagdet) == (1.0, 1.0, 1.0, 1.0)
    # Cases but no detections: 0 / 0, granularity 1, plagdet 0.
    s = pan_scores([case(0, 10, 0, 10)], [])
    assert (s.recall, s.precision, s.granularity, s.plagdet) == (0.0, 0.0, 1.0, 0.0)
    # Detections but no cases (a case-free pair flagged): 0 / 0, plagdet 0.
    s = pan_scores([], [det(0, 10, 0, 10)])
    assert (s.recall, s.precision, s.granularity, s.plagdet) == (0.0, 0.0, 1.0, 0.0)
    assert micro_recall_and_precision([], []) == (1.0, 1.0)
    assert micro_recall_and_precision([case(0, 10, 0, 10)], []) == (0.0, 0.0)


def test_duplicate_detections_count_once() -> None:
    # The official scorer reads annotations into a set: the same detection twice is one detection,
    # so granularity stays 1 and precision 1.
    d = det(0, 100, 0, 100)
    s = pan_scores([case(0, 100, 0, 100)], [d, d])
    assert (s.detections, s.granularity, s.plagdet) == (1, 1.0, 1.0)


def test_plagdet_formula_matches_the_official_examples() -> None:
    assert plagdet(0, 0, 1) == 0.0
    assert plagdet(-1, 0.5, 1) == 0.0
    assert plagdet(1, 1, 0.5) == 0.0  # granularity below 1 is invalid
    assert plagdet(0.5, 1, 1) == approx(2 / 3)
    assert plagdet(1, 1, 2) == pytest.approx(0.63092975)
    assert plagdet(0.25, 0.75, 2) == pytest.approx(0.23659865)


def test_granularity_ignores_undetected_cases() -> None:
    # Only the first case is detected (twice); the second, undetected, does not pull the mean down.
    cases = [case(0, 100, 0, 100), case(500, 100, 500, 100)]
    assert granularity(cases, [det(0, 50, 0, 50), det(50, 50, 50, 50)]) == 2.0


def test_annotations_without_characters_are_refused() -> None:
    with pytest.raises(ValueError):
        Detection(5, 0, 7, 0)
    with pytest.raises(ValueError):
        Case(-1, 10, 0, 10)
