"""The truth check: cases whose suspicious offsets miss the copy are found and moved onto it."""

from __future__ import annotations

from pathlib import Path

from spintrace.evaluation.pan import evaluate_pan
from spintrace.evaluation.pan_corpus import PanPair
from spintrace.evaluation.pan_measures import Case
from spintrace.evaluation.pan_truth_check import check_truth

COPY = (
    "the committee agreed to publish every vote of its members from next year onwards, "
    "a change the chair's office said would end years of complaints about secrecy"
)
OTHER = "a second passage about harbour dredging works that were delayed by the storms in the winter months"
SOURCE = "Intro words here. " * 5 + COPY + ". " + "Filler sentence. " * 20 + OTHER + ". Closing words."


def _suspect() -> str:
    # Re-wrapped and with its apostrophe lost, as copies of PAN in the wild are.
    rewrapped = COPY.replace(" every ", "\nevery ").replace("chair's", "chairs")
    return "Other text, unrelated. " * 8 + rewrapped + ". " + "More text. " * 12 + OTHER + ". End."


def _case(suspect: str, start: int, length: int, source_text: str) -> Case:
    return Case(start, length, SOURCE.index(source_text), len(source_text), "s.txt", "r.txt", "none")


def test_cases_off_by_a_drift_are_moved_onto_the_copy() -> None:
    suspect = _suspect()
    copy_at = suspect.index("the committee")
    copy_end = suspect.index("secrecy") + len("secrecy")
    other_at = suspect.index(OTHER)
    # The truth is 37 characters late for the first case and 120 for the second.
    cases = (
        _case(suspect, copy_at + 37, len(COPY), COPY),
        _case(suspect, other_at + 120, len(OTHER), OTHER),
    )
    check = check_truth([PanPair("s.txt", "r.txt", suspect, SOURCE, cases)])
    assert (check.cases, check.moved, check.unlocated) == (2, 2, 0)
    assert check.max_shift == 120 and not check.offsets_hold
    first, second = check.pairs[0].cases
    assert (first.this_offset, first.this_offset + first.this_length) == (copy_at, copy_end)
    assert suspect[second.this_offset : second.this_offset + second.this_length] == OTHER
    # Source ranges are kept as given.
    assert (first.source_offset, second.source_offset) == (cases[0].source_offset, cases[1].source_offset)
    assert "2 of 2 cases" in check.summary()


def test_a_correct_truth_is_left_alone_and_a_missing_copy_is_not_invented() -> None:
    suspect = _suspect()
    exact = _case(suspect, suspect.index(OTHER), len(OTHER), OTHER)
    absent = Case(0, 40, SOURCE.index("Filler"), 60, "s.txt", "r.txt", "none")
    check = check_truth([PanPair("s.txt", "r.txt", suspect, SOURCE, (exact, absent))])
    assert (check.moved, check.unlocated) == (0, 1)
    assert check.offsets_hold
    assert check.pairs[0].cases == (exact, absent)


def test_evaluate_pan_scores_against_both_truths(tmp_path: Path) -> None:
    suspect = _suspect()
    copy_at = suspect.index("the committee")
    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "truth").mkdir()
    (tmp_path / "susp" / "s.txt").write_text(suspect, encoding="utf-8")
    (tmp_path / "src" / "r.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "pairs").write_text("s.txt r.txt\n", encoding="utf-8")
    late = copy_at + 300  # past the copy altogether: the given truth cannot be met at all
    (tmp_path / "truth" / "s-r.xml").write_text(
        f'<document reference="s.txt"><feature name="plagiarism" this_offset="{late}" '
        f'this_length="{len(COPY)}" source_reference="r.txt" source_offset="{SOURCE.index(COPY)}" '
        f'source_length="{len(COPY)}" obfuscation="none"/></document>',
        encoding="utf-8",
    )
    copy_end = suspect.index("secrecy") + len("secrecy")
    src_at = SOURCE.index(COPY)

    def perfect(susp: str, src: str) -> list[tuple[int, int, int, int]]:
        return [(copy_at, copy_end, src_at, src_at + len(COPY))]

    report = evaluate_pan(tmp_path, perfect)
    assert report.overall.plagdet < 0.5
    assert report.relocated is not None and report.relocated.overall.plagdet == 1.0
    assert "1 of 1 cases" in (report.truth_check or "")
    assert report.to_dict()["relocated_truth"]["overall"]["plagdet"] == 1.0


def test_a_passage_copied_twice_stays_on_the_copy_the_truth_names() -> None:
    suspect = "Start. " + OTHER + ". " + "Middle text. " * 30 + OTHER + ". End."
    second = suspect.rindex(OTHER)
    case = _case(suspect, second, len(OTHER), OTHER)
    check = check_truth([PanPair("s.txt", "r.txt", suspect, SOURCE, (case,))])
    assert check.pairs[0].cases == (case,) and check.offsets_hold
