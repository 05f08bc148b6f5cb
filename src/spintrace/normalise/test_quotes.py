from spintrace.normalise.quotes import quoted_mask, quoted_spans


def _quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quoted_spans(text)]


def test_a_quote_continued_without_closing_stays_quoted_and_the_narration_after_it_does_not():
    # News style: each new quoted sentence opens again; paired in order, the marks would put
    # "But I have confidence" outside the quote and "Then he left" inside.
    text = 'Kirwan said: "The kicking was decisive. "But I have confidence." Then he left.'
    assert _quoted(text) == ['"The kicking was decisive. ', '"But I have confidence."']
    mask = quoted_mask(text)
    assert mask[text.index("But")] == 1
    assert mask[text.index("Then")] == 0


def test_a_quoted_paragraph_continued_in_the_next_ends_at_its_paragraph():
    text = '"We will appeal.\n\n"The ruling is wrong," he said. The club declined to comment.'
    assert _quoted(text) == ['"We will appeal.', '"The ruling is wrong,"']
    assert quoted_mask(text)[text.index("The club")] == 0


def test_plain_pairs_inch_marks_and_curly_quotes():
    assert _quoted('He said "yes" and "no".') == ['"yes"', '"no"']
    assert _quoted('The 5" screen and "quoted" word.') == ['"quoted"']
    assert _quoted("He said “we won. “It was hard,” he added. Unquoted.") == ["“we won. ", "“It was hard,”"]
