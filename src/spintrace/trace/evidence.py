"""Cheap lexical evidence of which suspect sentences a candidate source can explain.

Used before (and beside) the full comparison: it picks the part of a compilation a candidate
supplied, so the comparison judges the candidate on that part rather than on a suspect it
only half explains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spintrace.pipeline.analyse import AnalysedText

# A suspect sentence needs this many distinct content stems to count as evidence either way.
MIN_CONTENT = 4
# Share of a suspect sentence's content weight found in a window of source sentences for it to
# count as explained by that window (containment, not similarity: a condensed sentence is short).
EXPLAINED = 0.4
# What a document of a dozen unrelated sentences explains of any suspect sentence by its common
# words alone (0.1-0.3 at 1M documents); only containment beyond it is evidence of a source.
CHANCE_CONTAINMENT = 0.25
WINDOW = 1  # source sentences either side of the best one whose words a suspect sentence may use


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    """For each suspect sentence: containment in its best source window and that window's centre."""

    containment: tuple[float, ...]
    best_source: tuple[int, ...]  # -1 when the sentence has too few content words
    weight: tuple[float, ...]

    def explained(self) -> list[int]:
        return [i for i, c in enumerate(self.containment) if c >= EXPLAINED and self.best_source[i] >= 0]


def sentence_evidence(source: AnalysedText, suspect: AnalysedText) -> SentenceEvidence:
    """Containment of each suspect sentence's content stems in the best window of source sentences."""
    return contents_evidence([s.content for s in source.sentences], suspect)


def contents_evidence(source: Sequence[Mapping[str, float]], suspect: AnalysedText) -> SentenceEvidence:
    """``sentence_evidence`` from the source's sentence contents alone (``analyse.sentence_contents``)."""
    windows = []
    n = len(source)
    for i in range(n):
        keys: set[str] = set()
        for k in range(max(0, i - WINDOW), min(n, i + WINDOW + 1)):
            keys.update(source[k])
        windows.append(keys)
    containment, best, weight = [], [], []
    for sentence in suspect.sentences:
        total = sentence.total_weight
        if len(sentence.content) < MIN_CONTENT or total <= 0 or not windows:
            containment.append(0.0), best.append(-1), weight.append(0.0)
            continue
        top, at = 0.0, -1
        for i, keys in enumerate(windows):
            c = sum(w for stem, w in sentence.content.items() if stem in keys) / total
            if c > top:
                top, at = c, i
        containment.append(top), best.append(at), weight.append(total)
    return SentenceEvidence(tuple(containment), tuple(best), tuple(weight))


def best_region(evidence: SentenceEvidence, paragraph_of: Sequence[int], within: set[int] | None = None,
                linked: set[int] = frozenset()) -> list[int]:
    """The suspect sentences of the contiguous run of paragraphs this candidate best explains.

    Each paragraph gains the weight of its sentences explained (lexically, or ``linked`` by the
    aligner) and loses that of the others; the run with the largest total (Kadane) is the
    candidate's part of the suspect. ``within``: only sentences not yet attributed count as gains.
    """
    gains: dict[int, float] = {}
    for i, para in enumerate(paragraph_of):
        w = evidence.weight[i]
        if w <= 0:
            continue
        good = (evidence.containment[i] >= EXPLAINED or i in linked) and (within is None or i in within)
        gains[para] = gains.get(para, 0.0) + (w if good else -w)
    paragraphs = sorted(set(paragraph_of))
    best, best_span = 0.0, None
    running, start = 0.0, 0
    for k, para in enumerate(paragraphs):
        if running <= 0:
            running, start = 0.0, k
        running += gains.get(para, 0.0)
        if running > best:
            best, best_span = running, (paragraphs[start], para)
    if best_span is None:
        return []
    lo, hi = best_span
    return [i for i, para in enumerate(paragraph_of) if lo <= para <= hi]


def explained_weight(evidence: SentenceEvidence, within: set[int] | None = None) -> float:
    """Content weight of the suspect sentences (``within`` only) that a candidate's words explain,
    each counted by the share of its content the candidate holds.

    Graded, not thresholded: a reworded part keeps a third to a half of its source's words in each
    sentence, and its source explains every sentence of the part a little, while a document that
    recombines two of the source's sentences explains those two and nothing else. Only the share
    above ``CHANCE_CONTAINMENT`` counts, or a long document would explain every sentence a little
    through common words."""
    return sum(w * max(0.0, c - CHANCE_CONTAINMENT) for i, (w, c) in enumerate(zip(evidence.weight, evidence.containment))
               if within is None or i in within)
