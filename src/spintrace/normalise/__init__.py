"""Normalise stage: tokens in a comparable form that keep their offsets into the original text."""

from spintrace.normalise.tokens import STOPWORDS, Token, fold, words_norms_stems, tokenize

__all__ = ["STOPWORDS", "Token", "fold", "words_norms_stems", "tokenize"]
