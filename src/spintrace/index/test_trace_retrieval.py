"""Trace's candidate ranking in an archive where every name of a source is common."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import shared_path
from spintrace.evaluation.trace_cases import compilations, read_variant_records
from spintrace.index import Index
from spintrace.index.store import Store
from spintrace.index.trace import ranked_sources, ranked_sources_by_segment
from spintrace.pipeline.analyse import analyse_text
from spintrace.retrieve.coverage import CoverageParams, coverage_candidates, sentence_keys
from spintrace.retrieve.remembering import RememberingSource
from spintrace.segment import segment_sentences
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES

ROOT = Path(__file__).resolve().parents[3]
HANDMADE = sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment_sentences(text)]


@pytest.mark.shared_data
def test_each_reworded_part_of_a_compilation_finds_its_source_among_documents_sharing_its_sentences(
    tmp_path: Path,
) -> None:
    """Every sentence of both sources recurs in dozens of other documents (as in the 1M
    benchmark), so their names are common. Queried with each source's part (what is left once
    the other source is attributed), the fused ranking offers that source among the two judged;
    coverage retrieval alone misses at least one of them."""
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = {rec["id"]: rec["text"] for rec in map(json.loads, fh)}
    records = read_variant_records(HANDMADE)
    rng = random.Random(5)
    with Index(tmp_path / "index") as index:
        fillers = [s for text in list(articles.values())[:200] for s in _sentences(text)]
        for record in records:
            if record["variant"] == "rewrite":
                index.add(articles[record["id"]], id=record["id"])
        cases = compilations(records, articles, 2, 4, seed=3)
        sources = sorted({s for case in cases for s in case.sources})
        for source_id in sources:
            own = _sentences(articles[source_id])
            for n in range(3 * len(own)):
                picked = rng.sample(own, 2) + rng.sample(fillers, 6)
                rng.shuffle(picked)
                index.add(" ".join(picked), id=f"recombined/{source_id}/{n}")
    store = Store(tmp_path / "index", create=False)
    # This index is small; its document-frequency caps are scaled so that, as at 1M documents,
    # anchors held by dozens of documents key nothing.
    params = CoverageParams(min_df_cap=20, max_df_fraction=0.01)
    ids = dict(store.conn.execute("SELECT doc, id FROM documents"))
    remembering, reading = RememberingSource(store), RememberingSource(store.reader())
    found_fused = found_covering = total = 0
    for case in cases:
        analysed = analyse_text(case.text)
        keys = sentence_keys([analysed.sentence_text(i) for i in range(len(analysed.sentences))])
        for source_id in case.sources:
            spans = [(c.this_offset, c.this_offset + c.this_length) for c in case.truth if c.source_reference == source_id]
            part = [i for i, s in enumerate(analysed.sentences)
                    if any(s.segment.start < end and s.segment.end > start for start, end in spans)]
            covering = [ids[c.doc] for c in coverage_candidates(store, keys, part, params) if c.sentences >= MIN_EXPLAINED_SENTENCES]
            fused_ids = ranked_sources(store, analysed, keys, part, params)
            fused = [ids[d] for d in fused_ids]
            # As trace runs it: a remembering view for anchors, coverage on a second connection.
            assert ranked_sources_by_segment(remembering, analysed, keys, part, [], params,
                                             coverage_store=reading)[0] == fused_ids
            total += 1
            found_covering += source_id in covering[:2]
            found_fused += source_id in fused[:2]
    assert found_fused == total, (found_fused, total)
    assert found_covering < total


def test_a_source_explaining_a_run_of_the_suspect_outranks_documents_sharing_a_sentence_here_and_there() -> None:
    """A compilation's sources explain a contiguous part each; a document that recombines two of
    the suspect's sentences with others (as the 1M benchmark's distractors do) explains two
    scattered sentences. The fused ranking put such documents first; the re-ranking must not."""
    from spintrace.index.store import StoredDocument
    from spintrace.index.trace import rerank_by_explained

    dam = [
        "Engineers at the Kariba dam found a crack in the spillway wall during a routine dive on Monday.",
        "The Zambezi River Authority said the crack was three metres long and posed no immediate danger.",
        "Repairs costing an estimated 294 million dollars will begin in the dry season next year.",
        "Villagers downstream in Siavonga were told to stay alert but not to leave their homes.",
    ]
    choir = [
        "The Leipzig boys choir will tour Japan for the first time since its founding in 1212.",
        "Its director, Gotthold Schwarz, said the singers had rehearsed the Bach programme for a year.",
        "Tickets for the Osaka concert sold out within four minutes of going on sale.",
        "The tour ends in Sapporo with a performance of the St Matthew Passion on Good Friday.",
    ]
    suspect = analyse_text("\n\n".join([" ".join(dam), " ".join(choir[:3])]))
    filler = ("Shares in mining firms fell sharply in early trading on Tuesday. "
              "Analysts blamed weak demand for copper in China and a stronger dollar. ")
    scattered = StoredDocument(1, "recombined", filler + dam[1] + " " + filler + choir[1] + " " + filler)
    dam_source = StoredDocument(2, "dam-source", " ".join(dam) + " The authority will publish a report in May.")
    choir_source = StoredDocument(3, "choir-source", " ".join(choir))
    everything = list(range(len(suspect.sentences)))
    cache: dict = {}
    ranked = rerank_by_explained(suspect, [scattered, choir_source, dam_source], everything, cache)
    assert [d.id for d in ranked] == ["dam-source", "choir-source", "recombined"]
    # Once the dam part is attributed, only the choir part counts.
    choir_part = [i for i, s in enumerate(suspect.sentences) if s.segment.paragraph == 1]
    ranked = rerank_by_explained(suspect, [scattered, dam_source, choir_source], choir_part, cache)
    assert ranked[0].id == "choir-source"
    assert set(cache) == {"recombined", "dam-source", "choir-source"}  # each text analysed once


_DAM = [
    "Engineers at the Kariba dam found a crack in the spillway wall during a routine dive on Monday.",
    "The Zambezi River Authority said the crack was three metres long and posed no immediate danger.",
    "Repairs costing an estimated 294 million dollars will begin in the dry season next year.",
    "Villagers downstream in Siavonga were told to stay alert but not to leave their homes.",
]
_DAM_REWORDED = [
    "Divers checking the Kariba barrier this week noticed that one of its walls had split.",
    "The river authority insists the three-metre split poses no risk for now.",
    "Mending it will cost some 294 million dollars, with work starting once next year's rains are over.",
    "People living below the dam in Siavonga have been asked to remain watchful, though nobody is being evacuated.",
]
_FILLER = ("Shares in mining firms fell sharply in early trading on Tuesday. "
           "Analysts blamed weak demand for copper in China and a stronger dollar. ")


def test_the_source_of_a_reworded_part_outranks_a_document_holding_two_of_its_sentences() -> None:
    """A reworded sentence keeps a third to a half of its source sentence's words, often under
    the share at which a sentence counts as explained. The source explains each sentence of the
    part a little; a document recombining two of the source's sentences explains those two only,
    and must rank below it (at 1M documents such documents took the first places)."""
    from spintrace.index.store import StoredDocument
    from spintrace.index.trace import rerank_by_explained
    from spintrace.trace.evidence import CHANCE_CONTAINMENT, EXPLAINED

    suspect = analyse_text(" ".join(_DAM_REWORDED) + "\n\nThe Leipzig boys choir will tour Japan next spring.")
    part = [i for i, s in enumerate(suspect.sentences) if s.segment.paragraph == 0]
    source = StoredDocument(1, "dam-source", " ".join(_DAM))
    recombined = StoredDocument(2, "recombined", _FILLER + _DAM[1] + " " + _FILLER + _DAM[2] + " " + _FILLER)
    # The premise: rewording leaves some sentences between chance and "explained".
    containment = sentence_evidence_of(source.text, suspect, part)
    assert any(CHANCE_CONTAINMENT < c < EXPLAINED for c in containment), containment
    ranked = rerank_by_explained(suspect, [recombined, source], part, {})
    assert [d.id for d in ranked] == ["dam-source", "recombined"]


def sentence_evidence_of(text: str, suspect, part: list[int]) -> list[float]:
    from spintrace.trace.evidence import sentence_evidence

    evidence = sentence_evidence(analyse_text(text), suspect)
    return [round(evidence.containment[i], 2) for i in part]


@pytest.mark.shared_data
def test_a_candidate_of_an_earlier_round_is_still_judged_when_the_rest_alone_retrieves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once one source is attributed, what is left of a compilation can be too short to retrieve
    its own source at 1M documents (all its names common), though the search on the whole suspect
    had offered it. Retrieval is made to find nothing after the first round: the second source
    must still be judged, from the first round's candidates."""
    import spintrace.index.trace as index_trace

    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = {rec["id"]: rec["text"] for rec in map(json.loads, fh)}
    records = read_variant_records(HANDMADE)
    case = compilations(records, articles, 2, 1, seed=3)[0]
    first, second = case.sources
    decoy = next(i for i in articles if i.split("/")[1] not in {s.split("/")[1] for s in case.sources})
    with Index(tmp_path / "index") as index:
        for doc_id in (first, decoy, second):
            index.add(articles[doc_id], id=doc_id)
    store = Store(tmp_path / "index", create=False)
    order = {doc_id: doc for doc, doc_id in store.conn.execute("SELECT doc, id FROM documents")}
    calls = []

    def retrieval(store, suspect, keys, sentences, segments, params=None, respelled=None, coverage_store=None):
        calls.append(list(sentences))
        found = [order[first], order[decoy], order[second]] if len(calls) == 1 else []
        return [found] + [[] for _ in segments]

    monkeypatch.setattr(index_trace, "ranked_sources_by_segment", retrieval)
    monkeypatch.setattr(index_trace, "rerank_by_explained", lambda suspect, documents, *args: list(documents))
    result, _ = index_trace.trace_store(store, case.text)
    assert len(calls) >= 2
    assert {first, second} <= {s.source.id for s in result.sources}
    assert decoy in result.rejected


_STRIKE = [
    "Dockers in Antwerp and Rotterdam walked out on Thursday over plans by Maersk and Hapag-Lloyd to automate cranes.",
    "The ITF union leader Paddy Crumlin said the stoppage at Antwerp would last until Sunday.",
    "Shipping lines diverted vessels from Rotterdam to Zeebrugge, Bremerhaven and Le Havre.",
    "Belgian prime minister Alexander De Croo urged Maersk and the unions to meet in Brussels.",
    "Hapag-Lloyd said automation at Rotterdam would not cost a single job before 2030.",
    "Exporters in Flanders warned that perishable cargo worth 90 million euros was stuck at Antwerp.",
    "Crumlin said dockers at Felixstowe and Gdansk would refuse ships diverted from Antwerp.",
    "The Dutch transport minister Mark Harbers called the walkout at Rotterdam irresponsible.",
]
_FILLERS = [
    "Retail sales rose slightly in the spring, helped by warmer weather.",
    "The council said the new timetable would take effect next month.",
    "Several schools reported higher attendance after the holidays.",
    "Officials expect the figures to be revised later in the year.",
    "A spokesman declined to comment on the details of the agreement.",
    "Prices for fresh produce have been volatile throughout the season.",
]


def test_a_part_whose_source_the_whole_ranking_buries_ranks_first_in_its_own_segment(tmp_path: Path) -> None:
    """Sixty documents each repeat four sentences of one part of a compilation (its names and
    rare words) and one of the other part's: on the whole suspect they all explain more than the
    second part's source, which falls out of the candidates trace judges (as at 1M documents,
    where documents recombining a story's sentences fill the first places). Ranked by that part's
    own anchors, from the same pool and with no further query, its source comes first."""
    from spintrace.index.trace import RERANKED, ranked_sources_by_segment

    rng = random.Random(7)
    choir = [
        "The Leipzig boys choir will tour Japan for the first time since its founding in 1212.",
        "Its director, Gotthold Schwarz, said the singers had rehearsed the Bach programme for a year.",
        "Tickets for the Osaka concert sold out within four minutes of going on sale.",
        "The tour ends in Sapporo with a performance of the St Matthew Passion on Good Friday.",
    ]
    with Index(tmp_path / "index") as index:
        index.add(" ".join(choir), id="choir-source")
        for n in range(60):
            picked = rng.sample(_STRIKE, 4) + [rng.choice(choir)] + rng.sample(_FILLERS, 3)
            rng.shuffle(picked)
            index.add(" ".join(picked), id=f"recombined/{n}")
    store = Store(tmp_path / "index", create=False)
    ids = dict(store.conn.execute("SELECT doc, id FROM documents"))
    suspect = analyse_text("\n\n".join(_STRIKE + choir))
    keys = sentence_keys([suspect.sentence_text(i) for i in range(len(suspect.sentences))])
    everything = list(range(len(suspect.sentences)))
    strike_part, choir_part = everything[: len(_STRIKE)], everything[len(_STRIKE):]
    whole, strike_ranking, choir_ranking = ranked_sources_by_segment(
        store, suspect, keys, everything, [strike_part, choir_part])
    assert "choir-source" not in [ids[d] for d in whole[:RERANKED]]
    assert ids[choir_ranking[0]] == "choir-source"
    assert "choir-source" not in [ids[d] for d in strike_ranking[:3]]
    # Without segments the call is ranked_sources's: the whole ranking only.
    assert ranked_sources_by_segment(store, suspect, keys, everything, []) == [whole]
