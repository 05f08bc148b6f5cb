"""Text helpers shared by the HTML and terminal reports."""

from __future__ import annotations

from spintrace.classify.verdict import VerdictRules, derivation_grounds
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


def the(label: str) -> str:
    """A text's label as a noun in a sentence: "the source", but a file name or id alone."""
    return f"the {label}" if label in ("source", "suspect") else label


def part_note(comparison: Comparison, source_label: str, suspect_label: str) -> str:
    """Why a short copy's verdict rests on part of the source ("" when it rests on the whole).

    Compare's second look sets ``source_part_share`` when it judged the suspect against the run
    of source paragraphs its links come from; a reader should know the rest of the source was
    not part of that judgement (it is still what ``omitted`` lists)."""
    share = comparison.features.get("source_part_share")
    if share is None:
        return ""
    return (f"judged against the part of {the(source_label)} {the(suspect_label)} copies "
            f"({round(100 * share)}% of {the(source_label)})")


def grounds_note(comparison: Comparison, source_label: str, suspect_label: str) -> str:
    """Why a reuse verdict stands on little of a text ("" when nothing needs saying).

    Copied paragraphs inside another article: the rest of the suspect is not counted against the
    copy because nothing in the source resembles it. An excerpt made from the source: most of the
    suspect was made from it, however little of the source it covers. The notes read the default
    rules, as the reports do not know which a caller passed to compare."""
    if not comparison.reused:
        return ""
    features = comparison.features
    grounds = derivation_grounds(features)
    if grounds == "inside another article":
        return (f"{round(100 * features['unlinked_share'])}% of {the(suspect_label)} is about something else "
                f"(nothing in {the(source_label)} resembles it): the linked sentences were copied into it")
    if features.get("copied_text_decides") and comparison.verdict == "partial":
        words = round(max(features.get("near_verbatim_words", 0.0), features.get("near_verbatim_run_words", 0.0)))
        if words:
            return (f"{the(suspect_label)} holds {words} unquoted words of {the(source_label)} copied "
                    f"(near-)verbatim; its other sentences on the same facts are not counted as copied")
    # Covering a copy's worth of the source (the copy verdicts' bar), it needs no explaining.
    if grounds == "made from the source" and comparison.source_coverage < VerdictRules().copy_coverage:
        return (f"{round(100 * features['derived_suspect'])}% of {the(suspect_label)} was made from "
                f"{the(source_label)} sentence by sentence, though it covers {round(100 * comparison.source_coverage)}% "
                f"of {the(source_label)}")
    return ""
