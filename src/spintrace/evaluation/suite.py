"""Running the benchmarks for spintrace and the baselines, and writing the results side by side.

The CLI (``spintrace eval ...``) only parses arguments and calls these; ``run_all`` is what
``make eval`` runs to produce evaluation-run.md and the score-distribution plot.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from spintrace.errors import InputError
from spintrace.evaluation.baselines import Detector, make_detector
from spintrace.evaluation.embedding_cache import CachedEmbed
from spintrace.evaluation.pan import PanReport
from spintrace.evaluation.pairs import (
    PairsReport,
    build_pairs,
    confusion_rows,
    document_rows,
    evaluate_pairs,
    passage_rows,
    read_articles,
    read_variants,
    reliability_rows,
)
from spintrace.evaluation.sentences import SentenceResult, SentenceScorers, evaluate_sentences, read_mrpc, sentences_table

ORACLE = "exact-copy oracle"
Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows (header first) as a GitHub Markdown table; numeric-looking columns right-aligned."""
    header, body = rows[0], rows[1:]

    def numeric(col: int) -> bool:
        return bool(body) and all(r[col].replace(".", "", 1).replace("-", "", 1).isdigit() or r[col] == "-" for r in body)

    align = ["---:" if numeric(i) else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in body]
    return "\n".join(lines) + "\n"


def detectors(methods: Sequence[str], embed: CachedEmbed | None = None) -> list[Detector]:
    """spintrace and the named baselines, sharing one embedding cache."""
    embed = embed or CachedEmbed()
    return [make_detector(m, embed) for m in methods]


# --- PAN -------------------------------------------------------------------------------------


def run_pan(
    corpus_dir: str | Path,
    methods: Sequence[str],
    detections_dir: str | Path | None = None,
    with_oracle: bool = True,
    progress: Progress = _stderr,
    truth: str = "truth",
) -> tuple[dict[str, PanReport], dict[str, float]]:
    """PAN reports by method name (the exact-copy oracle included when ``with_oracle``), scored
    against the corpus's ``truth`` folder."""
    from spintrace.evaluation.pan import evaluate_pan
    from spintrace.evaluation.pan_corpus import iter_pairs
    from spintrace.evaluation.pan_oracle import oracle_spans

    reports = {}
    seconds = {}
    for detector in detectors(methods):
        start = time.perf_counter()
        out = Path(detections_dir) / detector.name if detections_dir is not None else None

        flagged: list[bool] = []

        def spans(suspicious: str, source: str, detector=detector, flagged=flagged):
            detection = detector.detect(source, suspicious)
            flagged.append(detection.reused)
            return [(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in detection.passages]

        report = evaluate_pan(corpus_dir, spans, out, truth)
        reports[detector.name] = replace(report, pairs_flagged=sum(flagged))
        seconds[detector.name] = time.perf_counter() - start
        progress(f"pan: {detector.name} plagdet {reports[detector.name].overall.plagdet:.3f} ({seconds[detector.name]:.0f} s)")
    if with_oracle:
        by_texts = {(p.suspicious_text, p.source_text): p for p in iter_pairs(corpus_dir, truth)}
        reports[ORACLE] = evaluate_pan(corpus_dir, lambda sus, src: oracle_spans(by_texts[(sus, src)]), truth=truth)
    return reports, seconds


def pan_markdown(reports: dict[str, PanReport]) -> str:
    documents = [["method", "pairs", "pairs called reuse (document-level recall)"]]
    for method, report in reports.items():
        if report.pairs_flagged is not None:
            documents.append([method, str(report.pairs), f"{report.pairs_flagged} ({report.pairs_flagged / max(1, report.pairs):.3f})"])
    rows = [["method", "subset", "cases", "detections", "precision", "recall", "granularity", "plagdet"]]
    for method, report in reports.items():
        subsets = [("overall (macro)", report.overall), ("overall (micro)", report.overall_micro)]
        subsets += [(f"obfuscation={k}", v) for k, v in sorted(report.by_obfuscation.items())]
        for name, s in subsets:
            rows.append([method, name, str(s.cases), str(s.detections), f"{s.precision:.3f}", f"{s.recall:.3f}",
                         f"{s.granularity:.3f}", f"{s.plagdet:.3f}"])
    out = markdown_table(rows)
    checked = [r for r in reports.values() if r.relocated is not None]
    if checked:
        relocated = [["method", "subset", "cases", "detections", "precision", "recall", "granularity", "plagdet"]]
        for method, report in reports.items():
            if report.relocated is None or method == ORACLE:  # the oracle is the relocated truth
                continue
            for name, s in (("overall (macro)", report.relocated.overall), ("overall (micro)", report.relocated.overall_micro)):
                relocated.append([method, name, str(s.cases), str(s.detections), f"{s.precision:.3f}", f"{s.recall:.3f}",
                                  f"{s.granularity:.3f}", f"{s.plagdet:.3f}"])
        out += (
            f"\n\n**{checked[0].truth_check[0].upper()}{checked[0].truth_check[1:]}.** The same detections, scored "
            "against the truth with each case's suspicious range moved onto where its source passage actually "
            "sits (source ranges as given):\n\n" + markdown_table(relocated)
        )
    return out + "\n\nDocument level (every pair holds reuse):\n\n" + markdown_table(documents)


# --- rewrites pairs --------------------------------------------------------------------------


@dataclass(slots=True)
class PairsRun:
    reports: list[PairsReport]
    pairs: int
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def run_pairs(
    files: Sequence[str | Path], articles_path: str | Path, methods: Sequence[str], seed: int = 0,
    source_ids: Sequence[str] | None = None, progress: Progress = _stderr,
) -> PairsRun:
    """All pairs figures for each method on the variants in ``files`` (optionally only some sources)."""
    warnings: list[str] = []
    variants = read_variants(files, warnings)
    if source_ids is not None:
        keep = set(source_ids)
        variants = [v for v in variants if v.source_id in keep]
    pairs = build_pairs(variants, read_articles(articles_path), seed=seed, warnings=warnings)
    if not variants:
        raise InputError(", ".join(map(str, files)), "no usable variant records (rewrites format: id, variant, paragraphs)")
    if not pairs:
        raise InputError(str(articles_path), "no variant's article id is in this articles file (use the articles "
                                             "the variants were written from, e.g. bbc-news/articles.jsonl)")
    run = PairsRun([], len(pairs), warnings)
    for detector in detectors(methods):
        start = time.perf_counter()
        run.reports.append(evaluate_pairs(pairs, detector))
        run.seconds[detector.name] = time.perf_counter() - start
        progress(f"pairs: {detector.name} done ({run.seconds[detector.name]:.0f} s)")
    return run


def pairs_markdown(run: PairsRun) -> str:
    parts = ["Document level (reused = the method says reuse):\n\n", markdown_table(document_rows(run.reports)),
             "\nPassage level (PAN measures against the `derived_from` paragraph truth):\n\n",
             markdown_table(passage_rows(run.reports))]
    for report in run.reports:
        parts.append(f"\nVerdicts of {report.method} (rows: expected class):\n\n")
        parts.append(markdown_table(confusion_rows(report)))
        if report.misses and len(report.misses) <= 12:
            parts.append("\nWrong reuse decisions: " + ", ".join(f"`{m}`" for m in report.misses) + "\n")
        elif report.misses:
            parts.append(f"\nWrong reuse decisions: {len(report.misses)} of {report.pairs} pairs.\n")
        if report.reliability:
            parts.append(f"\nReliability of {report.method}'s score (Brier {report.brier:.3f}):\n\n")
            parts.append(markdown_table(reliability_rows(report)))
    if run.warnings:
        parts.append("\nSkipped records: " + "; ".join(run.warnings) + "\n")
    return "".join(parts)


# --- real pages ------------------------------------------------------------------------------


def run_real_pages(files: Sequence[str | Path], methods: Sequence[str], progress: Progress = _stderr):
    """Real-page reports (``evaluation/real_pages.py``) by method, and the skipped records."""
    from spintrace.evaluation.real_pages import evaluate_real_pages, read_real_pairs

    warnings: list[str] = []
    pairs = read_real_pairs(files, warnings)
    reports = []
    for detector in detectors(methods):
        start = time.perf_counter()
        reports.append(evaluate_real_pages(pairs, detector))
        progress(f"real pages: {detector.name} done ({time.perf_counter() - start:.0f} s)")
    return reports, warnings, len(pairs)


def real_pages_section(files: Sequence[str | Path], methods: Sequence[str], progress: Progress = _stderr) -> str:
    from spintrace.evaluation.real_pages import real_pages_markdown

    reports, warnings, n = run_real_pages(files, methods, progress)
    text = f"{n} labelled pairs (`unsure` left out).\n\n" + real_pages_markdown(reports, markdown_table)
    if warnings:
        text += "\nSkipped records: " + "; ".join(warnings[:20]) + "\n"
    return text


# --- MRPC ------------------------------------------------------------------------------------


def run_sentences(
    train_path: str | Path, test_path: str | Path, methods: Sequence[str], limit: int | None = None,
    progress: Progress = _stderr,
) -> tuple[list[SentenceResult], list[str]]:
    warnings: list[str] = []
    train = read_mrpc(train_path, limit=limit, warnings=warnings)
    test = read_mrpc(test_path, limit=limit, warnings=warnings)
    scorers = SentenceScorers()
    results = evaluate_sentences(train, test, methods, scorers)
    progress(f"sentences: {len(train)} train / {len(test)} test pairs, {scorers.embedded} texts embedded")
    return results, warnings


def sentences_markdown(results: Sequence[SentenceResult], warnings: Sequence[str] = ()) -> str:
    text = markdown_table(sentences_table(results))
    if warnings:
        text += "\nSkipped lines: " + "; ".join(warnings) + "\n"
    return text


# --- seed pair ------------------------------------------------------------------------------


def seed_pair_markdown(source: str, suspect: str, methods: Sequence[str]) -> str:
    """Each method's call on one real spun copy (the shared seed pair)."""
    rows = [["method", "reused", "score", "verdict", "passages", "suspect covered"]]
    for detector in detectors(methods):
        found = detector.detect(source, suspect)
        covered = bytearray(len(suspect))
        for p in found.passages:
            covered[p.suspect_start : p.suspect_end] = b"\x01" * (p.suspect_end - p.suspect_start)
        share = sum(covered) / len(suspect) if suspect else 0.0
        rows.append([detector.name, "yes" if found.reused else "no", f"{found.score:.3f}", found.verdict or "-",
                     str(len(found.passages)), f"{share:.2f}"])
    return markdown_table(rows)


# --- plot ------------------------------------------------------------------------------------


def plot_score_distributions(reports: Sequence[PairsReport], path: str | Path) -> Path:
    """Histograms of each method's document scores: reused vs independent vs unrelated pairs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(reports), figsize=(4.2 * len(reports), 3.4), squeeze=False)
    groups = (("reused (rewrite+spun)", ("rewrite", "spun"), "#c0392b"), ("independent", ("independent",), "#2980b9"),
              ("unrelated", ("unrelated",), "#7f8c8d"))
    for ax, report in zip(axes[0], reports):
        values = [v for r in report.scores.values() for v in r] or [0.0]
        low, high = min(0.0, min(values)), max(1.0, max(values))
        for name, kinds, colour in groups:
            data = [v for k in kinds for v in report.scores.get(k, [])]
            if data:
                ax.hist(data, bins=20, range=(low, high), alpha=0.55, color=colour, label=f"{name} ({len(data)})")
        if report.threshold is not None:
            ax.axvline(report.threshold, color="black", linestyle="--", linewidth=1, label="decision threshold")
        ax.set_title(report.method)
        ax.set_xlabel("probability of reuse" if report.calibrated else "similarity score")
    axes[0][0].set_ylabel("pairs")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --- everything ------------------------------------------------------------------------------


def scores_plot_path(report: Path) -> Path:
    """The score-distribution plot written beside a report (``EVALUATION.md`` -> ``evaluation-scores.png``)."""
    return report.with_name(f"{report.stem.lower()}-scores.png")


def run_all(shared: str | Path, out: str | Path, methods: Sequence[str], handmade: str | Path | None,
            command: str, progress: Progress = _stderr, seconds: dict[str, float] | None = None,
            heldout: str | Path | None = None, never_tuned: str | Path | None = None,
            cv_report: str | Path | None = None) -> Path:
    """Every benchmark on the shared data (and the hand-written sets), written to ``out``.

    ``seconds``, when given, receives the wall time of each part (for the benchmark script).
    """
    shared, out = Path(shared), Path(out)
    started = time.perf_counter()
    sections: list[str] = []
    parts: dict[str, float] = {}
    if cv_report and Path(cv_report).exists():
        sections.append(
            "## Grouped cross-validation of everything fitted (`scripts/fit_models.py`)\n\n"
            + Path(cv_report).read_text(encoding="utf-8").replace("\n### ", "\n#### ")
        )

    pan_dir = shared / "pan-no-obfuscation-sample"
    if (pan_dir / "pairs").exists():
        pan_truth = "truth-relocated" if (pan_dir / "truth-relocated").is_dir() else "truth"
        reports, pan_seconds = run_pan(pan_dir, methods, detections_dir=out.parent / "pan-detections",
                                       progress=progress, truth=pan_truth)
        sections.append(
            "## PAN text alignment (no-obfuscation sample, verbatim reuse)\n\n"
            f"Corpus `{pan_dir}`: {next(iter(reports.values())).pairs} pairs. Macro-averaged PAN measures "
            "(Potthast et al., COLING 2010). **Read with care**: in this sample the truth's suspicious offsets do "
            "not line up with the stored texts (the copy sits a few to ~1,700 characters away from where the truth "
            "says, the drift growing through each document, and line breaks differ), so a detector that finds the "
            "copied text perfectly cannot score 1 against it. Two things show what the figures are worth. The "
            "`exact-copy oracle` row reports each case's copy exactly where it sits: its score is the practical "
            "ceiling against this truth. And `spintrace eval pan` checks "
            "the truth itself: it finds where each case's source passage actually sits in the suspicious text "
            "(`evaluation/pan_truth_check.py`) and scores the same detections against that relocated truth "
            "in a second table, beside the first, never instead of it.\n\n"
            + pan_markdown(reports)
        )
        parts.update({f"PAN {m}": v for m, v in pan_seconds.items()})

    articles = shared / "bbc-news" / "articles.jsonl"
    groups = [
        ("Never-tuned set", sorted(Path(never_tuned).glob("*.jsonl")) if never_tuned else [],
         "Written for this project by other hands and never used to fit, tune or select anything: the fair "
         "estimate of how the method generalises (translations are left to the cross-language evaluation)."),
        ("Hand-written development set", sorted(Path(handmade).glob("*.jsonl")) if handmade else [],
         "The final models were fitted on this set (grouped cross-validation figures are in the first "
         "section), so these figures are optimistic for spintrace."),
        ("First held-out hand-written set", [Path(heldout) / "variants.jsonl"] if heldout else [],
         "Never tuned on before issue 10; since then part of the fitting data (grouped cross-validation "
         "figures in the first section), so these figures are optimistic for spintrace."),
        ("Shared `rewrites-dev` set", [shared / "rewrites-dev" / "variants.jsonl", shared / "rewrites-dev" / "variants-more.jsonl"],
         "The shared development set; part of the fitting data (grouped cross-validation figures in the "
         "first section), so these figures are optimistic for spintrace."),
    ]
    pairs_run = None
    for title, pair_files, note in groups:
        pair_files = [f for f in pair_files if f.exists()]
        if not pair_files or not articles.exists():
            continue
        run = run_pairs(pair_files, articles, methods, progress=progress)
        pairs_run = pairs_run or run
        sections.append(
            f"## Rewrites, spins, planted copies, summaries and independent reports of BBC articles: {title}\n\n"
            f"Files: {', '.join(f'`{p}`' for p in pair_files)}; {run.pairs} pairs (each source also against an "
            "unrelated article of its category and, for each spun and rewritten variant, two of its paragraphs "
            "planted into an article of another category; fixed seed). Reuse = rewrite, spun, planted, summary; "
            f"independent reports and unrelated articles must not be called reuse. {note}\n\n" + pairs_markdown(run)
        )
        parts.update({f"pairs {m} ({title})": v for m, v in run.seconds.items()})

    real = shared / "news-reuse-real" / "pairs.jsonl"
    if real.exists():
        start = time.perf_counter()
        sections.append(
            "## Real pages: labelled pairs of real news pages (development half)\n\n"
            f"`{real}`: copies (wire text republished whole or in part, edited, spun, machine-translated round "
            "trips) must be called reuse; other outlets' own reports of the same events must not. The final "
            "models were fitted on these pairs too (grouped-by-event cross-validation figures in the first "
            "section), so these figures are optimistic for spintrace.\n\n" + real_pages_section([real], methods, progress)
        )
        parts["real pages (all methods)"] = time.perf_counter() - start

    seed = shared / "seed-pair"
    if (seed / "source.txt").exists() and (seed / "suspect.txt").exists():
        sections.append(
            "## The seed pair: one real spun copy\n\n"
            f"`{seed}/source.txt` against `{seed}/suspect.txt` (word 5-gram containment only about 0.3: "
            "spinning breaks most 5-grams, so near-duplicate detection cannot see it).\n\n"
            + seed_pair_markdown((seed / "source.txt").read_text(encoding="utf-8"),
                                 (seed / "suspect.txt").read_text(encoding="utf-8"), methods)
        )

    mrpc = shared / "mrpc"
    if (mrpc / "msr_paraphrase_train.txt").exists() and (mrpc / "msr_paraphrase_dev.txt").exists():
        start = time.perf_counter()
        results, warnings = run_sentences(mrpc / "msr_paraphrase_train.txt", mrpc / "msr_paraphrase_dev.txt", methods,
                                          progress=progress)
        parts["MRPC (all methods)"] = time.perf_counter() - start
        sections.append(
            "## MRPC: the sentence matcher alone\n\n"
            "Thresholds chosen for accuracy on `msr_paraphrase_train.txt`, figures on `msr_paraphrase_dev.txt` "
            "(the rest of the official training part). Reference: fine-tuned transformer classifiers reach "
            "84-91% accuracy on the MRPC test part; MRPC positives are often independent reports of one fact, "
            "which spintrace is built *not* to call reuse.\n\n" + sentences_markdown(results, warnings)
        )

    plot_note = ""
    if pairs_run is not None:
        plot = plot_score_distributions(pairs_run.reports, scores_plot_path(out))
        plot_note = f"\n![Score distributions: reused vs independent vs unrelated pairs]({plot.name})\n"
    total = time.perf_counter() - started
    if seconds is not None:
        seconds.update(parts, total=total)
    timings = [f"{name}: {value:.0f} s" for name, value in parts.items()]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        "# spintrace evaluation\n\n"
        f"Generated {now} by `{command}` ({total / 60:.1f} min; {', '.join(timings)}).\n"
        "Methods: spintrace and the baselines (`minhash`: datasketch MinHash LSH over word 5-grams at "
        "threshold 0.8; `ngram`: word 5-gram containment >= 0.10 with greedy passage merge; `embedding`: "
        "MiniLM cosine of mean sentence embeddings >= 0.90 for documents, sentences >= 0.85 as passages, "
        "no alignment).\n"
    )
    out.write_text(header + plot_note + "\n" + "\n\n".join(sections), encoding="utf-8")
    return out
