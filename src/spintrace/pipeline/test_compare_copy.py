"""Once a document is judged mostly a copy, its moved and hard-reworded sentences are aligned too."""

from __future__ import annotations

import json

import pytest

import spintrace
from conftest import ROOT, shared_path
from spintrace.align.aligner import AlignParams

SOURCE_ID = "bbc/business/turkey-knocks-six-zeros-off-lira"
# The rewrite moved this paragraph: its link (strength ~0.84) has no neighbouring link.
MOVED = "In 2001 the Turkish economy came close to falling apart"

pytestmark = pytest.mark.shared_data


def _pair() -> tuple[str, str]:
    articles = shared_path("bbc-news", "articles.jsonl")
    source = next(json.loads(line)["text"] for line in articles.open(encoding="utf-8") if SOURCE_ID in line)
    variants = (ROOT / "eval-data" / "rewrites-handmade").glob("*.jsonl")
    rewrite = next(
        v for f in variants for v in map(json.loads, f.open(encoding="utf-8"))
        if v["id"] == SOURCE_ID and v["variant"] == "rewrite"
    )
    return source, "\n\n".join(rewrite["paragraphs"])


def _covered(result: spintrace.Comparison, marker: str) -> bool:
    k = result.suspect_text.index(marker)
    return any(p.suspect_start <= k < p.suspect_end for p in result.passages)


def test_a_moved_paragraph_of_a_rewrite_is_aligned_once_the_rewrite_is_known() -> None:
    source, rewrite = _pair()
    result = spintrace.compare(source, rewrite)
    assert result.verdict == "paraphrase"
    assert _covered(result, MOVED)
    # With the copy thresholds switched off the same link is dropped as unsupported, and the
    # score and verdict are the same either way.
    strict = AlignParams(supported_in_copy=AlignParams().supported, isolated_in_copy=AlignParams().isolated)
    without = spintrace.compare(source, rewrite, align_params=strict)
    assert not _covered(without, MOVED)
    assert (without.verdict, without.score) == (result.verdict, result.score)
    assert result.suspect_coverage > without.suspect_coverage


def test_an_exact_copy_keeps_its_final_full_stop_and_quotation_marks() -> None:
    """A verbatim region ends on a word: an exact copy's passage stopped before its last full
    stop, so trace showed a one-character "unattributed" span and coverage was under 1."""
    text = ('The council approved the new harbour crane on Friday after a long debate. "We will not rest '
            'until the port is busy again," the mayor said. Work on the crane starts in March and should '
            'be finished before the summer tourist season.')
    result = spintrace.compare(text, text)
    assert [(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in result.passages] == [
        (0, len(text), 0, len(text))]
    # a copy that opens with a quotation mark keeps it too
    tail = text[text.index('"We'):]
    inside = spintrace.compare("Other words entirely about a football match and its goals. " + text, tail)
    assert [(p.suspect_start, p.suspect_end) for p in inside.passages] == [(0, len(tail))]


@pytest.mark.shared_data
def test_two_stories_sharing_one_stock_background_sentence_are_not_a_copy_but_two_copied_sentences_are():
    """An audit's case: two BBC stories on the WorldCom trial share one 18-word background
    sentence ("Mr Ebbers could face a sentence of 85 years..."); their topical links passed the
    thin-evidence bar, so the 8-gram rule called the pair a partial copy at 0.95. One shared
    sentence is not a copy; a second copied sentence makes it one."""
    rows = {}
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ("bbc/business/ebbers-aware-of-worldcom-fraud", "bbc/business/worldcom-director-ends-evidence"):
                rows[row["id"]] = row["text"]
    first, second = rows["bbc/business/ebbers-aware-of-worldcom-fraud"], rows["bbc/business/worldcom-director-ends-evidence"]
    result = spintrace.compare(first, second)
    assert not result.reused and result.features["shared_8gram_sentences"] == 1
    copied = first.split(". ")[1] + "."
    twice = spintrace.compare(first, second + "\n\n" + copied)
    assert twice.reused and twice.features["shared_8gram_sentences"] >= 2


@pytest.mark.shared_data
def test_a_brief_that_is_the_sources_lead_copied_word_for_word_is_reuse():
    """An audit's case: an aggregator's brief (the source's 26-36-word lead sentence and "More to
    follow.") was `unrelated`, as one shared sentence is not a copy; but a suspect that is mostly
    one passage copied word for word is. One shared sentence inside a text of its own stays apart."""
    source = shared_path("seed-pair", "source.txt").read_text(encoding="utf-8")
    lead = source.strip().split("\n")[1].strip()  # the line after the headline
    assert 20 <= len(lead.split()) < 40
    brief = spintrace.compare(source, f"{lead}\n\nMore to follow.")
    assert brief.reused and brief.verdict == "verbatim"
    own = ("The council approved a new budget for the city library on Monday evening after a long debate. "
           "Heavy rain flooded three roads near the river and closed the northern bridge for two days. "
           "The striker scored twice in the second half as the home side came back to win the cup tie. "
           "Shares in the carmaker fell sharply after it warned that profits would miss the forecast.")
    assert not spintrace.compare(source, f"{own}\n\n{lead}\n\n{own}").reused
