"""Trace results: a terminal summary and an HTML report colouring the suspect by source.

The HTML fragment (used by ``spintrace trace --format html`` and by the web page) shows the
suspect with each passage in its source's colour, a legend with each source's share, and for
each source its passages side by side with the suspect's. Every piece of text is escaped.
"""

from __future__ import annotations

import html

from spintrace.trace.model import TraceResult

PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc", "#e5e7eb")

TRACE_CSS = """
.st-trace{font-family:system-ui,sans-serif;line-height:1.5;max-width:80em;margin:0 auto;padding:0 1em}
.st-trace .st-legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5em}
.st-trace .st-legend li{padding:.2em .6em;border-radius:.3em}
.st-trace .st-suspect{white-space:pre-wrap;border:1px solid #ddd;padding:1em;border-radius:.3em}
.st-trace mark{padding:0 .1em;border-radius:.2em;color:inherit}
.st-trace .st-pairs{border-collapse:collapse;width:100%;table-layout:fixed}
.st-trace .st-pairs td{vertical-align:top;padding:.4em;border-top:1px solid #ddd;white-space:pre-wrap;word-wrap:break-word}
.st-trace .st-pairs th{text-align:left;padding:.4em}
.st-trace .st-unattributed{color:#555}
"""


TRACE_CSS += "".join(f".st-trace .st-c{n}{{background:{colour}}}\n" for n, colour in enumerate(PALETTE))


def _colour(n: int) -> str:
    """The class colouring source ``n`` (classes, not style attributes: the page's CSP forbids those)."""
    return f"st-c{n % len(PALETTE)}"


def render_trace_text(result: TraceResult, label: str) -> str:
    if not result.sources:
        return (f"No indexed source found for {label}: nothing in it is attributed "
                f"({result.candidates_judged} candidates judged).\n")
    lines = [f"Sources of {label} ({result.attributed_share:.0%} attributed, "
             f"{1 - result.attributed_share:.0%} unattributed):", ""]
    lines.append(f"{'share':>6}  {'verdict':<11} {'score':>5}  {'judged on':<9}  id / title")
    for s in result.sources:
        title = f" — {s.source.title}" if s.source.title else ""
        date = f" ({s.source.published})" if s.source.published else ""
        lines.append(f"{s.share:>6.0%}  {s.verdict:<11} {s.score:>5.2f}  {s.judged_on:<9}  {s.source.id}{date}{title}")
        if s.published_after_suspect:
            lines.append(f"{'':>6}  ! published after {label}: this may be the copy, and {label} the original")
    lines += ["", "Passages (suspect offsets -> source):"]
    for p in result.passages:
        excerpt = " ".join(result.suspect_text[p.suspect_start:p.suspect_end].split())
        excerpt = excerpt if len(excerpt) <= 70 else excerpt[:67] + "..."
        also = f"  (also in {', '.join(p.also_in)})" if p.also_in else ""
        lines.append(f"  {p.suspect_start:>6}-{p.suspect_end:<6} {p.source_id}{also}\n      \"{excerpt}\"")
    lines += ["", "See it coloured by source: spintrace trace ... --format html -o trace.html"]
    return "\n".join(lines) + "\n"


def render_trace_fragment(result: TraceResult, label: str = "suspect") -> str:
    """The report as an HTML fragment (a ``div.st-trace``), styled by ``TRACE_CSS``."""
    esc = html.escape
    number = {s.source.id: n for n, s in enumerate(result.sources)}
    # a source's title where it has one (its id on hover), as the search results name hits
    legend = "".join(
        f'<li class="{_colour(n)}" data-source="{esc(s.source.id)}" title="{esc(s.source.id)}">'
        f"{esc(s.source.title or s.source.id)} — {s.share:.0%} ({esc(s.verdict)}, {esc(s.judged_on)})"
        f"{' — published after this text: it may be the copy' if s.published_after_suspect else ''}</li>"
        for n, s in enumerate(result.sources)
    )
    if not result.sources:
        legend = "<li>No source found: nothing in this text is attributed.</li>"
    text = result.suspect_text
    parts, pos = [], 0
    for p in sorted(result.passages, key=lambda p: p.suspect_start):
        if p.suspect_start < pos:
            continue
        parts.append(esc(text[pos:p.suspect_start]))
        also = f"; also in {', '.join(p.also_in)}" if p.also_in else ""
        parts.append(
            f'<mark class="st-passage {_colour(number.get(p.source_id, 0))}" '
            f'data-source="{esc(p.source_id)}" title="{esc(p.source_id + also)}">'
            f"{esc(text[p.suspect_start:p.suspect_end])}</mark>"
        )
        pos = p.suspect_end
    parts.append(esc(text[pos:]))
    sections = []
    for n, s in enumerate(result.sources):
        rows = "".join(
            f'<tr><td class="{_colour(n)}">{esc(s.source.text[p.source_start:p.source_end])}</td>'
            f"<td>{esc(text[p.suspect_start:p.suspect_end])}</td></tr>"
            for p in result.passages if p.source_id == s.source.id
        )
        title = f" — {esc(s.source.title)}" if s.source.title else ""
        sections.append(
            f'<section class="st-source" data-source="{esc(s.source.id)}"><h3>{esc(s.source.id)}{title}: '
            f"{s.share:.0%} of the suspect</h3><table class=\"st-pairs\"><thead><tr><th>source</th>"
            f"<th>{esc(label)}</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
    return (
        f'<div class="st-trace"><h2>Sources of {esc(label)}</h2>'
        f'<p class="st-summary">{result.attributed_share:.0%} attributed to {len(result.sources)} source(s); '
        f'<span class="st-unattributed">{1 - result.attributed_share:.0%} unattributed</span>.</p>'
        f'<ul class="st-legend">{legend}</ul><div class="st-suspect">{"".join(parts)}</div>'
        + "".join(sections) + "</div>"
    )


def render_trace_html(result: TraceResult, label: str) -> str:
    """One self-contained page (no script, no external resource)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>spintrace trace: {html.escape(label)}</title><style>{TRACE_CSS}</style></head>\n<body>\n"
        + render_trace_fragment(result, label) + "\n</body></html>\n"
    )
