"""Compare with a text that mixes English with another language (``pipeline.mixed``).

Given one language, such a suspect was judged wrongly on one side: on the English path its
translated part read as text "about something else" around the English part, the mark of
paragraphs planted in another article, so an independent report beside an unrelated translation
was called a copy; and a translated part's reuse went unseen. Each language part is now judged on
its own path and the judgements combined into one comparison of the whole pair.

Texts: the hand-written fixtures (``fixtures_translated``: the report on Kazakhstan, its
translations, independent reports of the event, and a French report about something else).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spintrace.pipeline.analyse import analyse_text, language_parts, language_view
from spintrace.pipeline.compare import compare, compare_analysed
from spintrace.serve import schemas

FIXTURES = Path(__file__).parent / "fixtures_translated"


def paragraphs(name: str) -> list[str]:
    return [p.strip() for p in (FIXTURES / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def joined(*pieces: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The pieces' paragraphs joined by blank lines, and where each piece lies in the text."""
    text, spans = "", []
    for piece in pieces:
        start = len(text) + (2 if text else 0)
        text = "\n\n".join([text, *piece]) if text else "\n\n".join(piece)
        spans.append((start, len(text)))
    return text, spans


SOURCE = (FIXTURES / "source.en.txt").read_text(encoding="utf-8")
SOURCE_PARAGRAPHS = paragraphs("source.en.txt")


def foreign_language(name: str) -> str:
    return name.split(".")[1]


def inside(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] <= start < end <= span[1]


@pytest.mark.parametrize("language, english_first", [("fr", True), ("ru", False)])
def test_a_copy_half_in_english_half_translated_is_one_copy_with_passages_on_both_parts(language, english_first):
    """Two paragraphs of the source copied in English, its other two translated. On the English
    path the translated half was left out (verbatim, 0.49 of the suspect covered, one passage);
    on the cross-language path the English half would be weighed as a translation."""
    english = SOURCE_PARAGRAPHS[:2] if english_first else SOURCE_PARAGRAPHS[2:]
    translated = paragraphs(f"translation.{language}.txt")
    translated = translated[2:] if english_first else translated[:2]
    suspect, (first, second) = joined(english, translated) if english_first else joined(translated, english)
    english_span, translated_span = (first, second) if english_first else (second, first)
    result = compare(SOURCE, suspect)

    assert result.reused and result.verdict == "paraphrase"  # the whole source, partly translated
    assert result.translated and result.source_language == "en"
    assert result.suspect_language == ("en+" + language if english_first else language + "+en")
    assert result.suspect_coverage >= 0.9 and result.source_coverage >= 0.9
    english_passages = [p for p in result.passages if inside(english_span, p.suspect_start, p.suspect_end)]
    translated_passages = [p for p in result.passages if inside(translated_span, p.suspect_start, p.suspect_end)]
    assert english_passages and translated_passages
    assert len(english_passages) + len(translated_passages) == len(result.passages)
    # Offsets into the original texts: each part's passages come from the paragraphs it copies.
    middle = SOURCE.index(SOURCE_PARAGRAPHS[2])
    english_source = (0, middle) if english_first else (middle, len(SOURCE))
    translated_source = (middle, len(SOURCE)) if english_first else (0, middle)
    assert all(inside(english_source, p.source_start, p.source_end) for p in english_passages)
    assert all(inside(translated_source, p.source_start, p.source_end) for p in translated_passages)
    assert any(p.kind == "exact" for p in english_passages)
    assert result.omitted == [] and result.added == []
    # Each part's judgement, reported in ``parts``.
    judged = {p.suspect_language: p for p in result.parts}
    assert set(judged) == {"en", language}
    assert judged["en"].verdict == "verbatim" and judged[language].verdict == "paraphrase"
    assert [(s.start, s.end) for s in judged[language].suspect_spans] == [translated_span]


@pytest.mark.parametrize("other", ["unrelated.fr.txt", "independent.es.txt"])
@pytest.mark.parametrize("english_first", [True, False])
def test_an_independent_report_beside_another_language_is_not_reuse(other, english_first):
    """An independent English report of the source's event beside French text about something
    else, or beside a Spanish independent report of the event. On the English path the foreign
    paragraphs read as the rest of an article the English ones were planted in, and the pair was
    called a copy (paraphrase, 0.80-0.85); the English report alone is same-story (0.10)."""
    english, foreign = paragraphs("independent-wire.en.txt"), paragraphs(other)
    suspect, _ = joined(english, foreign) if english_first else joined(foreign, english)
    alone = compare(SOURCE, "\n\n".join(english))
    assert not alone.reused

    result = compare(SOURCE, suspect)
    assert not result.reused, (result.verdict, result.score, result.parts)
    assert result.verdict == "same-story" and result.passages == []
    # the English report judged as it is judged alone
    assert result.score == pytest.approx(alone.score, abs=1e-6)
    assert [p.verdict for p in result.parts if p.suspect_language == "en"] == [alone.verdict]
    assert result.added and result.suspect_language in ("en+" + foreign_language(other), foreign_language(other) + "+en")


def test_an_independent_report_beside_a_translation_of_the_source_is_a_translated_copy():
    """The translated part's reuse was unseen: read as English, the pair was same-story (0.003)."""
    suspect, (english_span, translated_span) = joined(paragraphs("independent.en.txt"), paragraphs("translation.fr.txt"))
    result = compare(SOURCE, suspect)
    assert result.reused and result.translated
    assert result.passages and all(inside(translated_span, p.suspect_start, p.suspect_end) for p in result.passages)
    assert result.source_coverage >= 0.9
    # The English report is what the source does not explain: added, one span per paragraph.
    assert all(inside(english_span, s.start, s.end) for s in result.added)
    assert sum(len(s) for s in result.added) >= 0.9 * (english_span[1] - english_span[0] - 6)
    assert result.omitted == []


def test_each_part_is_judged_as_it_would_be_alone():
    """A part's judgement is the comparison of the source with that part alone (a view keeping
    the whole's offsets), on its languages' path."""
    suspect_text, _ = joined(SOURCE_PARAGRAPHS[:2], paragraphs("translation.de.txt")[2:])
    suspect = analyse_text(suspect_text)
    parts = language_parts(suspect)
    assert [p.language for p in parts] == ["en", "de"]
    result = compare_analysed(analyse_text(SOURCE), suspect)
    assert len(result.parts) == 2
    for part, judged in zip(parts, result.parts):
        alone = compare_analysed(analyse_text(SOURCE), language_view(suspect, part))
        assert (judged.verdict, judged.score) == (alone.verdict, alone.score)


def test_a_source_mixing_languages_is_split_too():
    """The source: the report in English followed by French text about something else."""
    source, (english_span, _) = joined(SOURCE_PARAGRAPHS, paragraphs("unrelated.fr.txt"))
    result = compare(source, (FIXTURES / "translation.de.txt").read_text(encoding="utf-8"))
    assert (result.source_language, result.suspect_language) == ("en+fr", "de")
    assert result.reused and result.translated and result.suspect_coverage >= 0.9
    assert all(inside(english_span, p.source_start, p.source_end) for p in result.passages)
    assert sorted((p.source_language, p.verdict) for p in result.parts) == [("en", "paraphrase"), ("fr", "unrelated")]


def test_the_json_of_a_mixed_pair_keeps_the_contract():
    suspect, _ = joined(SOURCE_PARAGRAPHS[:2], paragraphs("translation.es.txt")[2:])
    data = compare(SOURCE, suspect).to_dict()
    schemas.CompareResponse.model_validate(data)
    assert data["suspect_language"] == "en+es" and len(data["parts"]) == 2
    assert {"source_language", "suspect_language", "source_spans", "suspect_spans", "verdict", "score"} == set(data["parts"][0])
    json.dumps(data)


@pytest.mark.parametrize("suspect_name, verdict", [("translation.fr.txt", "paraphrase"), ("source.en.txt", "verbatim"),
                                                   ("independent.en.txt", "unrelated")])
def test_a_pair_in_one_language_each_is_compared_whole(suspect_name, verdict):
    """English and translated pairs take their former path: no parts, one language each."""
    suspect = (FIXTURES / suspect_name).read_text(encoding="utf-8")
    result = compare(SOURCE, suspect)
    assert result.verdict == verdict and result.parts == [] and result.to_dict()["parts"] == []
    assert result.suspect_language == foreign_language(suspect_name) and "+" not in result.source_language


def test_a_foreign_paragraph_pasted_into_an_english_copy_is_added_and_outside_every_passage() -> None:
    """The English part was judged on a view that blanks the other language: the copy's verbatim
    regions merged across the blank, and one exact passage ran over the pasted French text that
    the same comparison listed as added."""
    source = paragraphs("source.en.txt")
    french = paragraphs("unrelated.fr.txt")[:2]
    suspect, spans = joined(source[:2], french, source[2:])
    result = compare("\n\n".join(source), suspect)
    assert result.reused
    start, end = spans[1]
    # every character of the French paragraphs (one added span per paragraph)
    assert all(any(s.start <= i < s.end for s in result.added) for i in range(start, end) if not suspect[i].isspace())
    assert not any(p.suspect_start < end and start < p.suspect_end for p in result.passages)


def test_an_english_copy_with_a_few_words_changed_stays_verbatim_beside_a_foreign_paragraph() -> None:
    """The whole pair's kind was read from passage kinds after the edit scripts had relabelled
    every edited exact passage near: verbatim alone, paraphrase beside French text."""
    source = paragraphs("source.en.txt")
    edited = [re.sub(r"\b(used|doubled|the)\b", lambda m: {"used": "employed", "doubled": "grew twofold",
                                                             "the": "this"}[m.group()], p, count=1) for p in source]
    assert edited != source
    alone = compare("\n\n".join(source), "\n\n".join(edited))
    assert alone.verdict == "verbatim"
    suspect, _ = joined(edited, paragraphs("unrelated.fr.txt")[:1])
    assert compare("\n\n".join(source), suspect).verdict == "verbatim"


def test_the_reports_call_a_copy_half_in_english_half_translated_partly_translated() -> None:
    from rich.console import Console

    from spintrace.report import render_html
    from spintrace.report.terminal import render_terminal

    source = paragraphs("source.en.txt")
    suspect, _ = joined(source[:2], paragraphs("translation.fr.txt")[2:])
    result = compare("\n\n".join(source), suspect)
    assert result.reused and result.suspect_language == "en+fr"
    assert "partly translated copy" in render_html(result)
    console = Console(record=True, width=200)
    render_terminal(result, console)
    assert "partly translated copy" in console.export_text()
