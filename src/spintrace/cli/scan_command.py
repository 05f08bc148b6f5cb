"""``spintrace scan CORPUS... --out DIR``: every reuse pair and reuse family in a corpus."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan",
        help="find every reuse pair and reuse family in a corpus (locally or on Apache Spark)",
        description="Find every reuse pair and reuse family in a corpus. Writes pairs.jsonl, "
        "pairs.parquet, families.jsonl, summary.html and reports/ into --out.",
    )
    p.add_argument("corpus", nargs="+", help="files or folders: .txt/.md/.html, JSON Lines, WARC, Parquet")
    p.add_argument("--out", required=True, help="output folder (an interrupted scan resumes from it)")
    p.add_argument("--engine", choices=("local", "spark"), default="local")
    p.add_argument("--master", default=None, help="Spark master URL (spark engine; default local[*])")
    p.add_argument("--partitions", type=int, default=None, help="Spark partitions for alignment (default: 4 x cores)")
    p.add_argument("--min-score", type=float, default=0.5, help="keep reuse pairs scoring at least this (0-1, default 0.5)")
    p.add_argument("--max-days", type=int, default=None, help="only pair articles published at most N days apart")
    p.add_argument("--exclude-same-site", action="store_true", help="never pair two articles from the same site")
    p.add_argument("--keep-boilerplate", action="store_true",
                   help="keep as evidence the sentences a site repeats across its own pages (its template: "
                        "newsletter and copyright lines), which are left out by default")
    p.add_argument("--workers", type=int, default=None, help="local engine processes (default: all cores)")
    p.add_argument("--chunk-pairs", type=int, default=None, metavar="N",
                   help="local engine: candidate pairs per unit of work, what an interrupted scan resumes at "
                        "(default: about 64 units of 4-128 pairs)")
    p.add_argument("--no-reports", action="store_true", help="skip the per-pair HTML reports")
    p.add_argument("--fresh", action="store_true", help="discard work recorded by an earlier, interrupted scan")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from spintrace.engines.stages import ScanOptions
    from spintrace.errors import InputError
    from spintrace.ingest.boilerplate import DEFAULT_BOILERPLATE
    if not 0.0 <= args.min_score <= 1.0:
        raise InputError("--min-score", "must be between 0 and 1")
    if args.max_days is not None and args.max_days < 0:
        raise InputError("--max-days", "must be 0 or more")
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers", "must be 1 or more")
    # an option of the other engine does nothing; say so rather than let a cluster run go local
    other_engine = (("--workers", args.workers), ("--chunk-pairs", args.chunk_pairs)) if args.engine == "spark" else \
        (("--master", args.master), ("--partitions", args.partitions))
    for option, value in other_engine:
        if value is not None:
            other = "local" if args.engine == "spark" else "spark"
            print(f"spintrace: warning: {option} is for --engine {other}; ignored", file=sys.stderr)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(args.out, "exists and is not a folder")
    for folder in (Path(p) for p in args.corpus):
        if folder.is_dir() and out.resolve().is_relative_to(folder.resolve()):
            # Its pairs.jsonl and reports would be read as articles by the next scan.
            raise InputError(args.out, f"is inside the corpus folder {folder}; write the results elsewhere")
    options = ScanOptions(min_score=args.min_score, max_days=args.max_days, exclude_same_site=args.exclude_same_site,
                          site_boilerplate=not args.keep_boilerplate)
    try:
        result = _scan(args, out, options)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (Terminated): one line, with how to resume
        from spintrace.processes import Terminated

        terminated = isinstance(stop, Terminated)
        print(f"spintrace: {'terminated' if terminated else 'interrupted'}; finished work is kept in "
              f"{out / 'work'}: run the same command again to resume", file=sys.stderr)
        return 143 if terminated else 130
    s = result.summary
    for name, count in sorted(s.skipped.items()):
        print(f"spintrace: warning: skipped {count} record(s): {name}", file=sys.stderr)
    for example in s.skipped_examples[:5]:
        print(f"spintrace: warning:   e.g. {example}", file=sys.stderr)
    if s.boilerplate_documents:
        print(f"spintrace: left out site boilerplate (sentences a site repeats on {DEFAULT_BOILERPLATE.min_documents}+ of its pages) in "
              f"{s.boilerplate_documents} document(s); --keep-boilerplate keeps it", file=sys.stderr)
    if result.chunks_resumed:
        print(f"resumed {result.chunks_resumed} of {result.chunks_total} finished work chunks", file=sys.stderr)
    print(
        f"{s.documents} documents, {s.candidates} candidate pairs, {s.pairs} reuse pairs in {s.families} families"
        f" -> {out / 'summary.html'}"
    )
    if s.documents == 0:
        raise InputError(" ".join(args.corpus), "no readable documents in the corpus")
    # like `index add` and `compare --pairs`: the results are written, but a script must see that
    # part of the input could not be read (a repeated id only warns, as in `index add`)
    return 1 if s.unreadable else 0


def _scan(args: argparse.Namespace, out, options):
    if args.engine == "spark":
        from spintrace.engines.spark import scan_spark

        # like the local engine: a progress bar only on a terminal (a log file got every redraw)
        return scan_spark(args.corpus, out, options, master=args.master or "local[*]", partitions=args.partitions,
                          with_reports=not args.no_reports, progress=not args.quiet and sys.stderr.isatty(),
                          fresh=args.fresh)
    from spintrace.engines.local import scan_local

    return scan_local(args.corpus, out, options, workers=args.workers, with_reports=not args.no_reports,
                      progress=not args.quiet and sys.stderr.isatty(), chunk_pairs=args.chunk_pairs, fresh=args.fresh)
