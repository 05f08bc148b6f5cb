"""Alignment behaviours a copy editor's tricks must not defeat: reordering, N:M, reported speech."""

from __future__ import annotations

import spintrace

SOURCE = (
    "The national football federation has sacked its head coach after a run of seven defeats.\n\n"
    "Chairman Peter Walsh said the board had lost confidence in Marco Bellini. "
    "\"We had no choice but to act before the qualifiers,\" Walsh told reporters on Monday.\n\n"
    "Bellini, 54, took charge in March 2021 and won only 9 of his 31 matches. "
    "His contract was due to run until 2026.\n\n"
    "Former captain Sarah Okafor will take temporary charge for the friendly against Norway on 14 June."
)


def _aligned_source_for(result, marker: str) -> str:
    k = result.suspect_text.index(marker)
    for p in result.passages:
        if p.suspect_start <= k < p.suspect_end:
            return result.source_text[p.source_start : p.source_end]
    raise AssertionError(f"{marker!r} is not inside any passage")


def test_reordered_paragraphs_align_to_their_own_source_paragraphs():
    paragraphs = SOURCE.split("\n\n")
    suspect = "\n\n".join([paragraphs[0], paragraphs[3], paragraphs[1], paragraphs[2]])
    result = spintrace.compare(SOURCE, suspect)
    assert result.reused
    assert "Okafor" in _aligned_source_for(result, "Former captain Sarah Okafor")
    assert "lost confidence" in _aligned_source_for(result, "Chairman Peter Walsh")
    assert "took charge in March 2021" in _aligned_source_for(result, "Bellini, 54")
    assert result.suspect_coverage > 0.95 and result.source_coverage > 0.95


def test_merged_and_split_sentences_and_reported_speech():
    suspect = (
        "A national football federation has fired its head coach following a string of seven losses.\n\n"
        "Chairman Peter Walsh said the board no longer had confidence in Marco Bellini, and told reporters "
        "on Monday the federation had no choice but to act ahead of the qualifiers.\n\n"
        "Bellini, 54, took over in March 2021. He won just 9 of his 31 games. "
        "His deal was due to run until 2026.\n\n"
        "Ex-captain Sarah Okafor will be in temporary charge for the friendly with Norway on 14 June."
    )
    result = spintrace.compare(SOURCE, suspect)
    assert result.verdict == "paraphrase"
    # Two source sentences (one a quote) merged into one reported-speech sentence: one 2:1 link.
    merged = _aligned_source_for(result, "Chairman Peter Walsh")
    assert "lost confidence" in merged and "no choice but to act" in merged
    # One source sentence split in two: both pieces sit in the same passage.
    split = _aligned_source_for(result, "He won just 9")
    assert "won only 9 of his 31 matches" in split
    assert not result.added, [result.suspect_text[s.start : s.end] for s in result.added]


def test_changed_numbers_and_names_are_reported_per_link():
    suspect = SOURCE.replace("seven defeats", "eight defeats").replace("Bellini", "Belini").replace("9 of his 31", "11 of his 31")
    result = spintrace.compare(SOURCE, suspect)
    changes = {(c.kind, c.source_text, c.suspect_text) for p in result.passages for c in p.changes}
    assert ("name", "Bellini", "Belini") in changes
    assert ("number", "9", "11") in changes


def test_independent_report_of_same_event_is_not_reuse():
    suspect = (
        "Norway friendly will see Sarah Okafor lead the side on 14 June after the federation ended "
        "Marco Bellini's spell in charge, a decision chairman Peter Walsh announced.\n\n"
        "The Italian leaves with a record that fans had long criticised, and supporters groups "
        "welcomed the move in statements posted online.\n\n"
        "Okafor, who captained the team for eight years, is seen by many as a long-term candidate. "
        "The federation is expected to name a permanent successor before the autumn qualifiers."
    )
    result = spintrace.compare(SOURCE, suspect)
    assert not result.reused
    assert result.verdict == "same-story"
