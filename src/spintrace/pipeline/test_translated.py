"""Cross-language compare on hand-written fixtures: an English report, its translations into
Spanish, German, French and Russian, and translations of an independent report of the event."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import spintrace
from spintrace.pipeline.analyse import analyse_text
from spintrace.pipeline.compare import compare_analysed
from spintrace.pipeline.translated import local_margin

FIXTURES = Path(__file__).parent / "fixtures_translated"
LANGUAGES = ("es", "de", "fr", "ru")


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source():
    return analyse_text(read("source.en.txt"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_is_a_translated_copy_with_passages_on_both_texts(source, language):
    suspect_text = read(f"translation.{language}.txt")
    result = compare_analysed(source, analyse_text(suspect_text))
    assert (result.source_language, result.suspect_language) == ("en", language)
    assert result.translated and result.reused and result.verdict == "paraphrase"
    assert result.score >= 0.9
    assert result.suspect_coverage >= 0.8 and result.source_coverage >= 0.8
    # Offsets point into the original texts: each passage starts on a word and spans whole sentences.
    for p in result.passages:
        assert source.text[p.source_start : p.source_end].strip() == source.text[p.source_start : p.source_end]
        assert suspect_text[p.suspect_start : p.suspect_end][:1].isupper()
        assert all(p.suspect_start <= l.suspect_start < l.suspect_end <= p.suspect_end for l in p.links)
    # Most source paragraphs find their translated paragraph (paragraph i <-> paragraph i here).
    src_paragraphs = [s.segment for s in source.sentences]
    links = [l for p in result.passages for l in p.links]
    matched = sum(
        1 for l in links
        if next(s.paragraph for s in src_paragraphs if s.start == l.source_start)
        == suspect_text[: l.suspect_start].count("\n\n")
    )
    assert matched >= 0.75 * len(links)
    data = result.to_dict()
    assert data["source_language"] == "en" and data["suspect_language"] == language
    json.dumps(data)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translated_independent_report_is_not_reuse(source, language):
    result = compare_analysed(source, analyse_text(read(f"independent.{language}.txt")))
    assert result.suspect_language == language
    assert not result.reused, (result.verdict, result.score, result.features)
    assert result.verdict in ("same-story", "unrelated")
    assert result.passages == []


def test_a_changed_number_is_reported_across_languages(source):
    german = read("translation.de.txt")
    result = compare_analysed(source, analyse_text(german))
    changes = [c for p in result.passages for c in p.changes]
    assert any(c.kind == "number" and c.source_text == "200" and c.suspect_text == "300" for c in changes)
    # Transliterated names (Tokayev / Tokajew) and reformatted times (23:00) are not changes.
    assert not any(c.kind == "name" for c in changes)
    assert not any(c.source_text in ("23", "00", "07") for c in changes)


def test_a_translation_is_reuse_in_the_other_direction_too(source):
    result = spintrace.compare(read("translation.ru.txt"), read("source.en.txt"))
    assert (result.source_language, result.suspect_language) == ("ru", "en")
    assert result.reused


def test_a_text_of_only_short_sentences_against_a_translation_is_unrelated_not_a_crash():
    # No sentence of the short text is long enough to embed, so its view keeps MiniLM's width
    # while the other view is embedded by the wider cross-language encoders (found by a 100k scan).
    short = analyse_text("Oui. Non merci. Peut-être demain. Très bien.")
    for a, b in ((analyse_text(read("translation.fr.txt")), short), (short, analyse_text(read("translation.fr.txt")))):
        result = compare_analysed(a, b)
        assert not result.reused and result.verdict == "unrelated"


def test_english_pairs_stay_on_the_english_path():
    result = spintrace.compare(read("source.en.txt"), read("independent.en.txt"))
    assert (result.source_language, result.suspect_language) == ("en", "en")
    assert not result.translated and "translated" not in result.features


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_forms_an_in_order_chain_an_independent_report_does_not(source, language):
    translation = compare_analysed(source, analyse_text(read(f"translation.{language}.txt")))
    independent = compare_analysed(source, analyse_text(read(f"independent.{language}.txt")))
    assert translation.features["local_margin"] >= 3.0, translation.features
    assert independent.features["local_margin"] < 1.0, independent.features


def _translated_block(rng, n_src: int, n_sus: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    # The bitext cosine's scale: news sentences ~0.45-0.55 against each other, a sentence and its
    # translation ~0.3 above that.
    cosine = 0.45 + 0.1 * rng.random((n_src, n_sus))
    for i, j in pairs:
        cosine[i, j] += 0.35
    return cosine


def test_the_local_margin_ignores_a_language_wide_cosine_shift_but_not_the_order():
    rng = np.random.default_rng(3)
    translated = _translated_block(rng, 12, 10, [(j + (j >= 5), j) for j in range(10)])  # one source sentence skipped
    score = local_margin(translated)
    assert score >= 3.0
    # German against English sits ~0.03 lower everywhere: the margin over background is the same.
    assert local_margin(translated - 0.03) == pytest.approx(score)
    # The same standout pairs out of order (shared facts, not a sentence-by-sentence copy) chain less.
    assert local_margin(translated[:, rng.permutation(10)]) < 0.5 * score
    assert local_margin(0.45 + 0.1 * rng.random((12, 10))) < 0.2 * score
    # Rows of sentences too short to embed (all zero) take no part.
    assert local_margin(np.vstack([translated, np.zeros((5, 10))])) == pytest.approx(score, rel=0.05)


def test_the_local_margin_finds_a_translated_part_inside_an_article_about_something_else():
    rng = np.random.default_rng(5)
    # Four source sentences translated into the middle of a 16-sentence host.
    part = _translated_block(rng, 10, 16, [(3 + k, 6 + k) for k in range(4)])
    alone = _translated_block(rng, 10, 4, [(3 + k, k) for k in range(4)])
    assert local_margin(part) >= 0.8 * local_margin(alone)
    assert local_margin(part) >= 1.5


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_word_for_word_copy_in_another_language_than_english_is_verbatim(language):
    """Two texts in one language other than English take the cross-language path, whose copies
    were all paraphrases: an identical French article was a paraphrase of itself."""
    text = read(f"translation.{language}.txt")
    same = spintrace.compare(text, text)
    assert same.reused and same.verdict == "verbatim" and (same.source_language, same.suspect_language) == (language, language)
    translated = spintrace.compare(read("source.en.txt"), text)
    assert translated.verdict == "paraphrase"


def test_an_arabic_copy_is_compared_on_the_multilingual_path() -> None:
    """Detected as English (its letters have no case), an Arabic pair went down the English path,
    whose embedder linked a sign-off paragraph to an unrelated one: no text was added."""
    a = "قال وزير الاقتصاد يوم الاثنين إن معدل التضخم ارتفع إلى خمسة عشر في المئة خلال الشهر الماضي."
    b = "وأضاف أن الحكومة ستخفض الضرائب على المواد الغذائية الأساسية ابتداء من الشهر المقبل لمساعدة الأسر."
    c = "وحذر خبراء الاقتصاد من أن الأسعار قد تواصل الارتفاع حتى نهاية العام بسبب ضعف العملة المحلية."
    sign_off = "تابعونا على قناتنا لمعرفة آخر الأخبار أولا بأول."
    suspect = "\n\n".join([a, b, sign_off])
    result = spintrace.compare("\n\n".join([a, b, c]), suspect)
    assert (result.source_language, result.suspect_language) == ("ar", "ar")
    assert result.reused
    start = suspect.index(sign_off)
    assert [(s.start, s.end) for s in result.added] == [(start, start + len(sign_off))]
