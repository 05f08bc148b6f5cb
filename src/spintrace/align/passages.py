"""Turn aligned runs into passages with character offsets, and find what each side lacks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel

from spintrace.align.aligner import AlignedRun
from spintrace.align.insertions import one_sided_sentences
from spintrace.align.ordered import ORDER_MATCH_STRENGTH, heaviest_ordered_chain
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


def _with_shared_punctuation(
    source: str, rs: tuple[int, int], suspect: str, rt: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """A verbatim region's word edges widened over the punctuation both texts share right there
    (the full stop after its last word, the quotation marks around it): a region ends on a word,
    and an exact copy lost its final full stop (a one-character "unattributed" span in trace)."""

    def shared(step: int) -> int:
        n = 0
        while True:
            i, j = (rs[1] + n, rt[1] + n) if step > 0 else (rs[0] - n - 1, rt[0] - n - 1)
            if not (0 <= i < len(source) and 0 <= j < len(suspect)):
                return n
            ch = source[i]
            if ch != suspect[j] or ch.isspace() or ch.isalnum():
                return n
            n += 1

    before, after = shared(-1), shared(1)
    return (rs[0] - before, rs[1] + after), (rt[0] - before, rt[1] + after)


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
        rs, rt = _with_shared_punctuation(
            source.text, (src_words[r.src_first][0], src_words[r.src_last][1]),
            suspect.text, (sus_words[r.sus_first][0], sus_words[r.sus_last][1]),
        )
        touching = [
            p for p in remaining
            if p.suspect_start < rt[1] and rt[0] < p.suspect_end and p.source_start < rs[1] and rs[0] < p.source_end
        ]
        remaining = [p for p in remaining if p not in touching]
        if not touching and any(o.suspect_start <= rt[0] and rt[1] <= o.suspect_end
                                and o.source_start <= rs[0] and rs[1] <= o.source_end for o in out):
            # A passage an earlier region took over already holds this one (a quote kept word for
            # word inside a reworded paragraph): it adds nothing, and a passage of its own would be
            # folded into that one and make the whole rewrite "near".
            continue
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
            us, ut = (prev.source_start, max(prev.source_end, merged.source_end)), (prev.suspect_start, max(prev.suspect_end, merged.suspect_end))
            if "paraphrase" in (prev.kind, merged.kind):  # the union is as verbatim as its words say
                kind, ratio = span_kind(source, suspect, us, ut)
                similarity = max(ratio, min(prev.similarity, merged.similarity))
            else:
                kind, similarity = (merged.kind if merged.kind == prev.kind else "near"), max(prev.similarity, merged.similarity)
            merged = Passage(us[0], us[1], ut[0], ut[1], similarity, kind, (), prev.links + merged.links)
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


@dataclass(frozen=True, slots=True)
class ExtentParams:
    """How a copy's passages are widened to the stretch it really spans (see ``copy_extent``)."""

    suspect_sentences: int = 1  # unlinked suspect sentences between two passages (reworded past recognition, or inserted)
    source_sentences: int = 2  # unlinked source sentences between two passages (dropped by the copier, or reworded)
    # A condensed copy retells a stretch of the source in order and drops most of its sentences:
    # what it skips between two passages is still the stretch it condensed. Grouped CV, summaries'
    # passage plagdet per development set: 0.53-0.73 at 2, 0.58-0.80 at 8 (0.58-0.81 at 20, where
    # excerpts of rewrites flagged condensed lose precision).
    condensed_source_sentences: int = 8
    # A condensed copy's passages also take in the suspect sentences that match a source sentence
    # in the source's order at this strength or more (``ordered_matches``): the strength at which
    # the document features count a match for or against order.
    condensed_match_strength: float = ORDER_MATCH_STRENGTH
    # Two reworded passages in the same order on both sides, with an unlinked stretch of about the
    # same length between them on each side (at most ``reworded_sentences`` sentences, lengths
    # within ``reworded_length_ratio``): the stretch is the same text reworded past recognition,
    # not an insertion (nothing between them in the source) or a cut (nothing in the suspect).
    # Verbatim passages are not joined so: text between two verbatim copies is someone's own.
    reworded_sentences: int = 4
    reworded_length_ratio: float = 2.0
    # A reworded passage covering this share of a paragraph stands for the whole paragraph. Chosen
    # by grouped CV on the development sets' paragraph truth (0.3: +1 point of plagdet, but one
    # linked sentence of three would then claim a copier's own sentences); verbatim passages keep
    # their exact edges (PAN precision fell from 0.94 to 0.81 when they were widened too).
    paragraph_share: float = 0.5
    # The same on the source side, measured on what the passage's links cover there. A rewriter
    # or a summariser retells a source paragraph in sentences that each match one or two of its
    # sentences best, leaving the rest unlinked; the paragraph is what the passage was made from
    # (the sentences no link reaches are still listed as omitted). Grouped CV, all-reuse plagdet
    # per development set: 0.850-0.916 at 0.5 (before), 0.858-0.922 at 0.3, 0.864-0.924 at 0 (any
    # link claims its whole paragraph, which let one false link at the end of an excerpt of a
    # rewrite claim a long paragraph the excerpt never used: test_compare_part.py).
    source_paragraph_share: float = 0.3


def copy_extent(
    source: AnalysedText, suspect: AnalysedText, passages: list[Passage], params: ExtentParams = ExtentParams(),
    *, condensed: bool = False, strength: np.ndarray | None = None,
) -> list[Passage]:
    """The passages of a text judged a copy, widened to the stretches it spans: small gaps bridged
    (wider source gaps in a ``condensed`` copy), reworded passages taken to their paragraphs'
    edges. Links are kept as they are, so the sentence-level evidence (and what no link explains)
    is unchanged.

    Given the aligner's ``strength`` (for a condensed copy), the passages also reach over the
    suspect sentences that retell the source in its order without becoming links
    (``ordered_matches``): a summary fuses two or three source sentences into one, which matches
    each of them too weakly for a link, yet it was made from them. Such matches widen a passage
    they adjoin; they never make one on their own."""
    matches: list[Passage] = []
    if condensed:
        params = replace(params, source_sentences=max(params.source_sentences, params.condensed_source_sentences))
    if strength is not None and passages:
        matches = _ordered_pieces(source, suspect, passages, strength, params)
        passages = _joined_to_passages(source, suspect, passages, matches, params)
    return snap_to_paragraphs(source, suspect, bridge_gaps(source, suspect, passages, params), params.paragraph_share,
                              params.source_paragraph_share, matches)


def ordered_matches(suspect: AnalysedText, strength: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """(source, suspect) sentence pairs of the heaviest chain that keeps the source's order
    (``align.ordered``), each suspect sentence weighed by its length."""
    weights = np.array([len(s.tokens) for s in suspect.sentences], dtype=float)
    return list(heaviest_ordered_chain(strength, weights, floor).pairs)


def _ordered_pieces(source: AnalysedText, suspect: AnalysedText, passages: list[Passage],
                    strength: np.ndarray, params: ExtentParams) -> list[Passage]:
    """The ordered matches (see ``copy_extent``) outside ``passages``, as one-sentence pieces."""
    pieces = []
    for i, j in ordered_matches(suspect, strength, params.condensed_match_strength):
        src, sus = source.sentences[i].segment, suspect.sentences[j].segment
        if any(p.suspect_start < sus.end and sus.start < p.suspect_end for p in passages):
            continue
        pieces.append(Passage(src.start, src.end, sus.start, sus.end, float(strength[i, j]), "paraphrase"))
    return pieces


def _joined_to_passages(source: AnalysedText, suspect: AnalysedText, passages: list[Passage],
                        pieces: list[Passage], params: ExtentParams) -> list[Passage]:
    """``passages`` widened over the ``pieces`` that adjoin them; a piece joined to no passage is
    dropped (a weak match alone is no evidence of a copy)."""
    if not pieces:
        return passages
    joined = bridge_gaps(source, suspect, passages + pieces, params)
    real = [(p.suspect_start, p.suspect_end) for p in passages]
    return [p for p in joined if any(p.suspect_start < end and start < p.suspect_end for start, end in real)]


def bridge_gaps(
    source: AnalysedText, suspect: AnalysedText, passages: list[Passage], params: ExtentParams = ExtentParams()
) -> list[Passage]:
    """Join passages that follow each other in both texts across a few unlinked sentences.

    A rewriter drops a source sentence here and rewords one past recognition there; the copied
    stretch is still one stretch, and reporting it in pieces hides its extent. Only passages in
    the same order on both sides are joined (a reordered copy keeps its pieces), and the joined
    passage keeps its pieces' links.
    """
    out: list[Passage] = []
    for p in sorted(passages, key=lambda p: p.suspect_start):
        if out:
            prev = out[-1]
            gap_sus = _between(suspect, prev.suspect_end, p.suspect_start)
            gap_src = _between(source, prev.source_end, p.source_start)
            if gap_sus is not None and gap_src is not None and _joinable(prev, p, gap_sus, gap_src, params):
                out[-1] = _joined(prev, p)
                continue
        out.append(p)
    return out


def _between(text: AnalysedText, start: int, end: int) -> tuple[int, int, int] | None:
    """The sentences (count, characters, words of the longest) wholly between two offsets; None
    when they overlap."""
    if end < start:
        return None
    inside = [sent for sent in text.sentences if sent.segment.start >= start and sent.segment.end <= end]
    return (len(inside), sum(sent.segment.end - sent.segment.start for sent in inside),
            max((len(sent.tokens) for sent in inside), default=0))


def _joinable(a: Passage, b: Passage, gap_sus: tuple[int, int, int], gap_src: tuple[int, int, int],
              params: ExtentParams) -> bool:
    (sus_sentences, sus_chars, sus_words), (src_sentences, src_chars, src_words) = gap_sus, gap_src
    if "paraphrase" not in (a.kind, b.kind) and (
            one_sided_sentences(sus_chars, sus_words, src_chars) or one_sided_sentences(src_chars, src_words, sus_chars)):
        return False  # text between two verbatim copies that only one side has is the copier's own (or cut)
    if sus_sentences <= params.suspect_sentences and src_sentences <= params.source_sentences:
        return True
    return (a.kind == b.kind == "paraphrase"
            and 1 <= sus_sentences <= params.reworded_sentences and 1 <= src_sentences <= params.reworded_sentences
            and max(sus_chars, src_chars) <= params.reworded_length_ratio * min(sus_chars, src_chars))


def _paragraph_spans(text: AnalysedText) -> list[tuple[int, int]]:
    spans: dict[int, tuple[int, int]] = {}
    for sent in text.sentences:
        p = sent.segment.paragraph
        spans[p] = (spans[p][0], sent.segment.end) if p in spans else (sent.segment.start, sent.segment.end)
    return sorted(spans.values())


def snap_to_paragraphs(source: AnalysedText, suspect: AnalysedText, passages: list[Passage], share: float,
                       source_share: float | None = None, matches: Sequence[Passage] = ()) -> list[Passage]:
    """Widen each reworded passage, on each side, to the edges of a paragraph it covers ``share``
    of, unless another passage lies in that paragraph. On the source side the share is
    ``source_share`` (by default the same) of the paragraph that the passage's links cover: a
    passage spans the gaps between its links, and a false link at its end would otherwise claim
    the paragraph it reaches into.

    A rewriter rewords a paragraph's first or last sentence past recognition far more often than
    a copier tacks a sentence of their own onto a copied paragraph; a verbatim passage's edges are
    exact and stay. ``matches``: sentence matches that count with a passage's links on the source
    side where the passage holds them (a condensed copy's ordered matches, ``copy_extent``)."""

    def widen(start: int, end: int, pieces: list[tuple[int, int]], paragraphs: list[tuple[int, int]],
              others: list[tuple[int, int]], needed: float) -> tuple[int, int]:
        for a, b in paragraphs:
            covered = sum(max(0, min(b, e) - max(a, s)) for s, e in pieces)
            if b <= start or a >= end or covered < needed * (b - a):
                continue
            if any(o_start < b and a < o_end for o_start, o_end in others):
                continue
            start, end = min(start, a), max(end, b)
        return start, end

    src_paragraphs, sus_paragraphs = _paragraph_spans(source), _paragraph_spans(suspect)
    out = []
    for k, p in enumerate(passages):
        if p.kind != "paraphrase":
            out.append(p)
            continue
        rest = [q for j, q in enumerate(passages) if j != k]
        links = [(l.source_start, l.source_end) for l in p.links] or [(p.source_start, p.source_end)]
        links += [(m.source_start, m.source_end) for m in matches
                  if p.suspect_start <= m.suspect_start and m.suspect_end <= p.suspect_end]
        s0, s1 = widen(p.source_start, p.source_end, links, src_paragraphs,
                       [(q.source_start, q.source_end) for q in rest], share if source_share is None else source_share)
        t0, t1 = widen(p.suspect_start, p.suspect_end, [(p.suspect_start, p.suspect_end)], sus_paragraphs,
                       [(q.suspect_start, q.suspect_end) for q in rest], share)
        out.append(Passage(s0, s1, t0, t1, p.similarity, p.kind, p.changes, p.links))
    return out


def _joined(a: Passage, b: Passage) -> Passage:
    wa, wb = a.suspect_end - a.suspect_start, b.suspect_end - b.suspect_start
    similarity = (a.similarity * wa + b.similarity * wb) / (wa + wb) if wa + wb else max(a.similarity, b.similarity)
    kind: PassageKind = a.kind if a.kind == b.kind else ("paraphrase" if "paraphrase" in (a.kind, b.kind) else "near")
    return Passage(a.source_start, b.source_end, a.suspect_start, b.suspect_end, similarity, kind,
                   a.changes + b.changes, a.links + b.links)


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


def coverage(text: str, spans: list[tuple[int, int]], exclude: bytearray | None = None,
             minus: Sequence[tuple[int, int]] = ()) -> float:
    """Share of the text's non-space characters (outside ``exclude``) inside the spans and
    outside the ``minus`` spans (a copy's added text inside a passage is not reused text)."""
    counted = _visible(text)
    if exclude is not None:
        counted = counted & ~np.frombuffer(bytes(exclude), dtype=bool)
    inside = np.zeros(len(text), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    for s, e in minus:
        inside[s:e] = False
    total = int(counted.sum())
    return float((inside & counted).sum()) / total if total else 0.0
