"""Changed details: a figure written differently is the same figure; a figure, currency or name
changed is reported, once, where it changed."""

from __future__ import annotations

import pytest

from spintrace.classify.changes import detail_changes
from spintrace.comparison import SentenceLink
from spintrace.pipeline.analyse import analyse_text


def _changes(source: str, suspect: str) -> list[tuple[str, str | None, str | None]]:
    src, sus = analyse_text(source), analyse_text(suspect)
    link = SentenceLink(0, len(source), 0, len(suspect), 1.0)
    return [(c.kind, c.source_text, c.suspect_text) for c in detail_changes(src, sus, link)]


@pytest.mark.parametrize("source, suspect", [
    ("The firm will cut 1,200 jobs this year.", "The firm will cut 1200 jobs this year."),
    ("About 70% of the losses fall on office staff.", "About 70 per cent of the losses fall on office staff."),
    ("About 70% of the losses fall on office staff.", "About seventy per cent of the losses fall on office staff."),
    ("The bill came to £5m in the end.", "The bill came to 5 million pounds in the end."),
    ("The firm will cut 1,200 jobs this year.", "The firm will cut one thousand two hundred jobs this year."),
    ("It is one of the biggest firms in the region.", "It is among the biggest firms in the region."),
], ids=["comma", "per-cent", "worded-percent", "magnitude-words", "worded-number", "one-is-no-figure"])
def test_a_figure_written_differently_is_no_change(source: str, suspect: str) -> None:
    assert _changes(source, suspect) == []


def test_a_changed_magnitude_or_currency_is_a_changed_figure() -> None:
    assert _changes("Its debts stand at £14bn, the report said.", "Its debts stand at £14m, the report said.") == [
        ("number", "£14bn", "£14m")]
    assert _changes("Owners refused to inject £500m of equity.", "Owners refused to inject $500m of equity.") == [
        ("number", "£500m", "$500m")]


def test_a_count_is_not_a_year_and_a_figure_changes_once_where_it_changed() -> None:
    assert _changes("The firm will cut 1,200 jobs.", "The firm will cut 2,000 jobs.") == [("number", "1,200", "2,000")]
    # the new value also stands elsewhere in the sentence: the first figure changed, not dropped
    assert _changes("Ofwat fined the company £51m and ordered it to return a further £11m.",
                    "Ofwat fined the company £11m and ordered it to return a further £11m.") == [
        ("number", "£51m", "£11m")]
    assert _changes("The dam was built in 1946.", "The dam was built in 1948.") == [("date", "1946", "1948")]


def test_a_name_swapped_in_place_is_reported_even_when_it_is_a_common_word() -> None:
    assert _changes('"It is a betrayal," said Gary Smith, general secretary of the union.',
                    '"It is a betrayal," said Gary Jones, general secretary of the union.') == [("name", "Smith", "Jones")]
    assert _changes("It serves 15 million customers in London and the south-east.",
                    "It serves 15 million customers in Manchester and the south-east.") == [
        ("name", "London", "Manchester")]
    assert ("name", "Thames", "Anglian") in _changes("Thames Water said it would cut jobs.",
                                                     "Anglian Water said it would cut jobs.")


def test_capitals_a_spinner_scatters_and_a_reworded_sentence_are_not_name_changes() -> None:
    # "said" is written in lower case elsewhere: "Said" is the spinner's capital, not a name
    assert _changes("The mayor said the plan was sound, and the council said it agreed.",
                    "The mayor Said the plan was sound, and the council said it agreed.") == []
    # a sentence-initial common word is no name ("Analysts" -> "Experts")
    assert _changes("Analysts at the bank said the risk was growing.",
                    "Experts at the bank said the risk was growing.") == []
    # a possessive names the same country
    assert _changes("Troops arrived in Kazakhstan on Thursday.", "Troops arrived on Kazakhstan's soil on Thursday.") == []
    # a name dropped for a pronoun is not a change of name
    assert _changes("Chief executive Sarah Bentley said the decision was painful.",
                    "The chief executive said the decision was painful.") == []


def test_a_quotation_cut_short_is_a_changed_quote_and_a_scare_quote_is_not() -> None:
    source = '"This is a betrayal of the workers who kept the taps running through the pandemic," he said.'
    assert _changes(source, '"This is a betrayal of the workers," he said.') == [
        ("quote", "This is a betrayal of the workers who kept the taps running through the pandemic,",
         "This is a betrayal of the workers,")]
    assert _changes('The plan was "painful but unavoidable", the union said.',
                    'The "unavoidable" plan, the union said.') == []
