"""Shared word n-grams count copied narration, not the names, titles and speech two reports share."""

from __future__ import annotations

from spintrace.align.verbatim import shared_ngram_shares
from spintrace.pipeline.analyse import analyse_text

SOURCE = (
    "The prize went to a biography, My Heart Is My Own: The Life of Mary Queen of Scots, on Tuesday. "
    "The Board of Deputies of British Jews and the Commission for Racial Equality both complained. "
    "Officials said the damaged bridge would stay closed to heavy lorries for at least another month. "
    'Mr Hill said we are absolutely delighted that he has agreed to stay with the club.'
)


def _share(suspect: str) -> float:
    return shared_ngram_shares(analyse_text(SOURCE), analyse_text(suspect), sizes=(8,))[8]


def test_a_shared_title_run_of_names_or_unmarked_speech_is_not_copied_narration() -> None:
    suspect = (
        "Judges picked My Heart Is My Own: The Life of Mary Queen of Scots as their winner. "
        "Complaints came from the Board of Deputies of British Jews and the Commission for Racial Equality. "
        "The chairman told reporters we are absolutely delighted that he has agreed to stay with the club."
    )
    assert _share(suspect) == 0.0


def test_a_shared_stretch_of_narration_counts() -> None:
    suspect = (
        "Engineers inspected it twice. The damaged bridge would stay closed to heavy lorries for at least "
        "another month, they said."
    )
    assert _share(suspect) > 0.2
