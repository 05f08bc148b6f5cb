"""The substitutions a rewriter's edits make: the words swapped, without the words around them."""

from __future__ import annotations

from spintrace.classify.substitutions import substitution_phrases
from spintrace.normalise import tokenize


def test_a_clause_joiner_left_at_a_phrase_end_is_not_part_of_the_swap() -> None:
    assert substitution_phrases(tokenize("reporters"), tokenize("journalists that")) == ("reporters", "journalists")
    assert substitution_phrases(tokenize("firm which"), tokenize("company")) == ("firm", "company")
    # a phrasal verb keeps its preposition, and a joiner alone is no swap
    assert substitution_phrases(tokenize("fall on"), tokenize("hit")) == ("fall on", "hit")
    assert substitution_phrases(tokenize("that"), tokenize("which")) is None
