"""Names a copy spells differently from its source, looked up under their usual spelling variants.

A spinner (or a careless rewriter) may respell every name it keeps: Kenteris becomes Kenderis,
Thanou Thanu, Ioannidis Ioanidis. Names are the anchors retrieval leans on most, and at a million
documents a copy that shares none of its source's name anchors loses it to the documents that
share its common words. What gives such a name away is that *no indexed document spells it that
way*: a real name of a story is in its sources. So at query time each name of the suspect with
document frequency 0 is expanded into the spellings one or two usual changes away (t/d, a doubled
or undoubled consonant, ou/u, ph/f, c/k, s/z, i/y, v/w, th/t), and the ones some indexed document
holds join the query as the same anchor. Nothing is added at ingest: a variant that no document
holds costs one index probe and drops out, and a name the index already knows is left alone (an
independent report spells its names as its sources do).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from spintrace.fingerprint import DocumentFingerprint, _stem, name_words, term_hash
from spintrace.pipeline.analyse import word_weight
from spintrace.retrieve.coverage import SentenceKey

#: Variants tried per unknown name (single changes first, then pairs of them).
MAX_VARIANTS_PER_NAME = 80
#: Unknown names expanded per suspect (in order of first use), of the first ``MAX_NAMES`` names.
MAX_UNKNOWN_NAMES = 24
MAX_NAMES = 256
#: Variants kept per name: the ones the index holds, most common first.
MAX_FOUND_PER_NAME = 2
MIN_NAME_LENGTH = 4
#: A variant that is an ordinary English word ("thank" from "thanu") is a collision, not a name.
MIN_VARIANT_WEIGHT = 4.0

_VOWELS = set("aeiouy")
# Each (pattern, replacement) is applied at one match at a time.
_CHANGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"t(?!h)"), "d"),
    (re.compile(r"d"), "t"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"(?<![oqg])u"), "ou"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"f"), "ph"),
    (re.compile(r"th"), "t"),
    (re.compile(r"(?<!^)t(?!h)"), "th"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"c(?![hk])"), "k"),
    (re.compile(r"k"), "c"),
    (re.compile(r"s"), "z"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(?<!^)y"), "i"),
    (re.compile(r"(?<!^)i"), "y"),
    (re.compile(r"v"), "w"),
    (re.compile(r"w"), "v"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"ie$"), "y"),
    (re.compile(r"(?<=[^aeiou])y$"), "ie"),
    (re.compile(r"ei"), "ie"),
    (re.compile(r"ie(?!$)"), "ei"),
)


class NameSource(Protocol):
    """What the lookup needs from an index (``spintrace.index.store.Store`` has it)."""

    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]: ...


def _single_changes(word: str) -> list[tuple[int, int, str]]:
    """Every one-change respelling of ``word`` as (start, end, replacement) of the span changed."""
    out: list[tuple[int, int, str]] = []
    for pattern, replacement in _CHANGES:
        for m in pattern.finditer(word):
            out.append((m.start(), m.end(), replacement))
    for i in range(1, len(word)):
        ch = word[i]
        if ch in _VOWELS or not ch.isalpha():
            continue
        if word[i - 1] == ch:  # a doubled consonant, undoubled
            out.append((i, i + 1, ""))
        elif word[i - 1] in _VOWELS and i + 1 < len(word) and word[i + 1] in _VOWELS:  # doubled
            out.append((i, i + 1, ch + ch))
    return out


def _apply(word: str, changes: Sequence[tuple[int, int, str]]) -> str:
    out, at = [], 0
    for start, end, replacement in sorted(changes):
        out.append(word[at:start])
        out.append(replacement)
        at = end
    out.append(word[at:])
    return "".join(out)


def spelling_variants(word: str, limit: int = MAX_VARIANTS_PER_NAME) -> list[str]:
    """Spellings of the name ``word`` (folded, lower case) one or two usual changes away, the
    one-change ones first; ordinary English words are left out."""
    if len(word) < MIN_NAME_LENGTH or not word.isalpha() or not word.isascii():
        return []
    singles = _single_changes(word)
    found: dict[str, None] = {}

    def add(variant: str) -> None:
        if variant != word and len(variant) >= MIN_NAME_LENGTH and word_weight(variant) >= MIN_VARIANT_WEIGHT:
            found.setdefault(variant, None)

    for change in singles:
        add(_apply(word, [change]))
    pairs = ((a, b) for k, a in enumerate(singles) for b in singles[k + 1:] if a[1] <= b[0] or b[1] <= a[0])
    for first, second in pairs:  # two changes whose spans are apart
        if len(found) >= limit:
            break
        add(_apply(word, [first, second]))
    return list(found)[:limit]


def respelled_names(source: NameSource, text: str) -> dict[str, tuple[str, ...]]:
    """For each name of ``text`` that no indexed document holds, the stems of the spellings of it
    that some do (at most ``MAX_FOUND_PER_NAME``, most common first), keyed by the name's stem."""
    unknown_stems: dict[str, str] = {}
    for word in name_words(text):
        if len(word) >= MIN_NAME_LENGTH and word.isalpha() and word.isascii():
            unknown_stems.setdefault(_stem(word), word)
            if len(unknown_stems) >= MAX_NAMES:  # one index probe each: a name list is not an article
                break
    if not unknown_stems:
        return {}
    held = source.document_frequencies([term_hash(s) for s in unknown_stems], 1)
    unknown = [(stem, word) for stem, word in unknown_stems.items() if held.get(term_hash(stem), 0) == 0]
    unknown = unknown[:MAX_UNKNOWN_NAMES]
    candidates = {stem: list(dict.fromkeys(_stem(v) for v in spelling_variants(word))) for stem, word in unknown}
    probes = sorted({term_hash(v) for variants in candidates.values() for v in variants})
    if not probes:
        return {}
    frequencies = source.document_frequencies(probes, 1000)
    out: dict[str, tuple[str, ...]] = {}
    for stem, variants in candidates.items():
        held_variants = sorted((v for v in variants if frequencies.get(term_hash(v), 0) > 0),
                               key=lambda v: -frequencies[term_hash(v)])
        if held_variants:
            out[stem] = tuple(held_variants[:MAX_FOUND_PER_NAME])
    return out


def with_respellings(fp: DocumentFingerprint, respelled: dict[str, tuple[str, ...]]) -> DocumentFingerprint:
    """``fp`` with the indexed spellings of its unknown names added as anchors of the same weight."""
    if not respelled:
        return fp
    anchors, weights = list(fp.anchors), list(fp.anchor_weights)
    present = set(anchors)
    for anchor, weight in zip(fp.anchors, fp.anchor_weights):
        for variant in respelled.get(anchor, ()):
            if variant not in present:
                present.add(variant)
                anchors.append(variant)
                weights.append(weight)
    return replace(fp, anchors=tuple(anchors), anchor_weights=tuple(weights))


def respelled_keys(keys: Sequence[SentenceKey], respelled: dict[str, tuple[str, ...]]) -> list[SentenceKey]:
    """Coverage keys whose unknown names are each one group with their indexed spellings."""
    if not respelled:
        return list(keys)
    groups = {term_hash(stem): frozenset(term_hash(v) for v in (stem, *variants))
              for stem, variants in respelled.items()}
    return [tuple(groups.get(next(iter(group)), group) if len(group) == 1 else group for group in key) for key in keys]
