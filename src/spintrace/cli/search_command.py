"""``spintrace search SUSPECT --index DIR``: where did this article come from?"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

from spintrace.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="find the indexed sources of a suspect article, ranked, with verdicts")
    p.add_argument("suspect", help="suspect article: .txt/.md/.html file, or - for stdin")
    p.add_argument("--index", required=True, metavar="DIR", help="index built with `spintrace index add`")
    p.add_argument("--top", type=int, default=5, metavar="K", help="hits to show (default 5)")
    p.add_argument("--min-score", type=float, default=0.0, metavar="S", help="drop hits scoring under S (0-1)")
    p.add_argument("--align", type=int, default=10, metavar="N",
                   help="retrieval candidates to align in full (default 10)")
    p.add_argument("--exhaustive", action="store_true",
                   help="align all N candidates, not only those with at least half the best one's retrieval evidence")
    p.add_argument("--exclude", action="append", default=[], metavar="ID",
                   help="leave this indexed document out of the results (e.g. the suspect itself); repeatable")
    p.add_argument("--suspect-published", help="ISO date the suspect was published (helps direction)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("-o", "--output", help="write the result to this file instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from spintrace.index import Index
    from spintrace.ingest import read_text_input

    if args.top < 1:
        raise InputError("--top", "must be at least 1")
    if not 0.0 <= args.min_score <= 1.0:
        raise InputError("--min-score", "must be between 0 and 1")
    suspect = read_text_input(args.suspect)
    with Index(args.index, create=False) as index:
        hits = index.search(
            suspect, top=args.top, align=max(args.align, args.top), min_score=args.min_score,
            suspect_published=args.suspect_published, exhaustive=args.exhaustive, exclude_ids=args.exclude,
        )
    label = Path(args.suspect).name if args.suspect != "-" else "stdin"
    if args.format == "json":
        output = json.dumps(
            {"suspect": label, "suspect_text": suspect, "hits": [h.to_dict() for h in hits]},
            ensure_ascii=False, indent=2,
        ) + "\n"
    elif args.format == "html":
        output = render_hits_html(hits, label)
    else:
        output = render_hits_text(hits, label)
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as exc:
            raise InputError(args.output, f"cannot write: {exc.strerror}") from None
    else:
        sys.stdout.write(output)
    return 0


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
