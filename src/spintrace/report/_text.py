"""Text helpers shared by the HTML and terminal reports."""

from __future__ import annotations


def excerpt(text: str, start: int | None, end: int | None, limit: int = 90) -> str:
    """One line of ``text[start:end]`` with whitespace collapsed, at most ~``limit`` chars.

    Long runs keep their beginning and end (cut at word boundaries) because the boundaries are
    what a reader checks against the other text."""
    if start is None or end is None:
        return ""
    piece = " ".join(text[max(0, start) : max(0, end)].split())
    if len(piece) <= limit:
        return piece
    half = max(1, (limit - 3) // 2)
    head, tail = piece[:half], piece[-half:]
    cut = head.rfind(" ")
    if cut > half // 2:
        head = head[:cut]
    cut = tail.find(" ")
    if 0 <= cut < half // 2:
        tail = tail[cut + 1 :]
    return f"{head.rstrip()} \u2026 {tail.lstrip()}"
