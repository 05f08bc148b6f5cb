"""Search results: a terminal table and one self-contained HTML page with every hit's report."""

from __future__ import annotations

import html


def render_hits_text(hits, label: str) -> str:
    if not hits:
        return f"No candidate source found for {label}.\n"
    lines = [f"Candidate sources for {label}:", ""]
    lines.append(f"{'#':>2}  {'verdict':<11} {'score':>5}  {'suspect':>7}  {'source':>6}  id / title")
    for hit in hits:
        title = f" — {hit.title}" if hit.title else ""
        lines.append(
            f"{hit.rank:>2}  {hit.verdict:<11} {hit.score:>5.2f}  {hit.suspect_coverage:>7.0%}  "
            f"{hit.source_coverage:>6.0%}  {hit.id}{title}"
        )
        if hit.reused and hit.comparison.direction.original == "suspect":
            lines.append(f"{'':>2}  ! {label} looks like the original and this the copy "
                         f"({'; '.join(hit.comparison.direction.evidence[:1])})")
    lines += ["", "suspect/source: share of each text covered by aligned passages.",
              "See one in full: spintrace search ... --format html -o hits.html"]
    return "\n".join(lines) + "\n"


def render_hits_html(hits, label: str) -> str:
    """One self-contained page: the ranked hits, each with its full side-by-side report."""
    from spintrace.report import render_report_fragment, report_css, report_js

    esc = html.escape
    rows, reports = [], []
    for hit in hits:
        anchor = f"hit-{hit.rank}"
        rows.append(
            f"<tr><td>{hit.rank}</td><td><a href=\"#{anchor}\">{esc(hit.id)}</a><br><small>{esc(hit.title or '')}</small></td>"
            f"<td>{esc(hit.verdict)}</td><td>{hit.score:.2f}</td><td>{hit.suspect_coverage:.0%}</td>"
            f"<td>{hit.source_coverage:.0%}</td></tr>"
        )
        reports.append(
            f'<section id="{anchor}">'
            + render_report_fragment(
                hit.comparison, source_label=hit.id, suspect_label=label, title=f"#{hit.rank}: {hit.title or hit.id}"
            )
            + "</section>"
        )
    table = (
        "<table class=\"st-hits\"><thead><tr><th>#</th><th>source</th><th>verdict</th><th>score</th>"
        "<th>suspect covered</th><th>source covered</th></tr></thead><tbody>"
        + ("".join(rows) or '<tr><td colspan="6">No candidate source found.</td></tr>')
        + "</tbody></table>"
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>spintrace search: {esc(label)}</title><style>\n{report_css()}\n"
        ".st-hits{border-collapse:collapse;margin:1em}.st-hits td,.st-hits th{padding:.3em .6em;"
        "border-bottom:1px solid #ddd;text-align:left}</style></head>\n<body>\n"
        f"<h1>Candidate sources for {esc(label)}</h1>\n{table}\n" + "\n".join(reports)
        + f"\n<script>\n{report_js()}\ndocument.querySelectorAll('.spintrace-report').forEach("
        "el => window.spintraceReport && window.spintraceReport.init(el));\n</script>\n</body></html>\n"
    )
