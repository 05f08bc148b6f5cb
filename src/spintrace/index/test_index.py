"""The corpus index on real SQLite files: incremental ingest, removal, retrieval, damage handling,
and a kill -9 in the middle of an ingest."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from spintrace.errors import CorpusIndexError
from spintrace.fingerprint import document_fingerprint
from spintrace.index import Index
from spintrace.ingest import Document
from spintrace.retrieve.candidates import retrieve_candidates

from conftest import shared_path

ROOT = Path(__file__).resolve().parents[3]


def zero_embed(texts):
    """Stands in for the sentence model where a test checks plumbing, not verdicts."""
    return np.zeros((len(texts), 384), dtype=np.float32)


ARTICLES = {
    "kz": "Kazakhstan's president Kassym-Jomart Tokayev asked the CSTO alliance for help after protests in Almaty. "
    "Russian paratroopers arrived on Thursday, the defence ministry in Moscow said.",
    "shell": "Shell is to pay $1m to the ex-finance chief Judy Boynton who stepped down after the firm over-stated "
    "its reserves by 20%. Jeroen van der Veer said the pay-off was agreed in 2004.",
    "boeing": "Boeing unveiled the 777-200LR, able to fly 11,000 miles, as it tries to win back the title of the "
    "biggest planemaker from Airbus. Pakistan International Airlines is the first customer.",
}


def docs() -> list[Document]:
    return [Document(id=k, text=v, title=k.upper()) for k, v in ARTICLES.items()]


def test_add_is_incremental_and_updates_changed_text(tmp_path: Path) -> None:
    index = Index(tmp_path / "idx")
    first = index.add_documents(docs())
    assert (first.added, first.unchanged, first.updated) == (3, 0, 0)
    again = index.add_documents(docs())
    assert (again.added, again.unchanged, again.updated) == (0, 3, 0)
    changed = [Document(id="shell", text=ARTICLES["shell"].replace("$1m", "$2m"), title="SHELL")]
    assert index.add_documents(changed).updated == 1
    assert len(index) == 3 and "$2m" in index.get("shell").text and index.get("shell").title == "SHELL"
    # One id twice in a run: counted as a duplicate, not as unchanged, and the later record stored.
    twice = index.add_documents([Document(id="twin", text=ARTICLES["shell"]), Document(id="twin", text=ARTICLES["boeing"])])
    assert (twice.added, twice.unchanged, twice.duplicates) == (1, 0, 1) and index.get("twin").text == ARTICLES["boeing"]
    index.remove("twin")
    # The replaced version's postings are gone, the new ones findable.
    fp = document_fingerprint(ARTICLES["shell"])
    assert [c.doc for c in retrieve_candidates(index._store, fp, 5)][:1] == [index.get("shell").doc]
    stats = index.stats()
    assert stats["documents"] == 3 and stats["sentences"] == 6 and stats["bytes_on_disk"] > 0


def test_remove_and_unknown_ids(tmp_path: Path) -> None:
    index = Index(tmp_path / "idx")
    index.add_documents(docs())
    assert index.remove("kz", "nope") == ["nope"]
    assert len(index) == 2 and index.get("kz") is None
    rows = index._store.conn.execute("SELECT count(*) FROM postings WHERE doc NOT IN (SELECT doc FROM documents)")
    assert rows.fetchone()[0] == 0


def test_add_single_text_and_search_ranks_the_source_first(tmp_path: Path) -> None:
    index = Index(tmp_path / "idx")
    index.add_documents(docs())
    doc_id = index.add("Some unrelated article about gardening and roses in an English village this spring.")
    assert index.get(doc_id) is not None
    spun = ("The president of Kazakhstan, Kassym-Jomart Tokayev, requested CSTO bloc assistance following "
            "demonstrations in Almaty. Russian airborne troops landed on Thursday, Moscow's defence ministry stated.")
    hits = index.search(spun, top=2, embed=zero_embed)
    assert hits[0].id == "kz" and hits[0].rank == 1
    data = hits[0].to_dict()
    assert data["id"] == "kz" and "verdict" in data and "suspect_text" not in data["comparison"]


@pytest.mark.shared_data
def test_search_on_bbc_finds_spun_and_rewritten_sources(tmp_path: Path) -> None:
    articles = shared_path("bbc-news", "articles.jsonl")
    variants = [json.loads(line) for f in sorted((ROOT / "eval-data" / "rewrites-handmade").glob("*.jsonl"))
                for line in open(f, encoding="utf-8") if line.strip()]
    index = Index(tmp_path / "bbc")
    report = index.add_paths([articles])
    assert report.added > 2000 and not report.skipped
    found = 0
    reused_variants = [v for v in variants if v["variant"] in ("rewrite", "spun")]
    for v in reused_variants:
        fp = document_fingerprint("\n\n".join(v["paragraphs"]))
        top = retrieve_candidates(index._store, fp, 1)
        found += bool(top) and index._store.get_many([top[0].doc])[top[0].doc].id == v["id"]
    assert found >= 0.95 * len(reused_variants)


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: d.write_text("a file"), "is a file"),
        (lambda d: (d.mkdir(), (d / "notes.txt").write_text("x")), "not a spintrace index"),
        (lambda d: (d.mkdir(), (d / "index.sqlite").write_bytes(b"garbage" * 1000)), "not an SQLite database"),
        (lambda d: (d.mkdir(), sqlite3.connect(d / "index.sqlite").execute("CREATE TABLE t (x)").connection.commit()),
         "not a spintrace index"),
    ],
    ids=["file", "foreign-dir", "garbage-db", "foreign-sqlite"],
)
def test_foreign_or_corrupted_index_gives_a_clear_error(tmp_path: Path, setup, message: str) -> None:
    target = tmp_path / "idx"
    setup(target)
    with pytest.raises(CorpusIndexError, match=message):
        Index(target)


@pytest.mark.parametrize("create", [True, False])
def test_a_database_that_is_not_an_index_is_refused_as_it_was_found(tmp_path: Path, create: bool) -> None:
    target = tmp_path / "idx"
    target.mkdir()
    db = target / "index.sqlite"
    for content in (b"garbage" * 1000, b""):
        db.write_bytes(content)
        if content or not create:  # an empty file is only adopted by a command that builds an index
            with pytest.raises(CorpusIndexError, match="not an SQLite database|is empty"):
                Index(target, create=create)
            assert db.read_bytes() == content and sorted(p.name for p in target.iterdir()) == ["index.sqlite"]
    db.unlink()
    foreign = sqlite3.connect(db)
    foreign.execute("CREATE TABLE t (x)")
    foreign.commit()
    foreign.close()
    before = db.read_bytes()
    with pytest.raises(CorpusIndexError, match="not a spintrace index"):
        Index(target, create=create)
    assert db.read_bytes() == before  # not switched to WAL mode
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_missing_index_is_not_created_for_reading(tmp_path: Path) -> None:
    with pytest.raises(CorpusIndexError, match="no index here"):
        Index(tmp_path / "none", create=False)
    assert not (tmp_path / "none").exists()


def test_cli_corrupted_index_is_one_line_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "idx"
    Index(target).close()
    data = (target / "index.sqlite").read_bytes()
    (target / "index.sqlite").write_bytes(data[:100] + b"\x00" * 50 + data[150:])
    result = subprocess.run(
        [sys.executable, "-m", "spintrace", "index", "stats", "--index", str(target)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("spintrace: error:") and "Traceback" not in result.stderr


def test_cli_add_counts_and_names_bad_records(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [json.dumps({"id": k, "text": v}) for k, v in ARTICLES.items()]
    lines.insert(1, '{"id": "broken", "text": ')
    (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 prices rose 3% in Par\xeds.".encode("latin-1"))
    result = subprocess.run(
        [sys.executable, "-m", "spintrace", "index", "add", str(corpus), "--index", str(tmp_path / "idx"),
         "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == 3 and report["skipped"] == 2
    assert "a.jsonl:2" in result.stderr and "latin1.txt" in result.stderr and "UTF-8" in result.stderr
    stats = subprocess.run(
        [sys.executable, "-m", "spintrace", "index", "stats", "--index", str(tmp_path / "idx"), "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    assert json.loads(stats.stdout)["documents"] == 3


INGEST_SCRIPT = """
import sys
from spintrace.index import Index
Index(sys.argv[1]).add_paths([sys.argv[2]], batch_size=50)
"""


def many_reports(corpus: Path) -> Path:
    words = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
    with open(corpus, "w", encoding="utf-8") as out:
        for i in range(5_000):
            body = " ".join(words[(i + j) % len(words)] + str((i * 7 + j) % 997) for j in range(60))
            out.write(json.dumps({"id": f"d{i}", "text": f"Report {i}: {body}."}) + "\n")
    return corpus


def stop_after_committed(proc: subprocess.Popen, target: Path, how: signal.Signals, at_least: int = 200) -> None:
    """Send ``how`` to an ingest once it has committed ``at_least`` documents."""
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if (target / "index.sqlite").exists():
                try:
                    with sqlite3.connect(target / "index.sqlite", timeout=5) as conn:
                        if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= at_least:
                            break
                except sqlite3.OperationalError:
                    continue
        os.kill(proc.pid, how)
    finally:
        proc.wait(timeout=30)


@pytest.mark.slow
def test_kill_9_during_ingest_keeps_committed_batches_and_resumes(tmp_path: Path) -> None:
    corpus = many_reports(tmp_path / "big.jsonl")
    target = tmp_path / "idx"
    proc = subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(target), str(corpus)])
    stop_after_committed(proc, target, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL

    index = Index(target)
    kept = len(index)
    assert 200 <= kept < 5_000 and kept % 50 == 0  # whole batches only
    assert index._store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resumed = index.add_paths([corpus], batch_size=1000)
    assert resumed.unchanged == kept and resumed.added == 5_000 - kept
    assert len(index) == 5_000


@pytest.mark.slow
def test_index_add_stopped_with_sigterm_says_one_line_and_keeps_committed_batches(tmp_path: Path) -> None:
    corpus = many_reports(tmp_path / "big.jsonl")
    target = tmp_path / "idx"
    cmd = [sys.executable, "-m", "spintrace", "index", "add", str(corpus), "--index", str(target),
           "--workers", "2", "--batch-size", "50"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop_after_committed(proc, target, signal.SIGTERM)
    err = proc.stderr.read()
    # the workers used to outlive their parent and print a BrokenPipeError traceback each
    assert proc.returncode == 143 and err.strip() == "spintrace: terminated", err[-2000:]
    index = Index(target)
    kept = len(index)
    assert 200 <= kept < 5_000 and kept % 50 == 0
    assert index._store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert index.add_paths([corpus], batch_size=1000).unchanged == kept and len(index) == 5_000


def test_parallel_ingest_with_ids_repeated_across_batches(tmp_path: Path) -> None:
    records = [Document(id=f"d{i % 150}", text=f"Version {i // 150} of story {i % 150}: {ARTICLES['kz']}") for i in range(450)]
    index = Index(tmp_path / "idx")
    report = index.add_documents(records, batch_size=100, workers=1)
    assert len(index) == 150 and report.skipped == []
    assert index.get("d7").text.startswith("Version 2 of story 7")
    orphans = index._store.conn.execute("SELECT count(*) FROM bands WHERE doc NOT IN (SELECT doc FROM documents)")
    assert orphans.fetchone()[0] == 0


def test_the_command_line_batch_default_is_the_ingest_default() -> None:
    import argparse

    from spintrace.cli.index_command import register
    from spintrace.index.ingest import DEFAULT_BATCH

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["index", "add", "x.jsonl", "--index", "idx"])
    assert args.batch_size == DEFAULT_BATCH


def test_the_store_ranks_documents_by_terms_held_and_can_require_several(tmp_path) -> None:
    from spintrace.fingerprint import _stem, term_hash
    from spintrace.index.store import Store

    with Index(tmp_path / "index") as index:
        index.add("Mr Kennedy met Howard and Jackson in Westminster on Monday.", id="all")
        index.add("Mr Kennedy spoke in Westminster yesterday morning.", id="two")
        index.add("Reporters waited for Kennedy outside.", id="one")
    store = Store(tmp_path / "index", create=False)
    ids = dict(store.conn.execute("SELECT doc, id FROM documents"))
    weights = {term_hash(_stem(name)): 1.0 for name in ("kennedy", "howard", "jackson", "westminster")}
    assert [ids[d] for d, _ in store.top_by_terms(weights, 10)] == ["all", "two", "one"]
    assert [ids[d] for d, _ in store.top_by_terms(weights, 10, min_shared=2)] == ["all", "two"]
    assert [ids[d] for d, _ in store.top_by_terms(weights, 10, min_shared=3)] == ["all"]


# Root writes anywhere; without CAP_DAC_OVERRIDE it is held to the permission bits like anyone.
AS_ORDINARY_USER = (["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"] if os.geteuid() == 0 else [])


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv to drop root's override")
def test_a_read_only_index_is_searched_and_traced_and_refuses_changes_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    with Index(folder) as index:
        index.add_documents([Document(id=k, text=v) for k, v in ARTICLES.items()])
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(next(iter(ARTICLES.values())), encoding="utf-8")
    before = (folder / "index.sqlite").read_bytes()
    (folder / "index.sqlite").chmod(0o444)
    folder.chmod(0o555)
    try:
        def spintrace(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([*AS_ORDINARY_USER, sys.executable, "-m", "spintrace", *args],
                                  capture_output=True, text=True, timeout=300)

        found = spintrace("search", str(suspect), "--index", str(folder), "--format", "json", "--top", "1")
        # it was called "corrupted or not SQLite (attempt to write a readonly database)"
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["hits"][0]["id"] == next(iter(ARTICLES))
        assert spintrace("trace", str(suspect), "--index", str(folder)).returncode == 0
        for args in (("index", "remove", next(iter(ARTICLES))), ("index", "add", str(suspect))):
            refused = spintrace(*args, "--index", str(folder))
            assert refused.returncode == 2 and refused.stderr.strip().endswith("adding and removing do not"), refused.stderr
    finally:
        folder.chmod(0o755)
        (folder / "index.sqlite").chmod(0o644)
    assert (folder / "index.sqlite").read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv to drop root's override")
def test_a_read_only_index_with_batches_still_in_its_write_ahead_log_shows_them(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    first, second = list(ARTICLES.items())[:2]
    with Index(folder) as index:
        index.add_documents([Document(id=first[0], text=first[1])])
    # what an ingest killed before its final checkpoint leaves: a committed batch in the -wal file
    index = Index(folder)
    index._store.conn.execute("PRAGMA wal_autocheckpoint=0")
    index._store.checkpoint = lambda: None
    index.add_documents([Document(id=second[0], text=second[1])])
    assert (folder / "index.sqlite-wal").stat().st_size > 0
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    try:
        stats = subprocess.run([*AS_ORDINARY_USER, sys.executable, "-m", "spintrace", "index", "stats", "--index", str(folder),
                                "--format", "json"], capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
        index.close()
    # immutable mode alone would read the database file and miss the logged batch
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 2, stats.stderr
