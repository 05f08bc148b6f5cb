"""Check that a PAN truth's offsets point at the copied text, and relocate the cases that do not.

A truth case says "suspicious[this_offset : +this_length] was copied from
source[source_offset : +source_length]". In a correct corpus both ranges hold the same words. In
some public copies of PAN they do not: the texts were re-encoded or re-wrapped after the truth was
written (in the shared no-obfuscation sample every case is off, by a few to ~1,700 characters,
growing through each document, while the source offsets still hold). Scored against such a
truth, a detector that finds every copy exactly cannot reach the scores PAN systems publish, and
nothing in the PAN measures says so.

``check_truth`` finds, for each case, where its source passage actually sits in the suspicious
text (the densest diagonal of shared word trigrams, which tolerates re-wrapping, a changed word
and a few characters of noise) and returns the corpus with every located case moved there. Scores
against the relocated truth are reported *beside* the scores against the truth as given, never
instead of them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from statistics import median

from spintrace.evaluation.pan_corpus import PanPair
from spintrace.evaluation.pan_measures import Case

__all__ = ["TruthCheck", "check_truth", "locate_case"]

#: Words per shingle used to find the source passage in the suspicious text.
SHINGLE = 3
#: Words a matched shingle may sit off the best diagonal (a dropped or inserted word or two).
DIAGONAL_TOLERANCE = 8
#: Share of the passage's shingles that must fall on one diagonal for the passage to be "found".
MIN_SHARED_SHINGLES = 0.3
#: Offsets that move by at most this many characters count as right (rounding at word edges).
SAME_OFFSET_CHARS = 2


@dataclass(frozen=True, slots=True)
class TruthCheck:
    """How well a corpus's truth offsets point at the copied text, and the corpus relocated."""

    cases: int
    #: Cases whose suspicious range was found elsewhere (by more than ``SAME_OFFSET_CHARS``).
    moved: int
    #: Cases whose source passage could not be found in the suspicious text (kept as given).
    unlocated: int
    median_shift: float
    max_shift: int
    pairs: tuple[PanPair, ...]

    @property
    def offsets_hold(self) -> bool:
        return self.moved == 0

    def summary(self) -> str:
        if self.offsets_hold:
            return f"truth check: all {self.cases} cases' offsets hold their copied text"
        return (
            f"truth check: {self.moved} of {self.cases} cases' suspicious offsets do not hold the copied "
            f"text (it sits {self.median_shift:.0f} characters away at the median, {self.max_shift} at most); "
            f"{self.unlocated} could not be located"
        )


# "Tomorrow's" and "Tomorrows" are one word: copies in the wild lose apostrophes.
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words, apostrophes dropped, with their character spans."""
    return [(re.sub("['’]", "", m.group().lower()), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _shingles(words: list[str]) -> dict[tuple[str, ...], list[int]]:
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - SHINGLE + 1):
        index.setdefault(tuple(words[i : i + SHINGLE]), []).append(i)
    return index


def locate_case(
    case: Case,
    suspicious_words: list[tuple[str, int, int]],
    suspicious_index: dict[tuple[str, ...], list[int]],
    source_words: list[tuple[str, int, int]],
    suspicious_length: int,
) -> Case | None:
    """``case`` with its suspicious range moved onto its source passage's copy, or None if the
    passage's words are not found together in the suspicious text."""
    lo, hi = case.source_offset, case.source_offset + case.source_length
    passage = [(w, s, e) for w, s, e in source_words if s >= lo and e <= hi]
    if len(passage) < SHINGLE:
        return None
    words = [w for w, _, _ in passage]
    matches = [
        (i, j)
        for i in range(len(words) - SHINGLE + 1)
        for j in suspicious_index.get(tuple(words[i : i + SHINGLE]), ())
    ]
    if not matches:
        return None
    votes = Counter(j - i for i, j in matches)
    best = max(votes.values())
    if best < MIN_SHARED_SHINGLES * (len(words) - SHINGLE + 1):
        return None
    # A passage copied twice has two full diagonals: keep the copy nearest the given offset.
    given = next((j for j, (_, s, _) in enumerate(suspicious_words) if s >= case.this_offset), len(suspicious_words))
    diagonal = min((d for d, v in votes.items() if v == best), key=lambda d: abs(d - given))
    on_diagonal = [(i, j) for i, j in matches if abs(j - i - diagonal) <= DIAGONAL_TOLERANCE]
    first_i, first_j = min(on_diagonal)
    last_i, last_j = max(on_diagonal)
    last_i, last_j = last_i + SHINGLE - 1, last_j + SHINGLE - 1
    # Words of the passage before the first match (or after the last) were changed in the copy;
    # the copy still covers them, so the range is extended by the characters they take.
    start = suspicious_words[first_j][1] - (passage[first_i][1] - lo)
    end = suspicious_words[last_j][2] + (hi - passage[last_i][2])
    start, end = max(0, start), min(suspicious_length, end)
    if end <= start:
        return None
    return replace(case, this_offset=start, this_length=end - start)


def check_truth(pairs: list[PanPair]) -> TruthCheck:
    """Locate every case's copy; return the corpus with located cases moved onto it."""
    relocated: list[PanPair] = []
    shifts: list[int] = []
    cases = moved = unlocated = 0
    for pair in pairs:
        sus_words = _word_spans(pair.suspicious_text)
        sus_index = _shingles([w for w, _, _ in sus_words])
        src_words = _word_spans(pair.source_text)
        new_cases = []
        for case in pair.cases:
            cases += 1
            found = locate_case(case, sus_words, sus_index, src_words, len(pair.suspicious_text))
            if found is None:
                unlocated += 1
                new_cases.append(case)
                continue
            shift = max(abs(found.this_offset - case.this_offset),
                        abs(found.this_offset + found.this_length - case.this_offset - case.this_length))
            if shift > SAME_OFFSET_CHARS:
                moved += 1
                shifts.append(abs(found.this_offset - case.this_offset))
                new_cases.append(found)
            else:
                new_cases.append(case)
        relocated.append(replace(pair, cases=tuple(new_cases)))
    return TruthCheck(
        cases=cases,
        moved=moved,
        unlocated=unlocated,
        median_shift=float(median(shifts)) if shifts else 0.0,
        max_shift=max(shifts, default=0),
        pairs=tuple(relocated),
    )
