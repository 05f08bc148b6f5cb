"""Details a translation changed: numbers and names compared across languages.

Words differ by definition between a text and its translation, so only what a translator keeps
is compared: numbers by their digits ("3,600" = "3.600" = "3 600") and names by their Latin
transliteration, fuzzily ("Tokayev" = "Токаев" = "Tokajew"). A number on one side only, or a name
with no counterpart of similar spelling, is reported as a change.
"""

from __future__ import annotations

import re

import wordfreq
from rapidfuzz import fuzz

from spintrace.comparison import Change, ChangeKind, SentenceLink
from spintrace.language.anchors import latinise, merged_numbers, skeleton
from spintrace.pipeline.analyse import AnalysedText, text_language

SAME_NAME = 70  # rapidfuzz ratio of Latin forms (or of skeletons) at or above which two names are one
CHANGED_NAME = 50  # ... and from this up to SAME_NAME, a changed spelling of one name
COMMON_WORD_ZIPF = 3.5  # capitalised words commoner than this in their language are not names (German nouns)


def _number_kind(digits: str) -> ChangeKind:
    return "date" if len(digits) == 4 and 1800 <= int(digits) <= 2100 else "number"


def _names(text: AnalysedText, start: int, end: int, language: str) -> list[tuple[str, int, int]]:
    out = []
    tokens = text.tokens_between(start, end)
    for k, tok in enumerate(tokens):
        if k == 0 or tok.is_number or not tok.is_capitalised or len(tok.text) < 3:
            continue
        # Sentence starts inside the span are not names either.
        before = text.text[max(start, tok.start - 3) : tok.start]
        if re.search(r"[.!?:]\s*$", before):
            continue
        parts = [p for p in re.split(r"[-'’]", tok.text.lower()) if p]
        if all(wordfreq.zipf_frequency(p, language) >= COMMON_WORD_ZIPF for p in parts):
            continue
        out.append((tok.text, tok.start, tok.end))
    return out


def _same_name(a: str, b: str) -> bool:
    return fuzz.ratio(latinise(a), latinise(b)) >= SAME_NAME or (
        len(skeleton(a)) >= 3 and fuzz.ratio(skeleton(a), skeleton(b)) >= 80
    )


def translated_changes(source: AnalysedText, suspect: AnalysedText, link: SentenceLink) -> list[Change]:
    """Numbers and names that differ between the two sides of one cross-language link."""
    changes: list[Change] = []
    src_numbers = merged_numbers(source.text, source.tokens_between(link.source_start, link.source_end))
    sus_numbers = merged_numbers(suspect.text, suspect.tokens_between(link.suspect_start, link.suspect_end))
    src_keys = {k for k, _, _ in src_numbers}
    sus_keys = {k for k, _, _ in sus_numbers}
    src_only = [(k, s, e) for k, s, e in src_numbers if k not in sus_keys and len(k) >= 2]
    sus_only = [(k, s, e) for k, s, e in sus_numbers if k not in src_keys and len(k) >= 2]
    for key, s0, s1 in src_only:
        kind = _number_kind(key)
        match = next((m for m in sus_only if _number_kind(m[0]) == kind), None)
        if match is not None:
            sus_only.remove(match)
            changes.append(Change(kind, source.text[s0:s1], suspect.text[match[1] : match[2]], s0, s1, match[1], match[2]))
        else:
            changes.append(Change(kind, source.text[s0:s1], None, s0, s1, None, None))
    for key, t0, t1 in sus_only:
        changes.append(Change(_number_kind(key), None, suspect.text[t0:t1], None, None, t0, t1))
    src_names = _names(source, link.source_start, link.source_end, text_language(source))
    sus_names = _names(suspect, link.suspect_start, link.suspect_end, text_language(suspect))
    for name, s0, s1 in src_names:
        if any(_same_name(name, other) for other, _, _ in sus_names):
            continue
        # Translators drop, decline and rephrase names freely ("Austrians" -> "austriacos"), so
        # only a counterpart spelt alike but not the same is a changed name (Tokayev -> Tokarev).
        replacement = next(
            ((o, t0, t1) for o, t0, t1 in sus_names
             if CHANGED_NAME <= fuzz.ratio(latinise(name), latinise(o)) < SAME_NAME
             and not any(_same_name(o, n) for n, _, _ in src_names)), None
        )
        if replacement is not None:
            sus_names.remove(replacement)
            changes.append(Change("name", name, replacement[0], s0, s1, replacement[1], replacement[2]))
    return changes
