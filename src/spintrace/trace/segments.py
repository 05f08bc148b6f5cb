"""Where a suspect changes subject: the seams of a compilation, for retrieval by part.

A compilation joins parts of articles on different subjects. Retrieval on the whole suspect ranks
documents by what they explain of all of it, and at a million documents those that recombine a
few sentences of several parts (or share the names of one) outrank each part's source; searched
on its own, a part's source ranks first. Seams are found as TextTiling finds them, on sentence
embeddings: at a paragraph break, the mean embedding of the sentences before and after it.
A false seam costs a re-ranking of the same candidates, not accuracy (each side's source still
ranks first in its segment) and not a query (``index.trace.ranked_sources_by_segment``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spintrace.pipeline.analyse import AnalysedText

# Cosine between the mean embeddings of the sentences either side of a paragraph break under which
# the break is a seam. On trace's 210 development cases (rewrites-dev: compilations, rewrites, spins,
# summaries, independent reports), taking seams deepest first finds 67 of the 71 seams between
# sources and cuts 86 times inside one source (0.2: 57 seams, 45 false cuts;
# ``scripts/trace_diagnostics.py seams``).
SEAM_COSINE = 0.3
WINDOW = 3  # sentences either side of a break whose mean embedding it compares
MIN_SEGMENT = 2  # sentences a segment needs (a source must explain two: trace.judge)
MAX_SEGMENTS = 3  # a compilation's parts rarely exceed three; each segment's candidates are judged early


def _unit(vector: np.ndarray) -> np.ndarray | None:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def topic_segments(suspect: AnalysedText, sentences: Sequence[int]) -> list[list[int]]:
    """``sentences`` (suspect order) cut at its deepest seams: one list per segment, in order.

    One segment (all of ``sentences``) when the suspect has no embeddings or no break is a seam.
    Seams are taken deepest first while each segment keeps ``MIN_SEGMENT`` sentences.
    """
    ordered = sorted(sentences)
    if suspect.embeddings is None or len(ordered) < 2 * MIN_SEGMENT:
        return [ordered]
    embeddings = suspect.embeddings
    paragraph = [suspect.sentences[i].segment.paragraph for i in ordered]
    seams: list[tuple[float, int]] = []
    for k in range(MIN_SEGMENT, len(ordered) - MIN_SEGMENT + 1):
        if paragraph[k] == paragraph[k - 1]:
            continue
        before = _unit(embeddings[ordered[max(0, k - WINDOW):k]].mean(axis=0))
        after = _unit(embeddings[ordered[k:k + WINDOW]].mean(axis=0))
        if before is None or after is None:
            continue
        cosine = float(before @ after)
        if cosine < SEAM_COSINE:
            seams.append((cosine, k))
    cuts: list[int] = []
    for _, k in sorted(seams):
        if len(cuts) + 1 >= MAX_SEGMENTS:
            break
        bounds = sorted([0, *cuts, k, len(ordered)])
        if all(b - a >= MIN_SEGMENT for a, b in zip(bounds, bounds[1:])):
            cuts.append(k)
    bounds = sorted([0, *cuts, len(ordered)])
    return [ordered[a:b] for a, b in zip(bounds, bounds[1:])]
