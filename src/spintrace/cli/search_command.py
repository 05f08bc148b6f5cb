"""``spintrace search SUSPECT --index DIR``: where did this article come from?"""

from __future__ import annotations

import argparse
import json

from spintrace.cli import check_output, display_name, emit, warn_unknown_ids
from spintrace.dates import checked_date
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
    from spintrace.report.hits import render_hits_html, render_hits_text

    if args.top < 1:
        raise InputError("--top", "must be at least 1")
    if not 0.0 <= args.min_score <= 1.0:
        raise InputError("--min-score", "must be between 0 and 1")
    if args.align < 1:
        raise InputError("--align", "must be at least 1")
    published = checked_date(args.suspect_published, "--suspect-published")
    check_output(args.output, [args.suspect], index=args.index)
    suspect = read_text_input(args.suspect)
    with Index(args.index, create=False) as index:
        warn_unknown_ids(index, args.exclude)
        hits = index.search(
            suspect, top=args.top, align=max(args.align, args.top), min_score=args.min_score,
            suspect_published=published, exhaustive=args.exhaustive, exclude_ids=args.exclude,
        )
    label = display_name(args.suspect)
    if args.format == "json":
        output = json.dumps(
            {"suspect": label, "suspect_text": suspect, "hits": [h.to_dict() for h in hits]},
            ensure_ascii=False, indent=2,
        ) + "\n"
    elif args.format == "html":
        output = render_hits_html(hits, label)
    else:
        output = render_hits_text(hits, label)
    emit(output, args.output)
    return 0
