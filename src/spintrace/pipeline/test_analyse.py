"""What the per-text analysis finds."""

from __future__ import annotations

from spintrace.pipeline.analyse import analyse_text, sentence_contents


def test_sentence_contents_are_the_analysis_own_without_its_tokens() -> None:
    texts = [
        "Ministers' plans for the £456m system were \"nowhere near\" ready, MPs said on 3 March.",
        "Café owners in Zürich can't agree. A 5% rise, or 2,000 jobs? ½ of them said no; Kassym-Jomart Tokayev won.",
        "I. M. Pei, 88, said: \u201cIt’s done.\u201d\n\nA second paragraph, with 1 word and x and 7.",
        "",
    ]
    for text in texts:
        assert sentence_contents(text) == [s.content for s in analyse_text(text).sentences]
    last = sentence_contents(texts[2])[-1]
    assert "7" in last and "1" in last and "x" not in last  # a number counts whatever its length


def test_a_text_mixing_english_with_a_translation_has_a_part_per_language_with_the_whole_offsets() -> None:
    from pathlib import Path

    from spintrace.pipeline.analyse import language_parts, language_view, text_language

    fixtures = Path(__file__).parent / "fixtures_translated"
    english = (fixtures / "source.en.txt").read_text().strip().split("\n\n")
    german = (fixtures / "independent.de.txt").read_text().strip().split("\n\n")
    text = "\n\n".join([english[0], *german, english[1]])
    analysed = analyse_text(text)
    parts = language_parts(analysed)
    assert [p.language for p in parts] == ["en", "de"]
    paragraph = [s.segment.paragraph for s in analysed.sentences]
    assert {paragraph[i] for i in parts[0].sentences} == {0, len(german) + 1}
    assert {paragraph[i] for i in parts[1].sentences} == set(range(1, len(german) + 1))
    view = language_view(analysed, parts[1])
    assert text_language(view) == "de" and len(view.text) == len(text)
    assert [view.sentence_text(i) for i in range(len(view.sentences))] == [
        analysed.sentence_text(i) for i in parts[1].sentences]
    assert not view.text[: len(english[0])].strip() and not view.text[-len(english[1]):].strip()
    # A text in one language is one part, with the language the whole-text detection gives it.
    for name in ("source.en.txt", "translation.ru.txt"):
        whole = analyse_text((fixtures / name).read_text())
        (part,) = language_parts(whole)
        assert part.sentences == tuple(range(len(whole.sentences))) and part.language == text_language(whole)
