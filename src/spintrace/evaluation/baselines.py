"""Reference methods that every evaluation table shows beside spintrace.

Each method is a *detector*: given a source text and a suspect text it says whether the suspect
reuses the source, with a score, and which passages (character spans on both sides) it thinks
were reused. The evaluation functions (PAN, rewrites pairs) take any detector, so spintrace and
the baselines are measured by exactly the same code.

- ``minhash``: what near-duplicate tools ship: MinHash (datasketch, 128 permutations) over word
  5-gram shingles and an LSH index at Jaccard threshold 0.8. Reused iff LSH returns the source as a
  candidate; the only passage it can give is the whole document.
- ``ngram``: word 5-gram containment with greedy passage merging, the classic text-alignment
  baseline: shared 5-grams are seeds, seeds close together on both sides merge into a passage.
- ``embedding``: MiniLM cosine without alignment. Documents: cosine of the mean sentence
  embeddings (MiniLM reads at most 128 tokens, so a whole-article input would only see its lead);
  passages: each suspect sentence whose nearest source sentence is above a fixed cosine.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 128
MINHASH_LSH_THRESHOLD = 0.8
#: A suspect is n-gram-reused when this share of its word 5-grams occur in the source.
NGRAM_CONTAINMENT_THRESHOLD = 0.10
#: Seeds further apart than this (in words, on either side) start a new passage.
NGRAM_MAX_GAP_WORDS = 30
#: A passage needs this many seeds (a shared run of SHINGLE_WORDS + 2 words at least).
NGRAM_MIN_SEEDS = 3
#: Document cosine (mean sentence embeddings) above which the embedding baseline says reused.
EMBEDDING_DOCUMENT_THRESHOLD = 0.90
#: Sentence cosine above which the embedding baseline marks a suspect sentence as reused.
EMBEDDING_SENTENCE_THRESHOLD = 0.85

_WORD_RE = re.compile(r"\w+", re.UNICODE)

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class DetectedPassage:
    """A reused passage as character spans ``[start, end)`` in the suspect and the source."""

    suspect_start: int
    suspect_end: int
    source_start: int
    source_end: int


@dataclass(frozen=True, slots=True)
class Detection:
    """What one method says about one (source, suspect) pair.

    ``verdict`` is spintrace's five-way verdict; the baselines only decide reused or not and
    leave it ``None``.
    """

    reused: bool
    score: float
    passages: tuple[DetectedPassage, ...] = ()
    verdict: str | None = None
    #: spintrace only: the suspect retells much of the source in far fewer words.
    condensed: bool = False


class Detector(Protocol):
    """A reuse detector the evaluations can run."""

    name: str
    #: True when ``Detection.score`` is meant as a probability (so Brier/reliability apply).
    calibrated: bool
    #: The score at which the method says "reused" (for plots; MinHash LSH only approximates it).
    threshold: float

    def detect(self, source: str, suspect: str) -> Detection: ...


class _TextCache:
    """A small LRU of per-text analyses: sources are compared with several suspects in a row."""

    def __init__(self, build: Callable[[str], object], size: int = 64) -> None:
        self._build = build
        self._size = size
        self._items: OrderedDict[str, object] = OrderedDict()

    def get(self, text: str):
        item = self._items.get(text)
        if item is None:
            item = self._build(text)
            self._items[text] = item
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(text)
        return item


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words with their character spans."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def word_shingles(words: Sequence[str], n: int = SHINGLE_WORDS) -> list[str]:
    """Word n-grams joined by spaces; a text shorter than ``n`` words is one shingle."""
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


class SpintraceDetector:
    """spintrace itself: ``compare_analysed`` with per-text analyses cached."""

    name = "spintrace"
    calibrated = True

    def __init__(self, embed: Embed | None = None) -> None:
        from spintrace.classify.verdict import VerdictRules
        from spintrace.pipeline.analyse import analyse_text

        self._embed = embed
        self.threshold = VerdictRules().reuse_probability
        self._analyses = _TextCache(analyse_text)

    def compare(self, source: str, suspect: str):
        """The full ``Comparison`` (for callers that want more than a ``Detection``)."""
        from spintrace.pipeline.compare import compare_analysed

        return compare_analysed(self._analyses.get(source), self._analyses.get(suspect), embed=self._embed)

    def detect(self, source: str, suspect: str) -> Detection:
        result = self.compare(source, suspect)
        passages = tuple(
            DetectedPassage(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in result.passages
        )
        return Detection(result.reused, float(result.score), passages, result.verdict,
                         bool(getattr(result, "condensed", False)))


class MinHashDetector:
    """Near-duplicate detection as shipped by dedup tools: MinHash LSH over word 5-grams."""

    name = "minhash"
    calibrated = False

    def __init__(self, threshold: float = MINHASH_LSH_THRESHOLD, num_perm: int = MINHASH_PERMUTATIONS) -> None:
        self.threshold = threshold  # LSH banding makes this the approximate Jaccard cut-off
        self.num_perm = num_perm
        self._sketches = _TextCache(self._sketch)
        self._lsh = None

    def _sketch(self, text: str):
        from datasketch import MinHash

        sketch = MinHash(num_perm=self.num_perm, seed=1)
        shingles = word_shingles([w for w, _, _ in word_spans(text)])
        if shingles:
            sketch.update_batch([s.encode("utf-8") for s in shingles])
        return sketch

    def detect(self, source: str, suspect: str) -> Detection:
        from datasketch import MinHashLSH

        a, b = self._sketches.get(source), self._sketches.get(suspect)
        if self._lsh is None:
            # Building an index chooses its banding by numerical integration: do it once.
            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._lsh.insert("source", a)
        try:
            reused = "source" in self._lsh.query(b)
        finally:
            self._lsh.remove("source")
        passages = (DetectedPassage(0, len(suspect), 0, len(source)),) if reused else ()
        return Detection(reused, float(a.jaccard(b)), passages)


@dataclass(frozen=True, slots=True)
class _NgramProfile:
    words: list[tuple[str, int, int]]
    shingles: list[str]
    positions: dict[str, list[int]]


def _ngram_profile(text: str) -> _NgramProfile:
    words = word_spans(text)
    shingles = word_shingles([w for w, _, _ in words]) if len(words) >= SHINGLE_WORDS else []
    positions: dict[str, list[int]] = {}
    for i, s in enumerate(shingles):
        positions.setdefault(s, []).append(i)
    return _NgramProfile(words, shingles, positions)


def merge_seeds(seeds: list[tuple[int, list[int]]], max_gap: int, min_seeds: int) -> list[tuple[int, int, int, int]]:
    """Greedily merge (suspect position, source positions) seeds into passages.

    Seeds are walked in suspect order; each extends the current passage when it lies within
    ``max_gap`` words of it on both sides (using its source occurrence nearest to the passage),
    otherwise it starts a new one. Returns (suspect first, suspect last, source first, source
    last) shingle positions of the passages with at least ``min_seeds`` seeds.
    """
    passages: list[tuple[int, int, int, int]] = []
    current: list[int] | None = None  # [sus_first, sus_last, src_first, src_last, count]
    for sus, sources in seeds:
        if current is not None and sus - current[1] <= max_gap:
            near = min(sources, key=lambda s: 0 if current[2] <= s <= current[3] else min(abs(s - current[2]), abs(s - current[3])))
            if current[2] - max_gap <= near <= current[3] + max_gap:
                current[1] = sus
                current[2] = min(current[2], near)
                current[3] = max(current[3], near)
                current[4] += 1
                continue
        if current is not None and current[4] >= min_seeds:
            passages.append(tuple(current[:4]))
        current = [sus, sus, sources[0], sources[0], 1]
    if current is not None and current[4] >= min_seeds:
        passages.append(tuple(current[:4]))
    return passages


class NgramDetector:
    """Word 5-gram containment, plus passages from greedily merged shared 5-grams."""

    name = "ngram"
    calibrated = False

    def __init__(
        self,
        containment_threshold: float = NGRAM_CONTAINMENT_THRESHOLD,
        max_gap: int = NGRAM_MAX_GAP_WORDS,
        min_seeds: int = NGRAM_MIN_SEEDS,
    ) -> None:
        self.containment_threshold = self.threshold = containment_threshold
        self.max_gap = max_gap
        self.min_seeds = min_seeds
        self._profiles = _TextCache(_ngram_profile)

    def detect(self, source: str, suspect: str) -> Detection:
        src, sus = self._profiles.get(source), self._profiles.get(suspect)
        seeds = [(i, src.positions[s]) for i, s in enumerate(sus.shingles) if s in src.positions]
        containment = len(seeds) / len(sus.shingles) if sus.shingles else 0.0
        passages = tuple(
            DetectedPassage(
                sus.words[a][1], sus.words[b + SHINGLE_WORDS - 1][2], src.words[c][1], src.words[d + SHINGLE_WORDS - 1][2]
            )
            for a, b, c, d in merge_seeds(seeds, self.max_gap, self.min_seeds)
        )
        return Detection(containment >= self.containment_threshold, containment, passages)


@dataclass(slots=True)
class _EmbeddedText:
    spans: list[tuple[int, int]]
    vectors: np.ndarray
    mean: np.ndarray


class EmbeddingDetector:
    """MiniLM cosine with no alignment: whole documents, and sentence by sentence."""

    name = "embedding"
    calibrated = False

    def __init__(
        self,
        embed: Embed | None = None,
        document_threshold: float = EMBEDDING_DOCUMENT_THRESHOLD,
        sentence_threshold: float = EMBEDDING_SENTENCE_THRESHOLD,
    ) -> None:
        self._embed = embed
        self.document_threshold = self.threshold = document_threshold
        self.sentence_threshold = sentence_threshold
        self._texts = _TextCache(self._embed_text)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._embed is None:
            from spintrace.embed import SentenceEmbedder

            self._embed = SentenceEmbedder.default().encode
        return self._embed(texts)

    def _embed_text(self, text: str) -> _EmbeddedText:
        from spintrace.segment import segment_sentences

        spans = [(s.start, s.end) for s in segment_sentences(text)]
        vectors = self._encode([text[a:b] for a, b in spans]) if spans else np.zeros((0, 384), np.float32)
        mean = vectors.mean(axis=0) if len(spans) else np.zeros(vectors.shape[1], np.float32)
        norm = float(np.linalg.norm(mean))
        return _EmbeddedText(spans, vectors, mean / norm if norm else mean)

    def detect(self, source: str, suspect: str) -> Detection:
        src, sus = self._texts.get(source), self._texts.get(suspect)
        cosine = float(src.mean @ sus.mean)
        passages: list[DetectedPassage] = []
        if len(src.spans) and len(sus.spans):
            sims = sus.vectors @ src.vectors.T
            best = sims.argmax(axis=1)
            for i, j in enumerate(best):
                if sims[i, j] >= self.sentence_threshold:
                    passages.append(DetectedPassage(*sus.spans[i], *src.spans[j]))
        return Detection(cosine >= self.document_threshold, cosine, tuple(passages))


BASELINE_NAMES: tuple[str, ...] = ("minhash", "ngram", "embedding")


def make_detector(name: str, embed: Embed | None = None) -> Detector:
    """The detector called ``name`` (``spintrace`` or one of ``BASELINE_NAMES``)."""
    if name == "spintrace":
        # Not the shared per-sentence cache: it would hand a text the vector a sentence got inside
        # another text's batch (the int8 model quantises per batch), so the evaluation would
        # measure slightly other embeddings than `spintrace compare` computes. Each text is
        # embedded on its own, as in the product, and its analysis cached.
        return SpintraceDetector()
    if name == "minhash":
        return MinHashDetector()
    if name == "ngram":
        return NgramDetector()
    if name == "embedding":
        return EmbeddingDetector(embed)
    from spintrace.errors import SpintraceError

    raise SpintraceError(f"unknown method {name!r}; choose spintrace, {', '.join(BASELINE_NAMES)} or all")


def expand_baselines(names: Sequence[str] | None) -> list[str]:
    """``--baseline`` values (repeatable, ``all``) to a de-duplicated list of baseline names."""
    out: list[str] = []
    for name in names or ():
        for part in name.split(","):
            part = part.strip()
            if part != "all" and part not in BASELINE_NAMES:
                from spintrace.errors import SpintraceError

                raise SpintraceError(f"unknown baseline {part!r}; choose {', '.join(BASELINE_NAMES)} or all")
            for n in BASELINE_NAMES if part == "all" else (part,):
                if n not in out:
                    out.append(n)
    return out
