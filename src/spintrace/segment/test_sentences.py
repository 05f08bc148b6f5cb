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


def test_every_kind_of_line_break_ends_a_paragraph():
    from spintrace.segment.sentences import paragraphs

    text = "Title\rFirst para. Second.\r\rNext para\u2029Last\x0cpage\r\nCRLF line\u2028end\x85NEL"
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "Title", "First para. Second.", "Next para", "Last", "page", "CRLF line", "end", "NEL"]


def test_a_run_on_sentence_without_plain_spaces_is_cut_between_words():
    from spintrace.segment.sentences import MAX_SENTENCE_CHARS, segment_sentences

    for space in ("\u00a0", "\t"):
        text = space.join(["heads", "joint"] * 100) + "."
        segments = segment_sentences(text)
        assert len(segments) > 1 and all(s.end - s.start <= MAX_SENTENCE_CHARS for s in segments)
        for s in segments:  # every piece starts and ends on a whole word
            assert text[s.start:s.end].split(space)[0].rstrip(".") in ("heads", "joint")
            assert text[s.start:s.end].rstrip(".").split(space)[-1] in ("heads", "joint")
