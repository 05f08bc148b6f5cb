"""Segment stage: paragraphs and sentences, as character spans of the original text."""

from spintrace.segment.sentences import Segment, paragraphs, segment_sentences

__all__ = ["Segment", "paragraphs", "segment_sentences"]
