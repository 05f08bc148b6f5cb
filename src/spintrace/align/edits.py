"""Word-level edit scripts inside one sentence link: what the rewriter kept, swapped, moved, dropped.

A plain diff explains a spun sentence badly: spinners swap words for synonyms *and* shuffle
clauses, and a diff reports every moved clause as a deletion plus an insertion. So the script is
built in three passes over the two sentences' word stems (so inflection-only changes count as
kept):

1. **keep**: in-order matching blocks (``difflib.SequenceMatcher``, longest block first, which
   keeps whole runs together rather than scattering matches over lone stop words);
2. **move**: words both sides still have, out of order (a run of two or more words, or one
   content word), longest run first;
3. **replace / delete / insert**: the words left over form runs between anchors (kept or moved
   runs). A source run and a suspect run that sit against the same anchor were written in each
   other's place: a ``replace`` (a synonym swap). A run with no counterpart is a ``delete`` or
   an ``insert``.

Every word of both sentences ends in exactly one edit, which is what lets a report paint both
sentences from the script alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from spintrace.comparison import EditOp, Passage, WordEdit
from spintrace.normalise import Token
from spintrace.normalise.spelling import spelling_stem
from spintrace.pipeline.analyse import AnalysedText

#: A paired run longer than this (words), and more than twice the other, is trimmed: only the
#: words next to the shared anchor are taken as the replacement, the rest is a plain delete/insert.
PHRASE_WORDS = 3

START, END = -1, -2  # virtual anchors at the two ends of a sentence

#: Two single words at least this alike (``rapidfuzz.fuzz.ratio``) are a respelling of each other
#: ("Smith" / "Smyth", "Kassym" / "Kasim"), paired before any other pairing of runs.
RESPELLED_RATIO = 70

#: Links with more word pairs than this (a verbatim region of ~600 words a side) are matched with
#: rapidfuzz's bit-parallel LCS instead of difflib.
LONG_LINK_PAIRS = 400_000


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive unanchored words ``[first, last]`` of one side, between two anchors."""

    first: int
    last: int
    left: int  # anchor id before the run (START at the sentence start)
    right: int  # anchor id after the run (END at the sentence end)

    @property
    def words(self) -> int:
        return self.last - self.first + 1


def _key(tok: Token) -> str:
    # British and American spellings are one word: a localised copy reworded nothing.
    return tok.norm if tok.is_number else spelling_stem(tok.norm, tok.stem)


def _moves(a: list[str], b: list[str], a_free: list[bool], b_free: list[bool], content: list[bool]) -> list[tuple[int, int, int]]:
    """Out-of-order runs shared by the words no keep block took, longest first.

    A run starts on a content word or on a shared word pair (so "of the" can start one, a lone
    "the" cannot); a start inside a longer shared run is skipped, which keeps long links linear."""
    singles: dict[str, list[int]] = defaultdict(list)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, key in enumerate(b):
        if b_free[j]:
            singles[key].append(j)
            if j + 1 < len(b) and b_free[j + 1]:
                pairs[(key, b[j + 1])].append(j)
    candidates = []
    for i, key in enumerate(a):
        if not a_free[i]:
            continue
        if content[i]:
            starts = singles.get(key, ())
        elif i + 1 < len(a) and a_free[i + 1]:
            starts = pairs.get((key, a[i + 1]), ())
        else:
            continue
        for j in starts:
            if i and j and a_free[i - 1] and b_free[j - 1] and a[i - 1] == b[j - 1]:
                continue  # inside a run that starts earlier
            n = 0
            while i + n < len(a) and j + n < len(b) and a_free[i + n] and b_free[j + n] and a[i + n] == b[j + n]:
                n += 1
            candidates.append((n, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    moves = []
    for n, i, j in candidates:
        # A run overlapping a longer move is cut to its still-free prefix rather than lost.
        k = 0
        while k < n and a_free[i + k] and b_free[j + k]:
            k += 1
        if k == 0 or (k < 2 and not content[i]):
            continue
        for d in range(k):
            a_free[i + d] = b_free[j + d] = False
        moves.append((i, j, k))
    return moves


def _kept_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """In-order matching blocks. difflib's longest-block-first choice reads best, but it is
    quadratic in the words of a link; a long verbatim region (thousands of words in one link)
    takes the LCS from rapidfuzz instead."""
    if len(a) * len(b) <= LONG_LINK_PAIRS:
        return [(i, j, n) for i, j, n in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if n]
    from rapidfuzz.distance import Indel

    return [(op.src_start, op.dest_start, op.src_end - op.src_start) for op in Indel.opcodes(a, b) if op.tag == "equal"]


def _runs(free: list[bool], anchor_of: list[int]) -> list[_Run]:
    runs, start = [], None
    for k, is_free in enumerate([*free, False]):
        if is_free and start is None:
            start = k
        elif not is_free and start is not None:
            left = anchor_of[start - 1] if start > 0 else START
            right = anchor_of[k] if k < len(free) else END
            runs.append(_Run(start, k - 1, left, right))
            start = None
    return runs


def _pair_runs(a_runs: list[_Run], b_runs: list[_Run], moved: set[int] = frozenset(),
               respelled: Callable[[_Run, _Run], bool] = lambda ra, rb: False) -> list[tuple[_Run, _Run, str]]:
    """Pair runs that stand in each other's place: same anchors on both ends first, then the same
    anchor after them, then the same anchor before; a respelling (``respelled``: "Smith" and
    "Smyth") before anything else. One shared anchor that was ``moved`` says nothing of place:
    the words beside a clause moved from a sentence's start to its end are not each other's
    replacement ("LONDON (Reuters) -" and "annually, Reuters reported"). Returns (a, b, which
    anchor is shared)."""
    by_left: dict[int, list[_Run]] = defaultdict(list)
    by_right: dict[int, list[_Run]] = defaultdict(list)
    for rb in b_runs:
        by_left[rb.left].append(rb)
        by_right[rb.right].append(rb)
    candidates = []
    for ra in a_runs:
        for rb in {id(r): r for r in (*by_left.get(ra.left, ()), *by_right.get(ra.right, ()))}.values():
            alike = respelled(ra, rb)
            if ra.left == rb.left and ra.right == rb.right:
                priority, shared = 0, "both"
            elif ra.right == rb.right and ra.right != END and (alike or ra.right not in moved):
                priority, shared = 1, "right"
            elif ra.left == rb.left and ra.left != START and (alike or ra.left not in moved):
                priority, shared = 2, "left"
            else:
                continue
            candidates.append((not alike, priority, ra.first, rb.first, ra, rb, shared))
    candidates.sort(key=lambda c: c[:4])
    used_a, used_b, pairs = set(), set(), []
    for _, _, _, _, ra, rb, shared in candidates:
        if ra.first in used_a or rb.first in used_b:
            continue
        used_a.add(ra.first)
        used_b.add(rb.first)
        pairs.append((ra, rb, shared))
    return pairs


def _trim(ra: _Run, rb: _Run, shared: str, a_stop: list[bool], b_stop: list[bool]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The part of two paired runs that replace each other, when one is much longer: as many
    words of the longer as the shorter has, on the side of the shared anchor (for a gap anchored
    on both ends, the side whose stop-word pattern fits the shorter run better)."""
    la, lb = ra.words, rb.words
    if max(la, lb) <= PHRASE_WORDS or max(la, lb) <= 2 * min(la, lb):
        return (ra.first, ra.last), (rb.first, rb.last)
    short_is_a = la < lb
    short, long_ = (ra, rb) if short_is_a else (rb, ra)
    short_stop = a_stop if short_is_a else b_stop
    long_stop = b_stop if short_is_a else a_stop
    k = short.words
    at_right = (long_.last - k + 1, long_.last)
    at_left = (long_.first, long_.first + k - 1)
    if shared == "right":
        window = at_right
    elif shared == "left":
        window = at_left
    else:
        pattern = [short_stop[x] for x in range(short.first, short.last + 1)]

        def fit(w: tuple[int, int]) -> int:
            return sum(p == long_stop[x] for p, x in zip(pattern, range(w[0], w[1] + 1)))

        window = at_right if fit(at_right) >= fit(at_left) else at_left
    short_span = (short.first, short.last)
    return (short_span, window) if short_is_a else (window, short_span)


def edit_script(source: Sequence[Token], suspect: Sequence[Token]) -> tuple[WordEdit, ...]:
    """The word-level edits that turn the ``source`` words of a link into the ``suspect`` words.

    Each token of either side lies in exactly one edit; offsets are the tokens' own (into the
    texts they were read from), spanning from a run's first word to its last.
    """
    a = [_key(t) for t in source]
    b = [_key(t) for t in suspect]
    a_stop = [t.is_stopword for t in source]
    b_stop = [t.is_stopword for t in suspect]
    a_free, b_free = [True] * len(a), [True] * len(b)
    anchor_a, anchor_b = [0] * len(a), [0] * len(b)
    blocks: list[tuple[EditOp, int, int, int]] = []  # op, first source word, first suspect word, words

    for i, j, n in _kept_blocks(a, b):
        blocks.append(("keep", i, j, n))
        for d in range(n):
            a_free[i + d] = b_free[j + d] = False
    blocks += [("move", i, j, n) for i, j, n in _moves(a, b, a_free, b_free, [not s for s in a_stop])]
    for anchor, (_, i, j, n) in enumerate(blocks):
        for d in range(n):
            anchor_a[i + d] = anchor_b[j + d] = anchor

    def a_span(first: int, last: int) -> tuple[int, int]:
        return source[first].start, source[last].end

    def b_span(first: int, last: int) -> tuple[int, int]:
        return suspect[first].start, suspect[last].end

    edits: list[WordEdit] = [WordEdit(op, *a_span(i, i + n - 1), *b_span(j, j + n - 1)) for op, i, j, n in blocks]
    a_runs, b_runs = _runs(a_free, anchor_a), _runs(b_free, anchor_b)
    leftover_a: set[tuple[int, int]] = {(r.first, r.last) for r in a_runs}
    leftover_b: set[tuple[int, int]] = {(r.first, r.last) for r in b_runs}
    moved = {anchor for anchor, block in enumerate(blocks) if block[0] == "move"}

    def respelled(ra: _Run, rb: _Run) -> bool:
        return ra.words == rb.words == 1 and fuzz.ratio(source[ra.first].norm, suspect[rb.first].norm) >= RESPELLED_RATIO

    for ra, rb, shared in _pair_runs(a_runs, b_runs, moved, respelled):
        (a0, a1), (b0, b1) = _trim(ra, rb, shared, a_stop, b_stop)
        edits.append(WordEdit("replace", *a_span(a0, a1), *b_span(b0, b1)))
        leftover_a.remove((ra.first, ra.last))
        leftover_b.remove((rb.first, rb.last))
        leftover_a.update(r for r in ((ra.first, a0 - 1), (a1 + 1, ra.last)) if r[0] <= r[1])
        leftover_b.update(r for r in ((rb.first, b0 - 1), (b1 + 1, rb.last)) if r[0] <= r[1])
    edits += [WordEdit("delete", *a_span(f, l), None, None) for f, l in leftover_a]
    edits += [WordEdit("insert", None, None, *b_span(f, l)) for f, l in leftover_b]
    return _in_reading_order(edits)


def _in_reading_order(edits: list[WordEdit]) -> tuple[WordEdit, ...]:
    """Edits in source order; an insert goes after the edit that precedes it in the suspect."""
    by_suspect = sorted((e for e in edits if e.suspect_start is not None), key=lambda e: e.suspect_start)
    anchor_at: dict[int, float] = {}
    last = -1.0
    for n, e in enumerate(by_suspect):
        if e.source_start is not None:
            last = float(e.source_start)
        else:
            anchor_at[id(e)] = last + 0.5 + n * 1e-6
    return tuple(
        sorted(edits, key=lambda e: (e.source_start if e.source_start is not None else anchor_at[id(e)],
                                     e.suspect_start if e.suspect_start is not None else -1))
    )


def with_edit_scripts(source: AnalysedText, suspect: AnalysedText, passages: Sequence[Passage]) -> list[Passage]:
    """The passages with every link's edit script filled in. A passage is reported ``exact`` only
    when no link of it changed a word: the kind is read from the share of words kept (98%), and
    a long copy with a dozen swapped words was "exact" beside its reworded words."""
    out = []
    for p in passages:
        links = tuple(
            replace(l, edits=edit_script(source.tokens_between(l.source_start, l.source_end),
                                         suspect.tokens_between(l.suspect_start, l.suspect_end)))
            for l in p.links
        )
        edited = any(e.op != "keep" for l in links for e in l.edits)
        out.append(replace(p, links=links, kind="near" if p.kind == "exact" and edited else p.kind))
    return out
