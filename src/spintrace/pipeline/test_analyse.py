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
