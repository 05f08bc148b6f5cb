"""The seams of a compilation, found on real sentence embeddings."""

from __future__ import annotations

from spintrace.pipeline.analyse import analyse_text, ensure_embeddings
from spintrace.pipeline.compare import default_embed
from spintrace.trace.segments import MAX_SEGMENTS, MIN_SEGMENT, topic_segments

DAM = [
    "Engineers at the Kariba dam found a crack in the spillway wall during a routine dive on Monday.",
    "The Zambezi River Authority said the crack was three metres long and posed no immediate danger.",
    "Repairs costing an estimated 294 million dollars will begin in the dry season next year.",
    "Villagers downstream in Siavonga were told to stay alert but not to leave their homes.",
]
DAM_MORE = [
    "The dam holds back the world's largest man-made lake and supplies power to Zambia and Zimbabwe.",
    "Its spillway was last repaired in 2001, when engineers filled a scour hole beneath the plunge pool.",
]
CHOIR = [
    "The Leipzig boys choir will tour Japan for the first time since its founding in 1212.",
    "Its director, Gotthold Schwarz, said the singers had rehearsed the Bach programme for a year.",
    "Tickets for the Osaka concert sold out within four minutes of going on sale.",
    "The tour ends in Sapporo with a performance of the St Matthew Passion on Good Friday.",
]


def _embedded(paragraphs: list[str]):
    text = analyse_text("\n\n".join(paragraphs))
    ensure_embeddings(text, default_embed())
    return text


def test_a_compilation_is_cut_where_its_subject_changes():
    # One sentence a paragraph, as wire copy and the BBC print them.
    suspect = _embedded(DAM + CHOIR)
    everything = list(range(len(suspect.sentences)))
    segments = topic_segments(suspect, everything)
    assert 4 in {segment[0] for segment in segments}  # the seam between the two stories
    assert [i for segment in segments for i in segment] == everything
    # Once the dam part is attributed, what is left is one segment.
    assert topic_segments(suspect, everything[4:]) == [everything[4:]]


def test_segments_stay_long_enough_to_retrieve_a_source_and_few():
    """Distinct facts of one story embed far apart too (cosine 0.2-0.45 here), so one story may
    be cut; a false seam only adds a ranking from the same anchor pool. Each segment keeps two
    sentences (what a source must explain) and there are at most three."""
    for paragraphs in (DAM + DAM_MORE, DAM + DAM_MORE + CHOIR, CHOIR + DAM + DAM_MORE + CHOIR):
        suspect = _embedded(paragraphs)
        segments = topic_segments(suspect, range(len(suspect.sentences)))
        assert 1 <= len(segments) <= MAX_SEGMENTS
        assert all(len(segment) >= MIN_SEGMENT for segment in segments)


def test_without_embeddings_or_room_for_two_segments_nothing_is_cut():
    plain = analyse_text("\n\n".join(DAM + CHOIR))
    assert topic_segments(plain, range(8)) == [list(range(8))]
    suspect = _embedded(DAM[:2] + CHOIR[:1])
    assert topic_segments(suspect, [0, 1, 2]) == [[0, 1, 2]]
