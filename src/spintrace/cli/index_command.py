"""``spintrace index add|remove|stats``: build and maintain a corpus index."""

from __future__ import annotations

import argparse
import json
import os
import sys

MAX_NAMED_WARNINGS = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="build and maintain a corpus index for `spintrace search`")
    actions = p.add_subparsers(dest="index_action", required=True, metavar="ACTION")

    add = actions.add_parser(
        "add", help="add articles: folders of .txt/.md/.html, JSON Lines, WARC, Parquet (unchanged ones are skipped)"
    )
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.add_argument("--index", required=True, metavar="DIR", help="index directory (created if missing)")
    add.add_argument("--workers", type=int, default=None,
                     help="fingerprinting processes (default: one per core, at most 4; 0 = fingerprint in this process)")
    # ingest.DEFAULT_BATCH, written out: importing the ingest stack here would slow `--help`.
    add.add_argument("--batch-size", type=int, default=5000, help="documents per committed transaction (default: %(default)s)")
    add.add_argument("--quiet", action="store_true", help="no progress bar")
    add.add_argument("--format", choices=("text", "json"), default="text")
    add.set_defaults(run=run_add)

    remove = actions.add_parser("remove", help="remove documents by id")
    remove.add_argument("ids", nargs="+", metavar="ID")
    remove.add_argument("--index", required=True, metavar="DIR")
    remove.set_defaults(run=run_remove)

    stats = actions.add_parser("stats", help="documents, sentences and size on disk")
    stats.add_argument("--index", required=True, metavar="DIR")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    stats.set_defaults(run=run_stats)


def _default_workers() -> int:
    # The writing process needs about a fifth of a core (parsing, hashing, SQLite): one worker per
    # core keeps the cores busy; a single core is better used without any process hand-off.
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, 4)


def run_add(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn,
        TimeElapsedColumn, TimeRemainingColumn,
    )
    from rich.text import Text

    from spintrace.errors import InputError
    from spintrace.index import Index
    from spintrace.ingest.corpus import estimate_document_count, iter_documents

    if args.batch_size < 1:
        raise InputError("--batch-size", "must be at least 1")
    total = estimate_document_count(args.paths)  # also rejects missing paths before an index is created
    index = Index(args.index)
    workers = _default_workers() if args.workers is None else max(0, args.workers)
    stderr = Console(stderr=True)

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} docs/s" if speed else "— docs/s", style="progress.data.speed")

    show = not args.quiet and stderr.is_terminal
    with Progress(
        SpinnerColumn(), TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=stderr, disable=not show,
    ) as progress:
        task = progress.add_task("index", total=total)
        try:
            report = index.add_documents(
                iter_documents(args.paths), batch_size=args.batch_size, workers=workers,
                on_progress=lambda n: progress.advance(task, n),
            )
        finally:
            index.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(
            f"{report.added:,} added, {report.updated:,} updated, {report.unchanged:,} unchanged, "
            f"{len(report.skipped):,} skipped in {report.seconds:.1f} s ({report.rate:,.0f} docs/s)"
        )
    if report.duplicates:
        print(f"spintrace: warning: {report.duplicates:,} record(s) repeated an id given again later in the "
              "same batch; the later record was stored", file=sys.stderr)
    if report.skipped:
        print(f"spintrace: warning: skipped {len(report.skipped):,} record(s):", file=sys.stderr)
        for record in report.skipped[:MAX_NAMED_WARNINGS]:
            print(f"  {record}", file=sys.stderr)
        if len(report.skipped) > MAX_NAMED_WARNINGS:
            print(f"  ... and {len(report.skipped) - MAX_NAMED_WARNINGS:,} more (see --format json)", file=sys.stderr)
        return 1
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from spintrace.index import Index

    with Index(args.index, create=False) as index:
        missing = index.remove(*args.ids)
    removed = len(args.ids) - len(missing)
    print(f"{removed} removed")
    if missing:
        print(f"spintrace: warning: not in the index: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from spintrace.index import Index

    with Index(args.index, create=False) as index:
        stats = index.stats()
    if args.format == "json":
        sys.stdout.write(json.dumps(stats, indent=2) + "\n")
    else:
        print(f"documents       {stats['documents']:,}")
        print(f"sentences       {stats['sentences']:,} (approximate)")
        sites = stats["sites_with_templates"]
        print(f"site templates  {stats['template_sentences']:,} sentences on {sites:,} site{'' if sites == 1 else 's'} "
              "(left out of search and trace)")
        print(f"tokens          {stats['tokens']:,}")
        print(f"size on disk    {stats['bytes_on_disk'] / 2**20:,.1f} MiB ({stats['bytes_per_document']:,} bytes/document)")
    return 0
