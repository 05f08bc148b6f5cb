"""A real Spark standalone cluster for the engine tests (master + two one-core workers).

Module-scoped: started once for the tests of a module, stopped (every JVM, executors included)
when they are done. Ports come from 41400-41499 (issue 14's range), so parallel test runs of
other work on this machine do not collide.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
VARIANTS = sorted((SRC.parent / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))


@pytest.fixture(scope="module")
def spark_cluster() -> Iterator:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java for Spark")
    from spintrace.engines.spark_standalone import StandaloneCluster

    # The executors' Python imports spintrace from the code under test, as the driver does.
    pythonpath = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    cluster = StandaloneCluster(workers=2, cores=1, memory="1g", ports=range(41400, 41500), env={"PYTHONPATH": pythonpath})
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def ensure_workers(cluster, count: int = 2, timeout_s: float = 120.0) -> None:
    """Start workers until ``count`` are alive (after a test killed one)."""
    state = cluster.state() or {}
    for _ in range(count - state.get("alive_workers", 0)):
        cluster.add_worker()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (cluster.state() or {}).get("alive_workers", 0) >= count:
            return
        time.sleep(0.5)
    raise AssertionError(f"fewer than {count} Spark workers alive after {timeout_s:.0f} s")


def variants_corpus(folder: Path, articles: int = 8) -> Path:
    """The rewrite, spun copy and independent report of the first ``articles`` events.

    A rewrite and a spin of one article are siblings (both made from it, not from each other):
    the models find 6 of these 8 sibling pairs, enough pairs and families to compare engines."""
    rows = [json.loads(line) for f in VARIANTS for line in f.open(encoding="utf-8") if line.strip()]
    ids = list(dict.fromkeys(r["id"] for r in rows))[:articles]
    records = [
        {"id": f"{r['variant']}/{ids.index(r['id']):02d}", "title": r["title"], "text": "\n\n".join(r["paragraphs"]),
         "published": "2005-01-11" if r["variant"] == "independent" else ("2005-01-12" if r["variant"] == "rewrite" else "2005-01-13"),
         "site": f"{r['variant']}.example"}
        for r in rows if r["id"] in ids
    ]
    path = folder / "variants.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
