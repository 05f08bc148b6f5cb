"""Which text is the original: from publication dates when known, else from copying artefacts.

Derived texts carry marks of the process that made them: spinners and translation round trips
break sentences apart and capitalise common words mid-sentence, and copies drop details (numbers,
names) far more often than they invent them. Each mark found on one side of an aligned link is
evidence that this side is the copy. Weak or balanced evidence gives ``unknown``.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from spintrace.align.aligner import AlignedRun, Link
from spintrace.comparison import Direction, Passage
from spintrace.pipeline.analyse import AnalysedText

UNKNOWN_BELOW = 0.65


def _parse_date(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _stray_capitals(this: AnalysedText, other: AnalysedText, links: list[Link], this_is_suspect: bool) -> int:
    """Words capitalised mid-sentence here but written in lower case in the aligned counterpart."""
    count = 0
    for l in links:
        mine = range(l.sus_first, l.sus_last + 1) if this_is_suspect else range(l.src_first, l.src_last + 1)
        theirs = range(l.src_first, l.src_last + 1) if this_is_suspect else range(l.sus_first, l.sus_last + 1)
        lower_there = {
            t.norm for k in theirs for t in other.sentences[k].tokens if not t.is_capitalised and not t.is_number
        }
        for k in mine:
            tokens = this.sentences[k].tokens
            for prev, tok in zip(tokens, tokens[1:]):
                if not tok.is_capitalised or tok.text.isupper() or tok.norm not in lower_there:
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
            count += sum(1 for k in range(mine[0], mine[1] + 1) if len(this.sentences[k].tokens) <= 7)
    return count


def infer_direction(
    source: AnalysedText,
    suspect: AnalysedText,
    runs: list[AlignedRun],
    passages: list[Passage],
    *,
    source_published: str | date | None = None,
    suspect_published: str | date | None = None,
) -> Direction:
    da, db = _parse_date(source_published), _parse_date(suspect_published)
    if da and db and da != db:
        original = "source" if da < db else "suspect"
        return Direction(original, 0.95, (f"published {da.isoformat()} vs {db.isoformat()}",))
    if not runs:
        return Direction("unknown", 0.0, ("no aligned passages",))
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
    score += 0.3 * (dropped_by_suspect - dropped_by_source)
    confidence = 1.0 / (1.0 + math.exp(-abs(score) / 2.0))
    if confidence < UNKNOWN_BELOW:
        return Direction("unknown", confidence, tuple(evidence) or ("no copying artefacts either way",))
    return Direction("source" if score > 0 else "suspect", confidence, tuple(evidence))
