"""Document fingerprints that survive spinning, for candidate retrieval (index) and blocking (scan).

Plain word 5-gram MinHash misses spun copies: a spinner swaps one content word in three, so few
5-grams survive (the seed pair keeps 31%). Two things survive much better, and a fingerprint keeps
both:

- **anchors**: the document's most informative words — names, numbers, rare words — as stems.
  Spinners and rewriters keep who, where and how much; these are what an inverted index looks up.
- **MinHash over content-stem bigrams**, where stop words are skipped so inserted or changed
  function words do not break a shingle, and stems absorb inflection changes. LSH band keys over
  it find near-copies in constant time per band.

Everything here is pure and cheap (well under a millisecond for a news article) so ingest can run
at thousands of documents a second; the expensive sentence alignment happens only for the few
candidates these fingerprints bring up.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import rensa
import Stemmer

from spintrace.normalise import STOPWORDS, fold
from spintrace.normalise.tokens import TOKEN_RE
from spintrace.pipeline.analyse import word_weight

NUM_PERM = 60
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS
MINHASH_SEED = 1729
MAX_ANCHORS = 64
# A word is an anchor when rarer than this (word_weight 4 = Zipf 3.5: "reckless", "tariff").
ANCHOR_MIN_WEIGHT = 4.0
# Capitalised mid-sentence words are names even when common as words ("Brown", "Bush").
NAME_BONUS = 2.0
NAME_MIN_WEIGHT = 2.0

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=500_000)
def _stem(norm: str) -> str:
    return _stemmer.stemWord(norm.split("'")[0] if "'" in norm else norm)


@lru_cache(maxsize=500_000)
def term_hash(term: str) -> int:
    """Stable signed 64-bit hash of a term (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class ContentTerm(NamedTuple):
    """A non-stop-word token as fingerprints see it (a tuple: millions are made per second)."""

    stem: str
    weight: float  # rarity in general English (word_weight)
    is_name: bool  # capitalised mid-sentence
    is_number: bool
    anchor_weight: float  # weight as an anchor: names get a bonus


@dataclass(frozen=True, slots=True)
class DocumentFingerprint:
    """What the index stores per document to find it again from a spun or rewritten copy.

    ``anchors`` are most informative first, with their ``anchor_weights``; ``minhash`` has
    ``NUM_PERM`` values; ``band_keys`` has one LSH key per band.
    """

    anchors: tuple[str, ...]
    anchor_weights: tuple[float, ...]
    minhash: np.ndarray
    band_keys: np.ndarray
    token_count: int
    content_count: int

    @property
    def anchor_hashes(self) -> np.ndarray:
        return np.fromiter((term_hash(a) for a in self.anchors), dtype=np.int64, count=len(self.anchors))


# A token with the sentence-ending punctuation or opening quote before it, if any, in one match
# string: one findall then tells names ("said Brown") from sentence-initial capitals ("Brown
# bears ..."), and the whole match string is the cache key for everything about the token.
_TERM_RE = re.compile(r"(?:[.!?:;\"“”‘(\[\n]\s*)?(?:" + TOKEN_RE.pattern + ")", re.UNICODE)
_PREFIX_CHARS = ".!?:;\"“”‘([\n \t\r\f\v\u00a0"


@lru_cache(maxsize=1_000_000)
def _match_term(match: str) -> ContentTerm | None:
    """The ContentTerm of a ``_TERM_RE`` match (None for stop words), cached and shared."""
    word = match.lstrip(_PREFIX_CHARS)
    at_sentence_start = len(word) != len(match)
    norm = fold(word)
    if norm in STOPWORDS:
        return None
    if word[0].isdigit():
        digits = norm.replace(",", "")
        if len(digits) < 2:
            return None
        weight = 5.0 + min(2.0, 0.5 * len(digits))
        return ContentTerm(digits, weight, False, True, weight)
    if len(norm) < 2:
        return None
    weight = word_weight(norm)
    is_name = word[0].isupper() and not at_sentence_start
    anchor_weight = min(7.0, weight + NAME_BONUS) if is_name and weight >= NAME_MIN_WEIGHT else weight
    return ContentTerm(_stem(norm), weight, is_name, False, anchor_weight)


def content_terms(text: str) -> tuple[list[ContentTerm], int]:
    """Content tokens of ``text`` (stop words and one-letter words dropped) and the token count.

    A lean version of ``normalise.tokenize`` (same token pattern, folding and stemmer) without
    offsets: fingerprinting runs on every document of a corpus, so each distinct token string is
    analysed once per process and reused.
    """
    matches = _TERM_RE.findall("\n" + text)  # the newline makes the first word sentence-initial
    return [t for t in map(_match_term, matches) if t is not None], len(matches)


def name_words(text: str) -> list[str]:
    """The distinct names of ``text`` that are anchors (capitalised mid-sentence, rare enough),
    folded to lower case, in order of first use: what a spelling lookup starts from."""
    out: dict[str, None] = {}
    for match in _TERM_RE.findall("\n" + text):
        term = _match_term(match)
        if term is not None and term.is_name and term.anchor_weight >= ANCHOR_MIN_WEIGHT:
            out.setdefault(fold(match.lstrip(_PREFIX_CHARS)), None)
    return list(out)


def select_anchors(terms: list[ContentTerm], limit: int = MAX_ANCHORS) -> list[tuple[str, float]]:
    """The ``limit`` most informative distinct terms with their weights, best first.

    Informative = rare in English (or a name, or a number of two digits or more), weighted up a
    little by how often the document repeats it (a story's subject recurs).
    """
    rare = [t for t in terms if t.anchor_weight >= ANCHOR_MIN_WEIGHT]
    counts = Counter(t.stem for t in rare)
    best: dict[str, float] = {}
    for term in rare:
        if term.anchor_weight > best.get(term.stem, 0.0):
            best[term.stem] = term.anchor_weight
    scored = sorted(((w * (1.0 + 0.5 * math.log(counts[s])), s) for s, w in best.items()), reverse=True)
    return [(stem, score) for score, stem in scored[:limit]]


def robust_shingles(terms: list[ContentTerm]) -> list[str]:
    """Bigrams of consecutive content stems (stop words skipped): the MinHash shingles."""
    stems = [t.stem for t in terms]
    if len(stems) < 2:
        return stems
    return list(map(" ".join, zip(stems, stems[1:])))


def minhash_signature(shingles: list[str]) -> np.ndarray:
    """MinHash (``NUM_PERM`` values, uint64) of a shingle set, via rensa."""
    sketch = rensa.RMinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    if shingles:
        sketch.update(shingles)
    return np.asarray(sketch.digest(), dtype=np.uint64)


def lsh_band_keys(minhash: np.ndarray) -> np.ndarray:
    """One signed 64-bit key per LSH band (``BAND_ROWS`` MinHash values each, band number mixed in)."""
    bands = minhash.reshape(BANDS, BAND_ROWS).astype(np.uint64)
    keys = np.arange(BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for row in range(BAND_ROWS):
            keys = (keys ^ bands[:, row]) * np.uint64(0xBF58476D1CE4E5B9)
            keys ^= keys >> np.uint64(31)
    return keys.view(np.int64)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two shingle sets estimated from their MinHash signatures."""
    return float(np.mean(a == b))


def document_fingerprint(text: str, max_anchors: int = MAX_ANCHORS) -> DocumentFingerprint:
    """Fingerprint one document: anchors for the inverted index, MinHash and LSH band keys."""
    terms, token_count = content_terms(text)
    anchors = select_anchors(terms, max_anchors)
    minhash = minhash_signature(robust_shingles(terms))
    return DocumentFingerprint(
        anchors=tuple(a for a, _ in anchors),
        anchor_weights=tuple(w for _, w in anchors),
        minhash=minhash,
        band_keys=lsh_band_keys(minhash),
        token_count=token_count,
        content_count=len(terms),
    )


__all__ = [
    "BANDS",
    "BAND_ROWS",
    "MAX_ANCHORS",
    "NUM_PERM",
    "ContentTerm",
    "DocumentFingerprint",
    "content_terms",
    "document_fingerprint",
    "estimated_jaccard",
    "lsh_band_keys",
    "minhash_signature",
    "name_words",
    "robust_shingles",
    "select_anchors",
    "term_hash",
]
