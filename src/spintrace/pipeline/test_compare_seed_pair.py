"""The seed pair: a real spun copy of a Newsweek report. What a user expects, as tests."""

from __future__ import annotations

import json

import pytest

import spintrace


@pytest.fixture(scope="module")
def seed_result(seed_pair):
    source, suspect = seed_pair
    return spintrace.compare(source, suspect)


def _covered(spans, start, end):
    """Share of [start, end) inside the union of spans."""
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
    return inside / (end - start)


def test_verdict_is_paraphrase_and_reused(seed_result):
    assert seed_result.verdict == "paraphrase"
    assert seed_result.reused
    assert seed_result.score > 0.9


def test_passages_cover_the_suspect_outside_caption_and_closing_line(seed_pair, seed_result):
    _, suspect = seed_pair
    caption_start = suspect.index("Kyrgyz soldiers take part")
    caption_end = suspect.index("Getty Images") + len("Getty Images")
    closing_start = suspect.index("This is a developing news")
    spans = [(p.suspect_start, p.suspect_end) for p in seed_result.passages]
    covered = total = 0
    for k, ch in enumerate(suspect):
        if ch.isspace() or caption_start <= k < caption_end or k >= closing_start:
            continue
        total += 1
        covered += any(s <= k < e for s, e in spans)
    assert covered / total >= 0.90


@pytest.mark.parametrize(
    "marker",
    [
        "Shortly afterward, Pashinyan released a follow-up statement",
        "Pashinyan said the action was pursuant to Article 4",
        "The CSTO was established 30 years ago",
        "Russia has continued to invest in the alliance",
        "The U.S. State Department also later said",
    ],
)
def test_source_paragraphs_missing_from_the_copy_are_omitted(seed_pair, seed_result, marker):
    source, _ = seed_pair
    start = source.index(marker)
    end = source.index("\n", start) if "\n" in source[start:] else len(source)
    omitted = [(s.start, s.end) for s in seed_result.omitted]
    assert _covered(omitted, start, end) >= 0.95
    aligned = [(p.source_start, p.source_end) for p in seed_result.passages]
    assert _covered(aligned, start, end) == 0


def test_caption_and_developing_news_line_are_added(seed_pair, seed_result):
    _, suspect = seed_pair
    added = [(s.start, s.end) for s in seed_result.added]
    for marker in ("Kyrgyz soldiers take part", "Vyacheslav Osledko", "This is a developing news"):
        start = suspect.index(marker)
        assert _covered(added, start, start + len(marker)) == 1.0, marker


def test_retransliterated_name_is_reported(seed_result):
    changes = {(c.kind, c.source_text, c.suspect_text) for p in seed_result.passages for c in p.changes}
    assert ("name", "Kassym-Jomart", "Kasim-Jomart") in changes


def test_broken_sentences_stay_inside_their_passage(seed_pair, seed_result):
    _, suspect = seed_pair
    for fragment in ("With about 70% of the vote.", "Leaving it in ruins."):
        k = suspect.index(fragment)
        assert any(p.suspect_start <= k < p.suspect_end for p in seed_result.passages), fragment


def test_source_is_the_likely_original(seed_result):
    assert seed_result.direction.original == "source"


def test_offsets_and_json_contract(seed_pair, seed_result):
    source, suspect = seed_pair
    data = json.loads(json.dumps(seed_result.to_dict()))
    assert set(data) >= {"verdict", "reused", "score", "suspect_coverage", "source_coverage", "passages", "omitted", "added", "direction"}
    for p in data["passages"]:
        assert 0 <= p["source_start"] < p["source_end"] <= len(source)
        assert 0 <= p["suspect_start"] < p["suspect_end"] <= len(suspect)
        assert p["kind"] in ("exact", "near", "paraphrase")
        for c in p["changes"]:
            if c["source_start"] is not None:
                assert source[c["source_start"] : c["source_end"]] == c["source_text"]
            if c["suspect_start"] is not None:
                assert suspect[c["suspect_start"] : c["suspect_end"]] == c["suspect_text"]
    assert data["direction"]["original"] in ("source", "suspect", "unknown")


def test_every_copied_paragraph_is_aligned_including_the_reworded_title(seed_pair, seed_result):
    _, suspect = seed_pair
    caption = range(suspect.index("Kyrgyz soldiers take part"), suspect.index("Getty Images"))
    closing = suspect.index("This is a developing news")
    start = 0
    for para in suspect.split("\n"):
        begin = suspect.index(para, start) if para.strip() else start
        start = begin + len(para)
        if not para.strip() or begin in caption or begin >= closing or para.startswith("Vyacheslav"):
            continue
        assert any(p.suspect_start <= begin + 2 < p.suspect_end for p in seed_result.passages), para[:60]


@pytest.mark.parametrize("variant", ["soft hyphens", "zero-width joiners", "decomposed accents", "carriage returns"])
def test_invisible_or_decomposed_characters_do_not_change_the_reading_of_the_copy(seed_pair, seed_result, variant):
    """Characters a reader never sees (inserted by a spinner to defeat detection, or left by
    copy-paste) split words, so the copy read as a paraphrase of itself (34 "changed details")
    or as same-story; a CR-only file was one paragraph."""
    import re
    import unicodedata

    source, suspect = seed_pair
    disguised = {
        "soft hyphens": lambda t: re.sub(r"\b(\w{3})(\w{4,})\b", "\\1\u00ad\\2", t),
        "zero-width joiners": lambda t: re.sub(r"([aeiou])(?=\w)", "\\1\u200d", t),
        "decomposed accents": lambda t: unicodedata.normalize("NFD", t),
        "carriage returns": lambda t: t.replace("\n", "\r"),
    }[variant](suspect)
    result = spintrace.compare(source, disguised)
    assert result.verdict == seed_result.verdict and abs(result.score - seed_result.score) < 0.02
    assert len(result.passages) == len(seed_result.passages)
    assert len(result.added) == len(seed_result.added) and len(result.omitted) == len(seed_result.omitted)
    # the same source words are reported as substituted, not words cut in two
    assert {s.source for s in result.substitutions} == {s.source for s in seed_result.substitutions}


def test_added_and_omitted_text_is_what_no_link_explains(seed_result):
    """A passage whose edges a verbatim region set can stop inside a sentence its own link keeps
    words of; that sentence ("@TokayevKZ launched an anti-terrorist operation," Ashikbayev said.)
    was listed as added."""
    links = [l for p in seed_result.passages for l in p.links]
    for span in seed_result.added:
        assert not any(l.suspect_start <= span.start and span.end <= l.suspect_end for l in links), span
    for span in seed_result.omitted:
        assert not any(l.source_start <= span.start and span.end <= l.source_end for l in links), span
