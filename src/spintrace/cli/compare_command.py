"""``spintrace compare SOURCE SUSPECT`` and ``spintrace compare --pairs FILE.jsonl``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from spintrace.cli import check_output, display_name, emit
from spintrace.dates import checked_date
from spintrace.errors import InputError, SpintraceError

if TYPE_CHECKING:
    import threading


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare a source and a suspect article and explain any reuse")
    p.add_argument("source", nargs="?", help="source article: .txt/.md/.html file, or - for stdin")
    p.add_argument("suspect", nargs="?", help="suspect article: .txt/.md/.html file, or - for stdin")
    p.add_argument(
        "--pairs", metavar="FILE.jsonl",
        help='compare many pairs with one start-up: one {"source", "suspect"} (texts) or {"source_path", '
             '"suspect_path"} a line, optional "id"/"source_published"/"suspect_published"; - for stdin. '
             "Writes JSON Lines, one result (or error) a line",
    )
    p.add_argument("--format", choices=("text", "json", "html"), default=None, help="report format (default text)")
    p.add_argument("-o", "--output", help="write the report to this file instead of stdout")
    p.add_argument(
        "--source-published", help="ISO date the source was published (helps direction; HTML pages carry their own)"
    )
    p.add_argument("--suspect-published", help="ISO date the suspect was published")
    p.add_argument("-v", "--verbose", action="store_true", help="more detail in the text report")
    p.set_defaults(run=run)


def preload_embedder() -> threading.Thread:
    """Load the sentence embedder on a second thread while this one imports, reads and segments:
    on two cores a one-shot compare then pays for the slower of the two, not for both.

    The caller joins the thread before it returns, on an error too: an interpreter that exits
    while the thread is inside onnxruntime's C++ start-up aborts ("terminate called ...")."""
    import threading

    def load() -> None:
        from spintrace.embed import SentenceEmbedder

        try:
            SentenceEmbedder.default()
        except Exception:  # noqa: BLE001 - the main thread loads again and reports the error
            pass

    thread = threading.Thread(target=load, name="spintrace-embedder-preload", daemon=True)
    thread.start()
    return thread


def run(args: argparse.Namespace) -> int:
    if args.pairs is not None:
        if args.source is not None or args.suspect is not None:
            raise InputError("--pairs", "give either --pairs FILE or SOURCE SUSPECT, not both")
        if args.format not in (None, "json"):
            raise InputError("--pairs", "writes JSON Lines; --format text/html is for one pair")
        return run_pairs(args)
    if args.source is None or args.suspect is None:
        raise InputError("compare", "needs SOURCE and SUSPECT (or --pairs FILE.jsonl)")
    if args.source == "-" and args.suspect == "-":
        raise InputError("-", "only one of SOURCE and SUSPECT can be read from stdin")
    source_published = checked_date(args.source_published, "--source-published")
    suspect_published = checked_date(args.suspect_published, "--suspect-published")
    check_output(args.output, [args.source, args.suspect])
    preload = preload_embedder()
    try:
        from spintrace.ingest import read_article
        from spintrace.pipeline.compare import compare

        source = read_article(args.source)
        suspect = read_article(args.suspect)
        result = compare(
            source.text,
            suspect.text,
            source_published=source_published or source.published,
            suspect_published=suspect_published or suspect.published,
        )
    finally:
        preload.join()
    labels = {"source_label": display_name(args.source), "suspect_label": display_name(args.suspect)}
    if args.format == "json":
        output = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        from spintrace.report import render_html

        output = render_html(result, **labels)
    else:
        from rich.console import Console

        from spintrace.report import render_terminal

        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8") as fh:
                    # laid out as when piped (COLUMNS, else 80): `-o f` and `> f` give one file
                    render_terminal(result, Console(file=fh, force_terminal=False), verbose=args.verbose, **labels)
            except OSError as exc:
                raise InputError(args.output, f"cannot write: {exc.strerror}") from None
            return 0
        render_terminal(result, Console(), verbose=args.verbose, **labels)
        return 0
    emit(output, args.output)
    return 0


def run_pairs(args: argparse.Namespace) -> int:
    """One JSON line per input line, written as each is done; status 1 if any line failed."""
    check_output(args.output, [args.pairs])
    preload = preload_embedder()
    try:
        return _compare_pairs(args)
    finally:
        # Also on success: a run whose every line failed never embedded, and the loader may still
        # be inside onnxruntime's start-up (see ``preload_embedder``).
        preload.join()


def _compare_pairs(args: argparse.Namespace) -> int:
    from spintrace.ingest.pairs import PairError, read_pairs
    from spintrace.pipeline.compare import compare

    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8")
        except OSError as exc:
            raise InputError(args.output, f"cannot write: {exc.strerror}") from None
    else:
        out = sys.stdout
    failed = 0
    try:
        for item in read_pairs(args.pairs):
            if isinstance(item, PairError):
                record = {"line": item.line, "id": item.id, "error": item.error}
            else:
                try:
                    result = compare(
                        item.source, item.suspect,
                        source_published=item.source_published, suspect_published=item.suspect_published,
                    )
                    record = {"line": item.line, "id": item.id, **result.to_dict()}
                except SpintraceError as exc:
                    record = {"line": item.line, "id": item.id, "error": f"line {item.line}: {exc}"}
                except ValueError as exc:  # e.g. an unparseable date
                    record = {"line": item.line, "id": item.id, "error": f"line {item.line}: {exc}"}
            if "error" in record:
                failed += 1
                print(f"spintrace: {record['error']}", file=sys.stderr)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failed else 0
