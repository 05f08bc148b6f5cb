"""The exact-copy oracle: a copy found by exact search, scored against shifted truth."""

from __future__ import annotations

from spintrace.evaluation.pan_corpus import PanPair
from spintrace.evaluation.pan_measures import Case
from spintrace.evaluation.pan_oracle import oracle_spans

COPY = "the committee agreed to publish every vote of its members from next year onwards said the chair"


def test_oracle_finds_the_copy_despite_shifted_offsets_and_line_breaks() -> None:
    source = "Intro words here. " * 5 + COPY + ". Closing words."
    suspect = "Other text, unrelated. " * 8 + COPY.replace(" every ", "\nevery ") + ". More."
    true_src = source.index(COPY)
    true_sus = suspect.index("the committee")
    # The truth is 7 characters late on the suspicious side, as in the shared PAN sample.
    case = Case(true_sus + 7, len(COPY), true_src, len(COPY), "s.txt", "r.txt", "none")
    pair = PanPair("s.txt", "r.txt", suspect, source, (case,))
    [(s0, s1, r0, r1)] = oracle_spans(pair)
    assert (s0, r0) == (true_sus, true_src)
    assert source[r0:r1] == COPY
    assert suspect[s0:s1].split() == COPY.split()


def test_oracle_gives_each_case_its_own_copy() -> None:
    other = "a second passage about harbour dredging works that were delayed by the storms in the winter months"
    source = COPY + ". " + "Filler sentence. " * 30 + other + "."
    suspect = "Start. " + other + ". " + "Different filler. " * 10 + COPY + "."
    cases = (
        Case(suspect.index(COPY), len(COPY), 0, len(COPY), "s", "r"),
        Case(suspect.index(other), len(other), source.index(other), len(other), "s", "r"),
    )
    spans = oracle_spans(PanPair("s", "r", suspect, source, cases))
    assert [suspect[a:b] for a, b, _, _ in spans] == [COPY, other]
