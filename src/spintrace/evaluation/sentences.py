"""``spintrace eval sentences``: the sentence matcher alone on MRPC-format sentence pairs.

spintrace's matcher is the aligner's pair score: the logistic strength model over MiniLM cosine
and rarity-weighted stem dice/containment (``spintrace.align.similarity``). Each method's decision
threshold is chosen for accuracy on the train part and then applied, unchanged, to the dev part;
ROC AUC on dev measures the ranking independently of any threshold. MinHash keeps the decision
near-duplicate tools ship (LSH at Jaccard 0.8) and uses its Jaccard estimate for the AUC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from spintrace.errors import InputError
from spintrace.evaluation.baselines import EmbeddingDetector, MinHashDetector, NgramDetector
from spintrace.evaluation.embedding_cache import CachedEmbed


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two sentences and whether annotators judged them equivalent (MRPC ``Quality``)."""

    paraphrase: bool
    first: str
    second: str


@dataclass(frozen=True, slots=True)
class SentenceResult:
    """One method's figures: threshold from train, accuracy/F1/AUC on the evaluated part."""

    method: str
    decision: str
    threshold: float | None
    train_accuracy: float
    accuracy: float
    f1: float
    auc: float
    train_pairs: int
    pairs: int
    positive_share: float


def read_mrpc(path: str | Path, limit: int | None = None, warnings: list[str] | None = None) -> list[SentencePair]:
    """Read an MRPC file (tab-separated, header ``Quality #1 ID #2 ID #1 String #2 String``).

    A malformed line (the public train file has one: two records run together) is skipped and
    named in ``warnings``; a file that is mostly malformed is an ``InputError``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text (expected an MRPC tab-separated file)") from None
    rows = [line.split("\t") for line in text.split("\n")]
    if not rows or [c.strip() for c in rows[0][:1]] != ["Quality"]:
        raise InputError(str(path), "not an MRPC file: the header must start with 'Quality'")
    pairs: list[SentencePair] = []
    bad = 0
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != 5 or row[0].strip() not in ("0", "1"):
            bad += 1
            if warnings is not None:
                warnings.append(f"{path}:{number}: skipped, not 5 tab-separated fields with Quality 0 or 1")
            continue
        pairs.append(SentencePair(row[0].strip() == "1", row[3].strip(), row[4].strip()))
        if limit is not None and len(pairs) >= limit:
            break
    if not pairs or bad > len(pairs) // 10:
        raise InputError(str(path), f"not an MRPC file: {len(pairs)} valid and {bad} malformed lines")
    return pairs


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve (Mann-Whitney U with ties counted half); NaN with one class only."""
    y = np.asarray(labels, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=np.float64))
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def accuracy_f1(labels: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float]:
    """Accuracy, and F1 of the positive class."""
    y, p = np.asarray(labels, dtype=bool), np.asarray(predicted, dtype=bool)
    tp = int((y & p).sum())
    precision = tp / int(p.sum()) if p.any() else 0.0
    recall = tp / int(y.sum()) if y.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float((y == p).mean()) if len(y) else 0.0, f1


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The score threshold (predict positive when score >= it) with the best accuracy.

    Candidates are midpoints between consecutive distinct scores, so the threshold does not sit on
    a training example; ties in accuracy go to the lower threshold.
    """
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    distinct = np.unique(s)
    candidates = np.concatenate(([distinct[0] - 1e-9], (distinct[:-1] + distinct[1:]) / 2, [distinct[-1] + 1e-9]))
    order = np.argsort(s)
    sorted_s, sorted_y = s[order], y[order]
    # Correct predictions at threshold t: negatives below t plus positives at or above t.
    below = np.searchsorted(sorted_s, candidates, side="left")
    neg_below = np.concatenate(([0], np.cumsum(~sorted_y)))[below]
    pos_above = int(sorted_y.sum()) - np.concatenate(([0], np.cumsum(sorted_y)))[below]
    return float(candidates[int(np.argmax(neg_below + pos_above))])


class SentenceScorers:
    """Scores sentence pairs with spintrace's matcher and the baselines, sharing one embedding cache."""

    def __init__(self, embed=None) -> None:
        self.embed = embed if isinstance(embed, CachedEmbed) else CachedEmbed(embed)
        self._alone: dict[tuple[str, ...], np.ndarray] = {}

    def prefetch(self, pairs: Sequence[SentencePair], with_segments: bool = False) -> None:
        texts = [t for p in pairs for t in (p.first, p.second)]
        if with_segments:
            from spintrace.segment import segment_sentences

            texts += [t[s.start : s.end] for t in list(texts) for s in segment_sentences(t)]
        self.embed.prefetch(texts)

    def spintrace(self, pairs: Sequence[SentencePair]) -> np.ndarray:
        """P(second derives from first): the aligner's pair strength (``align.aligner.pair_scores``),
        one whole sentence a side, exactly as ``compare`` scores that sentence pair.

        Not the shared memo's vectors: it encodes every sentence of a run in one call, and the int8
        model quantises activations per batch, so a sentence's vector would depend on its
        batch-mates. ``compare`` embeds each text on its own (here one sentence), and its pair score
        also clips the cosine at 0 and lets near-identical wording decide (``lexically_decided``).
        """
        from spintrace.align.aligner import DEFAULT_PARAMS, pair_scores
        from spintrace.align.similarity import DEFAULT_STRENGTH
        from spintrace.pipeline.analyse import AnalysedText, profile_sentence
        from spintrace.segment import Segment

        out = np.zeros(len(pairs), dtype=np.float64)
        for k, pair in enumerate(pairs):
            a, b = (
                AnalysedText(t, [profile_sentence(t, Segment(0, 0, len(t), 0))]) for t in (pair.first, pair.second)
            )
            strength = pair_scores(a, b, self._embed_alone, DEFAULT_STRENGTH, DEFAULT_PARAMS)[0]
            out[k] = float(strength[0, 0])
        return out

    @property
    def embedded(self) -> int:
        """How many distinct texts have been encoded (alone or in the shared memo)."""
        return self.embed.size + len(self._alone)

    def _embed_alone(self, texts: Sequence[str]) -> np.ndarray:
        """One text's sentences embedded in a call of their own (as ``pipeline.analyse.embed_missing``
        does), memoised by that text's sentences."""
        key = tuple(texts)
        vectors = self._alone.get(key)
        if vectors is None:
            vectors = self._alone[key] = np.asarray(self.embed.encoder()(list(texts)), dtype=np.float32)
        return vectors

    def baseline(self, name: str, pairs: Sequence[SentencePair]) -> tuple[np.ndarray, np.ndarray | None]:
        """A baseline's scores, and its own fixed decisions where it ships one (MinHash LSH)."""
        if name == "minhash":
            detector = MinHashDetector()
            results = [detector.detect(p.first, p.second) for p in pairs]
            return np.array([r.score for r in results]), np.array([r.reused for r in results])
        if name == "ngram":
            detector = NgramDetector()
            return np.array([detector.detect(p.first, p.second).score for p in pairs]), None
        if name == "embedding":
            self.prefetch(pairs, with_segments=True)
            detector = EmbeddingDetector(self.embed)
            return np.array([detector.detect(p.first, p.second).score for p in pairs]), None
        raise ValueError(f"unknown baseline {name!r}")


def evaluate_sentences(
    train: Sequence[SentencePair],
    test: Sequence[SentencePair],
    methods: Sequence[str] = ("spintrace",),
    scorers: SentenceScorers | None = None,
) -> list[SentenceResult]:
    """Each method's threshold chosen on ``train``, its accuracy, F1 and AUC on ``test``."""
    scorers = scorers or SentenceScorers()
    y_train = [p.paraphrase for p in train]
    y_test = [p.paraphrase for p in test]
    results = []
    for method in methods:
        if method == "spintrace":
            train_scores, test_scores = scorers.spintrace(train), scorers.spintrace(test)
            train_fixed = test_fixed = None
        else:
            train_scores, train_fixed = scorers.baseline(method, train)
            test_scores, test_fixed = scorers.baseline(method, test)
        if test_fixed is not None:
            threshold, decision = None, "LSH at Jaccard 0.8 (as shipped)"
            train_pred, test_pred = train_fixed, test_fixed
        else:
            threshold = best_threshold(y_train, train_scores)
            decision = "threshold chosen on train"
            train_pred, test_pred = train_scores >= threshold, test_scores >= threshold
        train_accuracy, _ = accuracy_f1(y_train, train_pred)
        accuracy, f1 = accuracy_f1(y_test, test_pred)
        results.append(
            SentenceResult(
                method, decision, threshold, train_accuracy, accuracy, f1, roc_auc(y_test, test_scores),
                len(train), len(test), float(np.mean(y_test)) if y_test else 0.0,
            )
        )
    return results


def sentences_table(results: Sequence[SentenceResult]) -> list[list[str]]:
    """Rows (header first) for a Markdown/terminal table."""
    rows = [["method", "decision", "threshold", "train acc.", "accuracy", "F1", "ROC AUC", "pairs"]]
    if results:
        # Context: MRPC is two-thirds positive, so "always paraphrase" is the floor to beat.
        p = results[0].positive_share
        rows.append(["(majority class)", "always 'paraphrase'", "-", "-", f"{p:.3f}", f"{2 * p / (1 + p):.3f}", "0.500",
                     str(results[0].pairs)])
    for r in results:
        rows.append([
            r.method, r.decision, "-" if r.threshold is None else f"{max(r.threshold, 0.0):.3f}",
            f"{r.train_accuracy:.3f}", f"{r.accuracy:.3f}", f"{r.f1:.3f}", f"{r.auc:.3f}", str(r.pairs),
        ])
    return rows
