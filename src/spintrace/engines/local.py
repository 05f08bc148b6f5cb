"""Local scan engine: the scan stages over all cores of one machine, resumable.

Work is recorded in ``OUT/work/``: the candidate pairs once blocking is done, then one file per
finished chunk of alignments (written atomically). A scan started again on the same corpus with
the same options skips everything already recorded, so an interrupted scan loses at most the
chunks that were in flight.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from spintrace.engines.families import Family, build_families
from spintrace.engines.output import ScanSummary, write_families, write_pairs, write_report, write_summary
from spintrace.engines.work_dir import WORK_DIR, open_out_folder, prepare_work_dir
from spintrace.engines.stages import (
    AnalysisCache,
    Embed,
    PairRecord,
    ScanDocument,
    ScanOptions,
    align_pairs,
    check_embedder_available,
    document_block_keys,
    read_corpus,
)
from spintrace.errors import InputError
from spintrace.processes import init_worker
from spintrace.retrieve.corpus_pairs import CandidateSet, candidate_pairs

# Pairs per unit of work (and per resume record) unless the caller sets ``chunk_pairs``: about 64
# chunks, 4 to 128 pairs each, so small scans still spread over every core and large ones lose
# little when interrupted.
MAX_CHUNK_PAIRS = 128
MIN_CHUNK_PAIRS = 4

# Set in the parent before the worker pool forks, so workers inherit the corpus without pickling.
_DOCS: Sequence[ScanDocument] = ()
_OPTIONS = ScanOptions()
_EMBED: Embed | None = None
_OUT: Path = Path(".")
_WITH_REPORTS = False
_CACHE: AnalysisCache | None = None


@dataclass(slots=True)
class ScanResult:
    """What a scan found, plus how much of it was resumed rather than recomputed."""

    summary: ScanSummary
    pairs: list[PairRecord]
    families: list[Family]
    chunks_total: int = 0
    chunks_resumed: int = 0
    documents: dict[str, ScanDocument] = field(default_factory=dict)


def _progress(enabled: bool) -> Progress:
    from rich.console import Console

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), disable=not enabled, transient=False, console=Console(stderr=True),
    )


def _manifest(docs: Sequence[ScanDocument], options: ScanOptions, with_reports: bool, chunk_pairs: int | None = None) -> dict:
    digest = hashlib.blake2b(digest_size=16)
    for d in docs:
        for part in (d.id, d.text, d.published or "", d.site or ""):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
    from spintrace import __version__

    return {"spintrace": __version__, "corpus": digest.hexdigest(), "documents": len(docs), "options": options.to_dict(),
            "reports": with_reports, "chunk_pairs": chunk_pairs}


def _keys_of(text: str) -> np.ndarray:
    # An int64 array, not a list: ~100 keys per document, 8 bytes each instead of a Python int's 32.
    return np.asarray(document_block_keys(text, _OPTIONS.blocking), dtype=np.int64)


def _init_worker() -> None:
    # One ONNX thread per worker process: the processes already use every core.
    os.environ["SPINTRACE_THREADS"] = "1"
    init_worker()


def _chunk_file(work: Path, n: int) -> Path:
    return work / "chunks" / f"chunk-{n:07d}.jsonl"


def _align_chunk(job: tuple[int, np.ndarray, np.ndarray]) -> tuple[int, int]:
    """One unit of alignment work; records its result file last, so a file means done."""
    global _CACHE
    n, left, right = job
    if _CACHE is None:
        _CACHE = AnalysisCache()
    found = align_pairs(
        ((_DOCS[i], _DOCS[j]) for i, j in zip(left.tolist(), right.tolist())),
        _OPTIONS, _CACHE, _EMBED, with_reports=_WITH_REPORTS,
    )
    for fp in found:
        if fp.report_html is not None:
            write_report(_OUT, fp.record, fp.report_html)
    target = _chunk_file(_OUT / WORK_DIR, n)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(fp.record.to_dict(), ensure_ascii=False) + "\n" for fp in found), encoding="utf-8")
    os.replace(tmp, target)
    return n, len(found)


def _blocking(docs: Sequence[ScanDocument], work: Path, pool, progress: Progress) -> CandidateSet:
    saved = work / "candidates.npz"
    if saved.exists():
        data = np.load(saved)
        return CandidateSet(**{name: data[name] for name in data.files})
    task = progress.add_task("fingerprinting", total=len(docs))
    keys: list[np.ndarray] = []
    texts = (d.text for d in docs)
    mapper = pool.imap(_keys_of, texts, chunksize=64) if pool else map(_keys_of, texts)
    for k in mapper:
        keys.append(k)
        progress.advance(task)
    # Past tens of millions of pair occurrences blocking spills shards to disk: the scan's own
    # work folder, which is writable and sized for the corpus, rather than the system's.
    cands = candidate_pairs(keys, _OPTIONS.blocking, spill_dir=work)
    tmp = work / "candidates.tmp.npz"
    np.savez(tmp, **cands.arrays())
    os.replace(tmp, saved)
    return cands


def scan_local(
    paths: Iterable[str],
    out: str | Path,
    options: ScanOptions = ScanOptions(),
    *,
    workers: int | None = None,
    with_reports: bool = True,
    embed: Embed | None = None,
    progress: bool = True,
    chunk_pairs: int | None = None,
    fresh: bool = False,
) -> ScanResult:
    """Scan a corpus for reuse on this machine and write the results into ``out``.

    ``workers`` defaults to all cores; 1 runs in this process (``embed`` then needs no pickling).
    ``chunk_pairs``: candidate pairs per unit of work, the granularity an interrupted scan resumes
    at (default: about 64 units, 4 to 128 pairs each). ``fresh`` discards what an earlier scan
    into ``out`` left instead of resuming it.
    """
    if chunk_pairs is not None and chunk_pairs < 1:
        raise InputError("--chunk-pairs", "must be at least 1")
    global _DOCS, _OPTIONS, _EMBED, _OUT, _WITH_REPORTS, _CACHE
    out = open_out_folder(Path(out))
    check_embedder_available(embed)
    corpus = read_corpus(paths, site_boilerplate=options.site_boilerplate)
    docs = corpus.documents
    work = prepare_work_dir(out, _manifest(docs, options, with_reports, chunk_pairs), fresh=fresh)
    (work / "chunks").mkdir(exist_ok=True)
    workers = max(1, workers or os.cpu_count() or 1)
    _DOCS, _OPTIONS, _EMBED, _OUT, _WITH_REPORTS, _CACHE = docs, options, embed, out, with_reports, None

    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker) if workers > 1 else None
    try:
        with _progress(progress) as bar:
            cands = _blocking(docs, work, pool, bar)
            size = chunk_pairs or min(MAX_CHUNK_PAIRS, max(MIN_CHUNK_PAIRS, len(cands) // 64))
            jobs = [
                (n, cands.left[s : s + size], cands.right[s : s + size])
                for n, s in enumerate(range(0, len(cands), size))
            ]
            pending = [job for job in jobs if not _chunk_file(work, job[0]).exists()]
            sizes = {n: len(left) for n, left, _ in jobs}
            task = bar.add_task("aligning candidates", total=len(cands),
                                completed=len(cands) - sum(sizes[job[0]] for job in pending))
            results = pool.imap_unordered(_align_chunk, pending) if pool else map(_align_chunk, pending)
            for n, _found in results:
                bar.advance(task, sizes[n])
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _DOCS, _CACHE, _EMBED = (), None, None

    pairs = [
        PairRecord.from_dict(json.loads(line))
        for job in jobs
        for line in _chunk_file(work, job[0]).read_text(encoding="utf-8").splitlines()
        if line
    ]
    by_id = {d.id: d for d in docs}
    families = build_families(pairs, {d.id: d.published for d in docs})
    summary = ScanSummary(
        documents=len(docs), skipped=corpus.skipped, skipped_examples=corpus.examples, boilerplate_documents=corpus.boilerplate_documents,
        candidates=len(cands), pairs=len(pairs), families=len(families), engine="local",
    )
    write_scan_outputs(out, summary, pairs, families, by_id, with_reports)
    return ScanResult(summary, pairs, families, len(jobs), len(jobs) - len(pending), by_id)


def write_scan_outputs(out: Path, summary: ScanSummary, pairs: list[PairRecord], families: list[Family],
                       docs: dict[str, ScanDocument], with_reports: bool) -> None:
    """Everything a scan leaves: pairs (JSONL, Parquet), families, summary page, scan.json."""
    write_pairs(out, pairs)
    write_families(out, families)
    write_summary(out, summary, families, pairs, docs, with_reports)
    (out / "scan.json").write_text(json.dumps(summary.to_dict(), indent=2) + "\n", encoding="utf-8")
