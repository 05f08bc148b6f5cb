"""Sentence embeddings for meaning-level (paraphrase/spin) matching.

The embedder is loaded lazily (``SentenceEmbedder.default()``), so importing
this package does not pull in onnxruntime.
"""

from spintrace.embed.embedder import DIMENSION, MAX_TOKENS, SentenceEmbedder

__all__ = ["DIMENSION", "MAX_TOKENS", "SentenceEmbedder"]
