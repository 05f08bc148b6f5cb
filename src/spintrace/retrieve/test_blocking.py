"""Candidate blocking: spun copies and duplicates become candidates, unrelated articles do not."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import shared_path
from spintrace.retrieve.blocking import (
    BlockingParams,
    _content_words,
    _rarity,
    anchor_keys,
    block_pairs,
    crosslingual_keys,
    document_keys,
    key_kind,
    posting,
)
from spintrace.retrieve.corpus_pairs import candidate_pairs


def test_keys_are_stable_integers_of_all_four_kinds(seed_pair):
    source, _ = seed_pair
    keys = document_keys(source)
    assert keys == document_keys(source)
    assert {key_kind(k) for k in keys} == {0, 1, 2, 3}
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_seed_pair_is_a_candidate_although_few_5grams_survive(seed_pair):
    source, suspect = seed_pair
    unrelated = "The weather in the valley stayed mild all week, and farmers expect a good harvest of apples."
    cands = candidate_pairs([document_keys(source), document_keys(unrelated), document_keys(suspect)])
    assert cands.pairs() == [(0, 2)]
    assert cands.shared_anchors[0] >= 2


def test_a_copy_of_half_an_article_is_a_candidate_through_sentence_anchors():
    path = shared_path("bbc-news", "articles.jsonl")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(60), fh)]
    half = "\n\n".join(texts[40].split("\n\n")[:-1])  # 174 content words -> 87
    cands = candidate_pairs([document_keys(t) for t in texts] + [document_keys(half)])
    found = {p: (r, a) for p, r, a in zip(cands.pairs(), cands.shared_rare.tolist(), cands.shared_anchors.tolist())}
    assert (40, 60) in found
    assert found[(40, 60)][1] >= 2


def test_a_possessive_a_contraction_or_a_compound_of_common_words_is_not_a_rare_word():
    """General English frequency has no entry for "country's" or "year-old": counted as the
    rarest words there are, they took the slots of the names a copy keeps."""
    assert _rarity("country's") == _rarity("country") < 3.0
    assert _rarity("isn't") < 3.0 and _rarity("year-old") < 3.0
    assert _rarity("zanu-pf") >= 3.0 and _rarity("mnangagwa") >= 3.0
    assert _rarity("us$100") == 0.0  # a number: rare words leave numbers out


def test_sentences_keeping_the_same_names_share_an_anchor_whatever_possessives_surround_them():
    sentences = [
        "The country's new leader, Emmerson Mnangagwa, was sworn in at the stadium.",
        "Emmerson Mnangagwa, the party's choice, was sworn in as the nation's leader.",
        "Parliament's speaker said the year-old dispute isn't over for Mnangagwa and Emmerson's allies.",
    ]
    keys = [set(anchor_keys(_content_words(s))) for s in sentences]
    assert keys[0] & keys[1] and keys[0] & keys[2] and keys[1] & keys[2]


def test_oversized_blocks_never_go_quadratic():
    params = BlockingParams(max_block=10)
    members = list(range(50))
    rare_key = (1 << 61) | 12345
    band_key = (2 << 61) | 12345
    assert block_pairs(members, rare_key, params) == []
    assert block_pairs(members, band_key, params) == [(i, i + 1) for i in range(49)]
    assert len(block_pairs(members[:10], rare_key, params)) == 45


def test_empty_and_wordless_documents_give_no_pairs():
    assert len(candidate_pairs([[], document_keys(""), document_keys("!!! ...")])) == 0


@pytest.mark.slow
def test_all_duplicated_bbc_bodies_are_candidates_and_blocking_stays_sparse():
    path = shared_path("bbc-news", "articles.jsonl")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    cands = set(candidate_pairs([document_keys(t) for t in texts]).pairs())
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        groups.setdefault(text, []).append(i)
    duplicates = [tuple(g) for g in groups.values() if len(g) == 2]
    assert len(duplicates) == 34
    assert all(d in cands for d in duplicates)
    # Sub-quadratic in practice: a couple of candidates per article, not N**2/2 = 2.2 million.
    assert len(cands) < 3 * len(texts)


def test_each_document_keeps_its_best_sharing_neighbours_below_the_thresholds():
    from spintrace.retrieve.blocking import _KIND_RARE, _key, best_neighbours

    rare = [_key(_KIND_RARE, n) for n in range(100)]
    # Document 0 shares 4 rare-word keys with 1, 3 with 2, 2 with 3: all under min_shared_rare.
    keys = [rare[0:9], rare[0:4] + rare[20:25], rare[4:7] + rare[30:35], rare[7:9] + rare[40:45]]
    strict = candidate_pairs(keys, BlockingParams(fallback_neighbours=0))
    assert len(strict) == 0
    assert candidate_pairs(keys).pairs() == [(0, 1), (0, 2)]  # 2 best of document 0; (0, 3) under 3 keys
    assert candidate_pairs(keys, BlockingParams(fallback_neighbours=1)).pairs() == [(0, 1), (0, 2)]  # 2's best is 0

    # Levels: most shared rare-word keys, then shared anchors; documents sharing equally are one
    # level (a source and its verbatim copies), capped at max_fallback_ties by the smaller id.
    doc, other = np.array([5, 5, 5, 5, 6]), np.array([9, 7, 8, 4, 5])
    shared, anchors = np.array([4, 4, 4, 3, 3]), np.array([0, 0, 1, 0, 0])
    mask = best_neighbours(doc, other, shared, anchors, BlockingParams(fallback_neighbours=2))
    assert mask.tolist() == [True, True, True, False, True]
    capped = best_neighbours(doc, other, shared, anchors, BlockingParams(fallback_neighbours=2, max_fallback_ties=2))
    assert capped.tolist() == [False, True, True, False, True]


def test_a_condensed_copy_reaches_its_source_when_verbatim_copies_of_the_source_share_as_much():
    """Documents 1 and 2 are verbatim copies of source 3 (same keys, smaller ids); summary 0 shares
    four rare words with each, under the thresholds. Breaking the tie by id kept only the copies."""
    from spintrace.retrieve.blocking import _KIND_RARE, _key

    rare = [_key(_KIND_RARE, n) for n in range(100)]
    source = rare[0:12]
    summary = rare[0:4] + rare[50:56]
    pairs = candidate_pairs([summary, source, source, source]).pairs()
    assert {(0, 1), (0, 2), (0, 3)} <= set(pairs)


TRANSLATED = Path(__file__).resolve().parents[1] / "pipeline" / "fixtures_translated"


def _fixture(name: str) -> str:
    return (TRANSLATED / name).read_text(encoding="utf-8")


def test_a_translation_is_a_candidate_of_its_english_source_through_cross_language_keys():
    english = _fixture("source.en.txt")
    texts = [english] + [_fixture(f"translation.{lang}.txt") for lang in ("es", "de", "fr", "ru")]
    cands = candidate_pairs([document_keys(t) for t in texts])
    assert {(0, k) for k in range(1, 5)} <= set(cands.pairs())
    # Without the cross-language keys only a shared Latin-script name or two ties a translation to
    # its source (here the Spanish one, as one of the source's two best neighbours).
    no_cross = BlockingParams(cross_anchors=0)
    without = {(0, k) for k in range(1, 5)} & set(candidate_pairs([document_keys(t, no_cross) for t in texts], no_cross).pairs())
    assert len(without) <= 1


def test_cross_language_keys_pair_english_with_other_languages_only():
    english = [_fixture("source.en.txt"), _fixture("independent.en.txt")]
    foreign = [_fixture("translation.es.txt"), _fixture("translation.de.txt")]
    key = next(k for k in crosslingual_keys(english[0]) if k in set(crosslingual_keys(foreign[0])) | {k ^ 1 for k in crosslingual_keys(foreign[0])})
    block, _ = posting(0, key)
    members = [posting(d, block | side)[1] for d, side in ((0, 0), (1, 0), (2, 1), (3, 1))]
    assert block_pairs(members, block) == [(0, 2), (0, 3), (1, 2), (1, 3)]
    # Two English reports (or two translations) sharing names and numbers are not paired by these
    # keys: an English-only corpus gets exactly the candidates it had without them.
    assert block_pairs([posting(d, block)[1] for d in (0, 1)], block) == []
    path = shared_path("bbc-news", "articles.jsonl")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(300), fh)]
    no_cross = BlockingParams(cross_anchors=0)
    assert candidate_pairs([document_keys(t) for t in texts]).pairs() == \
        candidate_pairs([document_keys(t, no_cross) for t in texts], no_cross).pairs()


def test_a_translation_sharing_one_name_pair_with_its_source_is_proposed_by_the_cross_language_fallback():
    english = _fixture("source.en.txt")
    # One sentence of the source, translated: its two names are one cross-language key, under the
    # two that ``min_shared_anchors`` asks for.
    one_key = "Después, el señor Tokayev habló en Almaty con los manifestantes."
    texts = [english, _fixture("independent.en.txt"), one_key]
    assert len({k & ~1 for k in crosslingual_keys(english)} & {k & ~1 for k in crosslingual_keys(one_key)}) == 1
    assert (0, 2) in candidate_pairs([document_keys(t) for t in texts]).pairs()
    off = BlockingParams(cross_fallback=False)
    assert (0, 2) not in candidate_pairs([document_keys(t, off) for t in texts], off).pairs()


def test_only_the_foreign_document_chooses_its_cross_language_neighbours():
    # The translation shares three keys with its source and one with a brief English item: it
    # keeps its best (the source); the brief's own best foreign partner does not count.
    source = _fixture("source.en.txt")
    brief = "Officials said Tokayev was in Almaty. No further details were given by the ministry."
    translation = "El señor Tokayev declaró el estado de emergencia en Almaty y en la región de Mangystau."
    pairs = candidate_pairs([document_keys(t) for t in (source, brief, translation)]).pairs()
    assert (0, 2) in pairs and (1, 2) not in pairs
