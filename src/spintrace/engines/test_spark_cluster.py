"""``spintrace scan --engine spark`` on a real standalone cluster: executors in their own JVMs and
Python processes, a worker lost mid-scan, a driver killed mid-scan and the scan run again.

Every scan must write exactly the local engine's pairs.jsonl and families.jsonl. The corpus is
the hand-written variants in eval-data/ (rewrites, spun copies and independent reports of the same
events), so these tests need no shared data.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spintrace.engines.conftest import SRC, ensure_workers, variants_corpus
from spintrace.engines.local import scan_local

# Each test starts one or two Spark applications (a driver JVM each) on a busy 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

OUTPUTS = ("pairs.jsonl", "families.jsonl")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The corpus and the local engine's outputs for it."""
    folder = tmp_path_factory.mktemp("cluster-corpus")
    corpus = variants_corpus(folder)
    scan_local([str(corpus)], folder / "local", workers=1, with_reports=False, progress=False)
    outputs = {name: (folder / "local" / name).read_text(encoding="utf-8") for name in OUTPUTS}
    assert outputs["pairs.jsonl"].count("\n") >= 5  # rewrites and spins of the same articles pair up
    return corpus, outputs


@pytest.fixture
def scans() -> Iterator[list[subprocess.Popen]]:
    """Scan processes a test starts; any still running when it ends (a failure) are killed."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def start_scan(corpus: Path, out: Path, master: str, *extra: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p),
           "SPARK_LOCAL_IP": "127.0.0.1"}
    cmd = [sys.executable, "-m", "spintrace", "scan", str(corpus), "--out", str(out), "--engine", "spark",
           "--master", master, "--no-reports", "-q", *extra]
    # Its own session, so that killing it also kills its JVM (the Spark driver).
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            **popen)


def finish(proc: subprocess.Popen, timeout_s: float = 600) -> str:
    stdout, stderr = proc.communicate(timeout=timeout_s)
    assert proc.returncode == 0, stderr[-2000:]
    return stderr


def wait_for_aligned_parts(out: Path, proc: subprocess.Popen, timeout_s: float = 300) -> int:
    """Block until at least one alignment partition is recorded (alignment under way)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        parts = list((out / "work" / "aligned").glob("part-*.jsonl"))
        if parts:
            return len(parts)
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        time.sleep(0.2)
    raise AssertionError("alignment did not start")


def outputs_of(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in OUTPUTS}


def test_a_cli_scan_on_a_standalone_cluster_that_loses_a_worker_equals_the_local_engine(spark_cluster, reference, tmp_path, scans):
    """The cluster test and the kill-a-worker test in one scan: each Spark application costs a minute here."""
    corpus, expected = reference
    ensure_workers(spark_cluster)
    out = tmp_path / "out"
    proc = start_scan(corpus, out, spark_cluster.master_url, "--partitions", "12")
    scans.append(proc)
    wait_for_aligned_parts(out, proc)
    victim = next(n for n, w in enumerate(spark_cluster.workers) if w.poll() is None)
    spark_cluster.kill_worker(victim)
    finish(proc)
    assert spark_cluster.workers[victim].poll() is not None
    assert outputs_of(out) == expected  # Spark reran the lost tasks: no pair lost, none twice
    scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert scan["engine"] == "spark" and scan["documents"] == 24  # 8 articles x rewrite, spun, independent
    # The application ran on the cluster's executors, not in a local driver.
    apps = spark_cluster.state()["completedapps"]
    assert any(app["name"] == "spintrace-scan" for app in apps)
    ensure_workers(spark_cluster)


def test_a_scan_whose_driver_is_killed_resumes_from_its_finished_stages(spark_cluster, reference, tmp_path, scans):
    corpus, expected = reference
    ensure_workers(spark_cluster)
    out = tmp_path / "out"
    proc = start_scan(corpus, out, spark_cluster.master_url, "--partitions", "12")
    scans.append(proc)
    wait_for_aligned_parts(out, proc)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its JVM, as a crash or a lost machine would
    proc.wait()
    work = out / "work"
    assert (work / "candidates" / "_SUCCESS").is_file()
    done_before = len(list((work / "aligned").glob("part-*.jsonl")))
    assert 1 <= done_before < 12
    assert not (out / "pairs.jsonl").exists()

    # another count asked of the rerun is named as ignored: finished parts are numbered by the first
    scans.append(start_scan(corpus, out, spark_cluster.master_url, "--partitions", "5"))
    stderr = finish(scans[-1])
    assert "--partitions 5 ignored: resuming with the 12 partitions" in stderr
    resumed = int(stderr.split("resumed ", 1)[1].split(" of 12", 1)[0])
    assert resumed >= done_before  # the recorded partitions, not recomputed (parts may land after the kill)
    assert outputs_of(out) == expected


def test_a_scan_stopped_with_ctrl_c_says_so_in_one_line_and_resumes(spark_cluster, reference, tmp_path, scans):
    corpus, expected = reference
    ensure_workers(spark_cluster)
    out = tmp_path / "out"
    # A child inherits an ignored SIGINT from some earlier test of the suite: give it the default.
    proc = start_scan(corpus, out, spark_cluster.master_url, "--partitions", "12",
                      preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    scans.append(proc)
    wait_for_aligned_parts(out, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _, stderr = proc.communicate(timeout=120)
    # Before: pyspark's handler, py4j's "reentrant call" tracebacks and the executors' Java stacks.
    assert proc.returncode == 130, stderr[-3000:]
    assert stderr.strip() == (f"spintrace: interrupted; finished work is kept in {out / 'work'}: "
                              "run the same command again to resume"), stderr[-3000:]
    assert not (out / "pairs.jsonl").exists()
    scans.append(start_scan(corpus, out, spark_cluster.master_url))
    assert "resumed " in finish(scans[-1])
    assert outputs_of(out) == expected
