"""Trace and search against a real index: a suspect mixing English with a translation.

A content-farm page may run an English copy of one article and a translation of another. Labelled
with one language, one of its two parts was always judged on the wrong path: as English, the
translated part's source was rejected unread (it shares no words with it); as a translation, the
English part was weighed as one. Each language part is now traced on its own path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "pipeline" / "fixtures_translated"

# Development articles (../shared/data/rewrites-dev) whose texts make the suspects below.
ENGLISH_COPIED = ("bbc/politics/eu-fraud-clampdown-urged", "bbc/business/fosters-buys-stake-in-winemaker")
TRANSLATED = {"fr": "bbc/entertainment/rapper-films-music-video-in-jail",
              "es": "bbc/business/christmas-sales-worst-since-1981"}
ENGLISH_PARAGRAPH_FROM = "bbc/politics/probe-launched-on-ken-nazi-jibe"
# Development independent reports (same event as an indexed article, nothing copied), each with a
# translated independent report of the fixture event beside it.
INDEPENDENT = {"fr": "bbc/politics/eu-fraud-clampdown-urged",
               "de": "bbc/entertainment/lit-idol-begins-search-for-author"}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The index (the fixture report on Kazakhstan, the development articles used here and 40
    other BBC articles), the articles by id, and the development variants by (id, variant)."""
    from spintrace.index import Index

    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = {rec["id"]: rec["text"] for rec in map(json.loads, fh)}
    variants = {}
    for name in ("variants.jsonl", "variants-more.jsonl"):
        with shared_path("rewrites-dev", name).open(encoding="utf-8") as fh:
            for rec in map(json.loads, fh):
                variants[rec["id"], rec["variant"]] = rec
    wanted = [*ENGLISH_COPIED, *TRANSLATED.values(), ENGLISH_PARAGRAPH_FROM, *INDEPENDENT.values()]
    others = [i for i in articles if i not in wanted][:40]
    index = Index(tmp_path_factory.mktemp("mixed") / "index")
    index.add((FIXTURES / "source.en.txt").read_text(encoding="utf-8"), id="kazakh-report")
    for doc_id in wanted + others:
        index.add(articles[doc_id], id=doc_id)
    yield index, articles, variants
    index.close()


def _suspect(pieces: list[tuple[str | None, list[str]]]) -> tuple[str, dict[str | None, tuple[int, int]]]:
    """The paragraphs joined, and where each piece's source id's text lies in the suspect."""
    text, spans = "", {}
    for source, paragraphs in pieces:
        start = len(text) + (2 if text else 0)
        text = "\n\n".join([text, *paragraphs]) if text else "\n\n".join(paragraphs)
        spans[source] = (start, len(text))
    return text, spans


def _assert_attributed_to_their_spans(result, spans: dict[str | None, tuple[int, int]]) -> None:
    """Each source found, its passages inside its piece of the suspect and covering most of it."""
    assert set(spans) <= {s.source.id for s in result.sources}, [s.source.id for s in result.sources]
    for source, (start, end) in spans.items():
        mine = [p for p in result.passages if p.source_id == source]
        assert all(start <= p.suspect_start < p.suspect_end <= end for p in mine), (source, start, end, mine)
        covered = sum(p.suspect_end - p.suspect_start for p in mine)
        assert covered >= 0.6 * (end - start), (source, covered, end - start)
    assert {p.source_id for p in result.passages} <= set(spans)
    # each was compared with its language's part of the suspect, not with the whole
    assert {s.judged_on for s in result.sources} <= {"part", "condensed"}


@pytest.mark.shared_data
@pytest.mark.parametrize("language, english", [("fr", 0), ("es", 1)])
def test_mostly_english_with_one_translated_paragraph_finds_both_sources(mixed, language, english):
    index, articles, variants = mixed
    english_id, translated_id = ENGLISH_COPIED[english], TRANSLATED[language]
    translation = variants[translated_id, "translation"]
    assert translation["lang"] == language
    paragraph = max(translation["paragraphs"], key=len)  # one paragraph of the translation
    text, spans = _suspect([(english_id, _paragraphs(articles[english_id])[:5]), (translated_id, [paragraph])])
    _assert_attributed_to_their_spans(index.trace(text), spans)


@pytest.mark.shared_data
@pytest.mark.parametrize("language, english_first", [("de", True), ("ru", False), ("es", True), ("fr", False)])
def test_mostly_translated_with_one_english_paragraph_finds_both_sources(mixed, language, english_first):
    index, articles, _ = mixed
    paragraph = next(p for p in _paragraphs(articles[ENGLISH_PARAGRAPH_FROM]) if len(p.split()) >= 40)
    translation = ("kazakh-report", _paragraphs((FIXTURES / f"translation.{language}.txt").read_text(encoding="utf-8")))
    copied = (ENGLISH_PARAGRAPH_FROM, [paragraph])
    text, spans = _suspect([copied, translation] if english_first else [translation, copied])
    _assert_attributed_to_their_spans(index.trace(text), spans)


@pytest.mark.shared_data
@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_mixed_language_text_of_two_independent_reports_is_attributed_to_nothing(mixed, language):
    """A translated independent report of the fixture event (whose English report is indexed) and
    the first paragraphs of an English independent report of an indexed article. Labelled with the
    translation's language, the English paragraphs were compared across languages and called a
    partial copy of their event's article."""
    index, _, variants = mixed
    translated = _paragraphs((FIXTURES / f"independent.{language}.txt").read_text(encoding="utf-8"))
    english = variants[INDEPENDENT[language], "independent"]["paragraphs"][:2]
    result = index.trace("\n\n".join(translated + english))
    assert result.sources == [] and result.passages == []


@pytest.mark.shared_data
def test_search_compares_each_language_part_with_the_sources_its_own_retrieval_finds(mixed):
    """Search, labelled with one language, retrieved and compared only one part's source."""
    index, articles, variants = mixed
    english_id, translated_id = ENGLISH_COPIED[0], TRANSLATED["fr"]
    paragraph = max(variants[translated_id, "translation"]["paragraphs"], key=len)
    text, spans = _suspect([(english_id, _paragraphs(articles[english_id])[:5]), (translated_id, [paragraph])])
    hits = {hit.id: hit for hit in index.search(text, top=5)}
    assert hits[english_id].reused and hits[translated_id].reused
    assert [h.id for h in hits.values() if h.reused] == [english_id, translated_id]
    # Each comparison is reported against the whole suspect: the share of it the part's copy
    # covers, and a translated paragraph a fifth of the suspect is a partial copy.
    translated = hits[translated_id].comparison
    assert translated.suspect_text == text and translated.translated
    assert hits[translated_id].verdict == "partial" and 0.1 < hits[translated_id].suspect_coverage < 0.3
    assert all(spans[translated_id][0] <= p.suspect_start < p.suspect_end <= spans[translated_id][1]
               for p in translated.passages)
    assert hits[english_id].verdict == "verbatim" and hits[english_id].suspect_coverage > 0.7


def test_an_article_copied_half_in_english_and_half_translated_is_one_source_of_the_whole(mixed):
    """Each language part found the same source: trace listed it twice, each claim's passage
    numbers colliding in attribution, and search reported half the suspect covered."""
    index, _, _ = mixed
    english = [p.strip() for p in (FIXTURES / "source.en.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    french = [p.strip() for p in (FIXTURES / "translation.fr.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    suspect = "\n\n".join(english[:2] + french[2:])
    result = index.trace(suspect)
    assert [s.source.id for s in result.sources] == ["kazakh-report"]
    assert result.attributed_share > 0.95
    hit = next(h for h in index.search(suspect, top=3) if h.id == "kazakh-report")
    assert hit.reused and hit.suspect_coverage > 0.9
