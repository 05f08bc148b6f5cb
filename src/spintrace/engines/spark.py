"""Apache Spark scan engine: the same scan stages, distributed with ``mapInPandas``.

Needs the optional extra ``spintrace[spark]`` (pyspark, pandas) and Java 17+. Runs in
``local[*]`` unless given a master URL. How the work is partitioned:

1. **fingerprint**: documents (Parquet, one row each) are split across tasks; each task computes
   the block keys of its documents (``document_block_keys``) -> rows ``(member, key)`` as
   ``posting`` writes them (a cross-language key's member also carries the document's side).
2. **blocking**: a shuffle groups rows by key; each block proposes its pairs (``block_pairs``),
   a second shuffle by pair counts shared keys and keeps candidates (``is_candidate``, plus each
   document's best-sharing neighbours, ``best_neighbours``, grouped by document).
3. **alignment**: candidates are joined to both texts and repartitioned by their first document,
   so each task aligns all the candidates of a set of documents and analyses each document once
   (``align_pairs``). This is nearly all of the work and spreads over every executor core.
4. **families**: the reuse pairs (few, ids only) are labelled by connected component on the
   driver; each component's family (origin, derivation tree) is built in parallel by
   ``groupBy(component).applyInPandas(build_family)``.

Results come back to the driver, which writes the same files as the local engine. Each stage
records its output under ``OUT/work/`` (``engines.spark_checkpoint``), so an interrupted scan
resumes where it stopped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from spintrace.engines.families import build_family, connected_components, number_families
from spintrace.engines.local import ScanResult, _manifest, write_scan_outputs
from spintrace.engines.output import ScanSummary, write_report
from spintrace.engines.spark_checkpoint import (
    AlignedParts,
    candidates_path,
    documents_path,
    prepare_work_dir,
    stage_done,
)
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
from spintrace.engines.spark_session import PYSPARK_MISSING, SPARK_LOG, clear_progress_bar, failure_cause, start_session
from spintrace.engines.work_dir import open_out_folder
from spintrace.errors import InputError, SpintraceError
from spintrace.retrieve.blocking import (
    best_cross_neighbours, best_neighbours, block_pairs, is_candidate, key_kind, posting,
)

# Each partition is a file of aligned pairs under OUT/work/aligned: a million would be a million
# files and tasks (a billion ran the driver out of memory).
MAX_PARTITIONS = 100_000
KEYS_SCHEMA = "member long, key long"  # member: ``posting``'s (the document, or document and side)
BLOCK_PAIRS_SCHEMA = "left long, right long, kind int"
CANDIDATES_SCHEMA = "left long, right long, shared_rare long, shared_anchors long, shared_bands long"
FOUND_SCHEMA = "source_id string, suspect_id string, record string, report string"
FAMILY_SCHEMA = "family string"


def _fingerprint(options: ScanOptions):
    def run(batches: Iterator) -> Iterator:
        import pandas as pd

        for batch in batches:
            members, keys = [], []
            for i, text in zip(batch["idx"].tolist(), batch["text"].tolist()):
                for key in document_block_keys(text, options.blocking):
                    block, member = posting(i, key)
                    members.append(member)
                    keys.append(block)
            yield pd.DataFrame({"member": pd.Series(members, dtype="int64"), "key": pd.Series(keys, dtype="int64")})

    return run


def _propose_pairs(options: ScanOptions):
    def run(batches: Iterator) -> Iterator:
        import pandas as pd

        for batch in batches:
            left, right, kind = [], [], []
            for key, members in zip(batch["key"].tolist(), batch["members"].tolist()):
                pairs = block_pairs(list(members), int(key), options.blocking)
                left.extend(a for a, _ in pairs)
                right.extend(b for _, b in pairs)
                kind.extend([key_kind(int(key))] * len(pairs))
            yield pd.DataFrame({
                "left": pd.Series(left, dtype="int64"), "right": pd.Series(right, dtype="int64"),
                "kind": pd.Series(kind, dtype="int32"),
            })

    return run


def _keep_candidates(options: ScanOptions):
    def run(batches: Iterator) -> Iterator:
        for batch in batches:
            keep = [
                is_candidate(r, a, b, options.blocking)
                for r, a, b in zip(batch["shared_rare"].tolist(), batch["shared_anchors"].tolist(), batch["shared_bands"].tolist())
            ]
            yield batch[keep]

    return run


def _best_neighbours(options: ScanOptions):
    def run(group):
        keep = best_neighbours(group["doc"].to_numpy(), group["other"].to_numpy(), group["shared_rare"].to_numpy(),
                               group["shared_anchors"].to_numpy(), options.blocking)
        return group.loc[keep, ["left", "right", "shared_rare", "shared_anchors", "shared_bands"]]

    return run


def _best_cross_neighbours(options: ScanOptions):
    def run(group):
        # One document's best level of shared cross-language keys; the local engine's
        # ``cross_fallback_candidates`` takes the same from both documents of a pair.
        doc, other, cross = group["doc"].to_numpy(), group["other"].to_numpy(), group["shared_cross"].to_numpy()
        keep = best_cross_neighbours(doc, other, cross, options.blocking)
        return group.loc[keep, ["left", "right", "shared_rare", "shared_anchors", "shared_bands"]]

    return run


def _doc(row: dict, side: str) -> ScanDocument:
    def val(name: str):
        v = row[f"{side}_{name}"]
        return None if v is None or (isinstance(v, float) and v != v) else v

    return ScanDocument(int(row[f"{side}_idx"]), val("id"), val("text"), val("title"), val("published"), val("site"), val("url"))


def _align(options: ScanOptions, with_reports: bool, embed: Embed | None, parts: AlignedParts):
    def run(batches: Iterator) -> Iterator:
        import pandas as pd
        from pyspark import TaskContext

        task = TaskContext.get()
        partition = task.partitionId()
        rows = parts.read(partition)  # aligned before an interruption, or by a lost executor
        if rows is None:
            os.environ.setdefault("SPINTRACE_THREADS", "1")
            cache = AnalysisCache()  # one per task: candidates arrive grouped by their first document
            rows = []
            for batch in batches:
                candidates = batch.to_dict("records")
                found = align_pairs(((_doc(r, "a"), _doc(r, "b")) for r in candidates), options, cache, embed,
                                    with_reports=with_reports)
                rows.extend({"source_id": f.record.source_id, "suspect_id": f.record.suspect_id,
                             "record": json.dumps(f.record.to_dict(), ensure_ascii=False),
                             "report": f.report_html or ""} for f in found)
            parts.write(partition, task.attemptNumber(), rows)
        if rows:
            yield pd.DataFrame(rows, columns=["source_id", "suspect_id", "record", "report"])

    return run


def _families(published: dict[str, str | None]):
    def run(group):
        import pandas as pd

        pairs = [PairRecord.from_dict(json.loads(r)) for r in group["record"].tolist()]
        fam = build_family(str(group["component"].iloc[0]), pairs, published)
        return pd.DataFrame({"family": [json.dumps(fam.to_dict(), ensure_ascii=False)]})

    return run


def _candidates(spark, documents, options: ScanOptions):
    """Fingerprint and blocking as one Spark plan: the candidate pairs with their shared-key counts."""
    from pyspark.sql import functions as F

    keys = documents.select("idx", "text").mapInPandas(_fingerprint(options), KEYS_SCHEMA)
    blocks = (
        keys.groupBy("key").agg(F.collect_list("member").alias("members"))
        .where(F.size("members") >= 2)
    )
    proposed = blocks.mapInPandas(_propose_pairs(options), BLOCK_PAIRS_SCHEMA)
    # Kinds as ``blocking.key_kind``: 1 rare-word pair, 2 LSH band, 3 sentence anchor, 0 a
    # cross-language key (which counts as an anchor too).
    counted = proposed.groupBy("left", "right").agg(
        F.sum((F.col("kind") == 1).cast("long")).alias("shared_rare"),
        F.sum(F.col("kind").isin(0, 3).cast("long")).alias("shared_anchors"),
        F.sum((F.col("kind") == 2).cast("long")).alias("shared_bands"),
        F.sum((F.col("kind") == 0).cast("long")).alias("shared_cross"),
    )
    columns = ["left", "right", "shared_rare", "shared_anchors", "shared_bands"]
    kept = counted.select(*columns).mapInPandas(_keep_candidates(options), CANDIDATES_SCHEMA)
    parts = [kept]

    def both_ways(pairs):
        wanted = [*columns, "shared_cross"]
        return pairs.select(F.col("left").alias("doc"), F.col("right").alias("other"), *wanted).unionByName(
            pairs.select(F.col("right").alias("doc"), F.col("left").alias("other"), *wanted))

    if options.blocking.fallback_neighbours > 0:
        # Each document's best-sharing neighbours, as the local engine's ``candidate_pairs`` adds them.
        eligible = counted.where(F.col("shared_rare") >= options.blocking.min_fallback_rare)
        parts.append(both_ways(eligible).groupBy("doc").applyInPandas(_best_neighbours(options), CANDIDATES_SCHEMA))
    if options.blocking.cross_fallback:
        # Only the foreign document of a cross-language pair chooses (``cross_fallback_candidates``):
        # a document is foreign when one of its cross-language postings carries side 1.
        foreign = (
            keys.where((F.shiftright("key", 61).bitwiseAND(3) == 0) & (F.col("member") % 2 == 1))
            .select(F.floor(F.col("member") / 2).cast("long").alias("doc")).distinct()
        )
        crossing = both_ways(counted.where(F.col("shared_cross") >= 1)).join(foreign, on="doc", how="inner")
        parts.append(crossing.groupBy("doc").applyInPandas(_best_cross_neighbours(options), CANDIDATES_SCHEMA))
    result = parts[0]
    for part in parts[1:]:
        result = result.unionByName(part)
    return result.dropDuplicates(["left", "right"]) if len(parts) > 1 else result


def _user_error(exc: Exception, log_path: Path | None = None) -> BaseException:
    """What to raise for an error out of Spark: the Ctrl-C or SIGTERM that a py4j error hid (a
    call cut short leaves the gateway unusable for the next one), a ``SpintraceError`` raised
    inside a task as one line again, any other Spark or py4j error as one line naming its cause;
    anything else unchanged."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__context__
    if isinstance(exc, SpintraceError):
        return exc
    for line in reversed(str(exc).splitlines()):
        if "SpintraceError: " in line or "InputError: " in line:
            return SpintraceError(line.split("Error: ", 1)[1].strip())
    if type(exc).__module__.startswith(("py4j", "pyspark")):
        where = f" (details in {log_path})" if log_path is not None else ""
        return SpintraceError(f"Spark failed: {failure_cause(str(exc))}{where}")
    return exc


def _write_documents(docs: list[ScanDocument], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "idx": pa.array([d.index for d in docs], pa.int64()),
        "id": [d.id for d in docs], "text": [d.text for d in docs], "title": [d.title for d in docs],
        "published": [d.published for d in docs], "site": [d.site for d in docs], "url": [d.url for d in docs],
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=2000)


def scan_spark(
    paths: Iterable[str],
    out: str | Path,
    options: ScanOptions = ScanOptions(),
    *,
    master: str = "local[*]",
    partitions: int | None = None,
    with_reports: bool = True,
    progress: bool = True,
    spark=None,
    embed: Embed | None = None,
    fresh: bool = False,
) -> ScanResult:
    """Scan a corpus for reuse on Apache Spark and write the same outputs as ``scan_local``.

    Resumable: Spark retries the tasks of a lost executor, and a scan interrupted as a whole
    resumes from what ``OUT/work/`` records (``engines.spark_checkpoint``).

    ``spark`` reuses an existing session; ``embed`` (picklable) swaps the sentence embedder;
    ``fresh`` discards what an earlier scan into ``out`` left instead of resuming it.
    """
    if partitions is not None and not 1 <= partitions <= MAX_PARTITIONS:
        raise InputError("--partitions", f"must be between 1 and {MAX_PARTITIONS:,}")
    try:
        from pyspark.sql import functions as F
    except ImportError:
        raise SpintraceError(PYSPARK_MISSING) from None

    out = open_out_folder(Path(out))
    check_embedder_available(embed)
    corpus = read_corpus(paths, site_boilerplate=options.site_boilerplate)
    docs = corpus.documents
    if len(docs) < 2:  # nothing to pair: no reason to start a JVM
        summary = ScanSummary(documents=len(docs), skipped=corpus.skipped, skipped_examples=corpus.examples, boilerplate_documents=corpus.boilerplate_documents, engine="spark")
        write_scan_outputs(out, summary, [], [], {d.id: d for d in docs}, with_reports)
        return ScanResult(summary, [], [], documents={d.id: d for d in docs})
    # Executors read the documents from Parquet under --out: on a cluster, --out must be on storage
    # every executor sees at the same path (NFS, a mounted bucket).
    # Spark starts before anything of an earlier scan is cleared: a wrong --master or a missing
    # Java must leave its results alone.
    own_session = spark is None
    spark = spark or start_session(master, progress, log_path=out / SPARK_LOG)
    try:
        work = prepare_work_dir(out, _manifest(docs, options, with_reports) | {"engine": "spark"}, fresh=fresh).resolve()
        docs_path = documents_path(work)
        if not docs_path.is_file():
            _write_documents(docs, docs_path)
        parts = AlignedParts(work)
        recorded = parts.partitions(partitions or 4 * spark.sparkContext.defaultParallelism)
        if partitions is not None and partitions != recorded:
            # finished parts are numbered by the recorded count: resuming cannot change it
            print(f"spintrace: warning: --partitions {partitions} ignored: resuming with the {recorded} partitions "
                  "this scan started with (--fresh starts over)", file=sys.stderr)
        partitions = recorded

        documents = spark.read.parquet(str(docs_path))
        saved_candidates = candidates_path(work)
        if not stage_done(saved_candidates):
            _candidates(spark, documents, options).write.mode("overwrite").parquet(str(saved_candidates))
        candidates = spark.read.parquet(str(saved_candidates))
        n_candidates = candidates.count()

        def side(prefix: str):
            return documents.select(*[F.col(c).alias(f"{prefix}_{c}") for c in documents.columns])

        joined = (
            candidates.join(side("a"), F.col("left") == F.col("a_idx"))
            .join(side("b"), F.col("right") == F.col("b_idx"))
            .repartition(partitions, "left")
            .sortWithinPartitions("left", "right")
            .select(*[f"{s}_{c}" for s in ("a", "b") for c in documents.columns])
        )
        resumed = parts.finished()
        found_rows = joined.mapInPandas(_align(options, with_reports, embed, parts), FOUND_SCHEMA).collect()

        pairs = [PairRecord.from_dict(json.loads(r["record"])) for r in found_rows]
        if with_reports:
            for r, p in zip(found_rows, pairs):
                write_report(out, p, r["report"])
        published = {d.id: d.published for d in docs}
        component = connected_components(p.key for p in pairs)
        families = []
        if pairs:
            labelled = spark.createDataFrame(
                [(component[p.source_id], r["record"]) for p, r in zip(pairs, found_rows)], "component string, record string"
            )
            member_dates = {m: published.get(m) for m in component}
            families_rows = labelled.groupBy("component").applyInPandas(_families(member_dates), FAMILY_SCHEMA).collect()
            from spintrace.engines.families import Family

            families = [Family(**json.loads(r["family"])) for r in families_rows]
        families = number_families(families)
        summary = ScanSummary(
            documents=len(docs), skipped=corpus.skipped, skipped_examples=corpus.examples, boilerplate_documents=corpus.boilerplate_documents,
            candidates=int(n_candidates), pairs=len(pairs), families=len(families), engine="spark",
        )
        write_scan_outputs(out, summary, pairs, families, {d.id: d for d in docs}, with_reports)
        return ScanResult(summary, pairs, families, partitions, resumed, documents={d.id: d for d in docs})
    except Exception as exc:
        raise _user_error(exc, out / SPARK_LOG if own_session else None) from None
    finally:
        clear_progress_bar()  # an interrupted scan's last line starts on a clean line
