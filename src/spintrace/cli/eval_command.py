"""``spintrace eval pan|pairs|sentences|all``: measured accuracy, spintrace beside the baselines."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from spintrace.cli import check_output
from spintrace.errors import InputError, SpintraceError

DEFAULT_SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", "../shared/data"))


def _baseline_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baseline", action="append", metavar="NAME",
                   help="also run a reference method: minhash, ngram, embedding or all (repeatable)")
    p.add_argument("--out", help="also write the Markdown report to this file")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="measure accuracy on PAN, rewrites pairs and MRPC, beside baselines")
    eval_sub = p.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")

    pan = eval_sub.add_parser("pan", help="PAN text-alignment corpus: plagdet, precision, recall, granularity")
    pan.add_argument("corpus", help="folder with pairs, susp/, src/, truth/")
    pan.add_argument("--detections", default="pan-detections",
                     help="write each method's detections as PAN XML under DIR/<method>/ (default: %(default)s)")
    pan.add_argument("--no-oracle", action="store_true", help="skip the truth-offset ceiling row")
    pan.add_argument("--truth", help="truth folder inside the corpus (default: truth-relocated/ where the "
                     "corpus ships repaired offsets, else truth/)")
    _baseline_option(pan)
    pan.set_defaults(run=run_pan)

    pairs = eval_sub.add_parser("pairs", help="rewrites-format or real-page JSONL: reuse found, false positives, passages")
    pairs.add_argument("files", nargs="+", help="rewrites-format JSONL files (variants of BBC articles) and/or "
                       "real-page files (doc and labelled pair lines)")
    pairs.add_argument("--articles", default=str(DEFAULT_SHARED / "bbc-news" / "articles.jsonl"),
                       help="the BBC source articles JSONL (default: %(default)s)")
    pairs.add_argument("--seed", type=int, default=0, help="seed for drawing unrelated articles")
    _baseline_option(pairs)
    pairs.set_defaults(run=run_pairs)

    sentences = eval_sub.add_parser("sentences", help="MRPC-format sentence pairs: the sentence matcher alone")
    sentences.add_argument("files", nargs="+", help="MRPC file(s) to score (e.g. msr_paraphrase_dev.txt)")
    sentences.add_argument("--train", help="MRPC file to choose thresholds on (default: "
                           "msr_paraphrase_train.txt next to the first FILE)")
    _baseline_option(sentences)
    sentences.set_defaults(run=run_sentences)

    everything = eval_sub.add_parser("all", help="every benchmark on the shared data; writes a Markdown report and a PNG")
    everything.add_argument("--shared", default=str(DEFAULT_SHARED), help="shared data folder (default: %(default)s)")
    everything.add_argument("--handmade", default="eval-data/rewrites-handmade",
                            help="folder of hand-written rewrites JSONL (default: %(default)s)")
    everything.add_argument("--heldout", default="eval-data/rewrites-heldout",
                            help="folder of a held-out rewrites set, variants.jsonl (default: %(default)s)")
    everything.add_argument("--never-tuned", default="eval-data/rewrites-heldout5",
                            help="folder of a rewrites set nothing was fitted or tuned on, *.jsonl (default: %(default)s)")
    everything.add_argument("--cv-report", default="evaluation-cv.md",
                            help="grouped cross-validation figures written by scripts/fit_models.py (default: %(default)s)")
    everything.add_argument("--out", default="evaluation-run.md", help="Markdown report (default: %(default)s; EVALUATION.md is the curated record, not a run)")
    everything.add_argument("--baseline", action="append", metavar="NAME", default=None,
                            help="baselines to run (default: all)")
    everything.set_defaults(run=run_all)


def _methods(args: argparse.Namespace) -> list[str]:
    from spintrace.evaluation.baselines import expand_baselines

    return ["spintrace", *expand_baselines(args.baseline)]


def _emit(text: str, out: str | None) -> None:
    sys.stdout.write(text)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(out, f"cannot write report: {exc.strerror}") from None


def _require(path: str | Path, what: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), f"no such {what}")
    return path


def run_pan(args: argparse.Namespace) -> int:
    from spintrace.evaluation.suite import pan_markdown, run_pan as run

    corpus = _require(args.corpus, "PAN corpus folder")
    check_output(args.out)
    if not corpus.is_dir():
        raise InputError(str(corpus), "not a folder (a PAN corpus is a folder with pairs, susp/, src/, truth/)")
    if args.truth:
        _require(corpus / args.truth, "truth folder")
    truth = args.truth or ("truth-relocated" if (corpus / "truth-relocated").is_dir() else "truth")
    reports, _ = run(corpus, _methods(args), detections_dir=args.detections, with_oracle=not args.no_oracle, truth=truth)
    _emit(f"Truth: `{truth}/`.\n\n" + pan_markdown(reports) + f"\nDetections (PAN XML): {args.detections}/<method>/\n", args.out)
    return 0


def run_pairs(args: argparse.Namespace) -> int:
    from spintrace.evaluation.real_pages import is_real_pages_file
    from spintrace.evaluation.suite import pairs_markdown, real_pages_section, run_pairs as run

    files = [_require(f, "rewrites file") for f in args.files]
    check_output(args.out, [*files, args.articles])
    real = [f for f in files if is_real_pages_file(f)]
    rewrites = [f for f in files if f not in real]
    text = ""
    if rewrites:
        result = run(rewrites, _require(args.articles, "articles file (use --articles)"), _methods(args), seed=args.seed)
        for warning in result.warnings:
            print(f"spintrace: warning: {warning}", file=sys.stderr)
        text += "Rewrites-format pairs (" + ", ".join(map(str, rewrites)) + "):\n\n" + pairs_markdown(result)
    if real:
        text += ("\n" if text else "") + "Real pages (" + ", ".join(map(str, real)) + "):\n\n"
        text += real_pages_section(real, _methods(args))
    _emit(text, args.out)
    return 0


def run_sentences(args: argparse.Namespace) -> int:
    from spintrace.evaluation.suite import run_sentences as run, sentences_markdown

    files = [_require(f, "MRPC file") for f in args.files]
    check_output(args.out, [*files, *([args.train] if args.train else [])])
    train = Path(args.train) if args.train else files[0].with_name("msr_paraphrase_train.txt")
    if not train.exists():
        raise SpintraceError(f"{train}: no training file to choose thresholds on; pass --train FILE")
    text = ""
    for f in files:
        results, warnings = run(train, f, _methods(args))
        for warning in warnings:
            print(f"spintrace: warning: {warning}", file=sys.stderr)
        text += f"{f} (thresholds from {train}):\n\n" + sentences_markdown(results) + "\n"
    _emit(text, args.out)
    return 0


def run_all(args: argparse.Namespace) -> int:
    from spintrace.evaluation.baselines import BASELINE_NAMES, expand_baselines
    from spintrace.evaluation.suite import run_all as run, scores_plot_path

    shared = _require(args.shared, "shared data folder")
    inputs = [args.cv_report] if args.cv_report else []
    check_output(args.out, inputs)
    check_output(str(scores_plot_path(Path(args.out))), inputs)
    baselines = expand_baselines(args.baseline) if args.baseline else list(BASELINE_NAMES)
    handmade = Path(args.handmade) if Path(args.handmade).is_dir() else None
    heldout = Path(args.heldout) if Path(args.heldout).is_dir() else None
    never_tuned = Path(args.never_tuned) if Path(args.never_tuned).is_dir() else None
    command = ("spintrace eval all --shared " + str(args.shared) + " --never-tuned " + str(args.never_tuned)
               + " --out " + str(args.out))
    out = run(shared, args.out, ["spintrace", *baselines], handmade, command, heldout=heldout,
              never_tuned=never_tuned, cv_report=args.cv_report)
    print(f"wrote {out} and {scores_plot_path(out)}")
    return 0
