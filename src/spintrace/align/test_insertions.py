"""Text one side of a copy has and the other lacks is added or omitted, even inside a passage."""

from __future__ import annotations

from pathlib import Path

import pytest

import spintrace
from spintrace.align.insertions import explained_spans, is_one_sided, one_sided_gaps, one_sided_sentences
from spintrace.comparison import Passage, SentenceLink
from spintrace.pipeline.analyse import analyse_text

SOURCE = (Path(__file__).parents[1] / "classify" / "fixtures" / "source.txt").read_text(encoding="utf-8")
PARAGRAPHS = SOURCE.split("\n\n")
# Written for this test: the copier's own paragraph, about something the source never says.
INSERTED = ("Local historians point out that the reservoir was dug by hand in the 1940s, and a small "
            "museum beside the visitor centre still shows the picks and carts the workers used.")


def _inside_a_passage(result: spintrace.Comparison, start: int, end: int) -> bool:
    return any(p.suspect_start < end and start < p.suspect_end for p in result.passages)


@pytest.fixture(scope="module")
def inserted() -> spintrace.Comparison:
    suspect = "\n\n".join(PARAGRAPHS[:3] + [INSERTED] + PARAGRAPHS[3:])
    return spintrace.compare(SOURCE, suspect)


def test_a_paragraph_inserted_into_a_word_for_word_copy_is_added_and_outside_every_passage(inserted) -> None:
    """The copy's verbatim regions were merged across the 30-word insertion into one passage, so
    the inserted paragraph was neither in ``added`` nor set apart from the copied text."""
    start = inserted.suspect_text.index(INSERTED)
    end = start + len(INSERTED)
    assert inserted.verdict == "verbatim"
    assert [(s.start, s.end) for s in inserted.added] == [(start, end)]
    assert not _inside_a_passage(inserted, start, end)
    assert [p.kind for p in inserted.passages] == ["exact", "exact"]
    # the two copied stretches meet on the source side: nothing was cut there
    assert inserted.passages[0].source_end < inserted.passages[1].source_start <= inserted.passages[0].source_end + 2
    assert inserted.omitted == []


def test_a_short_sentence_inserted_or_cut_is_added_or_omitted() -> None:
    """Under 40 characters, but a whole sentence of its own: it was in no list, and the passage
    ran over it."""
    own = "Staff were told by email."
    suspect = "\n\n".join(PARAGRAPHS[:3] + [own] + PARAGRAPHS[3:])
    result = spintrace.compare(SOURCE, suspect)
    start = result.suspect_text.index(own)
    assert [(s.start, s.end) for s in result.added] == [(start, start + len(own))]
    assert not _inside_a_passage(result, start, start + len(own))
    dropped = "The dam was closed to walkers."
    longer = SOURCE.replace("The authority said there", dropped + " The authority said there")
    result = spintrace.compare(longer, SOURCE)  # the copy left that sentence out
    start = longer.index(dropped)
    assert [(s.start, s.end) for s in result.omitted] == [(start, start + len(dropped))]
    assert result.added == []


def test_a_short_connective_inserted_into_a_copy_is_not_an_insertion() -> None:
    suspect = "\n\n".join(PARAGRAPHS[:3] + ["He added:"] + PARAGRAPHS[3:])
    result = spintrace.compare(SOURCE, suspect)
    assert result.added == []
    assert len(result.passages) == 1


def test_a_sentence_cut_from_the_middle_of_a_copy_is_omitted() -> None:
    cut = "Anglers and sailing clubs have been told the lake will be closed until at least next spring."
    suspect = SOURCE.replace(" " + cut, "")
    result = spintrace.compare(SOURCE, suspect)
    start = SOURCE.index(cut)
    assert result.verdict == "verbatim"
    assert [(s.start, s.end) for s in result.omitted] == [(start, start + len(cut))]
    assert result.added == []


def test_one_sided_needs_a_sentence_on_one_side_and_little_on_the_other() -> None:
    assert is_one_sided(120, 0)
    assert is_one_sided(120, 29)
    assert not is_one_sided(120, 30)  # a quarter of it: a reworded sentence can be that much shorter
    assert not is_one_sided(39, 0)  # "he said", a dateline
    assert one_sided_sentences(21, 5, 0)  # "Staff were told by email."
    assert not one_sided_sentences(8, 2, 0)  # "He added:"


def _link(src: tuple[int, int], sus: tuple[int, int]) -> SentenceLink:
    return SentenceLink(src[0], src[1], sus[0], sus[1], 0.7)


def test_a_reworded_passage_names_its_one_sided_gaps_on_both_sides() -> None:
    source = "a" * 50 + " " + "b" * 50 + " " + "c" * 50
    suspect = "x" * 50 + " " + "y" * 60 + " " + "z" * 50
    # links: a <-> x, c <-> z; between them the source has b (50 chars), the suspect y (60): reworded
    passage = Passage(0, 152, 0, 162, 0.7, "paraphrase", (), (_link((0, 50), (0, 50)), _link((102, 152), (112, 162))))
    assert one_sided_gaps(passage, "suspect", analyse_text(source), analyse_text(suspect)) == []
    assert (0, 162) in explained_spans([passage], "suspect", analyse_text(source), analyse_text(suspect))
    # the suspect's middle has no counterpart: the source's two links meet
    short_source = "a" * 50 + " " + "c" * 50
    passage = Passage(0, 101, 0, 162, 0.7, "paraphrase", (), (_link((0, 50), (0, 50)), _link((51, 101), (112, 162))))
    short_source, suspect = analyse_text(short_source), analyse_text(suspect)
    assert one_sided_gaps(passage, "suspect", short_source, suspect) == [(50, 112)]
    assert one_sided_gaps(passage, "source", short_source, suspect) == []
    spans = explained_spans([passage], "suspect", short_source, suspect)
    assert (0, 50) in spans and (112, 162) in spans and not any(s < 100 < e for s, e in spans)
    # without the texts, the whole passage explains its side (the former behaviour)
    assert (0, 162) in explained_spans([passage], "suspect")


def test_a_stretch_the_neighbouring_link_already_holds_is_not_inserted() -> None:
    """The two texts break sentences differently (a line break where the other has a full stop):
    the suspect's extra sentence is the tail of the source sentence its first link holds."""
    source = ("Equal opportunity means that every worker can reach any job and its benefits\n"
              "Equal pay for equal work was the slogan of the campaign that followed in the cities. "
              "The law was signed in March.")
    suspect = ("Equal opportunity means that every worker can reach any job and its benefits. "
               "Equal pay for equal work was the slogan of the campaign that followed in the cities. "
               "The law was signed in March.")
    first, second = suspect.index("Equal pay"), suspect.index("The law")
    src_second = source.index("The law")
    passage = Passage(0, len(source), 0, len(suspect), 1.0, "exact", (),
                      (_link((0, src_second - 1), (0, first - 1)), _link((src_second, len(source)), (second, len(suspect)))))
    assert one_sided_gaps(passage, "suspect", analyse_text(source), analyse_text(suspect)) == []
    # the same stretch with words of its own is an insertion
    own = suspect.replace("Equal pay for equal work was the slogan of the campaign that followed in the cities.",
                          "Historians still argue about what the reform meant for farm labourers in the north.")
    passage = Passage(0, len(source), 0, len(own), 1.0, "exact", (),
                      (_link((0, src_second - 1), (0, first - 1)), _link((src_second, len(source)), (own.index("The law"), len(own)))))
    assert one_sided_gaps(passage, "suspect", analyse_text(source), analyse_text(own)) == [(first - 1, own.index("The law"))]


def test_a_sentence_added_inside_a_reworded_passage_is_not_counted_as_reused() -> None:
    """The reused share counted the widened passage, added sentence and all: "100% of the suspect
    reused" beside a sentence the same report boxed as added."""
    fixtures = Path(__file__).parent / "fixtures"
    source = (fixtures / "thames_source.txt").read_text(encoding="utf-8")
    rewrite = (fixtures / "thames_rewrite_one_quote.txt").read_text(encoding="utf-8")
    own = "Rain was forecast across the region for the rest of the week, with strong winds on the coast."
    anchor = "In October 2023 the watchdog"
    suspect = rewrite.replace(anchor, own + " " + anchor)
    result = spintrace.compare(source, suspect)
    start = suspect.index(own)
    assert result.reused and (start, start + len(own)) in [(s.start, s.end) for s in result.added]
    assert _inside_a_passage(result, start, start + len(own))  # a reworded passage stays whole
    visible = sum(not ch.isspace() for ch in suspect)
    assert result.suspect_coverage <= 1 - sum(not ch.isspace() for ch in own) / visible + 1e-6
