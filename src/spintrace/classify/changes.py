"""Changed details inside an aligned passage: numbers, dates, names and quoted words.

These are what a fact-checker looks at first: a copy that alters "70%" or spells a president's
name differently is telling. Details are compared within each sentence link, so a name that moved
elsewhere in the article is not reported as changed.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from spintrace.comparison import Change, ChangeKind, SentenceLink
from spintrace.normalise import Token, tokenize
from spintrace.normalise.quotes import quoted_spans
from spintrace.pipeline.analyse import AnalysedText, is_common_word

MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
QUOTE_EDGES = "\"“” "  # trimmed off a quotation to leave its words


def _detail_kind(tok: Token, sentence_initial: bool) -> ChangeKind | None:
    if tok.is_number:
        digits = tok.norm.replace(",", "")
        if digits.isdigit() and len(digits) == 4 and 1800 <= int(digits) <= 2100:
            return "date"
        return "number"
    if tok.norm in MONTHS_AND_DAYS and tok.is_capitalised:
        return "date"
    if tok.is_capitalised and not sentence_initial:
        # Spinners capitalise common words at random ("Said", "Armed"); only rare words are names.
        parts = re.split(r"[-']", tok.norm)
        if not all(is_common_word(p) for p in parts if p):
            return "name"
    return None


def _details(tokens: list[Token]) -> list[tuple[ChangeKind, Token]]:
    out = []
    for k, tok in enumerate(tokens):
        kind = _detail_kind(tok, k == 0)
        if kind:
            out.append((kind, tok))
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
    """Details that differ between the two sides of one sentence link."""
    source_text, suspect_text = source.text, suspect.text
    src_tokens = source.tokens_between(link.source_start, link.source_end)
    sus_tokens = suspect.tokens_between(link.suspect_start, link.suspect_end)
    src_norms = {t.norm for t in src_tokens}
    sus_norms = {t.norm for t in sus_tokens}
    src_only = [(k, t) for k, t in _details(src_tokens) if t.norm not in sus_norms]
    sus_only = [(k, t) for k, t in _details(sus_tokens) if t.norm not in src_norms]
    changes: list[Change] = []
    used: set[int] = set()
    for kind, a in src_only:
        best, best_score = None, -1.0
        for idx, (kind_b, b) in enumerate(sus_only):
            if idx in used or kind_b != kind:
                continue
            score = fuzz.ratio(a.norm, b.norm)
            if score > best_score:
                best, best_score = idx, score
        threshold = 60 if kind == "name" else 0
        if best is not None and best_score >= threshold and (kind != "name" or best_score < 100):
            used.add(best)
            b = sus_only[best][1]
            changes.append(Change(kind, a.text, b.text, a.start, a.end, b.start, b.end))
        elif kind != "name":
            changes.append(Change(kind, a.text, None, a.start, a.end, None, None))
    for idx, (kind, b) in enumerate(sus_only):
        if idx not in used and kind != "name":
            changes.append(Change(kind, None, b.text, None, None, b.start, b.end))
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
        # A one-word scare quote is not the same quotation as a sentence-long one.
        similar_length = min(len(wa.split()), len(wb.split())) >= 0.5 * max(len(wa.split()), len(wb.split()))
        if 50 <= best[0] and wb != wa and similar_length:
            changes.append(Change("quote", qa, best[1], a0, a1, best[2], best[3]))
    return changes
