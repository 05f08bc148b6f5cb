"""Text helpers shared by the HTML and terminal reports."""

from __future__ import annotations

from spintrace.comparison import Comparison


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


def part_note(comparison: Comparison, source_label: str, suspect_label: str) -> str:
    """Why a short copy's verdict rests on part of the source ("" when it rests on the whole).

    Compare's second look sets ``source_part_share`` when it judged the suspect against the run
    of source paragraphs its links come from; a reader should know the rest of the source was
    not part of that judgement (it is still what ``omitted`` lists)."""
    share = comparison.features.get("source_part_share")
    if share is None:
        return ""
    return (f"judged against the part of the {source_label} the {suspect_label} copies "
            f"({round(100 * share)}% of the {source_label})")
