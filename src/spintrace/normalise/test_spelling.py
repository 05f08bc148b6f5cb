"""British and American spellings meet in one form; short and unrelated words are left alone."""

from __future__ import annotations

import pytest

from spintrace.normalise.spelling import american_spelling


@pytest.mark.parametrize("british, american", [
    ("criticised", "criticized"), ("organisation", "organization"), ("analysed", "analyzed"),
    ("colour", "color"), ("favourite", "favorite"), ("neighbours", "neighbors"), ("centre", "center"),
    ("metres", "meters"), ("catalogue", "catalog"), ("defence", "defense"), ("programme", "program"),
    ("travelled", "traveled"), ("cancelling", "canceling"), ("labelled", "labeled"), ("modeller", "modeler"),
])
def test_a_british_spelling_becomes_the_american_one(british: str, american: str) -> None:
    assert american_spelling(british) == american
    assert american_spelling(american) == american


@pytest.mark.parametrize("word", ["four", "hour", "flour", "tour", "raise", "rise", "called", "filled", "genre", "acre",
                                  "entre", "rolled", "killed"])
def test_short_and_unrelated_words_are_untouched(word: str) -> None:
    assert american_spelling(word) == word
