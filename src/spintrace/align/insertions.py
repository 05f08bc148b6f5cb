"""Text one side of a passage has and the other lacks: a copier's insertion, or a cut.

A passage runs from its first link to its last, and a verbatim copy's regions are merged across
short edits, so a paragraph the copier inserted between two copied ones (or a paragraph it left
out) can sit inside one passage. Between two consecutive links of a passage, a stretch of one
text that the other text has (almost) nothing for at that point cannot be the same text reworded:
it was added (suspect side) or dropped (source side). Such stretches are what ``added`` and
``omitted`` must show, and a verbatim passage is cut there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spintrace.comparison import Passage, SentenceLink
from spintrace.normalise import tokenize
from spintrace.pipeline.analyse import AnalysedText

# A stretch shorter than this (non-space characters) is never taken for an insertion or a cut:
# "he said", a dateline, a credit in brackets. Trace's attribution cuts at the same length.
MIN_INSERTION_CHARS = 40
# A whole sentence of this many words is a stretch too, however short ("Staff were told by email.");
# "He added:" is not.
MIN_SENTENCE_WORDS = 4
# ... and the other text holds less than this share of its length between the same two links
# (a reworded sentence is seldom four times shorter or longer than what it rewords).
OTHER_SIDE_SHARE = 0.25
# ... and fewer than this share of its content words occur in the other text's two linked
# stretches around it. The sentences of the two texts need not break alike (a line break where
# the other has a full stop, one long sentence split in two by a rewriter): a stretch whose words
# the neighbouring link already holds was carried over, not inserted.
MAX_BORROWED_SHARE = 0.5

Side = str  # "source" or "suspect"


def visible_chars(text: str, start: int, end: int) -> int:
    """Non-space characters of ``text[start:end]`` (0 for an empty or reversed range)."""
    return sum(1 for ch in text[start:end] if not ch.isspace()) if end > start else 0


def is_one_sided(gap_chars: int, other_chars: int) -> bool:
    """Whether a gap of ``gap_chars`` on one side, with ``other_chars`` on the other side between
    the same two links, is text only that side has (an insertion or a cut)."""
    return gap_chars >= MIN_INSERTION_CHARS and other_chars < OTHER_SIDE_SHARE * gap_chars


def one_sided_sentences(gap_chars: int, longest_sentence_words: int, other_chars: int) -> bool:
    """``is_one_sided``, or whole sentences on one side (the longest of ``MIN_SENTENCE_WORDS``
    words or more) with under a quarter as many characters on the other."""
    return is_one_sided(gap_chars, other_chars) or (
        longest_sentence_words >= MIN_SENTENCE_WORDS and other_chars < OTHER_SIDE_SHARE * gap_chars)


def _range(item: Passage | SentenceLink, side: Side) -> tuple[int, int]:
    return (item.source_start, item.source_end) if side == "source" else (item.suspect_start, item.suspect_end)


def one_sided_gaps(passage: Passage, side: Side, source: AnalysedText, suspect: AnalysedText) -> list[tuple[int, int]]:
    """Stretches of ``side`` between two consecutive links of ``passage`` (in that side's order),
    or between a link and the passage's edge, that the other side lacks: 40+ visible characters
    (``is_one_sided``) or a whole sentence of ``MIN_SENTENCE_WORDS`` words ("Unions reacted
    angrily."), with under a quarter as much on the other side and few of its words in the other
    side's neighbouring links. Links out of order on the other side (a reordered copy) say nothing
    about what lies between them, and are skipped."""
    other: Side = "suspect" if side == "source" else "source"
    texts = {"source": source, "suspect": suspect}
    edges = (SentenceLink(passage.source_start, passage.source_start, passage.suspect_start, passage.suspect_start, 1.0),
             SentenceLink(passage.source_end, passage.source_end, passage.suspect_end, passage.suspect_end, 1.0))
    links = [edges[0]] + sorted(passage.links, key=lambda l: _range(l, side)) + [edges[1]]
    gaps = []
    for a, b in zip(links, links[1:]):
        (a_end, b_start), (oa_end, ob_start) = (_range(a, side)[1], _range(b, side)[0]), (_range(a, other)[1], _range(b, other)[0])
        if ob_start < _range(a, other)[0] or b_start <= a_end:
            continue
        gap = visible_chars(texts[side].text, a_end, b_start)
        other_chars = visible_chars(texts[other].text, oa_end, ob_start)
        enough = one_sided_sentences(gap, _longest_sentence(texts[side], a_end, b_start), other_chars)
        if enough and _borrowed_share(texts[side].text, (a_end, b_start), texts[other].text,
                                      (_range(a, other)[0], _range(b, other)[1])) < MAX_BORROWED_SHARE:
            gaps.append((a_end, b_start))
    return gaps


def _longest_sentence(text: AnalysedText, start: int, end: int) -> int:
    """Words of the longest whole sentence in ``[start, end)`` (0 if none)."""
    return max((len(s.tokens) for s in text.sentences if start <= s.segment.start and s.segment.end <= end), default=0)


def _borrowed_share(text: str, gap: tuple[int, int], other_text: str, around: tuple[int, int]) -> float:
    """Share of the gap's content words (stems) that the other text uses around the same place."""
    words = {t.stem for t in tokenize(text, *gap) if not t.is_stopword}
    if not words:
        return 1.0
    return len(words & {t.stem for t in tokenize(other_text, *around)}) / len(words)


def _minus(span: tuple[int, int], holes: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], span[0]
    for start, end in sorted(holes):
        if start > pos:
            out.append((pos, min(start, span[1])))
        pos = max(pos, end)
    if pos < span[1]:
        out.append((pos, span[1]))
    return out


def explained_spans(passages: Sequence[Passage], side: Side, source: AnalysedText | None = None,
                    suspect: AnalysedText | None = None) -> list[tuple[int, int]]:
    """The ``side`` spans of the passages and of every link they hold: a passage whose edges a
    verbatim region set can stop inside a sentence its link still explains, and that sentence is
    neither omitted nor added. Given both texts, a passage's one-sided gaps (``one_sided_gaps``)
    are left out: what the copier inserted is added, what it cut is omitted, even inside a passage."""
    spans = []
    for p in passages:
        holes = one_sided_gaps(p, side, source, suspect) if source is not None and suspect is not None else []
        spans += _minus(_range(p, side), holes)
        spans += [_range(l, side) for l in p.links]
    return spans


def split_at_insertions(source: AnalysedText, suspect: AnalysedText, passages: Sequence[Passage]) -> list[Passage]:
    """Verbatim passages cut where one side has a stretch the other lacks (``one_sided_gaps``),
    and trimmed where such a stretch is at their edge.

    A copy that inserted a paragraph of its own between two copied ones is two copied passages,
    not one passage that (by its span) copied the insertion too. Only cuts that leave every piece
    exact or near are made: inside a reworded passage a one-sided stretch can be one source
    sentence split in two, and that passage stays whole (its ``added`` still names the stretch).
    """
    from spintrace.align.passages import span_kind

    out: list[Passage] = []
    for p in passages:
        if p.kind == "paraphrase" or not p.links:
            out.append(p)
            continue
        sus_gaps = one_sided_gaps(p, "suspect", source, suspect)
        src_gaps = one_sided_gaps(p, "source", source, suspect)
        pieces = _pieces(p, sorted(set(sus_gaps) | _as_suspect_gaps(p, src_gaps)),
                         trim_suspect=(any(g[0] == p.suspect_start for g in sus_gaps), any(g[1] == p.suspect_end for g in sus_gaps)),
                         trim_source=(any(g[0] == p.source_start for g in src_gaps), any(g[1] == p.source_end for g in src_gaps)))
        if pieces != [p]:
            kinds = [span_kind(source, suspect, (q.source_start, q.source_end), (q.suspect_start, q.suspect_end)) for q in pieces]
            if all(kind != "paraphrase" for kind, _ in kinds):
                out += [Passage(q.source_start, q.source_end, q.suspect_start, q.suspect_end, max(ratio, _link_similarity(q)),
                                kind, q.changes, q.links) for q, (kind, ratio) in zip(pieces, kinds)]
                continue
        out.append(p)
    return out


def _as_suspect_gaps(p: Passage, source_gaps: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The suspect-side position (between the same two links) of each source-side gap between
    two links (a gap at the passage's edge is trimmed, not cut)."""
    out = set()
    for start, end in source_gaps:
        before = [l for l in p.links if l.source_end <= start]
        after = [l for l in p.links if l.source_start >= end]
        if not before or not after:
            continue
        a, b = max(before, key=lambda l: l.source_end), min(after, key=lambda l: l.source_start)
        if b.suspect_start >= a.suspect_end:
            out.add((a.suspect_end, b.suspect_start))
    return out


def cut_passage(p: Passage, cuts: Sequence[tuple[int, int]]) -> list[Passage]:
    """``p`` cut at the suspect-side stretches ``cuts`` (each between two of its links): one piece
    per run of links, each keeping the kind and similarity of ``p``."""
    return _pieces(p, sorted(cuts), (False, False), (False, False))


def _pieces(p: Passage, cuts: list[tuple[int, int]], trim_suspect: tuple[bool, bool],
            trim_source: tuple[bool, bool]) -> list[Passage]:
    """``p`` cut at suspect-side ``cuts`` (each between two of its links, or at its edge); a
    piece's sides run over its own links, the passage's own edges kept at both ends unless a
    one-sided stretch lies there (``trim_*``: start, end)."""
    groups: list[list[SentenceLink]] = [[]]
    bounds = iter(cuts)
    cut = next(bounds, None)
    for link in sorted(p.links, key=lambda l: l.suspect_start):
        while cut is not None and link.suspect_start >= cut[1]:
            groups.append([])
            cut = next(bounds, None)
        groups[-1].append(link)
    groups = [g for g in groups if g]
    pieces = []
    for k, links in enumerate(groups):
        first, last = k == 0, k == len(groups) - 1
        # Links are whole sentences and may reach past edges a verbatim region set: clip to them.
        sus = (p.suspect_start if first and not trim_suspect[0] else max(p.suspect_start, min(l.suspect_start for l in links)),
               p.suspect_end if last and not trim_suspect[1] else min(p.suspect_end, max(l.suspect_end for l in links)))
        src = (p.source_start if first and not trim_source[0] else max(p.source_start, min(l.source_start for l in links)),
               p.source_end if last and not trim_source[1] else min(p.source_end, max(l.source_end for l in links)))
        if len(groups) == 1 and sus == (p.suspect_start, p.suspect_end) and src == (p.source_start, p.source_end):
            return [p]
        changes = tuple(c for c in p.changes if _inside(c.suspect_start, c.source_start, sus, src))
        pieces.append(Passage(src[0], src[1], sus[0], sus[1], p.similarity, p.kind, changes, tuple(links)))
    return pieces


def _inside(suspect_at: int | None, source_at: int | None, sus: tuple[int, int], src: tuple[int, int]) -> bool:
    if suspect_at is not None:
        return sus[0] <= suspect_at < sus[1]
    return source_at is not None and src[0] <= source_at < src[1]


def _link_similarity(p: Passage) -> float:
    weights = [max(1, l.suspect_end - l.suspect_start) for l in p.links]
    return sum(w * l.similarity for w, l in zip(weights, p.links)) / sum(weights) if weights else p.similarity
