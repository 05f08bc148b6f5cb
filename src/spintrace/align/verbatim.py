"""Verbatim-copy regions found by seed-and-extend on word n-grams, independent of sentences.

Copy-paste reuse (PAN's no-obfuscation cases, scraped republications) is cut anywhere: mid-sentence,
with line breaks changed, glued to the copier's own words. Sentence alignment finds it but splits it
at every boundary mismatch; shared word 5-grams chained along one diagonal give the region whole,
with its true edges (the classic seed / extend / merge scheme of PAN text-alignment systems).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from spintrace.pipeline.analyse import AnalysedText

SEED_WORDS = 5
MAX_SEED_REPEATS = 4  # a 5-gram seen more often than this in the source is boilerplate, not evidence
MAX_GAP_WORDS = 12  # words of edits tolerated inside one region (both sides)
MERGE_GAP_WORDS = 40  # regions this close on both sides, in order, are one copy
MIN_REGION_WORDS = 12


@dataclass(frozen=True, slots=True)
class VerbatimRegion:
    """Word ranges ``[first, last]`` in each text that were copied (near) verbatim."""

    src_first: int
    src_last: int
    sus_first: int
    sus_last: int
    seeds: int

    @property
    def words(self) -> int:
        return self.sus_last - self.sus_first + 1


def _flat_words(text: AnalysedText) -> list[str]:
    return [t.norm for s in text.sentences for t in s.tokens]


def word_offsets(text: AnalysedText) -> list[tuple[int, int]]:
    return [(t.start, t.end) for s in text.sentences for t in s.tokens]


def _chain(seeds: list[tuple[int, int]], gap: int) -> list[list[tuple[int, int]]]:
    """Group (sus, src) seed positions into chains along a forward diagonal with bounded gaps."""
    chains: list[list[tuple[int, int]]] = []
    open_chains: list[list[tuple[int, int]]] = []
    for sus, src in sorted(seeds):
        open_chains = [c for c in open_chains if sus - c[-1][0] <= gap + SEED_WORDS]
        best = None
        for chain in open_chains:
            ls, lr = chain[-1]
            if 0 <= sus - ls <= gap + SEED_WORDS and 0 <= src - lr <= gap + SEED_WORDS and sus != ls:
                if best is None or abs((sus - ls) - (src - lr)) < abs((sus - best[-1][0]) - (src - best[-1][1])):
                    best = chain
        if best is None:
            best = []
            chains.append(best)
            open_chains.append(best)
        best.append((sus, src))
    return chains


def find_verbatim_regions(source: AnalysedText, suspect: AnalysedText) -> list[VerbatimRegion]:
    """Regions of at least ``MIN_REGION_WORDS`` words shared in order, merged when close."""
    src_words, sus_words = _flat_words(source), _flat_words(suspect)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(src_words) - SEED_WORDS + 1):
        index[tuple(src_words[i : i + SEED_WORDS])].append(i)
    seeds = []
    for j in range(len(sus_words) - SEED_WORDS + 1):
        hits = index.get(tuple(sus_words[j : j + SEED_WORDS]))
        if hits and len(hits) <= MAX_SEED_REPEATS:
            seeds.extend((j, i) for i in hits)
    regions = [
        VerbatimRegion(min(r for _, r in c), max(r for _, r in c) + SEED_WORDS - 1, c[0][0], c[-1][0] + SEED_WORDS - 1, len(c))
        for c in _chain(seeds, MAX_GAP_WORDS)
    ]
    regions.sort(key=lambda r: r.sus_first)
    merged: list[VerbatimRegion] = []
    for r in regions:
        if merged:
            m = merged[-1]
            if 0 <= r.sus_first - m.sus_last <= MERGE_GAP_WORDS and 0 <= r.src_first - m.src_last <= MERGE_GAP_WORDS:
                merged[-1] = VerbatimRegion(m.src_first, max(m.src_last, r.src_last), m.sus_first, max(m.sus_last, r.sus_last), m.seeds + r.seeds)
                continue
        merged.append(r)
    return [r for r in merged if r.words >= MIN_REGION_WORDS]


# News narration is in the third person: a sentence with a first-person word outside quote marks
# is reported speech whose marks were dropped, and speech is a fact two reports share, not copied
# text. ("our" is left out: "our correspondent" is the outlet's own narration.)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "ourselves",
                          "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll"})


def fact_words(text: AnalysedText) -> list[bool]:
    """Per word of ``text``: a fact rather than the writer's narration. A name, a title word or a
    number (capitalised inside its sentence, or a number), or any word of a sentence that speaks in
    the first person."""
    flags = []
    for s in text.sentences:
        speech = any(t.norm in FIRST_PERSON for t in s.tokens)
        flags.extend(speech or t.is_number or (t.is_capitalised and k > 0) for k, t in enumerate(s.tokens))
    return flags


def _narration(fact_counts: list[int], start: int, n: int) -> bool:
    """Whether the ``n`` words from ``start`` are the writer's own narration: fewer than half of
    them facts (``fact_words``; ``fact_counts`` is their running count). A run of names, a title
    such as "Board of Deputies of British Jews", a date or unmarked speech is what two reports of
    one event share."""
    return 2 * (fact_counts[start + n] - fact_counts[start]) < n


def shared_ngram_shares(
    source: AnalysedText, suspect: AnalysedText, excluded: bytearray | None = None, sizes: tuple[int, ...] = (SEED_WORDS,)
) -> dict[int, float]:
    """For each ``n`` in ``sizes``: the share of the suspect's narration word n-grams (``_narration``,
    not starting in ``excluded`` characters, e.g. quotations) that also occur in the source. Wire
    copy republished with edits keeps many of them even where sentences were cut, merged or
    reordered."""
    src_words = _flat_words(source)
    tokens = [t for s in suspect.sentences for t in s.tokens]
    fact_counts = [0, *accumulate(fact_words(suspect))]
    kept = [j for j, t in enumerate(tokens) if excluded is None or not excluded[t.start]]
    norms = [t.norm for t in tokens]
    shares = {}
    for n in sizes:
        grams = {tuple(src_words[i : i + n]) for i in range(len(src_words) - n + 1)}
        starts = [j for j in kept if j + n <= len(norms) and _narration(fact_counts, j, n)]
        shared = sum(tuple(norms[j : j + n]) in grams for j in starts)
        shares[n] = shared / len(starts) if starts else 0.0
    return shares


def shared_ngram_sentences(
    source: AnalysedText, suspect: AnalysedText, excluded: bytearray | None = None, n: int = SEED_WORDS
) -> int:
    """How many of the suspect's sentences hold a narration word n-gram (as counted by
    ``shared_ngram_shares``) that also occurs in the source: one stock sentence two stories share
    is one, a copied passage several."""
    src_words = _flat_words(source)
    grams = {tuple(src_words[i : i + n]) for i in range(len(src_words) - n + 1)}
    tokens = [t for s in suspect.sentences for t in s.tokens]
    sentence_of = [k for k, s in enumerate(suspect.sentences) for _ in s.tokens]
    fact_counts = [0, *accumulate(fact_words(suspect))]
    norms = [t.norm for t in tokens]
    return len({
        sentence_of[j] for j, t in enumerate(tokens)
        if (excluded is None or not excluded[t.start]) and j + n <= len(norms)
        and _narration(fact_counts, j, n) and tuple(norms[j : j + n]) in grams
    })
