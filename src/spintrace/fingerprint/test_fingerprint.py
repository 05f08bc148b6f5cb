"""Fingerprints: stable, and still matching a spun copy where plain 5-gram overlap does not."""

from __future__ import annotations

import numpy as np

from spintrace.fingerprint import (
    BANDS,
    NUM_PERM,
    content_terms,
    document_fingerprint,
    estimated_jaccard,
    term_hash,
)


def test_names_numbers_and_rare_words_are_anchors_stop_words_are_not() -> None:
    text = 'He met Gordon Brown on Tuesday. Brown said "tax rises" of 3,600 were profligate, and 7 were fine.'
    fp = document_fingerprint(text)
    assert {"gordon", "brown", "3600", "proflig"} <= set(fp.anchors)
    assert not {"he", "the", "7", "said", "on"} & set(fp.anchors)
    terms, count = content_terms(text)
    assert count == 18
    assert [t.is_name for t in terms if t.stem == "brown"] == [True, False]  # mid-sentence vs sentence start


def test_fingerprint_shapes_and_stability() -> None:
    fp = document_fingerprint("Kazakhstan's president asked the CSTO for help after protests in Almaty.")
    again = document_fingerprint("Kazakhstan's president asked the CSTO for help after protests in Almaty.")
    assert fp.minhash.dtype == np.uint64 and fp.minhash.shape == (NUM_PERM,)
    assert fp.band_keys.dtype == np.int64 and fp.band_keys.shape == (BANDS,)
    assert np.array_equal(fp.band_keys, again.band_keys) and fp.anchors == again.anchors
    assert term_hash("csto") == term_hash("csto") != term_hash("almati")
    assert len(fp.anchor_hashes) == len(fp.anchors)


def test_empty_text_gives_an_empty_fingerprint() -> None:
    fp = document_fingerprint("")
    assert fp.anchors == () and fp.token_count == 0 and fp.minhash.shape == (NUM_PERM,)


def test_seed_pair_spun_copy_keeps_anchors_and_shingles(seed_pair) -> None:
    source, suspect = seed_pair
    a, b = document_fingerprint(source), document_fingerprint(suspect)
    shared = set(a.anchors) & set(b.anchors)
    assert len(shared) >= 20 and {"tokayev", "csto", "kazakhstan"} <= shared
    assert estimated_jaccard(a.minhash, b.minhash) > 0.2
    unrelated = document_fingerprint(
        "Shell is to pay $1m to the ex-finance chief who stepped down after the firm over-stated its reserves. "
        "Judy Boynton finally left the firm on 31 December, having spent the time as a special advisor."
    )
    assert len(set(a.anchors) & set(unrelated.anchors)) <= 2
    assert estimated_jaccard(a.minhash, unrelated.minhash) < 0.1
