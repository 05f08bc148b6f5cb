"""What perfect detection scores against a PAN truth whose offsets are not exact.

In the shared PAN sample the truth offsets do not line up exactly with the texts as stored (the
copied text sits a few to ~1,700 characters away from where the truth says, and line breaks
differ between the two copies). A detector that finds the copied text perfectly is then scored
below 1. This oracle finds, for every truth case, the copied passage actually present in both
texts by exact word-sequence search (maximal shared run of words around the truth's source
window), and reports exactly that as a detection. Its PAN scores are what finding every copy
exactly is worth against this truth: the practical ceiling (a detection running past the copy
can score a little higher where it happens to cover the shifted truth, which is luck, not skill).
"""

from __future__ import annotations

from spintrace.evaluation.baselines import word_spans
from spintrace.evaluation.pan_corpus import PanPair

#: Words a shared run must start with to count as the copy, not a common phrase.
SEED_WORDS = 8
#: How far (characters) around the truth's source window the copied text is looked for.
WINDOW_MARGIN = 2_000


def _seeds(words: list[str], n: int) -> dict[tuple[str, ...], list[int]]:
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - n + 1):
        index.setdefault(tuple(words[i : i + n]), []).append(i)
    return index


def oracle_spans(pair: PanPair) -> list[tuple[int, int, int, int]]:
    """For each case, the longest run of words shared verbatim by the suspicious text and the
    source text near the case's source window, as (susp_start, susp_end, src_start, src_end)."""
    sus = word_spans(pair.suspicious_text)
    src = word_spans(pair.source_text)
    sus_words = [w for w, _, _ in sus]
    src_words = [w for w, _, _ in src]
    index = _seeds(sus_words, SEED_WORDS)
    out: list[tuple[int, int, int, int]] = []
    for case in pair.cases:
        lo = case.source_offset - WINDOW_MARGIN
        hi = case.source_offset + case.source_length + WINDOW_MARGIN
        # Prefer the run that overlaps the truth's source window most, then the longest: a pair
        # can hold several cases, and each must find its own copy, not its neighbour's.
        best: tuple[int, int, int, int] | None = None  # (overlap, length, src_first, sus_first)
        covered_until = -1
        for i in range(len(src) - SEED_WORDS + 1):
            if not (lo <= src[i][1] < hi) or i <= covered_until:
                continue
            for j in index.get(tuple(src_words[i : i + SEED_WORDS]), ()):
                a, b = i, j
                while a > 0 and b > 0 and src_words[a - 1] == sus_words[b - 1]:
                    a, b = a - 1, b - 1
                length = 0
                while a + length < len(src) and b + length < len(sus) and src_words[a + length] == sus_words[b + length]:
                    length += 1
                start, end = src[a][1], src[a + length - 1][2]
                overlap = max(0, min(end, case.source_offset + case.source_length) - max(start, case.source_offset))
                if best is None or (overlap, length) > best[:2]:
                    best = (overlap, length, a, b)
                covered_until = max(covered_until, a + length - SEED_WORDS)
        if best is not None:
            _, length, a, b = best
            out.append((sus[b][1], sus[b + length - 1][2], src[a][1], src[a + length - 1][2]))
    return out
