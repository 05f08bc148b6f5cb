"""Where a text quotes someone: the spans inside quotation marks.

A quote two outlets both carry is a fact (what was said), not evidence that one copied the other,
so the evidence of copying leaves quoted words out. Straight double quotes cannot be paired by
position alone: news style opens each new quoted sentence or paragraph of a long quote again
without closing the previous one (``He said: "We won. "It was hard."``; a quoted paragraph that
continues in the next has no closing mark). Paired in order, those marks put the quote's second
half *outside* the quotation and the text after it inside. A mark here opens when it follows a
space, the start of a line or an opening bracket or colon and precedes a word; it closes
otherwise. A quote runs to its closing mark, to the next opening mark, or to the end of its
paragraph, whichever comes first.
"""

from __future__ import annotations

import re

_CURLY_RE = re.compile(r"“[^”“\n]*(?:”|(?=“)|(?=\n)|$)")
_OPENING_CONTEXT = " \t\n\r\u00a0([{:;—–-/"


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPENING_CONTEXT and not after.isspace()


def _straight_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for m in re.finditer(r'"|\n', text):
        i = m.start()
        if text[i] == "\n":
            if start is not None:
                spans.append((start, i))
                start = None
            continue
        if start is None:
            if _opens(text, i):
                start = i
        elif _opens(text, i):
            spans.append((start, i))  # the quote went on without a closing mark
            start = i
        else:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the quotations in ``text``, marks included, in order."""
    curly = [(m.start(), m.end()) for m in _CURLY_RE.finditer(text)]
    return sorted(curly + _straight_spans(text))


def quoted_mask(text: str) -> bytearray:
    """One byte per character of ``text``: 1 inside a quotation (``quoted_spans``), else 0."""
    mask = bytearray(len(text))
    for start, end in quoted_spans(text):
        mask[start:end] = b"\x01" * (end - start)
    return mask
