"""``spintrace compare SOURCE SUSPECT``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spintrace.cli import emit
from spintrace.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare a source and a suspect article and explain any reuse")
    p.add_argument("source", help="source article: .txt/.md/.html file, or - for stdin")
    p.add_argument("suspect", help="suspect article: .txt/.md/.html file, or - for stdin")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("-o", "--output", help="write the report to this file instead of stdout")
    p.add_argument(
        "--source-published", help="ISO date the source was published (helps direction; HTML pages carry their own)"
    )
    p.add_argument("--suspect-published", help="ISO date the suspect was published")
    p.add_argument("-v", "--verbose", action="store_true", help="more detail in the text report")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from spintrace.ingest import read_article
    from spintrace.pipeline.compare import compare

    if args.source == "-" and args.suspect == "-":
        raise InputError("-", "only one of SOURCE and SUSPECT can be read from stdin")
    source = read_article(args.source)
    suspect = read_article(args.suspect)
    result = compare(
        source.text,
        suspect.text,
        source_published=args.source_published or source.published,
        suspect_published=args.suspect_published or suspect.published,
    )
    labels = {"source_label": Path(args.source).name if args.source != "-" else "stdin",
              "suspect_label": Path(args.suspect).name if args.suspect != "-" else "stdin"}
    if args.format == "json":
        output = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        from spintrace.report import render_html

        output = render_html(result, **labels)
    else:
        from rich.console import Console

        from spintrace.report import render_terminal

        if args.output:
            with open(args.output, "w", encoding="utf-8") as fh:
                render_terminal(result, Console(file=fh, width=120, force_terminal=False), verbose=args.verbose, **labels)
            return 0
        render_terminal(result, Console(), verbose=args.verbose, **labels)
        return 0
    emit(output, args.output)
    return 0
