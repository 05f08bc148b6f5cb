"""Evidence for condensed copies: fact order (``fact_order_features``), how long a source stretch
the suspect retells (``source_stretch``) and whether its sentences fuse neighbouring source
sentences (``fusion_gain``)."""

from __future__ import annotations

import numpy as np

from spintrace.classify.evidence import fact_order_features, fusion_gain, source_stretch
from spintrace.classify.verdict import ScoreModel, VerdictRules, is_condensed
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


SOURCE = analyse_text(
    "The council approved the new bridge on Monday after a long debate that ran late into the night. "
    "Councillors argued about the cost, the route across the river and the years of disruption. "
    "Work will start in spring and is expected to cost about four million pounds in total. "
    "The contractor says the bridge should open to traffic within two years of work starting. "
    "Residents had campaigned for a safer crossing for ten years after a string of accidents."
)


def test_a_digest_retells_a_source_stretch_longer_than_itself_an_excerpt_does_not() -> None:
    digest, excerpt = np.zeros((5, 3)), np.zeros((5, 3))
    digest[0, 0], digest[2, 1], digest[4, 2] = 0.9, 0.4, 0.85  # a weak, fused match still has a position
    excerpt[0, 0], excerpt[1, 1], excerpt[2, 2] = 0.9, 0.8, 0.85
    def stretch(strength: np.ndarray) -> float:
        return source_stretch(SOURCE, SUSPECT, strength)["source_stretch"]

    assert stretch(digest) > 1.5 > stretch(excerpt)
    chance = digest.copy()
    chance[4, 2] = 0.2  # a chance match does not stretch it
    assert stretch(chance) < stretch(digest)
    assert stretch(np.zeros((5, 3))) == 0.0


def test_only_a_suspect_retelling_a_longer_stretch_is_flagged_condensed() -> None:
    model = ScoreModel(0.0, {}, condensed_bias=10.0)  # its condensed-copy model says yes to anything short
    short = {"length_ratio": 0.3}
    rules = VerdictRules()
    assert is_condensed("paraphrase", model, {**short, "source_stretch": 2.5}, rules)
    assert not is_condensed("paraphrase", model, {**short, "source_stretch": 1.0}, rules)  # an excerpt
    assert not is_condensed("same-story", model, {**short, "source_stretch": 2.5}, rules)



def test_a_suspect_retelling_twice_its_length_is_condensed_whatever_the_condensed_model_says() -> None:
    doubtful = ScoreModel(0.0, {}, condensed_bias=-10.0)  # its condensed-copy model says no to anything
    short = {"length_ratio": 0.3}
    rules = VerdictRules()
    assert is_condensed("paraphrase", doubtful, {**short, "source_stretch": rules.condensed_sure_stretch}, rules)
    assert not is_condensed("paraphrase", doubtful, {**short, "source_stretch": 1.8}, rules)
    assert not is_condensed("paraphrase", doubtful, short, rules)  # no stretch measured: the model decides
    assert not is_condensed("paraphrase", doubtful, {"length_ratio": 0.8, "source_stretch": 3.0}, rules)  # not short

FUSED_SOURCE = analyse_text(
    "The council approved the new bridge on Monday. "
    "The vote followed a long debate among councillors. "
    "Work will start in spring. "
    "Engineers put the cost at about four million pounds. "
    "Residents had campaigned for ten years. "
    "They wanted a safer crossing near the school. "
    "Traffic on the old road has doubled since 2010. "
    "The mayor thanked campaigners at the meeting."
)


def test_a_summary_sentence_fusing_neighbouring_source_sentences_gains_from_the_window() -> None:
    """Each summary sentence takes the words of two neighbouring source sentences; a sentence
    made of facts from far apart in the source (the first and the last) gains nothing from a
    window of neighbours, and neither does a sentence copied from one source sentence."""
    summary = analyse_text(
        "The council approved the bridge on Monday after a long debate among councillors. "
        "Work will start in spring, engineers putting the cost at four million pounds."
    )
    scattered = analyse_text(
        "The council approved the bridge on Monday, and the mayor thanked campaigners at the meeting. "
        "Work will start in spring, with traffic on the old road doubled since 2010."
    )
    copied = analyse_text("The council approved the new bridge on Monday. "
                          "Engineers put the cost at about four million pounds.")
    fused = fusion_gain(FUSED_SOURCE, summary)["fusion_gain"]
    assert fused > 0.3
    assert fusion_gain(FUSED_SOURCE, scattered)["fusion_gain"] < fused / 2
    assert fusion_gain(FUSED_SOURCE, copied)["fusion_gain"] == 0.0
    assert fusion_gain(FUSED_SOURCE, analyse_text("Too short."))["fusion_gain"] == 0.0
