"""Corpus-wide blocking gives the same pairs whether its pair occurrences are counted at once or
spilled to disk in shards, and the vectorised decisions equal the per-pair ones."""

from __future__ import annotations

import itertools
import json
import random

import numpy as np
import pytest

import spintrace.retrieve.corpus_pairs as corpus_pairs
from conftest import shared_path
from spintrace.retrieve.blocking import BlockingParams, _key, _KIND_BAND, _KIND_RARE, document_keys, is_candidate
from spintrace.retrieve.corpus_pairs import candidate_mask, candidate_pairs


def test_the_vectorised_candidate_rule_is_the_per_pair_rule():
    params = BlockingParams()
    grid = np.array(list(itertools.product(range(0, 20), range(0, 4), range(0, 3))))
    rare, anchors, bands = grid[:, 0], grid[:, 1], grid[:, 2]
    expected = [is_candidate(int(r), int(a), int(b), params) for r, a, b in grid]
    assert candidate_mask(rare, anchors, bands, params).tolist() == expected


def _assert_same(a, b) -> None:
    for name, values in a.arrays().items():
        assert np.array_equal(values, b.arrays()[name]), name


def test_shards_spilled_to_disk_give_the_pairs_counted_at_once(monkeypatch, tmp_path):
    """Synthetic keys with every kind of block: small rare-word and anchor blocks, a band block
    over ``max_block`` (chained), a rare-word block over it (dropped), and shared pairs across
    many blocks (counted once per block)."""
    rng = random.Random(3)
    params = BlockingParams(max_block=12)
    docs: list[list[int]] = [[] for _ in range(60)]
    for value in range(400):
        kind = rng.choice([_KIND_RARE, _KIND_RARE, 3, _KIND_BAND])
        for d in rng.sample(range(60), rng.randint(2, 8)):
            docs[d].append(_key(kind, value))
    for d in range(20):  # a band block too big to pair all of its members
        docs[d].append(_key(_KIND_BAND, 10_000))
    for d in range(30):  # a rare-word block too big to mean anything
        docs[d].append(_key(_KIND_RARE, 10_001))
    at_once = candidate_pairs(docs, params)
    assert len(at_once) > 50
    assert all(0 <= l < r for l, r in at_once.pairs())
    monkeypatch.setattr(corpus_pairs, "PAIRS_PER_SHARD", 100)
    monkeypatch.setattr(corpus_pairs, "BATCH_PAIRS", 50)
    sharded = candidate_pairs(docs, params, spill_dir=tmp_path)
    _assert_same(at_once, sharded)
    assert list(tmp_path.iterdir()) == []  # the spilled shards are removed


@pytest.mark.shared_data
def test_shards_give_the_same_pairs_on_real_articles(monkeypatch):
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in itertools.islice(fh, 400)]
    keys = [document_keys(t) for t in texts]
    at_once = candidate_pairs(keys)
    monkeypatch.setattr(corpus_pairs, "PAIRS_PER_SHARD", 5_000)
    _assert_same(at_once, candidate_pairs(keys))
