"""Passages of one copy split by a dropped or unrecognisable sentence are reported as one stretch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import spintrace

from spintrace.align.passages import ExtentParams, bridge_gaps, copy_extent, ordered_matches, snap_to_paragraphs
from spintrace.comparison import Passage, SentenceLink
from spintrace.pipeline.analyse import AnalysedText, analyse_text

SENTENCES = [
    "The city council approved a new budget on Tuesday after a long debate.",
    "The plan raises spending on schools by four percent next year.",
    "Opposition members said the increase would not cover rising costs.",
    "The mayor defended the budget as the best the city could afford.",
    "A final vote on the transport levy is expected in March.",
    "Residents will be able to comment on the plan until the end of January.",
]
TEXT = " ".join(SENTENCES)


def _sentence_span(text: AnalysedText, k: int) -> tuple[int, int]:
    seg = text.sentences[k].segment
    return seg.start, seg.end


def _passage(text: AnalysedText, src: tuple[int, int], sus: tuple[int, int]) -> Passage:
    s0, s1 = _sentence_span(text, src[0])[0], _sentence_span(text, src[1])[1]
    t0, t1 = _sentence_span(text, sus[0])[0], _sentence_span(text, sus[1])[1]
    return Passage(s0, s1, t0, t1, 0.8, "paraphrase", (), (SentenceLink(s0, s1, t0, t1, 0.8),))


def test_in_order_passages_across_a_small_gap_are_joined_and_keep_their_links() -> None:
    text = analyse_text(TEXT)
    assert len(text.sentences) == 6
    first, second = _passage(text, (0, 1), (0, 1)), _passage(text, (3, 5), (2, 4))  # source sentence 2 dropped
    (joined,) = bridge_gaps(text, text, [first, second])
    assert (joined.source_start, joined.source_end) == (first.source_start, second.source_end)
    assert (joined.suspect_start, joined.suspect_end) == (first.suspect_start, second.suspect_end)
    assert joined.links == first.links + second.links


def test_reordered_or_distant_passages_stay_apart() -> None:
    text = analyse_text(TEXT)
    reordered = [_passage(text, (3, 4), (0, 1)), _passage(text, (0, 1), (2, 3))]
    assert len(bridge_gaps(text, text, reordered)) == 2
    cut = [_passage(text, (0, 0), (0, 0)), _passage(text, (4, 5), (1, 2))]  # three source sentences cut
    assert len(bridge_gaps(text, text, cut)) == 2
    assert len(bridge_gaps(text, text, cut, ExtentParams(suspect_sentences=3, source_sentences=3))) == 1


def test_a_stretch_reworded_past_recognition_between_two_reworded_passages_joins_them() -> None:
    """Three unlinked sentences on each side, of about the same length, between two passages in
    order: the same stretch reworded, not an insertion or a cut. Verbatim passages keep it apart
    (text between two verbatim copies is the copier's own), and so does a lopsided stretch."""
    text = analyse_text(TEXT)
    far = [_passage(text, (0, 0), (0, 0)), _passage(text, (4, 5), (4, 5))]
    (joined,) = bridge_gaps(text, text, far)
    assert (joined.source_start, joined.source_end) == (far[0].source_start, far[1].source_end)
    assert len(bridge_gaps(text, text, far, ExtentParams(reworded_sentences=2))) == 2
    verbatim = [Passage(p.source_start, p.source_end, p.suspect_start, p.suspect_end, 1.0, "exact", (), p.links)
                for p in far]
    assert len(bridge_gaps(text, text, verbatim)) == 2
    lopsided = [_passage(text, (0, 0), (0, 0)), _passage(text, (4, 5), (2, 3))]  # three source sentences, one suspect
    assert len(bridge_gaps(text, text, lopsided)) == 2


def test_a_condensed_copy_spans_the_source_stretch_it_condensed() -> None:
    """A summary retells the source in order and drops most of its sentences: between two of its
    passages, the source sentences it skipped are still the stretch it condensed."""
    text = analyse_text(TEXT)
    cut = [_passage(text, (0, 0), (0, 0)), _passage(text, (4, 5), (1, 2))]
    assert len(copy_extent(text, text, cut)) == 2
    (condensed,) = copy_extent(text, text, cut, condensed=True)
    assert (condensed.source_start, condensed.source_end) == (cut[0].source_start, cut[1].source_end)
    assert condensed.links == cut[0].links + cut[1].links


def test_ordered_matches_are_the_heaviest_chain_that_never_goes_back_in_the_source() -> None:
    suspect = analyse_text(" ".join(SENTENCES[:4]))  # four suspect sentences of about equal length
    strength = np.zeros((6, 4))
    strength[0, 0] = 0.9
    strength[2, 1] = 0.5
    strength[1, 2] = 0.6  # goes back in the source: the chain takes source 3 for it instead
    strength[3, 2] = 0.4
    strength[5, 3] = 0.3  # under the floor
    assert ordered_matches(suspect, strength, 0.35) == [(0, 0), (2, 1), (3, 2)]
    # One strong match that goes back outweighs two weak ones that keep the order.
    strength[1, 2], strength[2, 1], strength[3, 2] = 0.95, 0.36, 0.36
    assert ordered_matches(suspect, strength, 0.35) == [(0, 0), (1, 2)]
    assert ordered_matches(suspect, np.zeros((0, 4)), 0.35) == []


def test_a_condensed_copy_takes_in_its_sentences_that_retell_the_source_in_order() -> None:
    """A summary sentence fused from two source sentences matches each too weakly to be linked,
    but it follows the linked one and retells what comes next in the source: in a condensed copy
    the passage reaches over it; a weak match with no passage beside it is no passage."""
    text = analyse_text("\n\n".join(SENTENCES))  # a paragraph a sentence: no widening to paragraphs
    linked = [_passage(text, (0, 0), (0, 0))]
    strength = np.zeros((6, 6))
    strength[0, 0], strength[2, 1], strength[3, 2] = 0.9, 0.45, 0.4  # suspect 1, 2 retell source 2, 3
    strength[5, 5] = 0.5  # far from the passage: joined to nothing
    (widened,) = copy_extent(text, text, linked, condensed=True, strength=strength)
    assert (widened.suspect_start, widened.suspect_end) == (linked[0].suspect_start, _sentence_span(text, 2)[1])
    assert (widened.source_start, widened.source_end) == (linked[0].source_start, _sentence_span(text, 3)[1])
    assert widened.links == linked[0].links  # the evidence shown is still the links
    # Without the matches (compare passes them for condensed copies only), nothing is widened.
    (kept,) = copy_extent(text, text, linked, condensed=True)
    assert (kept.suspect_start, kept.suspect_end) == (linked[0].suspect_start, linked[0].suspect_end)
    assert copy_extent(text, text, [], condensed=True, strength=strength) == []


def test_a_reworded_passage_covering_most_of_a_paragraph_stands_for_all_of_it() -> None:
    text = analyse_text(" ".join(SENTENCES[:3]) + "\n\n" + " ".join(SENTENCES[3:]))
    paragraph_end = _sentence_span(text, 2)[1]
    two_of_three = _passage(text, (0, 1), (0, 1))
    (widened,) = snap_to_paragraphs(text, text, [two_of_three], 0.5)
    assert (widened.source_start, widened.source_end) == (0, paragraph_end)
    assert (widened.suspect_start, widened.suspect_end) == (0, paragraph_end)
    assert widened.links == two_of_three.links
    one_of_three = _passage(text, (1, 1), (1, 1))
    assert snap_to_paragraphs(text, text, [one_of_three], 0.5) == [one_of_three]
    verbatim = Passage(*(two_of_three.source_start, two_of_three.source_end, two_of_three.suspect_start,
                         two_of_three.suspect_end), 1.0, "exact", (), two_of_three.links)
    assert snap_to_paragraphs(text, text, [verbatim], 0.5) == [verbatim]  # verbatim edges are exact
    neighbour = _passage(text, (2, 2), (2, 2))  # another passage already in the paragraph
    assert snap_to_paragraphs(text, text, [two_of_three, neighbour], 0.5)[0] == two_of_three


def test_on_the_source_side_a_third_of_a_paragraph_linked_stands_for_all_of_it_a_stray_link_does_not() -> None:
    """A condensed or rewritten paragraph retells its source paragraph in fewer sentences: the
    source paragraph is what it was made from. A passage whose last link reaches into a long
    paragraph (one sentence of five: a false link, or one fact) does not claim that paragraph,
    though the passage's span covers more of it."""
    text = analyse_text(" ".join(SENTENCES[:3]) + "\n\n" + " ".join(SENTENCES[3:] + SENTENCES[:2]))
    first_end, second_start = _sentence_span(text, 2)[1], _sentence_span(text, 3)[0]
    one_of_three = _passage(text, (1, 1), (1, 1))
    (widened,) = snap_to_paragraphs(text, text, [one_of_three], 0.5, 0.3)
    assert (widened.source_start, widened.source_end) == (0, first_end)
    assert (widened.suspect_start, widened.suspect_end) == (one_of_three.suspect_start, one_of_three.suspect_end)

    s0, s1 = _sentence_span(text, 0)
    t0, t1 = _sentence_span(text, 4)
    # Links to sentence 0 and to sentence 4 (the second of five in the next paragraph): the span
    # runs over sentences 1-3, but the links cover one sentence of the long paragraph.
    stray = Passage(s0, t1, s0, t1, 0.8, "paraphrase", (),
                    (SentenceLink(s0, s1, s0, s1, 0.8), SentenceLink(t0, t1, t0, t1, 0.8)))
    (kept,) = snap_to_paragraphs(text, text, [stray], 0.5, 0.3)
    assert kept.source_end == t1 and kept.source_start == 0
    assert kept.source_end < len(text.text) and second_start < t1


SPUN_WITHOUT_THIRD = [
    "The town council passed a fresh budget on Tuesday following a lengthy debate.",
    "The plan lifts school spending by four percent in the coming year.",
    "The mayor stood by the budget as the best the town could pay for.",
    "A last vote on the transport levy is due in March.",
    "Locals can comment on the plan until the close of January.",
]


def test_a_spun_copy_with_a_dropped_sentence_is_one_passage_and_the_sentence_is_still_omitted() -> None:
    result = spintrace.compare(TEXT, " ".join(SPUN_WITHOUT_THIRD))
    assert result.reused
    assert len(result.passages) == 1
    omitted = [result.source_text[s.start:s.end] for s in result.omitted]
    assert omitted == [SENTENCES[2]]


def test_a_rewrite_that_keeps_one_quote_word_for_word_is_not_a_verbatim_copy() -> None:
    """Two short verbatim regions inside one reworded passage: the first took the passage over,
    the second (the quote) became a passage of its own and was folded back in as "near", so the
    whole rewrite read as 239 words copied near-verbatim: verdict ``verbatim``, and the copied-
    passage rule (40 words) would have called any such pair reuse at 0.95."""
    fixtures = Path(__file__).parent / "fixtures"
    source = (fixtures / "thames_source.txt").read_text(encoding="utf-8")
    rewrite = (fixtures / "thames_rewrite_one_quote.txt").read_text(encoding="utf-8")
    result = spintrace.compare(source, rewrite)
    assert result.verdict == "paraphrase"
    assert result.features["near_verbatim_words"] < 20
    assert all(p.kind == "paraphrase" for p in result.passages if p.suspect_end - p.suspect_start > 200)
    # no suspect word sits in two links (the quote's region added a link over its sentence's)
    links = sorted((l.suspect_start, l.suspect_end) for p in result.passages for l in p.links)
    assert all(a[1] <= b[0] for a, b in zip(links, links[1:]))
