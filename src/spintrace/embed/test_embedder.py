"""Tests for the shipped int8 sentence embedder (no torch needed).

The fp32 reference embeddings in ``test_reference_fp32.npz`` were written by
``scripts/export_embedding_model.py --write-test-reference`` with
sentence-transformers, so quantisation drift is checked against the real model
without pulling torch into the test environment.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from spintrace.embed import SentenceEmbedder
from spintrace.embed.embedder import DIMENSION, MODEL_FILE, TOKENIZER_FILE

REFERENCE = Path(__file__).with_name("test_reference_fp32.npz")

# Real BBC news sentences of varied length (short ones first, so length
# sorting must reorder them).
NEWS = [
    "2004 won't be remembered as one of Irish athletics' great years.",
    "Shell is to pay $1m (£522,000) to the ex-finance chief who stepped down from "
    "her post in April 2004 after the firm over-stated its reserves.",
    "Media giant Viacom has paid out $3.5m (£1.8m) to end investigations into "
    "indecency in its US radio and TV shows.",
    "Like some drill sergeant from the past, Metal Slug 3 is a wake-up call to "
    "today's gamers molly-coddled with slick visuals and fancy trimmings.",
    "Palestinian leader Mahmoud Abbas has said he will not tolerate attacks such as "
    "last Friday's suicide bombing in the Israeli city of Tel Aviv.",
    "Shares fell.",
]


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder.default()


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    data = np.load(REFERENCE)
    return [str(s) for s in data["sentences"]], data["fp32"].astype(np.float32)


def test_model_files_ship_with_package() -> None:
    assert MODEL_FILE.is_file() and TOKENIZER_FILE.is_file()
    # Guards against committing the fp32 export (~90 MB) by mistake.
    assert MODEL_FILE.stat().st_size < 30_000_000


def test_shape_dtype_and_unit_norm(embedder: SentenceEmbedder) -> None:
    out = embedder.encode(NEWS)
    assert out.shape == (len(NEWS), DIMENSION) == (len(NEWS), embedder.dimension)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(out).all()


def test_empty_input(embedder: SentenceEmbedder) -> None:
    out = embedder.encode([])
    assert out.shape == (0, DIMENSION) and out.dtype == np.float32


def test_single_string_is_rejected(embedder: SentenceEmbedder) -> None:
    # A str is a Sequence[str] of characters; embedding each letter is never
    # what the caller meant.
    with pytest.raises(TypeError):
        embedder.encode("Shares fell.")  # type: ignore[arg-type]


def test_order_preserved_after_length_sorting(embedder: SentenceEmbedder) -> None:
    together = embedder.encode(NEWS, batch_size=2)
    # Batches are formed from the length order, so shuffling the input gives
    # the same batches and must give exactly the same rows, permuted.
    perm = [3, 0, 5, 1, 4, 2]
    shuffled = embedder.encode([NEWS[i] for i in perm], batch_size=2)
    np.testing.assert_allclose(shuffled, together[perm], atol=1e-5)
    # Each row is closest to its own sentence encoded alone, not a neighbour.
    alone = np.stack([embedder.encode([t])[0] for t in NEWS])
    assert (np.argmax(together @ alone.T, axis=1) == np.arange(len(NEWS))).all()


def test_batch_size_barely_changes_results(embedder: SentenceEmbedder) -> None:
    # Dynamic int8 quantisation picks activation scales per batch (padding
    # included), so the same sentence in a different batch moves slightly:
    # measured cosine ~0.99, the same size as the int8-vs-fp32 error.
    a = embedder.encode(NEWS, batch_size=1)
    b = embedder.encode(NEWS, batch_size=64)
    assert np.min(np.sum(a * b, axis=1)) > 0.98


def test_long_text_is_truncated_not_rejected(embedder: SentenceEmbedder) -> None:
    long = " ".join(NEWS * 20)
    out = embedder.encode([long, NEWS[0]])
    assert out.shape == (2, DIMENSION)
    assert embedder.max_tokens == 128


def test_paraphrase_scores_above_unrelated(
    embedder: SentenceEmbedder, reference: tuple[list[str], np.ndarray]
) -> None:
    sentences, _ = reference
    e = embedder.encode(sentences)
    sim = e @ e.T
    # (0,1) and (2,3) are paraphrases; 4 and 5 are unrelated news.
    for a, b in [(0, 1), (2, 3)]:
        for unrelated in (4, 5):
            assert sim[a, b] > sim[a, unrelated] + 0.2
            assert sim[b, a] > sim[b, unrelated] + 0.2
    assert sim[0, 1] > 0.7 and sim[2, 3] > 0.7


def test_int8_close_to_fp32_reference(
    embedder: SentenceEmbedder, reference: tuple[list[str], np.ndarray]
) -> None:
    sentences, fp32 = reference
    int8 = embedder.encode(sentences)
    per_sentence = np.sum(int8 * fp32, axis=1)
    assert per_sentence.min() > 0.97, per_sentence
    assert per_sentence.mean() > 0.98, per_sentence
    # Pairwise similarities -- what the matcher actually thresholds on --
    # must also survive quantisation.
    np.testing.assert_allclose(int8 @ int8.T, fp32 @ fp32.T, atol=0.05)


def test_default_is_a_thread_safe_singleton() -> None:
    seen: list[SentenceEmbedder] = []

    def grab() -> None:
        seen.append(SentenceEmbedder.default())

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in seen}) == 1


def test_threads_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    from spintrace.embed import embedder as mod

    monkeypatch.setenv(mod.THREADS_ENV, "1")
    assert mod._thread_count() == 1
    monkeypatch.setenv(mod.THREADS_ENV, "zero")
    with pytest.raises(ValueError):
        mod._thread_count()
    monkeypatch.delenv(mod.THREADS_ENV)
    assert mod._thread_count() >= 1


def test_parallel_modes_agree() -> None:
    # Same batches either way, so the parallelism choice must not change output.
    by_batches = SentenceEmbedder(threads=2, parallel="batches").encode(NEWS * 8)
    by_ops = SentenceEmbedder(threads=2, parallel="ops").encode(NEWS * 8)
    np.testing.assert_allclose(by_batches, by_ops, atol=1e-5)
    with pytest.raises(ValueError):
        SentenceEmbedder(parallel="gpu")  # type: ignore[arg-type]
