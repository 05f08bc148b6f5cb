"""Sentence alignment (N:M, order-free) and its merge into passages.

1. Score every sentence pair (``similarity``), embedding only sentences worth a semantic check.
2. Propose links: each suspect sentence's best source sentences, plus 2:1 and 1:2 merges so that
   split ("...and won. With about 70% of the vote.") or merged sentences still align.
3. Accept links greedily, strongest first, each sentence used once.
4. Keep a weak link only when a neighbouring link supports it: copied text comes in runs, while an
   independent report shares isolated facts.
5. Merge runs of links that are adjacent on both sides into passages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from spintrace.align.similarity import DEFAULT_STRENGTH, StrengthModel, dice_and_containment, lexical_overlap
from spintrace.pipeline.analyse import AnalysedText, embed_missing

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Thresholds of the aligner (probabilities from the strength model)."""

    candidate_floor: float = 0.25  # below this a pair is not even proposed
    supported: float = 0.35  # a link with a neighbouring link needs this much
    isolated: float = 0.85  # a link on its own needs this much
    # Once the document is judged a copy (verbatim / paraphrase), most of its sentences are reused
    # and weaker evidence suffices: a moved paragraph has no neighbouring link, a hard-reworded
    # sentence pair scores low.
    supported_in_copy: float = 0.25
    isolated_in_copy: float = 0.65
    merge_gain: float = 0.02  # a 2:1 merge must beat its best single link by this
    lexically_decided: float = 0.9  # word-overlap dice above which a pair needs no semantic check
    top_k: int = 3
    min_link_words: int = 4  # sentences shorter than this only join links as fragments
    fragment_containment: float = 0.6  # share of a fragment's words found in its neighbour's link


DEFAULT_PARAMS = AlignParams()
MERGE_MIN_DICE = 0.1
MERGE_MIN_COSINE = 0.4


@dataclass(frozen=True, slots=True)
class Link:
    """Source sentences ``src_first..src_last`` aligned to suspect sentences ``sus_first..sus_last``."""

    src_first: int
    src_last: int
    sus_first: int
    sus_last: int
    strength: float
    cosine: float
    dice: float

    def overlaps(self, used_src: set[int], used_sus: set[int]) -> bool:
        return any(i in used_src for i in range(self.src_first, self.src_last + 1)) or any(
            j in used_sus for j in range(self.sus_first, self.sus_last + 1)
        )


@dataclass(frozen=True, slots=True)
class AlignedRun:
    """A run of links contiguous on both sides: one passage before offsets are attached."""

    links: tuple[Link, ...]

    @property
    def src_first(self) -> int:
        return min(l.src_first for l in self.links)

    @property
    def src_last(self) -> int:
        return max(l.src_last for l in self.links)

    @property
    def sus_first(self) -> int:
        return self.links[0].sus_first

    @property
    def sus_last(self) -> int:
        return self.links[-1].sus_last


def sentences_to_embed(text: AnalysedText, params: AlignParams) -> list[int]:
    """Every sentence long enough to link on its own; embedding is most of the cost.

    The choice depends on the text alone, never on its partner: the int8 model quantises per
    batch, so a partner-dependent batch would make a text's vectors differ from one comparison
    to the next.
    """
    return [k for k, s in enumerate(text.sentences) if len(s.tokens) >= params.min_link_words]


def pair_scores(
    source: AnalysedText, suspect: AnalysedText, embed: Embed, model: StrengthModel, params: AlignParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Strength, cosine, dice, containment and overlap mass for every sentence pair."""
    overlap, wa, wb = lexical_overlap(source, suspect)
    dice, containment = dice_and_containment(overlap, wa, wb)
    embed_missing([(source, sentences_to_embed(source, params)), (suspect, sentences_to_embed(suspect, params))], embed)
    _same_width(source, suspect)
    cosine = np.clip(source.embeddings @ suspect.embeddings.T, 0.0, 1.0)
    # Near-identical wording is near-identical meaning, whatever int8 noise says.
    decided = dice >= params.lexically_decided
    cosine[decided] = np.maximum(cosine[decided], dice[decided])
    strength = model(cosine, dice, containment)
    return strength, cosine, dice, containment, overlap


def _same_width(a: AnalysedText, b: AnalysedText) -> None:
    """A text with no sentence long enough to embed keeps a MiniLM-wide matrix of zeros; against a
    text the wider cross-language embedder has embedded, it takes that width (still zeros)."""
    if a.embeddings.shape[1] == b.embeddings.shape[1]:
        return
    for text, other in ((a, b), (b, a)):
        if not text.embedded_mask.any():
            text.embeddings = np.zeros((len(text.sentences), other.embeddings.shape[1]), dtype=np.float32)
            return
    raise ValueError("the two texts were embedded by different embedders")


def _merged_strength(
    source: AnalysedText,
    suspect: AnalysedText,
    src: tuple[int, int],
    sus: tuple[int, int],
    model: StrengthModel,
) -> tuple[float, float, float]:
    """Strength of a multi-sentence link: union of stems, token-weighted mean of embeddings.

    MiniLM mean-pools token vectors, so the length-weighted mean of two sentence vectors is a close
    stand-in for the vector of their concatenation, at no extra model call.
    """

    def side(text: AnalysedText, first: int, last: int) -> tuple[dict[str, float], np.ndarray]:
        content: dict[str, float] = {}
        vec = np.zeros(text.embeddings.shape[1], dtype=np.float32)
        for k in range(first, last + 1):
            sent = text.sentences[k]
            content.update(sent.content)
            vec += text.embeddings[k] * max(1, len(sent.tokens))
        norm = float(np.linalg.norm(vec))
        return content, vec / norm if norm else vec

    ca, va = side(source, *src)
    cb, vb = side(suspect, *sus)
    shared = sum(w for s, w in ca.items() if s in cb)
    wa, wb = sum(ca.values()), sum(cb.values())
    dice = 2 * shared / (wa + wb) if wa + wb else 0.0
    containment = shared / min(wa, wb) if min(wa, wb) else 0.0
    cosine = max(0.0, float(va @ vb))
    strength = float(model(np.float64(cosine), np.float64(dice), np.float64(containment)))
    return strength, cosine, dice


def propose_links(
    source: AnalysedText,
    suspect: AnalysedText,
    strength: np.ndarray,
    cosine: np.ndarray,
    dice: np.ndarray,
    model: StrengthModel,
    params: AlignParams,
) -> list[Link]:
    n, m = strength.shape
    links: dict[tuple[int, int, int, int], Link] = {}
    if n == 0 or m == 0:
        return []
    k = min(params.top_k, n)
    top_src = np.argpartition(-strength, k - 1, axis=0)[:k]  # per suspect sentence
    candidates: set[tuple[int, int]] = set()
    for j in range(m):
        for i in top_src[:, j]:
            if strength[i, j] >= params.candidate_floor:
                candidates.add((int(i), j))
    k2 = min(params.top_k, m)
    top_sus = np.argpartition(-strength, k2 - 1, axis=1)[:, :k2]  # per source sentence
    for i in range(n):
        for j in top_sus[i]:
            if strength[i, j] >= params.candidate_floor:
                candidates.add((i, int(j)))
    # One- to three-word "sentences" (list items, captions, "2.") match anything that shares their
    # word; they may join a link as fragments but are no evidence of reuse on their own.
    short_src = {i for i, s in enumerate(source.sentences) if len(s.tokens) < params.min_link_words}
    short_sus = {j for j, s in enumerate(suspect.sentences) if len(s.tokens) < params.min_link_words}
    candidates = {(i, j) for i, j in candidates if i not in short_src and j not in short_sus}
    for i, j in candidates:
        s = float(strength[i, j])
        links[(i, i, j, j)] = Link(i, i, j, j, s, float(cosine[i, j]), float(dice[i, j]))
        # N:M: a sentence split in two, or two sentences merged into one.
        for src, sus in (((i, i + 1), (j, j)), ((i - 1, i), (j, j)), ((i, i), (j, j + 1)), ((i, i), (j - 1, j))):
            if src[0] < 0 or sus[0] < 0 or src[1] >= n or sus[1] >= m:
                continue
            if source.sentences[src[0]].segment.paragraph != source.sentences[src[1]].segment.paragraph:
                continue
            if suspect.sentences[sus[0]].segment.paragraph != suspect.sentences[sus[1]].segment.paragraph:
                continue
            key = (src[0], src[1], sus[0], sus[1])
            if key in links:
                continue
            # The added sentence must share something with the other side, or merging cannot help.
            extra = [(a, b) for a in range(src[0], src[1] + 1) for b in range(sus[0], sus[1] + 1) if (a, b) != (i, j)]
            if all(dice[a, b] < MERGE_MIN_DICE and cosine[a, b] < MERGE_MIN_COSINE for a, b in extra):
                continue
            ms, mc, md = _merged_strength(source, suspect, src, sus, model)
            parts = [float(strength[a, b]) for a in range(src[0], src[1] + 1) for b in range(sus[0], sus[1] + 1)]
            if ms >= max(parts) + params.merge_gain:
                links[key] = Link(src[0], src[1], sus[0], sus[1], ms, mc, md)
    return list(links.values())


def _supports(a: Link, b: Link) -> bool:
    """Do two links look like consecutive pieces of one copied run?"""
    if b.sus_first == a.sus_last + 1 or b.sus_first == a.sus_last + 2:
        return a.src_last < b.src_first <= a.src_last + 3
    if a.sus_first == b.sus_last + 1 or a.sus_first == b.sus_last + 2:
        return b.src_last < a.src_first <= b.src_last + 3
    return False


def select_links(candidates: list[Link], params: AlignParams) -> list[Link]:
    """Greedy one-to-one selection, then drop weak links that no neighbour supports."""
    chosen: list[Link] = []
    used_src: set[int] = set()
    used_sus: set[int] = set()
    for link in sorted(candidates, key=lambda l: (-l.strength, l.sus_first, l.src_first)):
        if link.strength < params.supported or link.overlaps(used_src, used_sus):
            continue
        chosen.append(link)
        used_src.update(range(link.src_first, link.src_last + 1))
        used_sus.update(range(link.sus_first, link.sus_last + 1))
    while True:
        kept = [
            l
            for l in chosen
            if l.strength >= params.isolated or any(_supports(l, o) or _supports(o, l) for o in chosen if o is not l)
        ]
        if len(kept) == len(chosen):
            return sorted(kept, key=lambda l: l.sus_first)
        chosen = kept


def absorb_fragments(
    source: AnalysedText, suspect: AnalysedText, links: list[Link], overlap: np.ndarray, params: AlignParams
) -> list[Link]:
    """Extend links over neighbouring unaligned sentences whose words they already contain.

    Spinners and translation round trips break sentences ("...and won. With about 70% of the
    vote."); editors merge them. A fragment is too short to align on its own, but its words sit
    inside the sentence its neighbour is aligned to.
    """
    def contained_sus(i: int, j: int) -> float:
        w = suspect.sentences[j].total_weight
        return overlap[i, j] / w if w else 0.0

    def contained_src(i: int, j: int) -> float:
        w = source.sentences[i].total_weight
        return overlap[i, j] / w if w else 0.0

    used_src = {i for l in links for i in range(l.src_first, l.src_last + 1)}
    used_sus = {j for l in links for j in range(l.sus_first, l.sus_last + 1)}
    out = []
    for l in sorted(links, key=lambda l: l.sus_first):
        src_first, src_last, sus_first, sus_last = l.src_first, l.src_last, l.sus_first, l.sus_last
        src_rows = range(src_first, src_last + 1)
        for step, edge in ((-1, sus_first), (1, sus_last)):
            j = edge + step
            while 0 <= j < len(suspect.sentences) and j not in used_sus and (
                suspect.sentences[j].segment.paragraph == suspect.sentences[edge].segment.paragraph
            ) and max(contained_sus(i, j) for i in src_rows) >= params.fragment_containment:
                used_sus.add(j)
                sus_first, sus_last = min(sus_first, j), max(sus_last, j)
                j += step
        sus_cols = range(sus_first, sus_last + 1)
        for step, edge in ((-1, src_first), (1, src_last)):
            i = edge + step
            while 0 <= i < len(source.sentences) and i not in used_src and (
                source.sentences[i].segment.paragraph == source.sentences[edge].segment.paragraph
            ) and max(contained_src(i, j) for j in sus_cols) >= params.fragment_containment:
                used_src.add(i)
                src_first, src_last = min(src_first, i), max(src_last, i)
                i += step
        out.append(Link(src_first, src_last, sus_first, sus_last, l.strength, l.cosine, l.dice))
    return out


def build_runs(links: list[Link]) -> list[AlignedRun]:
    """Merge links adjacent in both texts (suspect order) into runs."""
    runs: list[list[Link]] = []
    for link in sorted(links, key=lambda l: l.sus_first):
        if runs:
            prev = runs[-1][-1]
            if link.sus_first == prev.sus_last + 1 and link.src_first == prev.src_last + 1:
                runs[-1].append(link)
                continue
        runs.append([link])
    return [AlignedRun(tuple(r)) for r in runs]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The aligned runs, and what they were selected from (so other thresholds can reselect)."""

    runs: list[AlignedRun]
    candidates: list[Link]
    overlap: np.ndarray
    matrices: dict[str, np.ndarray]

    def relinked(self, source: AnalysedText, suspect: AnalysedText, params: AlignParams) -> list[AlignedRun]:
        """Runs selected again from the same candidate links under ``params``' support thresholds,
        without scoring the sentence pairs again."""
        return _link(source, suspect, self.candidates, self.overlap, params)


def _link(
    source: AnalysedText, suspect: AnalysedText, candidates: list[Link], overlap: np.ndarray, params: AlignParams
) -> list[AlignedRun]:
    return build_runs(absorb_fragments(source, suspect, select_links(candidates, params), overlap, params))


def align_sentences(
    source: AnalysedText,
    suspect: AnalysedText,
    embed: Embed,
    *,
    model: StrengthModel = DEFAULT_STRENGTH,
    params: AlignParams = DEFAULT_PARAMS,
) -> Alignment:
    """Align two analysed texts: score every sentence pair, propose links, select supported ones."""
    strength, cosine, dice, containment, overlap = pair_scores(source, suspect, embed, model, params)
    candidates = propose_links(source, suspect, strength, cosine, dice, model, params)
    matrices = {"strength": strength, "cosine": cosine, "dice": dice, "containment": containment}
    return Alignment(_link(source, suspect, candidates, overlap, params), candidates, overlap, matrices)
