"""Turn aligned runs into passages with character offsets, and find what each side lacks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel

from spintrace.align.aligner import AlignedRun
from spintrace.align.verbatim import VerbatimRegion, word_offsets
from spintrace.comparison import Passage, PassageKind, SentenceLink, Span
from spintrace.pipeline.analyse import AnalysedText


def _span(text: AnalysedText, first: int, last: int) -> tuple[int, int]:
    return text.sentences[first].segment.start, text.sentences[last].segment.end


def runs_to_passages(source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun]) -> list[Passage]:
    passages = []
    for run in runs:
        s0, s1 = _span(source, run.src_first, run.src_last)
        t0, t1 = _span(suspect, run.sus_first, run.sus_last)
        kind, ratio = span_kind(source, suspect, (s0, s1), (t0, t1))
        weights = [max(1, sum(len(suspect.sentences[k].tokens) for k in range(l.sus_first, l.sus_last + 1))) for l in run.links]
        similarity = sum(w * l.strength for w, l in zip(weights, run.links)) / sum(weights)
        links = tuple(
            SentenceLink(*_span(source, l.src_first, l.src_last), *_span(suspect, l.sus_first, l.sus_last), l.strength)
            for l in run.links
        )
        passages.append(Passage(s0, s1, t0, t1, max(similarity, ratio), kind, (), links))
    return passages


def span_kind(source: AnalysedText, suspect: AnalysedText, src: tuple[int, int], sus: tuple[int, int]) -> tuple[PassageKind, float]:
    """exact / near / paraphrase from the share of words kept in order (word-level edit similarity).

    Measured on the development set: duplicates 1.0, spun copies 0.77-0.93, rewrites 0.38-0.72;
    "near" (a copy with light edits) starts where spinning stops.
    """
    ratio = Indel.normalized_similarity(
        [t.norm for t in source.tokens_between(*src)], [t.norm for t in suspect.tokens_between(*sus)]
    )
    if ratio >= 0.98:
        return "exact", ratio
    if ratio >= 0.93:
        return "near", ratio
    return "paraphrase", ratio


def merge_verbatim_regions(
    source: AnalysedText, suspect: AnalysedText, passages: list[Passage], regions: list[VerbatimRegion]
) -> list[Passage]:
    """Fold verbatim regions into the sentence passages.

    A region that is most of its passage(s) sets the passage's edges (sentence edges are only an
    approximation of where copying starts); a short verbatim stretch inside a reworded passage just
    joins the passages it touches; a region no passage found becomes a passage of its own.
    """
    if not regions:
        return drop_nested(passages)
    src_words, sus_words = word_offsets(source), word_offsets(suspect)
    remaining = list(passages)
    out: list[Passage] = []
    for r in regions:
        rs = (src_words[r.src_first][0], src_words[r.src_last][1])
        rt = (sus_words[r.sus_first][0], sus_words[r.sus_last][1])
        touching = [
            p for p in remaining
            if p.suspect_start < rt[1] and rt[0] < p.suspect_end and p.source_start < rs[1] and rs[0] < p.source_end
        ]
        remaining = [p for p in remaining if p not in touching]
        if touching:
            us = (min(p.source_start for p in touching), max(p.source_end for p in touching))
            ut = (min(p.suspect_start for p in touching), max(p.suspect_end for p in touching))
            if (rt[1] - rt[0]) < 0.7 * (ut[1] - ut[0]):
                rs, rt = (min(us[0], rs[0]), max(us[1], rs[1])), (min(ut[0], rt[0]), max(ut[1], rt[1]))
            else:
                # The region sets the edges, but whole linked sentences beyond it (a reworded
                # title, a sentence the copier rephrased) still belong to the passage.
                for l in (l for p in touching for l in p.links):
                    inside = max(0, min(l.suspect_end, rt[1]) - max(l.suspect_start, rt[0]))
                    if inside == 0:  # a link straddling the edge is where copying starts or stops
                        rs = (min(rs[0], l.source_start), max(rs[1], l.source_end))
                        rt = (min(rt[0], l.suspect_start), max(rt[1], l.suspect_end))
        links = tuple(l for p in touching for l in p.links) or (SentenceLink(rs[0], rs[1], rt[0], rt[1], 1.0),)
        kind, ratio = span_kind(source, suspect, rs, rt)
        similarity = max([ratio] + [p.similarity for p in touching])
        merged = Passage(rs[0], rs[1], rt[0], rt[1], similarity, kind, (), links)
        # Two regions of one copy (split by a longer edit) may both touch the same passage.
        if out and out[-1].suspect_end >= merged.suspect_start and out[-1].source_end >= merged.source_start > out[-1].source_start:
            prev = out.pop()
            merged = Passage(
                prev.source_start, max(prev.source_end, merged.source_end), prev.suspect_start,
                max(prev.suspect_end, merged.suspect_end), max(prev.similarity, merged.similarity),
                merged.kind if merged.kind == prev.kind else "near", (), prev.links + merged.links,
            )
        out.append(merged)
    return drop_nested(out + remaining)


def drop_nested(passages: list[Passage]) -> list[Passage]:
    """Drop passages whose suspect text lies mostly inside a longer passage.

    A sentence of a copied region can also match a repeated sentence elsewhere in the source;
    the region already explains it, and a second, overlapping passage only splits the copy.
    """
    kept: list[Passage] = []
    for p in sorted(passages, key=lambda p: -(p.suspect_end - p.suspect_start)):
        length = p.suspect_end - p.suspect_start
        if any(min(p.suspect_end, k.suspect_end) - max(p.suspect_start, k.suspect_start) >= 0.5 * length for k in kept):
            continue
        kept.append(p)
    return sorted(kept, key=lambda p: p.suspect_start)


def covered_by_passages(text: AnalysedText, spans: list[tuple[int, int]]) -> set[int]:
    """Sentences at least half inside some passage."""
    covered = set()
    for k, sent in enumerate(text.sentences):
        s, e = sent.segment.start, sent.segment.end
        inside = sum(max(0, min(e, b) - max(s, a)) for a, b in spans)
        if inside >= 0.5 * (e - s):
            covered.add(k)
    return covered


def uncovered(text: AnalysedText, covered_sentences: set[int]) -> list[Span]:
    """Runs of sentences outside every passage, one span per paragraph so each reads on its own."""
    spans: list[Span] = []
    run_start = None
    for k, sent in enumerate(text.sentences):
        new_paragraph = k > 0 and sent.segment.paragraph != text.sentences[k - 1].segment.paragraph
        if run_start is not None and new_paragraph:
            spans.append(Span(text.sentences[run_start].segment.start, text.sentences[k - 1].segment.end))
            run_start = None
        if k in covered_sentences:
            if run_start is not None:
                spans.append(Span(text.sentences[run_start].segment.start, text.sentences[k - 1].segment.end))
                run_start = None
        elif run_start is None:
            run_start = k
    if run_start is not None:
        spans.append(Span(text.sentences[run_start].segment.start, text.sentences[-1].segment.end))
    return spans


@lru_cache(maxsize=64)
def _visible(text: str) -> np.ndarray:
    """Mask of non-space characters (cached: coverage is asked several times per text)."""
    return np.fromiter((not ch.isspace() for ch in text), dtype=bool, count=len(text))


def coverage(text: str, spans: list[tuple[int, int]], exclude: bytearray | None = None) -> float:
    """Share of the text's non-space characters (outside ``exclude``) inside the spans."""
    counted = _visible(text)
    if exclude is not None:
        counted = counted & ~np.frombuffer(bytes(exclude), dtype=bool)
    inside = np.zeros(len(text), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    total = int(counted.sum())
    return float((inside & counted).sum()) / total if total else 0.0
