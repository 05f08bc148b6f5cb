"""Which text is the original: from publication dates when known, else from copying artefacts.

Derived texts carry marks of the process that made them: spinners and translation round trips
break sentences apart and capitalise common words mid-sentence, and copies drop details (numbers,
names) far more often than they invent them. Each mark found on one side of an aligned link is
evidence that this side is the copy. Weak or balanced evidence gives ``unknown``.
"""

from __future__ import annotations

import math
from datetime import date

from spintrace.align.aligner import AlignedRun, Link
from spintrace.comparison import Direction, Passage
from spintrace.dates import published_order, published_text
from spintrace.normalise import STOPWORDS
from spintrace.pipeline.analyse import AnalysedText

UNKNOWN_BELOW = 0.6


# Words that open a fragment a spinner broke off a longer sentence ("With about 70% of the vote.",
# "Leaving it in ruins."); a short sentence opening with a pronoun or a name is just short.
FRAGMENT_OPENERS = frozenset(
    "with from to and but or in on at for by of as after before while which who whose where than into "
    "over under during without".split()
)


def _lowercase_mid_sentence(text: AnalysedText) -> set[str]:
    return {t.norm for s in text.sentences for t in s.tokens[1:] if not t.is_capitalised and not t.is_number}


def _stray_capitals(this: AnalysedText, other: AnalysedText, links: list[Link], this_is_suspect: bool) -> int:
    """Words capitalised mid-sentence here, though this text and the aligned counterpart write them
    in lower case: house style capitalises consistently ("the Government"), spinners at random."""
    count = 0
    lower_here = _lowercase_mid_sentence(this)
    for l in links:
        mine = range(l.sus_first, l.sus_last + 1) if this_is_suspect else range(l.src_first, l.src_last + 1)
        theirs = range(l.src_first, l.src_last + 1) if this_is_suspect else range(l.sus_first, l.sus_last + 1)
        lower_there = {
            t.norm for k in theirs for t in other.sentences[k].tokens if not t.is_capitalised and not t.is_number
        }
        for k in mine:
            tokens = this.sentences[k].tokens
            for pos in range(1, len(tokens)):
                prev, tok = tokens[pos - 1], tokens[pos]
                if not tok.is_capitalised or tok.text.isupper() or tok.norm not in lower_there:
                    continue
                # Title Case runs are names and titles ("Vice President of Intellectual Property").
                after = tokens[pos + 1] if pos + 1 < len(tokens) else None
                if (pos > 1 and prev.is_capitalised) or (after is not None and after.is_capitalised):
                    continue
                # Function words, verb and adverb forms are never house-style capitals.
                if tok.norm not in lower_here and tok.norm not in STOPWORDS and not tok.norm.endswith(("ed", "ing", "ly")):
                    continue
                gap = this.text[prev.end : tok.start]
                if not any(ch in gap for ch in "“\"‘:(—–.?!"):
                    count += 1
    return count


def _broken_sentences(this: AnalysedText, links: list[Link], this_is_suspect: bool) -> int:
    """Short fragments cut off a sentence that is whole in the counterpart (an N:1 link)."""
    count = 0
    for l in links:
        mine = (l.sus_first, l.sus_last) if this_is_suspect else (l.src_first, l.src_last)
        theirs = (l.src_first, l.src_last) if this_is_suspect else (l.sus_first, l.sus_last)
        if mine[1] - mine[0] > theirs[1] - theirs[0]:
            for k in range(mine[0] + 1, mine[1] + 1):
                tokens = this.sentences[k].tokens
                if tokens and len(tokens) <= 7 and (tokens[0].norm in FRAGMENT_OPENERS or tokens[0].norm.endswith("ing")):
                    count += 1
    return count


def infer_direction(
    source: AnalysedText,
    suspect: AnalysedText,
    runs: list[AlignedRun],
    passages: list[Passage],
    *,
    source_published: str | date | None = None,
    suspect_published: str | date | None = None,
    reused: bool = True,
) -> Direction:
    order = published_order(source_published, suspect_published)
    if order:
        original = "source" if order < 0 else "suspect"
        return Direction(original, 0.95, (f"published {published_text(source_published)} vs "
                                          f"{published_text(suspect_published)}",))
    if not runs or not reused:
        return Direction("unknown", 0.0, ("no reuse to orient",))
    links = [l for r in runs for l in r.links]
    evidence: list[str] = []
    score = 0.0  # > 0: the suspect looks derived, so the source is the original
    for label, sign, text, other, is_suspect in (("suspect", 1, suspect, source, True), ("source", -1, source, suspect, False)):
        caps = _stray_capitals(text, other, links, is_suspect)
        broken = _broken_sentences(text, links, is_suspect)
        if caps:
            evidence.append(f"{caps} stray capital(s) in the {label}")
        if broken:
            evidence.append(f"{broken} broken sentence(s) in the {label}")
        score += sign * (0.5 * caps + 0.8 * broken)
    dropped_by_suspect = sum(1 for p in passages for c in p.changes if c.suspect_text is None)
    dropped_by_source = sum(1 for p in passages for c in p.changes if c.source_text is None)
    if dropped_by_suspect or dropped_by_source:
        evidence.append(f"details only in source: {dropped_by_suspect}, only in suspect: {dropped_by_source}")
    # Copies drop details more often than they invent them, but editors do both: weak evidence.
    score += 0.15 * (dropped_by_suspect - dropped_by_source)
    confidence = 1.0 / (1.0 + math.exp(-abs(score) / 2.0))
    if confidence < UNKNOWN_BELOW:
        return Direction("unknown", confidence, tuple(evidence) or ("no copying artefacts either way",))
    return Direction("source" if score > 0 else "suspect", confidence, tuple(evidence))
