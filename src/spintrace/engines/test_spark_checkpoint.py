"""The records that make a Spark scan resumable (no Spark needed)."""

from __future__ import annotations

import json

from spintrace.engines.spark_checkpoint import AlignedParts, prepare_work_dir, stage_done


def test_the_work_folder_survives_only_for_the_same_manifest(tmp_path):
    work = prepare_work_dir(tmp_path, {"corpus": "a", "engine": "spark"})
    (work / "candidates").mkdir()
    (work / "candidates" / "_SUCCESS").write_text("")
    assert stage_done(prepare_work_dir(tmp_path, {"corpus": "a", "engine": "spark"}) / "candidates")
    # Another corpus (or the local engine's manifest, which has no "engine") starts afresh.
    assert not stage_done(prepare_work_dir(tmp_path, {"corpus": "b", "engine": "spark"}) / "candidates")
    assert json.loads((work / "manifest.json").read_text())["corpus"] == "b"


def test_alignment_parts_keep_their_first_partition_count_and_read_back_what_was_written(tmp_path):
    parts = AlignedParts(tmp_path)
    assert parts.partitions(12) == 12
    assert AlignedParts(tmp_path).partitions(8) == 12  # a resumed scan splits candidates as before
    assert parts.read(3) is None and parts.finished() == 0
    rows = [{"source_id": "a", "suspect_id": "b", "record": "{}", "report": ""}]
    parts.write(3, attempt=0, rows=rows)
    parts.write(4, attempt=1, rows=[])  # an empty partition is finished too
    parts.write(3, attempt=1, rows=rows)  # a retried task rewrites the same file: no duplicate
    assert parts.read(3) == rows and parts.read(4) == [] and parts.finished() == 2
    assert not list(parts.folder.glob("*.tmp"))
