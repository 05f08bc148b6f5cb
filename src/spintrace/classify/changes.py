"""Changed details inside an aligned passage: numbers, dates, names and quoted words.

These are what a fact-checker looks at first: a copy that alters "70%" or spells a president's
name differently is telling. Details are compared within each sentence link, so a name that moved
elsewhere in the article is not reported as changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from spintrace.classify.amounts import amount_at, worded_amounts
from spintrace.comparison import Change, ChangeKind, SentenceLink
from spintrace.normalise import Token, tokenize
from spintrace.normalise.quotes import quoted_spans
from spintrace.pipeline.analyse import AnalysedText, is_common_word, lowercase_words

MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
QUOTE_EDGES = "\"“” "  # trimmed off a quotation to leave its words


@dataclass(frozen=True, slots=True)
class _Detail:
    """A detail of one side of a link: ``key`` equal on both sides means it was kept."""

    kind: ChangeKind
    key: str
    start: int
    end: int
    position: float  # where in the link it stands, 0-1 (pairs repeated details by place)
    before: str  # the word before and after it (a name swapped in place keeps its neighbours)
    after: str


def _is_name(tok: Token, sentence_initial: bool, lowercase: tuple[frozenset[str], ...]) -> bool:
    """A capitalised word that is a name: rare (spinners capitalise common words at random:
    "Said", "Armed"), or one the texts never write in lower case ("Smith", "London"), which only
    counts mid-sentence, where capitals are not the sentence's."""
    if not tok.is_capitalised:
        return False
    rare = not all(is_common_word(p) for p in re.split(r"[-']", tok.norm) if p)
    proper = not any(tok.norm in words for words in lowercase)
    return (rare and proper) if sentence_initial else (rare or proper)


def _details(tokens: list[Token], text: str, lowercase: tuple[frozenset[str], ...]) -> list[_Detail]:
    out = []
    n = max(1, len(tokens) - 1)
    for k, tok in enumerate(tokens):
        before = tokens[k - 1].norm if k else ""
        after = tokens[k + 1].norm if k + 1 < len(tokens) else ""
        if tok.is_number:
            amount = amount_at(tokens, k, text)
            out.append(_Detail("date" if amount.is_year else "number", amount.key, amount.start, amount.end, k / n,
                               before, after))
        elif tok.norm in MONTHS_AND_DAYS and tok.is_capitalised:
            out.append(_Detail("date", tok.norm, tok.start, tok.end, k / n, before, after))
        elif _is_name(tok, k == 0 or _sentence_break(text, tokens[k - 1].end, tok.start), lowercase):
            # "Kazakhstan's" names Kazakhstan: a possessive is no change of name
            key = tok.norm[:-2] if tok.norm.endswith("'s") else tok.norm.rstrip("'")
            out.append(_Detail("name", key, tok.start, tok.end, k / n, before, after))
    return out


def _sentence_break(text: str, start: int, end: int) -> bool:
    return any(ch in ".!?:\n" for ch in text[start:end])


def _unmatched(mine: list[_Detail], theirs: list[_Detail], worded: Callable[[], set[str]]) -> list[_Detail]:
    """``mine`` less those the other side keeps: each detail is matched once, to the occurrence of
    the same key nearest its place in the link ("fined £51m ... a further £11m" -> "fined £11m ...
    a further £11m" changed the first figure, not the second)."""
    left = list(theirs)
    out = []
    for d in mine:
        same = [o for o in left if o.key == d.key and o.kind == d.kind]
        if same:
            left.remove(min(same, key=lambda o: abs(o.position - d.position)))
        elif d.kind != "number" or d.key not in worded():  # "70%" is kept as "seventy per cent"
            out.append(d)
    return out


def _quotes(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    for a, b in quoted_spans(text[start:end]):
        inner = text[start + a : start + b]
        lead = len(inner) - len(inner.lstrip(QUOTE_EDGES))
        inner = inner.strip(QUOTE_EDGES)
        if len(inner) >= 3:
            out.append((inner, start + a + lead, start + a + lead + len(inner)))
    return out


def _quote_words(q: str) -> str:
    return " ".join(t.norm for t in tokenize(q))


def detail_changes(source: AnalysedText, suspect: AnalysedText, link: SentenceLink) -> list[Change]:
    """Details that differ between the two sides of one sentence link.

    A detail found on one side only is paired with one of the other side's: a number or date with
    the most alike of its kind; a name with a respelling of it (``fuzz.ratio`` 60 or more), else
    with a name standing where it stood (the same word before or after it: "Gary Smith" ->
    "Gary Jones"). A figure or date without a partner was dropped or added; a name without one is
    not reported (a rewrite says "he" for "Mr Smith", and names move between sentences)."""
    source_text, suspect_text = source.text, suspect.text
    lowercase = (lowercase_words(source), lowercase_words(suspect))
    src_tokens = source.tokens_between(link.source_start, link.source_end)
    sus_tokens = suspect.tokens_between(link.suspect_start, link.suspect_end)
    src_details = _details(src_tokens, source_text, lowercase)
    sus_details = _details(sus_tokens, suspect_text, lowercase)
    # figures written in words are read only when a figure in digits has no partner
    src_only = _unmatched(src_details, sus_details, lru_cache(maxsize=1)(lambda: worded_amounts(sus_tokens)))
    sus_only = _unmatched(sus_details, src_details, lru_cache(maxsize=1)(lambda: worded_amounts(src_tokens)))
    changes: list[Change] = []
    used: set[int] = set()

    def shown(d: _Detail, text: str) -> str:
        return text[d.start:d.end]

    for a in src_only:
        best, best_score = None, (-1.0, 0.0)
        for idx, b in enumerate(sus_only):
            if idx in used or b.kind != a.kind:
                continue
            ratio = fuzz.ratio(a.key, b.key)
            if a.kind == "name" and ratio < 60 and not (a.before and a.before == b.before or a.after and a.after == b.after):
                continue
            score = (ratio, -abs(a.position - b.position))
            if score > best_score:
                best, best_score = idx, score
        if best is not None:
            used.add(best)
            b = sus_only[best]
            changes.append(Change(a.kind, shown(a, source_text), shown(b, suspect_text), a.start, a.end, b.start, b.end))
        elif a.kind != "name":
            changes.append(Change(a.kind, shown(a, source_text), None, a.start, a.end, None, None))
    for idx, b in enumerate(sus_only):
        if idx not in used and b.kind != "name":
            changes.append(Change(b.kind, None, shown(b, suspect_text), None, None, b.start, b.end))
    # Quotes: a quotation present on both sides whose words were altered.
    for qa, a0, a1 in _quotes(source_text, link.source_start, link.source_end):
        wa = _quote_words(qa)
        best = max(
            ((fuzz.token_set_ratio(wa, _quote_words(qb)), qb, b0, b1) for qb, b0, b1 in _quotes(suspect_text, link.suspect_start, link.suspect_end)),
            default=None,
        )
        if best is None:
            continue
        wb = _quote_words(best[1])
        # A one-word scare quote is not the same quotation as a sentence-long one; a quotation cut
        # short (its first or last words, three or more, kept in order) is, and the cut is a change.
        short, long_ = sorted((wa.split(), wb.split()), key=len)
        similar_length = len(short) >= 0.5 * len(long_)
        truncated = len(short) >= 3 and (long_[:len(short)] == short or long_[-len(short):] == short)
        if 50 <= best[0] and wb != wa and (similar_length or truncated):
            changes.append(Change("quote", qa, best[1], a0, a1, best[2], best[3]))
    return changes
