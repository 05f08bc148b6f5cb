"""Split an article into paragraphs and sentences without touching its characters.

Every segment is a ``[start, end)`` span with surrounding whitespace trimmed, so report offsets
land exactly on visible text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nupunkt

# Any line break ends a paragraph: CRLF, a lone CR (old Mac files), form feed, vertical tab, NEL
# and Unicode's line and paragraph separators, not only LF (a CR-only text read as one paragraph).
LINE_BREAK = r"\r\n|[\n\r\v\f\x85\u2028\u2029]"
PARAGRAPH_BREAK_RE = re.compile(rf"(?:{LINE_BREAK})(?:\s*(?:{LINE_BREAK}))?")
# Punkt is fast and handles abbreviations; news lines without end punctuation (titles, captions,
# bylines) are separated by the paragraph split above. Sentences longer than this are cut at
# clause punctuation so one run-on "sentence" cannot swallow a whole page.
MAX_SENTENCE_CHARS = 600
_SPACE_RE = re.compile(r"\s")
CLAUSE_BREAK_RE = re.compile(r"[;:]\s+|,\s+(?=[A-Z“\"])|\s+[-–—]\s+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or a sentence-like line) and the paragraph it belongs to."""

    index: int
    start: int
    end: int
    paragraph: int


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines/paragraphs as trimmed spans (a single newline also separates paragraphs)."""
    spans = []
    pos = 0
    for m in PARAGRAPH_BREAK_RE.finditer(text):
        s, e = _trimmed(text, pos, m.start())
        if e > s:
            spans.append((s, e))
        pos = m.end()
    s, e = _trimmed(text, pos, len(text))
    if e > s:
        spans.append((s, e))
    return spans


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces, pos = [], start
    for m in CLAUSE_BREAK_RE.finditer(text, start, end):
        if m.end() - pos >= MAX_SENTENCE_CHARS // 3:
            pieces.append((pos, m.end()))
            pos = m.end()
    pieces.append((pos, end))
    out = []
    for s, e in pieces:  # no clause punctuation at all: cut at word boundaries
        while e - s > MAX_SENTENCE_CHARS:
            # the last whitespace of any kind (words joined by tabs or no-break spaces too)
            cut = max((m.start() for m in _SPACE_RE.finditer(text, s + 1, s + MAX_SENTENCE_CHARS)), default=-1)
            cut = cut if cut > s else s + MAX_SENTENCE_CHARS
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return [t for s, e in out if (t := _trimmed(text, s, e))[1] > t[0]]


def segment_sentences(text: str) -> list[Segment]:
    """Sentences of ``text`` in order, each tagged with its paragraph number."""
    segments: list[Segment] = []
    for para_index, (p_start, p_end) in enumerate(paragraphs(text)):
        for s, e in nupunkt.sent_spans(text[p_start:p_end]):
            s, e = _trimmed(text, p_start + s, p_start + e)
            if e <= s:
                continue
            for ps, pe in _split_long(text, s, e):
                segments.append(Segment(len(segments), ps, pe, para_index))
    return segments
