from spintrace.normalise import fold, tokenize


def test_offsets_point_back_into_original_text():
    text = "Kazakh President Kassym-Jomart Tokayev won about 70% of 3,600 votes."
    tokens = tokenize(text)
    assert [t.text for t in tokens][:4] == ["Kazakh", "President", "Kassym-Jomart", "Tokayev"]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert any(t.text == "70%" and t.is_number for t in tokens)
    assert any(t.text == "3,600" and t.is_number for t in tokens)


def test_folding_and_stemming_make_variants_comparable():
    assert fold("Café’s") == "cafe's"
    a = {t.stem for t in tokenize("protesters protested")}
    b = {t.stem for t in tokenize("protester protests")}
    assert a == b


def test_sub_range_keeps_global_offsets():
    text = "First sentence. Second one here."
    tokens = tokenize(text, 16)
    assert tokens[0].text == "Second" and tokens[0].start == 16


def test_tokens_pickle_as_before_and_hash_by_value() -> None:
    # Analysed texts cached or checkpointed when tokens were frozen dataclasses must still load:
    # the state is the field values in order, as a frozen dataclass pickled it.
    import pickle

    from spintrace.normalise.tokens import Token, tokenize

    token = tokenize("Okafor said")[0]
    assert token.__getstate__() == ["Okafor", "okafor", token.stem, 0, 6, False, True]
    old = Token.__new__(Token)
    old.__setstate__(["Okafor", "okafor", token.stem, 0, 6, False, True])
    assert old == token and hash(old) == hash(token)
    assert pickle.loads(pickle.dumps(token)) == token
    assert len({token, tokenize("Okafor said")[0]}) == 1


def test_invisible_characters_and_decomposed_accents_stay_inside_their_word():
    """A soft hyphen, a zero-width joiner or a decomposed accent split a word in two, so a copy
    with them was a paraphrase of itself ("situation" -> "situ ation")."""
    import unicodedata

    from spintrace.normalise.tokens import tokenize

    for text in ("situ\u00adation", "situ\u200dation", "situ\u200cation", "situ\u2060ation", "situ\ufeffation"):
        (token,) = tokenize(text)
        assert (token.text, token.norm, token.start, token.end) == (text, "situation", 0, len(text))
    # a zero-width space separates words (Thai, Khmer and Lao are written so)
    assert [t.text for t in tokenize("hello\u200bworld")] == ["hello", "world"]
    decomposed = unicodedata.normalize("NFD", "Tokáyev résigne à Kazakhstán")
    tokens = tokenize(decomposed)
    assert [t.norm for t in tokens] == ["tokayev", "resigne", "a", "kazakhstan"]
    assert [decomposed[t.start:t.end] for t in tokens] == [t.text for t in tokens]
    assert tokens[0].end == decomposed.index(" ")  # the word ends after its accent, not before
    assert [t.text for t in tokenize("नमस्ते दुनिया")] == ["नमस्ते", "दुनिया"]  # vowel signs are inside words


def test_the_combining_mark_class_is_this_pythons_unicode():
    import sys
    import unicodedata

    from spintrace.normalise.combining_marks import COMBINING_MARKS

    expected = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("M")}
    import re

    rx = re.compile(f"[{COMBINING_MARKS}]")
    assert {ch for ch in expected if not rx.fullmatch(ch)} == set()
    assert not rx.search("abc é ñ 1,2 - ' ’")


def test_a_typographic_hyphen_between_letters_is_a_hyphen() -> None:
    """A CMS or a copier's keyboard writes "south–east" (en dash) or a non-breaking hyphen: the
    word split in two and every such compound showed as reworded."""
    text = "the south\u2013east and north\u2011west, 2001\u20132005, Paris \u2013 London"
    assert [(t.text, t.norm) for t in tokenize(text)] == [
        ("the", "the"), ("south\u2013east", "south-east"), ("and", "and"), ("north\u2011west", "north-west"),
        ("2001", "2001"), ("2005", "2005"), ("Paris", "paris"), ("London", "london")]
    assert [t.norm for t in tokenize("south-east")] == ["south-east"]
