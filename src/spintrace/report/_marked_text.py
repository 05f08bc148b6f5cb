"""One text of a comparison as HTML with every span painted on it (the report's two panes).

Each text is cut at every span boundary (passages, omitted/added runs, changed details, word
edits) into flat segments; every segment carries the classes and data attributes of all spans
covering it. Flat segments, rather than nested elements, are what make overlapping passages
harmless: nothing has to nest properly, and the text content of each pane stays exactly the
article text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from spintrace.comparison import Change, Comparison, WordEdit

#: Number of distinct passage colours in report.css (``.pc-0`` .. ``.pc-11``); colours cycle.
PALETTE_SIZE = 12


def escape(text: object) -> str:
    """Escape for both element content and quoted attributes; every input string goes here."""
    return html.escape(str(text), quote=True)


def _change_title(change: Change) -> str:
    """Tooltip wording: both sides when present, otherwise say which side lacks the detail."""
    if change.source_text is not None and change.suspect_text is not None:
        body = f"{change.source_text} \u2192 {change.suspect_text}"
    elif change.source_text is not None:
        body = f"{change.source_text} \u2192 (dropped)"
    elif change.suspect_text is not None:
        body = f"(not in source) \u2192 {change.suspect_text}"
    else:
        body = "(detail changed)"
    return f"{change.kind}: {body}"


@dataclass(slots=True)
class _Mark:
    """One span to paint on a text: ``kind`` is 'p' (passage), 'o', 'a' or 'c' (change)."""

    start: int
    end: int
    kind: str
    key: int
    title: str = ""
    css: str = ""


@dataclass(slots=True)
class _Segment:
    start: int
    end: int
    marks: list[_Mark] = field(default_factory=list)


def _segments(text: str, marks: list[_Mark]) -> list[_Segment]:
    """Cut ``text`` at every mark boundary; out-of-range or empty marks are clamped or dropped
    because a report must still render when an upstream stage produced odd offsets."""
    n = len(text)
    valid: list[_Mark] = []
    for m in marks:
        s, e = max(0, min(n, m.start)), max(0, min(n, m.end))
        if s < e:
            m.start, m.end = s, e
            valid.append(m)
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    starts: dict[int, list[_Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    active: list[_Mark] = []
    out: list[_Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a]
        active.extend(starts.get(a, ()))
        if a < b:
            out.append(_Segment(a, b, sorted(active, key=lambda m: (m.kind, m.key))))
    return out


def _render_segment(text: str, seg: _Segment) -> str:
    """One segment as a span whose classes/data attributes describe every covering mark.

    Overlapping passages: the lowest-numbered passage gives the colour (``data-passage``) and
    ``data-passages`` lists all of them, so hovering still finds every counterpart."""
    body = escape(text[seg.start : seg.end])
    if not seg.marks:
        return body
    classes: list[str] = ["seg"]
    attrs: dict[str, str] = {}
    passages = [m for m in seg.marks if m.kind == "p"]
    if passages:
        primary = passages[0]
        classes += ["psg", f"pc-{primary.key % PALETTE_SIZE}", f"k-{primary.css}"]
        attrs["data-passage"] = str(primary.key)
        attrs["data-passages"] = " ".join(str(m.key) for m in passages)
        if len(passages) > 1:
            classes.append("overlap")
        starting = [f"#{m.key + 1}" for m in passages if m.start == seg.start]
        if starting:
            attrs["data-pstart"] = " ".join(starting)
    for kind, cls, attr in (("o", "omitted", "data-omitted"), ("a", "added", "data-added")):
        ms = [m for m in seg.marks if m.kind == kind]
        if ms:
            classes.append(cls)
            attrs[attr] = " ".join(str(m.key) for m in ms)
            if any(seg.start == m.start for m in ms):
                classes.append(f"{cls}-start")
    changes = [m for m in seg.marks if m.kind == "c"]
    if changes:
        classes.append("chg")
        classes.extend(sorted({f"chg-{m.css}" for m in changes}))
        attrs["data-change"] = " ".join(f"c{m.key}" for m in changes)
    edits = [m for m in seg.marks if m.kind == "e"]
    if edits:
        classes.append("ed")
        classes.extend(sorted({f"ed-{m.css}" for m in edits}))
        attrs["data-edit"] = " ".join(f"e{m.key}" for m in edits)
    # the changed detail is what a reader hovers for, so it leads the tooltip
    order = {"c": 0, "e": 1, "o": 2, "a": 3, "p": 4}
    titles = [m.title for m in sorted(seg.marks, key=lambda m: order[m.kind]) if m.title]
    if titles:
        attrs["title"] = "; ".join(dict.fromkeys(titles))
    attr_text = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
    class_text = escape(" ".join(classes))
    return f'<span class="{class_text}"{attr_text}>{body}</span>'


def _marks(comparison: Comparison, side: str) -> list[_Mark]:
    """All marks for one side ('source' or 'suspect'); change ids are global across passages."""
    marks: list[_Mark] = []
    gid = 0
    for i, p in enumerate(comparison.passages):
        start, end = (
            (p.source_start, p.source_end) if side == "source" else (p.suspect_start, p.suspect_end)
        )
        title = f"passage #{i + 1} \u00b7 {p.kind} \u00b7 similarity {p.similarity:.2f}"
        marks.append(_Mark(start, end, "p", i, title=title, css=p.kind))
        for c in p.changes:
            cs, ce = (
                (c.source_start, c.source_end)
                if side == "source"
                else (c.suspect_start, c.suspect_end)
            )
            if cs is not None and ce is not None:
                marks.append(_Mark(cs, ce, "c", gid, title=_change_title(c), css=c.kind))
            gid += 1
    marks += _edit_marks(comparison, side)
    if not comparison.reused:
        # Nothing was taken: every word is "omitted" and "added", and striking out one text and
        # boxing the other in red reads as an alarm on a verdict that says there is none.
        return marks
    extra = comparison.omitted if side == "source" else comparison.added
    kind, label = ("o", "omitted from the suspect") if side == "source" else ("a", "added by the suspect")
    for i, s in enumerate(extra):
        marks.append(_Mark(s.start, s.end, kind, i, title=label))
    return marks


def _edit_title(edit: WordEdit, source: str, suspect: str) -> str:
    """Tooltip: the counterpart of a reworded or moved run, so hovering one side reads both."""
    a = source[edit.source_start : edit.source_end] if edit.source_start is not None else ""
    b = suspect[edit.suspect_start : edit.suspect_end] if edit.suspect_start is not None else ""
    if edit.op == "replace":
        return f"reworded: \u201c{a}\u201d \u2192 \u201c{b}\u201d"
    if edit.op == "move":
        return f"moved: \u201c{a}\u201d"
    if edit.op == "delete":
        return f"dropped by the suspect: \u201c{a}\u201d"
    return f"inserted by the suspect: \u201c{b}\u201d"


def _edit_marks(comparison: Comparison, side: str) -> list[_Mark]:
    """Word-level marks inside the passages; kept words stay plain. Edit ids are numbered the
    same way on both sides, so a reworded run finds its counterpart by ``data-edit``."""
    marks: list[_Mark] = []
    seen: set[tuple[int, int, int, int]] = set()
    gid = 0
    for p in comparison.passages:
        for link in p.links:
            where = (link.source_start, link.source_end, link.suspect_start, link.suspect_end)
            if where in seen:
                continue  # a link two overlapping passages share is painted once
            seen.add(where)
            for e in link.edits:
                if e.op == "keep":
                    continue
                start, end = (e.source_start, e.source_end) if side == "source" else (e.suspect_start, e.suspect_end)
                if start is not None and end is not None:
                    title = _edit_title(e, comparison.source_text, comparison.suspect_text)
                    marks.append(_Mark(start, end, "e", gid, title=title, css=e.op))
                gid += 1
    return marks


def render_marked_text(comparison: Comparison, side: str) -> str:
    """One side's text ('source' or 'suspect') as HTML, every passage, change, word edit and
    omitted or added run painted on it."""
    text = comparison.source_text if side == "source" else comparison.suspect_text
    return "".join(_render_segment(text, seg) for seg in _segments(text, _marks(comparison, side)))
