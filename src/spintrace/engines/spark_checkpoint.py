"""What makes a Spark scan resumable: each stage records its finished output under ``OUT/work/``.

* ``manifest.json``: the corpus digest, options and engine; a scan of another corpus, with other
  options or on the other engine starts the folder afresh (as the local engine does).
* ``spark-documents.parquet``: the documents, one row each, which every executor reads.
* ``candidates/``: the candidate pairs after blocking, Parquet written by Spark; its ``_SUCCESS``
  marker means the stage finished.
* ``aligned/``: one file per alignment partition (``part-NNNNN.jsonl``, written atomically by the
  task that aligned it, so a file means done) and ``partitions.json``, the partition count the
  candidates were split into. A rerun splits them the same way, so a task whose file exists reads
  it instead of aligning again. A task retried after its executor died, or resumed after the
  driver died, writes or reads the same file: no pair is lost or counted twice.

Families are cheap and are recomputed from the aligned pairs.

On a cluster ``OUT`` must be storage that the driver and every executor see at the same path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from spintrace.engines.work_dir import WORK_DIR, prepare_work_dir  # noqa: F401 - re-exported for the Spark engine


def documents_path(work: Path) -> Path:
    return work / "spark-documents.parquet"


def candidates_path(work: Path) -> Path:
    return work / "candidates"


def stage_done(path: Path) -> bool:
    """A stage Spark wrote as a folder finished when its ``_SUCCESS`` marker exists."""
    return (path / "_SUCCESS").is_file()


class AlignedParts:
    """The per-partition alignment records of a scan: ``OUT/work/aligned/``."""

    def __init__(self, work: Path) -> None:
        self.folder = (work / "aligned").resolve()

    def partitions(self, wanted: int) -> int:
        """The partition count to align with: the recorded one when resuming, else ``wanted``
        (recorded now, before any part exists, so parts always match the count)."""
        record = self.folder / "partitions.json"
        if record.is_file():
            return int(json.loads(record.read_text(encoding="utf-8"))["partitions"])
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = record.with_suffix(".tmp")
        tmp.write_text(json.dumps({"partitions": wanted}), encoding="utf-8")
        os.replace(tmp, record)
        return wanted

    def file(self, partition: int) -> Path:
        return self.folder / f"part-{partition:05d}.jsonl"

    def finished(self) -> int:
        return sum(1 for _ in self.folder.glob("part-*.jsonl"))

    def read(self, partition: int) -> list[dict] | None:
        """The rows a partition's task recorded, or None when it has not finished."""
        try:
            text = self.file(partition).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return [json.loads(line) for line in text.splitlines() if line]

    def write(self, partition: int, attempt: int, rows: list[dict]) -> None:
        """Record a partition's rows atomically (a temporary file per attempt, then a rename)."""
        target = self.file(partition)
        tmp = self.folder / f".part-{partition:05d}.{attempt}.{os.getpid()}.tmp"
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        os.replace(tmp, target)
