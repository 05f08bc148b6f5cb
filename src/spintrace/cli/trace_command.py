"""``spintrace trace SUSPECT --index DIR``: every indexed source of a suspect, passage by passage."""

from __future__ import annotations

import argparse
import json

from spintrace.cli import check_output, display_name, emit, warn_unknown_ids
from spintrace.dates import checked_date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trace", help="trace a suspect to all of its indexed sources, passage by passage")
    p.add_argument("suspect", help="suspect article: .txt/.md/.html file, or - for stdin")
    p.add_argument("--index", required=True, metavar="DIR", help="index built with `spintrace index add`")
    p.add_argument("--exclude", action="append", default=[], metavar="ID",
                   help="leave this indexed document out (e.g. the suspect itself); repeatable")
    p.add_argument("--suspect-published", help="ISO date the suspect was published (helps direction)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("-o", "--output", help="write the result to this file instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from spintrace.index import Index
    from spintrace.ingest import read_text_input
    from spintrace.report.trace import render_trace_html, render_trace_text

    published = checked_date(args.suspect_published, "--suspect-published")
    check_output(args.output, [args.suspect], index=args.index)
    suspect = read_text_input(args.suspect)
    with Index(args.index, create=False) as index:
        warn_unknown_ids(index, args.exclude)
        result = index.trace(suspect, suspect_published=published, exclude_ids=args.exclude)
    label = display_name(args.suspect)
    if args.format == "json":
        output = json.dumps({"suspect": label, **result.to_dict()}, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        output = render_trace_html(result, label)
    else:
        output = render_trace_text(result, label)
    emit(output, args.output)
    return 0
