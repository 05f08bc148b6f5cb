"""Fact-order evidence for condensed copies (``classify.evidence.fact_order_features``)."""

from __future__ import annotations

import numpy as np

from spintrace.classify.evidence import fact_order_features
from spintrace.pipeline.analyse import analyse_text

SUSPECT = analyse_text(
    "The council approved the new bridge on Monday after a long debate. "
    "Work will start in spring and cost about four million pounds. "
    "Residents had campaigned for a safer crossing for ten years."
)


def test_a_suspect_told_in_the_sources_order_is_fully_explained_by_an_ordered_chain() -> None:
    # Source sentences 0, 2 and 4 match suspect sentences 0, 1 and 2: a digest going down the source.
    strength = np.zeros((5, 3))
    strength[0, 0], strength[2, 1], strength[4, 2] = 0.9, 0.8, 0.85
    f = fact_order_features(SUSPECT, strength)
    assert f["ordered_explained"] == 1.0
    assert f["in_source_order"] == 1.0
    assert f["source_reach"] == 3 / 5


def test_a_suspect_that_tells_the_facts_in_its_own_order_is_not() -> None:
    # The suspect leads with the source's last fact, then goes back to the start.
    strength = np.zeros((5, 3))
    strength[4, 0], strength[0, 1], strength[2, 2] = 0.9, 0.8, 0.85
    f = fact_order_features(SUSPECT, strength)
    assert 0.0 < f["ordered_explained"] < 1.0
    assert f["in_source_order"] == 0.5
    # Weak matches neither help nor hurt the order: they are below the chain's floor.
    weak = strength.copy()
    weak[1, 0] = 0.2
    assert fact_order_features(SUSPECT, weak)["ordered_explained"] == f["ordered_explained"]


def test_no_matches_at_all_is_no_evidence() -> None:
    f = fact_order_features(SUSPECT, np.zeros((4, 3)))
    assert f == {"ordered_explained": 0.0, "in_source_order": 0.0, "source_reach": 0.0}
    assert fact_order_features(SUSPECT, np.zeros((0, 3)))["ordered_explained"] == 0.0
