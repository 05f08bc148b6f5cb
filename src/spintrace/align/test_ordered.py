"""The heaviest in-order chain of sentence matches."""

from __future__ import annotations

import numpy as np

from spintrace.align.ordered import heaviest_ordered_chain


def test_the_chain_never_goes_back_and_its_value_is_what_its_matches_weigh() -> None:
    strength = np.array([
        [0.9, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.8, 0.0],  # suspect 2 matches source 1 strongly, but after source 2's match of suspect 1
        [0.0, 0.6, 0.0, 0.0],
        [0.0, 0.0, 0.5, 0.7],
    ])
    weights = np.array([10.0, 10.0, 10.0, 10.0])
    chain = heaviest_ordered_chain(strength, weights, 0.35)
    assert chain.pairs == ((0, 0), (2, 1), (3, 2), (3, 3))  # 0.5 kept in order beats 0.8 going back
    assert chain.value == sum(strength[i, j] * weights[j] for i, j in chain.pairs)
    assert heaviest_ordered_chain(strength, weights, 0.35, with_pairs=False) == type(chain)(chain.value, ())
    # With 0.5 under the floor, suspect 1 is left unmatched so that suspect 2 can take source 1.
    assert (1, 2) in heaviest_ordered_chain(strength, weights, 0.55).pairs
    assert heaviest_ordered_chain(np.zeros((0, 3)), np.ones(3), 0.35).value == 0.0
