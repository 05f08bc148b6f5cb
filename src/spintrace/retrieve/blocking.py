"""All-pairs candidate blocking for corpus scans: which document pairs are worth aligning.

Comparing every pair of N documents is quadratic, so each document is reduced to a few dozen
*block keys* and only documents that share keys become candidates:

* **rare-word pair keys**: the document's rarest content words (names, places, unusual terms, by
  general English frequency), taken two at a time. Spinners and paraphrasers swap ordinary words
  for synonyms but keep names, so a spun copy shares many of these pairs with its source even when
  only a third of its word 5-grams survive (the seed pair). A pair of rare words, unlike a single
  one, is seldom shared by unrelated documents, which keeps blocks small.
* **LSH band keys**: MinHash over content-word bigrams cut into bands, which catches copies and
  near-duplicates whatever words they contain.
* **cross-language keys**: each pair of the names and numbers of one sentence, written language-
  independently (a transliterated consonant skeleton, digits only: ``language.anchors``), which a
  translation keeps. They pair an English document only with a document in another language
  (the key carries the document's side, see ``posting``), so English-only corpora get no extra
  candidates from them.

Keys are stable 64-bit integers (no per-process hash seeds), so the local engine, worker
processes and Spark executors all compute the same keys. A key shared by more than
``max_block`` documents is too common to discriminate: rare-word blocks that big are dropped and
LSH blocks that big (boilerplate, mass duplicates) are chained member to member, so no single
key costs more than ``max_block**2 / 2`` pairs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

import numpy as np
import Stemmer

from spintrace.normalise import STOPWORDS, fold
from spintrace.normalise.tokens import TOKEN_RE
from spintrace.pipeline.analyse import frequency_weight, word_weight

_MERSENNE = np.uint64((1 << 61) - 1)
_KIND_RARE = 1
_KIND_BAND = 2
_KIND_ANCHOR = 3
# Cross-language keys use the otherwise unused kind 0; the lowest bit of their value is the side
# (0: English, 1: another language), so the two sides of one key are told apart when paired.
_KIND_CROSS = 0
_SENTENCE_END_RE = re.compile(r"[.!?]")
_stemmer = Stemmer.Stemmer("english")  # the stemmer normalise.tokenize uses


@dataclass(frozen=True, slots=True)
class BlockingParams:
    """How documents are reduced to block keys and which shared keys make a candidate."""

    rare_words: int = 12  # rarest content words per document; keys are their pairs
    min_rare_weight: float = 3.0  # words at least this rare (word_weight) can be rare-word keys
    bands: int = 16
    rows: int = 4  # band threshold ~ (1/bands)**(1/rows) = 0.5 Jaccard on content bigrams
    max_block: int = 200
    # Rare-word pair keys two documents must share: 15 = six common rare words. Catches rewrites
    # that keep the names but recast every sentence (so no sentence anchor survives). Lower
    # thresholds mostly add chance matches: at 6 (four words) 24k of the 31k candidates of the
    # 100k-document benchmark corpus were unrelated documents.
    min_shared_rare: int = 15
    # Sentence anchors (two rarest words of a sentence) two documents must share: catches copies of
    # a few paragraphs, whose rarest words are not their source's rarest words.
    min_shared_anchors: int = 2
    # Fallback: each document's ``fallback_neighbours`` best-sharing documents (most rare-word pair
    # keys, at least ``min_fallback_rare``: three common rare words) are candidates even under the
    # thresholds above. A condensed or heavily reworded copy keeps only 3-5 of its source's rarest
    # words; on a realistic news stream 30 of 73 planted summaries were never proposed without it.
    # Three levels, not two (session 18): a summary shares about as much with its event's other
    # reports as with its source. On the 10k / 100k news streams, summaries proposed 401 -> 486 of
    # 620 and 3,800 -> 4,661 of 6,267, for 18% / 8% more candidates.
    fallback_neighbours: int = 3
    min_fallback_rare: int = 3
    # Neighbours that share exactly as much count as one (a source and its verbatim copies do):
    # the best ``fallback_neighbours`` *levels* of sharing are kept, at most this many documents.
    # Breaking those ties by document order left a summary's source out whenever two copies of
    # it came first (1k news stream: summaries never proposed 17 -> 11 of 59).
    max_fallback_ties: int = 8
    # Names and numbers per sentence whose pairs become cross-language keys (0 or 1: none). Two
    # shared keys (``min_shared_anchors``) make a candidate: 32 of 40 development translations
    # share that many with their English source.
    cross_anchors: int = 5
    # Cross-language fallback: each foreign document's best level of shared cross-language keys
    # (at least one) is a candidate even under ``min_shared_anchors``. A translation whose
    # sentences keep one name and one number in common with its source shares a single key: the
    # development translations proposed beside their source went 59 -> 65 of 70, extra candidates
    # per foreign document 2.3 -> 2.7 (EVALUATION.md, session 19). English-only corpora have no
    # cross-language keys, so nothing changes for them.
    cross_fallback: bool = True
    seed: int = 20240607


DEFAULT_BLOCKING = BlockingParams()


@lru_cache(maxsize=1_000_000)
def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _key(kind: int, value: int) -> int:
    # The kind in bits 61-62 and bit 63 clear: a non-negative int64 for Arrow/Spark columns.
    return ((kind & 0x3) << 61) | (value & ((1 << 61) - 1))


def key_kind(key: int) -> int:
    """``1`` for a rare-word pair key, ``2`` for an LSH band key, ``3`` for a sentence anchor,
    ``0`` for a cross-language key."""
    return (int(key) >> 61) & 0x3


def best_cross_neighbours(doc: np.ndarray, other: np.ndarray, shared_cross: np.ndarray,
                          params: BlockingParams = DEFAULT_BLOCKING) -> np.ndarray:
    """Which rows ``(doc, other)`` are at ``doc``'s best level of shared cross-language keys (at
    least one, at most ``max_fallback_ties`` documents). A boolean mask."""
    if not params.cross_fallback:
        return np.zeros(doc.shape[0], dtype=bool)
    best_level = replace(params, fallback_neighbours=1, min_fallback_rare=1)
    return best_neighbours(doc, other, shared_cross, np.zeros_like(shared_cross), best_level)


def posting(doc: int, key: int) -> tuple[int, int]:
    """``(block key, member)`` of one document's key: a cross-language key's block forgets the side
    and its member remembers it (``2 * doc + side``); any other key's member is the document."""
    if key_kind(key) == _KIND_CROSS:
        return key & ~1, 2 * doc + (key & 1)
    return key, doc


@lru_cache(maxsize=8)
def _permutations(params: BlockingParams) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(params.seed)
    n = params.bands * params.rows
    a = rng.integers(1, (1 << 61) - 1, size=n, dtype=np.uint64)
    b = rng.integers(0, (1 << 61) - 1, size=n, dtype=np.uint64)
    return a, b


def _content_words(text: str) -> list[tuple[str, str, int]]:
    """(folded word, stem, sentence number) of the content words, in text order.

    The same tokens, folding and stems as ``normalise.tokenize``, without building ``Token``
    objects: fingerprinting touches every word of the corpus, so this is the scan's hot loop.
    """
    matches = list(TOKEN_RE.finditer(text))
    words: list[tuple[str, int]] = []
    sentence = 0
    prev_end = 0
    for m in matches:
        start = m.start()
        if start > prev_end and _SENTENCE_END_RE.search(text, prev_end, start):
            sentence += 1
        prev_end = m.end()
        word = m.group()
        if word[0].isdigit():
            continue
        norm = fold(word)
        if len(norm) > 1 and norm not in STOPWORDS:
            words.append((norm, sentence))
    stems = _stemmer.stemWords([n.split("'")[0] if "'" in n else n for n, _ in words])
    return [(n, stem, k) for (n, k), stem in zip(words, stems)]


@lru_cache(maxsize=500_000)
def _rarity(norm: str) -> float:
    """``word_weight`` of a word as general English writes it. ``word_weight`` gives any word with
    an apostrophe or a hyphen the highest weight, and such words took the rare-word slots of real
    names (a news report's "country's", "daughter's", "isn't"), so real copies shared too few
    keys. A possessive weighs as its word, a contraction as itself, a hyphenated compound as its
    rarest part ("year-old" is common, "zanu-pf" is not); a word holding a digit ("us$100") is
    a number, which rare words leave out."""
    if any(ch.isdigit() for ch in norm):
        return 0.0
    if "'" in norm:
        word, _, suffix = norm.partition("'")
        if suffix in ("s", ""):
            norm = word
        else:
            return frequency_weight(norm)
    parts = [part for part in norm.split("-") if part]
    return max((word_weight(part) for part in parts), default=0.0)


def _rarest(words: Sequence[tuple[str, str, int]], params: BlockingParams, limit: int) -> list[str]:
    weight: dict[str, float] = {}
    for norm, stem, _ in words:
        if len(norm) < 3:
            continue
        w = _rarity(norm)
        if w >= params.min_rare_weight and w > weight.get(stem, 0.0):
            weight[stem] = w
    # Ties (many names share the top weight) break on a stable hash, so two documents with the
    # same names pick the same subset of them.
    return sorted(weight, key=lambda s: (-weight[s], _stable_hash(s)))[:limit]


def rare_word_keys(words: Sequence[tuple[str, str, int]], params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """Keys for each pair of the document's rarest content stems."""
    rarest = _rarest(words, params, params.rare_words)
    return [_key(_KIND_RARE, _stable_hash(f"{a}\x00{b}")) for a, b in combinations(sorted(rarest), 2)]


def anchor_keys(words: Sequence[tuple[str, str, int]], params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """One key per sentence: its two rarest content stems.

    The document-wide rare-word keys miss a copy of a few paragraphs (its rarest words are not
    its source's rarest words); sentence anchors do not, since every kept sentence keeps its names.
    """
    by_sentence: dict[int, list[tuple[str, str, int]]] = {}
    for w in words:
        by_sentence.setdefault(w[2], []).append(w)
    keys = []
    for sentence_words in by_sentence.values():
        rarest = _rarest(sentence_words, params, 2)
        if len(rarest) == 2:
            keys.append(_key(_KIND_ANCHOR, _stable_hash("\x01".join(sorted(rarest)))))
    return keys


def band_keys(words: Sequence[tuple[str, str]], params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """LSH band keys of the MinHash over consecutive content-stem bigrams."""
    stems = [s for _, s, _ in words]
    shingles = {f"{a} {b}" for a, b in zip(stems, stems[1:])} or set(stems)
    if not shingles:
        return []
    base = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles))
    a, b = _permutations(params)
    # (a*x + b) mod p on uint64: x < 2**32 and a < 2**61 can overflow, which numpy wraps mod
    # 2**64; the result is still a fixed, well-mixed function of x, which is all MinHash needs.
    signature = ((np.outer(base, a) + b) % _MERSENNE).min(axis=0)
    keys = []
    for band in range(params.bands):
        rows = signature[band * params.rows : (band + 1) * params.rows]
        digest = hashlib.blake2b(rows.tobytes() + bytes([band]), digest_size=8).digest()
        keys.append(_key(_KIND_BAND, int.from_bytes(digest, "little")))
    return keys


def crosslingual_keys(text: str, params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """Keys a translation shares with its original: per sentence, each pair of (at most
    ``cross_anchors``) names and multi-digit numbers in language-independent form, with the
    document's side (English or not) in the lowest bit."""
    if params.cross_anchors < 2:
        return []
    from spintrace.language.anchors import number_key, skeleton
    from spintrace.language.detect import ENGLISH_MARKER_SHARE, MIN_WORDS_FOR_SHORTCUT, english_marker_share

    share, words = english_marker_share(text)
    side = 0 if words >= MIN_WORDS_FOR_SHORTCUT and share >= ENGLISH_MARKER_SHARE else 1
    sentences: list[set[str]] = []
    anchors: set[str] = set()
    prev_end, first = 0, True
    for m in TOKEN_RE.finditer(text):
        if m.start() > prev_end and _SENTENCE_END_RE.search(text, prev_end, m.start()):
            if anchors:
                sentences.append(anchors)
            anchors, first = set(), True
        prev_end = m.end()
        word = m.group()
        if word[0].isdigit():
            digits = number_key(word)
            if len(digits) >= 2:
                anchors.add("#" + digits)
        # A name: capitalised inside a sentence and rare in English (German nouns pass too, and
        # simply find no partner).
        elif word[0].isupper() and not first and len(word) > 2 and word_weight(fold(word)) >= params.min_rare_weight:
            sk = skeleton(word)
            if len(sk) >= 3:
                anchors.add(sk[:4])
        first = False
    if anchors:
        sentences.append(anchors)
    keys = []
    for anchors in sentences:
        chosen = sorted(sorted(anchors, key=_stable_hash)[: params.cross_anchors])
        for a, b in combinations(chosen, 2):
            keys.append(_key(_KIND_CROSS, (_stable_hash(f"{a}\x02{b}") & ~1) | side))
    return keys


def document_keys(text: str, params: BlockingParams = DEFAULT_BLOCKING) -> list[int]:
    """All block keys of one document (rare-word pairs, sentence anchors, LSH bands and
    cross-language keys), deduplicated."""
    words = _content_words(text)
    return list(dict.fromkeys(rare_word_keys(words, params) + anchor_keys(words, params) + band_keys(words, params)
                              + crosslingual_keys(text, params)))


def block_pairs(members: Sequence[int], key: int, params: BlockingParams = DEFAULT_BLOCKING) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, that one block (the members of ``key``, see ``posting``) proposes.

    A cross-language block pairs each English member with each member in another language only,
    and is dropped when that is more than ``max_block`` pairs (a name and number too common)."""
    if key_kind(key) == _KIND_CROSS:
        english = sorted({m // 2 for m in members if m % 2 == 0})
        other = sorted({m // 2 for m in members if m % 2 == 1})
        if not english or not other or len(english) * len(other) > params.max_block:
            return []
        return sorted({(min(a, b), max(a, b)) for a in english for b in other if a != b})
    docs = sorted(set(members))
    if len(docs) < 2:
        return []
    if len(docs) <= params.max_block:
        return list(combinations(docs, 2))
    if key_kind(key) == _KIND_BAND:
        return list(zip(docs, docs[1:]))
    return []


def is_candidate(shared_rare: int, shared_anchors: int, shared_bands: int, params: BlockingParams = DEFAULT_BLOCKING) -> bool:
    """Whether the keys two documents share make them worth aligning."""
    return shared_bands > 0 or shared_rare >= params.min_shared_rare or shared_anchors >= params.min_shared_anchors


def best_neighbours(doc: np.ndarray, other: np.ndarray, shared_rare: np.ndarray, shared_anchors: np.ndarray,
                    params: BlockingParams = DEFAULT_BLOCKING) -> np.ndarray:
    """Which rows ``(doc, other)`` are among ``doc``'s ``fallback_neighbours`` best levels of
    sharing: most shared rare-word keys, then most shared anchors; documents sharing equally are
    on one level, up to ``max_fallback_ties`` documents in all (the smaller ``other`` first: a
    total order, so every engine picks the same). Rows under ``min_fallback_rare`` never qualify.
    A boolean mask."""
    eligible = shared_rare >= params.min_fallback_rare
    keep = np.zeros(doc.shape[0], dtype=bool)
    if params.fallback_neighbours <= 0 or not eligible.any():
        return keep
    rows = np.flatnonzero(eligible)
    order = rows[np.lexsort((other[rows], -shared_anchors[rows], -shared_rare[rows], doc[rows]))]
    d = doc[order]
    new_doc = np.r_[True, d[1:] != d[:-1]]
    group_start = np.flatnonzero(new_doc)
    sizes = np.diff(np.r_[group_start, d.shape[0]])
    rank = np.arange(d.shape[0]) - np.repeat(group_start, sizes)
    r, a = shared_rare[order], shared_anchors[order]
    new_level = new_doc | np.r_[True, (r[1:] != r[:-1]) | (a[1:] != a[:-1])]
    level = np.cumsum(new_level) - np.repeat(np.cumsum(new_level)[group_start], sizes)
    keep[order[(level < params.fallback_neighbours) & (rank < params.max_fallback_ties)]] = True
    return keep
