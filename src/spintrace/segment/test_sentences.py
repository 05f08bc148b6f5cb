from spintrace.segment import paragraphs, segment_sentences


def test_titles_and_lines_are_their_own_segments():
    text = "A headline without a full stop\n\nFirst sentence here. Second one, Mr. Smith said.\nCaption line"
    segs = segment_sentences(text)
    got = [text[s.start : s.end] for s in segs]
    assert got == [
        "A headline without a full stop",
        "First sentence here.",
        "Second one, Mr. Smith said.",
        "Caption line",
    ]
    assert [s.paragraph for s in segs] == [0, 1, 1, 2]
    assert [s.index for s in segs] == [0, 1, 2, 3]


def test_paragraph_spans_are_trimmed():
    text = "  one \n\n\n two  \n"
    assert [text[s:e] for s, e in paragraphs(text)] == ["one", "two"]


def test_run_on_text_is_cut_into_bounded_pieces():
    text = "word " * 1000
    segs = segment_sentences(text)
    assert len(segs) > 5
    assert all(s.end - s.start <= 600 for s in segs)
    assert segs[0].start == 0 and segs[-1].end == len(text.rstrip())
