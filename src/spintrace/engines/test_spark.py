"""The Spark engine (local mode, system Java) finds exactly what the local engine finds."""

from __future__ import annotations

import json
import shutil

import pytest

from spintrace.engines.local import scan_local
from spintrace.engines.test_local import write_corpus, write_site_corpus, write_translated_corpus

pyspark = pytest.importorskip("pyspark")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("no Java for Spark")
    from spintrace.engines.spark_session import start_session

    session = start_session("local[2]", progress=False, shuffle_partitions=4)
    yield session
    session.stop()


def test_local_and_spark_engines_give_the_same_pairs_and_families(spark, seed_pair, tmp_path):
    from spintrace.engines.spark import scan_spark

    corpus = write_corpus(tmp_path, seed_pair)
    lo = scan_local([str(corpus)], tmp_path / "local", workers=2, progress=False)
    sp = scan_spark([str(corpus)], tmp_path / "spark", spark=spark, partitions=3, progress=False)
    assert len(lo.pairs) == 2
    for name in ("pairs.jsonl", "families.jsonl"):
        assert (tmp_path / "spark" / name).read_text(encoding="utf-8") == (tmp_path / "local" / name).read_text(encoding="utf-8")
    assert sp.summary.to_dict() | {"engine": "local"} == lo.summary.to_dict()
    assert sorted(p.name for p in (tmp_path / "spark" / "reports").iterdir()) == sorted(
        p.name for p in (tmp_path / "local" / "reports").iterdir()
    )
    scan = json.loads((tmp_path / "spark" / "scan.json").read_text(encoding="utf-8"))
    assert scan["engine"] == "spark" and scan["skipped"]["malformed JSON"] == 1


def test_both_engines_find_the_same_translated_copies(spark, tmp_path):
    from spintrace.engines.spark import scan_spark

    corpus = write_translated_corpus(tmp_path)
    scan_local([str(corpus)], tmp_path / "local", workers=1, progress=False, with_reports=False)
    scan_spark([str(corpus)], tmp_path / "spark", spark=spark, partitions=3, progress=False, with_reports=False)
    local_pairs = (tmp_path / "local" / "pairs.jsonl").read_text(encoding="utf-8")
    assert local_pairs.count("/translation") >= 4
    candidates = [json.loads((tmp_path / engine / "scan.json").read_text(encoding="utf-8"))["candidates"]
                  for engine in ("local", "spark")]
    assert candidates[0] == candidates[1]
    for name in ("pairs.jsonl", "families.jsonl"):
        assert (tmp_path / "spark" / name).read_text(encoding="utf-8") == (tmp_path / "local" / name).read_text(encoding="utf-8")


def test_a_spark_scan_that_cannot_start_leaves_the_previous_results_alone(seed_pair, tmp_path):
    import os
    import socket
    import subprocess
    import sys

    if shutil.which("java") is None:
        pytest.skip("no Java for Spark")
    corpus = write_corpus(tmp_path, seed_pair)
    out = tmp_path / "out"
    scan_local([str(corpus)], out, workers=1, progress=False, with_reports=False)
    before = (out / "pairs.jsonl").read_text(encoding="utf-8")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}

    def scan(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "spintrace", "scan", str(corpus), "--out", str(out), "--engine", "spark",
                               "-q", "--no-reports", *extra], capture_output=True, text=True, timeout=300, env=env)

    # the results were cleared before Spark failed to start
    bad_master = scan("--master", "nonsense://x")
    # one line that says why, not spark-submit's Java stack (that is in the log the line names)
    assert bad_master.returncode == 2 and bad_master.stderr.strip() == (
        "spintrace: error: cannot start Spark: Master must either be yarn or start with spark, k8s, or local "
        f"(details in {out / 'spintrace-spark.log'})")
    assert "SparkSubmit" in (out / "spintrace-spark.log").read_text(encoding="utf-8")
    # Spark's standalone client tried three times, 20 s each, then printed Java stacks
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = scan("--master", f"spark://127.0.0.1:{port}")
    assert unreachable.returncode == 2
    assert unreachable.stderr.strip() == f"spintrace: error: cannot reach the Spark master (127.0.0.1:{port}: Connection refused)"
    # a traceback, and the bad value recorded so that every rerun failed too
    for value in ("0", "-1", "1000000000"):
        bad = scan("--partitions", value)
        assert bad.returncode == 2 and bad.stderr.strip() == "spintrace: error: --partitions: must be between 1 and 100,000"
    assert (out / "pairs.jsonl").read_text(encoding="utf-8") == before and (out / "scan.json").is_file()


def test_both_engines_leave_out_a_sites_template_alike(spark, tmp_path):
    from spintrace.engines.spark import scan_spark

    corpus, records = write_site_corpus(tmp_path)
    lo = scan_local([str(corpus)], tmp_path / "local", workers=1, progress=False, with_reports=False)
    sp = scan_spark([str(corpus)], tmp_path / "spark", spark=spark, partitions=3, progress=False, with_reports=False)
    assert [(p.source_id, p.suspect_id) for p in sp.pairs] == [(records[0]["id"], "copy/edited")]
    assert sp.summary.boilerplate_documents == lo.summary.boilerplate_documents == 7
    for name in ("pairs.jsonl", "families.jsonl"):
        assert (tmp_path / "spark" / name).read_text(encoding="utf-8") == (tmp_path / "local" / name).read_text(encoding="utf-8")
