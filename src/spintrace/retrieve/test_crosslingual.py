"""Finding the English source of a translated suspect in a real SQLite index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spintrace.index import Index

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "src" / "spintrace" / "pipeline" / "fixtures_translated"


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Index:
    """The fixture source among English texts: its independent report (same story, same names)
    and the hand-written rewrites set's variants (other stories)."""
    index = Index(tmp_path_factory.mktemp("xl") / "index")
    index.add((FIXTURES / "source.en.txt").read_text(), id="source")
    index.add((FIXTURES / "independent.en.txt").read_text(), id="independent-en")
    for path in sorted((ROOT / "eval-data" / "rewrites-handmade").glob("*.jsonl")):
        for n, line in enumerate(open(path, encoding="utf-8")):
            if line.strip():
                v = json.loads(line)
                index.add("\n\n".join(v["paragraphs"]), id=f"{path.stem}/{n}")
    return index


@pytest.mark.slow
@pytest.mark.parametrize("language", ["es", "de", "fr", "ru"])
def test_search_finds_the_english_source_of_a_translation(index: Index, language: str) -> None:
    hits = index.search((FIXTURES / f"translation.{language}.txt").read_text(), top=3)
    assert hits and hits[0].id == "source" and hits[0].reused
    assert hits[0].comparison.translated
    assert not any(h.reused for h in hits[1:])


@pytest.mark.slow
def test_a_translated_independent_report_is_not_called_a_copy_of_the_other_report(index: Index) -> None:
    # independent.ru.txt translates independent.en.txt; the other English report of the same
    # event (same names and numbers) must not be called reused.
    hits = index.search((FIXTURES / "independent.ru.txt").read_text(), top=3)
    assert hits[0].id == "independent-en"
    assert not any(h.reused for h in hits if h.id == "source")


@pytest.mark.slow
def test_a_translated_100_word_report_is_called_a_translation_of_its_source(index: Index) -> None:
    hits = index.search((FIXTURES / "independent.ru.txt").read_text(), top=3)
    assert hits[0].id == "independent-en" and hits[0].reused


def _sentences(text: str) -> list[str]:
    from spintrace.segment import segment_sentences

    return [text[s.start : s.end] for s in segment_sentences(text)]


def test_a_name_met_twice_or_spelled_two_ways_is_one_anchor_of_its_sentence() -> None:
    from spintrace.fingerprint import _stem, term_hash
    from spintrace.retrieve.crosslingual import translated_sentence_keys

    (key,) = translated_sentence_keys(["Токаев встретился с Токаевым и Назарбаевым в 2022 году."], "ru")
    tokayev = {term_hash(_stem(v)) for v in ("tokayev", "tokaev")}
    holding = [group for group in key if group & tokayev]
    # Токаев and Токаевым share their English spellings: one anchor holding both, not two
    assert len(holding) == 1 and tokayev <= holding[0]
    assert any(term_hash(_stem("nazarbayev")) in group for group in key if group is not holding[0])
    assert any(term_hash("2022") in group for group in key)


def test_coverage_finds_the_source_when_every_name_is_too_common_to_pick_a_pool(tmp_path: Path) -> None:
    """An archive where each of the source's sentences recurs in dozens of other documents (as
    in the 1M benchmark): no anchor of the suspect is rare, so the rare-anchor pool misses the
    source, but only the source explains the translation sentence after sentence."""
    import random

    from spintrace.index.store import Store
    from spintrace.retrieve.coverage import CoverageParams
    from spintrace.retrieve.candidates import DEFAULT_RETRIEVAL, RetrievalParams
    from spintrace.retrieve.crosslingual import translated_candidates

    source = (FIXTURES / "source.en.txt").read_text()
    source_sentences = _sentences(source)
    fillers = []
    for path in sorted((ROOT / "eval-data" / "rewrites-handmade").glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                fillers.extend(_sentences("\n\n".join(json.loads(line)["paragraphs"])))
    rng = random.Random(7)
    index = Index(tmp_path / "index")
    index.add(source, id="source")
    for n in range(70 * len(source_sentences) // 2):
        picked = rng.sample(source_sentences, 2) + rng.sample(fillers, 6)
        rng.shuffle(picked)
        index.add(" ".join(picked), id=f"recombined/{n}")
    store = Store(tmp_path / "index", create=False)
    translation = (FIXTURES / "translation.de.txt").read_text()
    sentences = _sentences(translation)

    def ids(coverage: CoverageParams | None, params: RetrievalParams = DEFAULT_RETRIEVAL) -> list[str]:
        found = translated_candidates(store, translation, "de", 5, sentences=sentences, coverage=coverage,
                                      params=params)
        documents = store.get_many([c.doc for c in found])
        return [documents[c.doc].id for c in found]

    rare_only = RetrievalParams(min_pool_anchors=0, conjunctive_anchors=0)  # the pool picked by rare anchors alone
    assert "source" not in ids(None, rare_only)[:1]
    assert ids(CoverageParams(min_shared=2, pool=300), rare_only)[0] == "source"
    # The least common of its names, read within a posting budget, pick the pool as well; and so
    # do the documents holding most of its least common names together (no name is rare).
    assert ids(None)[0] == "source"
    assert ids(None, RetrievalParams(min_pool_anchors=0))[0] == "source"


def test_common_words_of_the_suspects_language_are_not_query_anchors() -> None:
    """In an English archive "otros" is as rare as a name: the few English pages quoting a Spanish
    phrase outranked a Spanish translation's source on it (a development search miss)."""
    from spintrace.retrieve.crosslingual import translated_query

    text = ("Pero es una figura tan central de la política británica que otros dicen que Gordon Brown "
            "visitó Kenia en 2004 con 12 colegialas.")
    anchors = set(translated_query(text, "es").anchors)
    assert not anchors & {"otro", "pero", "una", "dicen"}
    assert {"gordon", "brown", "2004"} <= anchors


@pytest.mark.slow
@pytest.mark.parametrize("language", ["de", "ru"])
def test_trace_attributes_a_translation_to_its_english_source(index: Index, language: str) -> None:
    result = index.trace((FIXTURES / f"translation.{language}.txt").read_text())
    assert [s.source.id for s in result.sources] == ["source"]
    assert result.sources[0].share > 0.5 and result.passages


@pytest.mark.slow
def test_trace_attributes_a_translated_report_to_the_report_it_translates_not_to_its_event(index: Index) -> None:
    # independent.ru.txt translates independent.en.txt; the source article of the same event
    # shares its names and numbers but is not where it came from.
    result = index.trace((FIXTURES / "independent.ru.txt").read_text())
    assert "source" not in {s.source.id for s in result.sources}
    assert [s.source.id for s in result.sources] == ["independent-en"]
