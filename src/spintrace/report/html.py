"""A self-contained HTML report of one source/suspect comparison.

The page must be safe to open when the articles are hostile (scraped text can contain markup),
must work offline (reports get mailed around and archived), and must be reusable verbatim by the
web server, so the rendering is split into a body fragment plus CSS and JS that live in
``report/assets`` and are inlined rather than linked.

The two texts are painted by ``report._marked_text``; this module lays out the page around them:
the verdict summary, the legend and the passage, change and substitution tables.
"""

from __future__ import annotations

from importlib import resources

from spintrace.comparison import Comparison
from spintrace.report._marked_text import PALETTE_SIZE, escape as _esc, render_marked_text
from spintrace.report._text import excerpt, grounds_note, part_note, the

__all__ = ["render_html", "render_report_fragment", "report_css", "report_js"]

_VERDICT_TEXT: dict[str, str] = {
    "verbatim": "Verbatim copy",
    "paraphrase": "Paraphrased copy",
    "partial": "Partial reuse",
    "same-story": "Same story, independent text",
    "unrelated": "Unrelated",
}

_VERDICT_HINT: dict[str, str] = {
    # Said of the reused text, not of the whole source: a verbatim copy of two paragraphs is a
    # copy of half the suspect, not of the source (the shares stand beside it).
    "verbatim": "The reused text is copied from the source largely word for word.",
    "paraphrase": "The reused text rewrites the source sentence by sentence.",
    "partial": "Parts of the suspect are taken from the source.",
    "same-story": "Both report the same events, but the wording is not reused.",
    "unrelated": "No meaningful overlap was found.",
}


def _asset(name: str) -> str:
    return resources.files("spintrace.report").joinpath("assets", name).read_text(encoding="utf-8")


def report_css() -> str:
    """The report stylesheet, scoped under ``.spintrace-report`` so a host page is unaffected."""
    return _asset("report.css")


def report_js() -> str:
    """The report script; it exposes ``window.spintraceReport.init(root)`` for re-use after
    the fragment is inserted dynamically, and auto-initialises reports present at load."""
    return _asset("report.js")


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _summary(c: Comparison, source_label: str, suspect_label: str) -> str:
    d = c.direction
    if d.original == "source":
        direction = f"{_esc(source_label)} (left) is likely the original"
    elif d.original == "suspect":
        direction = f"{_esc(suspect_label)} (right) is likely the original"
    else:
        direction = "original unknown"
    evidence = ""
    if d.evidence:
        items = "".join(f"<li>{_esc(e)}</li>" for e in d.evidence)
        evidence = f'<details class="st-evidence"><summary>evidence</summary><ul>{items}</ul></details>'
    n_changes = sum(len(p.changes) for p in c.passages)
    verdict = _esc(c.verdict)
    stats = [
        ("score", f"{c.score:.2f}"),
        (f"of {suspect_label} reused", _pct(c.suspect_coverage)),
        (f"of {source_label} reused", _pct(c.source_coverage)),
        ("passages", str(len(c.passages))),
        ("omitted", str(len(c.omitted))),
        ("added", str(len(c.added))),
        ("changed details", str(n_changes)),
        ("substitutions", str(sum(sub.count for sub in c.substitutions))),
    ]
    notes = (
        f'<span class="st-condensed" title="condensed copy">condensed: {_esc(the(suspect_label))} retells much of '
        f"{_esc(the(source_label))} in far fewer words; this rests on the facts told in the same order, "
        f"which a short report written from the same fact list or press release would share</span>"
        if getattr(c, "condensed", False) else ""
    )
    part = part_note(c, source_label, suspect_label)
    if part:
        notes += f'<span class="st-part" title="judged on a part of the source">{_esc(part)}</span>'
    grounds = grounds_note(c, source_label, suspect_label)
    if grounds:
        notes += f'<span class="st-part st-grounds" title="why the rest does not count">{_esc(grounds)}</span>'
    if c.translated:
        kind = ("partly translated copy" if c.parts else "translated copy") if c.reused else "languages"
        stats.insert(0, (kind, f"{c.source_language} \u2192 {c.suspect_language}"))
    stat_html = "".join(
        f'<div class="st-stat"><span class="st-num">{_esc(v)}</span>'
        f'<span class="st-lbl" title="{_esc(k)}">{_esc(k)}</span></div>'
        for k, v in stats
    )
    return (
        '<header class="st-summary">'
        f'<div class="st-verdict v-{verdict}">'
        f'<span class="st-verdict-name">{_esc(_VERDICT_TEXT.get(c.verdict, c.verdict))}</span>'
        f'<span class="st-verdict-hint">{_esc(_VERDICT_HINT.get(c.verdict, ""))}</span>{notes}</div>'
        f'<div class="st-stats">{stat_html}</div>'
        f'<div class="st-direction">Direction: <strong>{direction}</strong> '
        f"(confidence {_pct(d.confidence)}){evidence}</div>"
        "</header>"
    )


def _legend() -> str:
    return (
        '<div class="st-legend">'
        '<span class="seg psg pc-0">aligned passage</span> '
        '<span class="seg omitted">omitted from suspect</span> '
        '<span class="seg added">added by suspect</span> '
        '<span class="seg chg chg-name">changed detail</span> '
        '<span class="seg ed ed-replace">reworded</span> '
        '<span class="seg ed ed-move">moved</span> '
        '<span class="seg ed ed-delete">dropped</span> '
        '<span class="seg ed ed-insert">inserted</span> '
        '<span class="st-tip">Hover or click a passage to find its counterpart; hover a reworded word to see what it replaced.</span>'
        "</div>"
    )


def _tables(c: Comparison, source_label: str, suspect_label: str) -> str:
    src, sus = c.source_text, c.suspect_text
    parts: list[str] = []

    rows = []
    gid = 0
    change_rows = []
    for i, p in enumerate(c.passages):
        rows.append(
            f'<tr class="st-jump" tabindex="0" data-jump="p" data-key="{i}">'
            f'<td><span class="st-swatch pc-{i % PALETTE_SIZE}">#{i + 1}</span></td>'
            f'<td class="st-nw">{_esc(p.kind)}</td><td class="st-nw">{p.similarity:.2f}</td>'
            f'<td class="st-range">{p.source_start}\u2013{p.source_end}</td>'
            f'<td class="st-range">{p.suspect_start}\u2013{p.suspect_end}</td>'
            f'<td class="st-ex" dir="auto">{_esc(excerpt(src, p.source_start, p.source_end))}</td>'
            f'<td class="st-ex" dir="auto">{_esc(excerpt(sus, p.suspect_start, p.suspect_end))}</td></tr>'
        )
        for ch in p.changes:
            old = _esc(ch.source_text) if ch.source_text is not None else "\u2014"
            new = _esc(ch.suspect_text) if ch.suspect_text is not None else "\u2014"
            change_rows.append(
                f'<tr class="st-jump" tabindex="0" data-jump="c" data-key="c{gid}" data-passage-key="{i}">'
                f'<td class="st-nw">{_esc(ch.kind)}</td>'
                f'<td class="st-old">{old}</td><td class="st-new">{new}</td>'
                f'<td><span class="st-swatch pc-{i % PALETTE_SIZE}">#{i + 1}</span></td></tr>'
            )
            gid += 1

    if c.substitutions:
        sub_rows = "".join(
            f'<tr><td class="st-old">{_esc(sub.source)}</td><td class="st-new">{_esc(sub.suspect)}</td>'
            f"<td>{sub.count}</td></tr>"
            for sub in c.substitutions
        )
        parts.append(
            '<section class="st-section st-substitutions"><h2>Substitutions</h2>'
            f'<div class="st-table-wrap"><table class="st-table"><thead><tr><th>{_esc(source_label)}</th>'
            f"<th>{_esc(suspect_label)}</th><th>times</th></tr></thead><tbody>{sub_rows}</tbody></table></div></section>"
        )
    if change_rows:
        parts.append(
            '<section class="st-section"><h2>Changed details</h2>'
            f'<div class="st-table-wrap"><table class="st-table"><thead><tr><th>kind</th>'
            f"<th>{_esc(source_label)}</th><th>{_esc(suspect_label)}</th><th>passage</th>"
            f'</tr></thead><tbody>{"".join(change_rows)}</tbody></table></div></section>'
        )
    if rows:
        parts.append(
            '<section class="st-section"><h2>Aligned passages</h2>'
            '<div class="st-table-wrap"><table class="st-table"><thead><tr><th>#</th><th>kind</th>'
            f'<th>sim.</th><th class="st-range">{_esc(source_label)} chars</th>'
            f'<th class="st-range">{_esc(suspect_label)} chars</th>'
            f"<th>{_esc(source_label)}</th><th>{_esc(suspect_label)}</th></tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div></section>'
        )
    for kind, label, spans, text in (
        ("o", f"Omitted from {suspect_label}", c.omitted, src),
        ("a", f"Added by {suspect_label}", c.added, sus),
    ):
        if not spans or not c.reused:  # without reuse, all of each text (see _marked_text._marks)
            continue
        items = "".join(
            f'<tr class="st-jump" tabindex="0" data-jump="{kind}" data-key="{i}">'
            f"<td>{s.start}\u2013{s.end}</td><td>{len(s)}</td>"
            f'<td class="st-ex" dir="auto">{_esc(excerpt(text, s.start, s.end, 160))}</td></tr>'
            for i, s in enumerate(spans)
        )
        parts.append(
            f'<section class="st-section"><h2>{_esc(label)}</h2>'
            '<div class="st-table-wrap"><table class="st-table"><thead><tr><th>chars</th>'
            f"<th>length</th><th>text</th></tr></thead><tbody>{items}</tbody></table></div></section>"
        )
    return "".join(parts)


def render_report_fragment(
    comparison: Comparison,
    *,
    source_label: str = "source",
    suspect_label: str = "suspect",
    title: str | None = None,
) -> str:
    """The report body (one ``div.spintrace-report``) without ``<html>``/``<head>``, so the
    web server can embed exactly what the standalone file shows; pair it with
    :func:`report_css` and :func:`report_js` and call ``spintraceReport.init(root)``."""
    heading = f'<h1 class="st-title">{_esc(title)}</h1>' if title else ""
    return (
        '<div class="spintrace-report">'
        f"{heading}"
        f"{_summary(comparison, source_label, suspect_label)}"
        f"{_legend()}"
        '<div class="st-texts">'
        '<section class="st-pane" data-side="source">'
        f'<h2 class="st-pane-title">{_esc(source_label)} <small>({len(comparison.source_text)} chars)</small></h2>'
        f'<div class="st-text" dir="auto" data-side="source">{render_marked_text(comparison, "source")}</div>'
        "</section>"
        '<section class="st-pane" data-side="suspect">'
        f'<h2 class="st-pane-title">{_esc(suspect_label)} <small>({len(comparison.suspect_text)} chars)</small></h2>'
        f'<div class="st-text" dir="auto" data-side="suspect">{render_marked_text(comparison, "suspect")}</div>'
        "</section>"
        "</div>"
        f"{_tables(comparison, source_label, suspect_label)}"
        "</div>"
    )


def render_html(
    comparison: Comparison,
    *,
    source_label: str = "source",
    suspect_label: str = "suspect",
    title: str | None = None,
) -> str:
    """One standalone HTML file with CSS and JS inlined: no network access is needed to view
    it, and nothing from the articles can execute because all their text is escaped."""
    page_title = title or f"spintrace: {source_label} vs {suspect_label} \u2014 {comparison.verdict}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        # Defence in depth on top of escaping: the file may never load or run anything external.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_esc(page_title)}</title>"
        f"<style>\n{report_css()}\n</style></head>\n<body>\n"
        f"{render_report_fragment(comparison, source_label=source_label, suspect_label=suspect_label, title=title)}\n"
        f"<script>\n{report_js()}\n</script>\n"
        "</body></html>\n"
    )
