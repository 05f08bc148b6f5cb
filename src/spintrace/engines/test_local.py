"""The local scan engine on a small real corpus: pairs, families, bad records, resume, CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import shared_path
from spintrace.cli import main
from spintrace.engines import local
from spintrace.engines.conftest import variants_corpus
from spintrace.engines.local import scan_local
from spintrace.engines.stages import ScanOptions
from spintrace.errors import InputError


def bbc_articles(n: int, skip: int = 0) -> list[dict]:
    path = shared_path("bbc-news", "articles.jsonl")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(skip + n), fh)]
    return rows[skip:]


def edited_copy(text: str) -> str:
    """A lightly edited copy: last paragraph dropped, a few words changed, a line added."""
    paragraphs = text.split("\n\n")
    body = "\n\n".join(paragraphs[:-1]).replace(" said ", " stated ").replace(" the ", " this ", 3)
    return "From our correspondents.\n\n" + body


def write_corpus(folder: Path, seed_pair: tuple[str, str]) -> Path:
    source, suspect = seed_pair
    original, *others = bbc_articles(7, skip=40)
    records = [
        {"id": "seed/source", "text": source, "published": "2022-01-10", "site": "a.example"},
        {"id": "seed/suspect", "text": suspect, "published": "2022-01-12", "site": "b.example"},
        {"id": "copy/edited", "text": edited_copy(original["text"]), "published": "2005-03-02"},
        {"id": original["id"], "text": original["text"], "title": original["title"], "published": "2005-03-01"},
    ] + [{"id": o["id"], "text": o["text"], "title": o["title"]} for o in others]
    lines = [json.dumps(r) for r in records]
    lines[3:3] = [
        "{not json",
        json.dumps({"id": "empty", "text": ""}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": "seed/source", "text": "a repeated id"}),
    ]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_pair) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"), seed_pair)


@pytest.fixture(scope="module")
def scanned(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    return scan_local([str(corpus)], out, workers=2, progress=False), out


def test_spun_and_edited_copies_are_paired_with_their_sources(scanned):
    result, _ = scanned
    found = {(p.source_id, p.suspect_id): p for p in result.pairs}
    assert ("seed/source", "seed/suspect") in found
    original = bbc_articles(1, skip=40)[0]["id"]
    assert (original, "copy/edited") in found
    assert len(found) == 2, found.keys()
    edited = found[(original, "copy/edited")]
    assert edited.verdict in ("verbatim", "paraphrase", "partial") and edited.passages
    assert all(p["suspect_end"] > p["suspect_start"] for p in edited.passages)


def test_families_have_the_earliest_published_member_as_origin(scanned):
    result, _ = scanned
    origins = {f.origin: f for f in result.families}
    assert set(origins) == {"seed/source", bbc_articles(1, skip=40)[0]["id"]}
    assert all(f.origin_evidence == "published" for f in result.families)


def test_bad_records_are_skipped_and_counted_not_fatal(scanned):
    result, _ = scanned
    assert result.summary.documents == 10
    assert result.summary.skipped == {"malformed JSON": 1, "empty text": 1, "not a JSON object": 1, "duplicate id": 1}
    assert result.summary.unreadable == 3  # the repeated id's first record is in the scan


def test_a_repeated_id_warns_and_exits_0_like_index_add(tmp_path, capsys):
    records = [{"id": "a", "text": "The council approved the new bridge on Monday after a long debate."},
               {"id": "a", "text": "A second record under the same id, about the weather in the north."},
               {"id": "b", "text": "Farmers said the dry spring had cut the wheat harvest by a third."}]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["scan", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-reports"]) == 0
    assert "skipped 1 record(s): duplicate id" in capsys.readouterr().err


def test_outputs_pairs_jsonl_parquet_families_summary_and_reports(scanned):
    result, out = scanned
    rows = [json.loads(line) for line in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["source_id"], r["suspect_id"]) for r in rows] == sorted((p.source_id, p.suspect_id) for p in result.pairs)
    table = pq.read_table(out / "pairs.parquet").to_pylist()
    assert [(r["source_id"], r["suspect_id"], r["score"]) for r in table] == [(r["source_id"], r["suspect_id"], r["score"]) for r in rows]
    assert table[0]["passages"] and {"source_start", "suspect_end", "kind"} <= set(table[0]["passages"][0])
    families = [json.loads(line) for line in (out / "families.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["origin"] for f in families} == {f.origin for f in result.families}
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "seed/source" in summary and "malformed JSON" in summary
    # the spinner's dictionary: per pair, per family, and in the summary page
    seed = next(r for r in rows if r["source_id"] == "seed/source")
    assert {"source": "embattled", "suspect": "troubled", "count": 1} in seed["substitutions"]
    assert next(r for r in table if r["source_id"] == "seed/source")["substitutions"] == seed["substitutions"]
    seed_family = next(f for f in families if f["origin"] == "seed/source")
    assert {"source": "alliance", "suspect": "coalition", "count": 2, "pairs": 1} in seed_family["substitutions"]
    assert "<td>alliance</td><td>coalition</td><td>2</td>" in summary
    for href in {h.split('"')[0] for h in summary.split('href="')[1:]}:
        assert (out / href).is_file() and "<html" in (out / href).read_text(encoding="utf-8")[:500].lower()


def test_an_interrupted_scan_resumes_without_redoing_finished_chunks(corpus, scanned, tmp_path, monkeypatch):
    full = scan_local([str(corpus)], tmp_path, workers=1, progress=False, chunk_pairs=1)
    chunks = sorted((tmp_path / "work" / "chunks").glob("chunk-*.jsonl"))
    assert len(chunks) == full.chunks_total >= 2
    # An interruption leaves some chunk files and none of the final outputs.
    for path in chunks[1:]:
        path.unlink()
    for name in ("pairs.jsonl", "pairs.parquet", "families.jsonl", "summary.html"):
        (tmp_path / name).unlink()
    calls = []
    real = local.align_pairs
    monkeypatch.setattr(local, "align_pairs", lambda pairs, *a, **k: calls.append(1) or real(pairs, *a, **k))
    resumed = scan_local([str(corpus)], tmp_path, workers=1, progress=False, chunk_pairs=1)
    assert resumed.chunks_resumed == 1 and len(calls) == full.chunks_total - 1
    assert [p.to_dict() for p in resumed.pairs] == [p.to_dict() for p in full.pairs]
    assert [p.to_dict() for p in full.pairs] == [p.to_dict() for p in scanned[0].pairs]


def test_blocking_spilled_in_shards_to_the_work_folder_gives_the_same_pairs(corpus, scanned, tmp_path, monkeypatch):
    """A corpus too big to count its pair occurrences at once spills them to the scan's work
    folder in shards (forced here on a small corpus); the pairs are the same and nothing is left."""
    import spintrace.retrieve.corpus_pairs as corpus_pairs

    monkeypatch.setattr(corpus_pairs, "PAIRS_PER_SHARD", 3)
    spilled = []
    real = corpus_pairs._counted_in_shards
    monkeypatch.setattr(corpus_pairs, "_counted_in_shards",
                        lambda batches, n, shards, params, spill_dir: spilled.append((shards, spill_dir))
                        or real(batches, n, shards, params, spill_dir))
    result = scan_local([str(corpus)], tmp_path, workers=1, progress=False)
    assert spilled and spilled[0][0] > 1 and Path(spilled[0][1]) == tmp_path / "work"
    assert [p.to_dict() for p in result.pairs] == [p.to_dict() for p in scanned[0].pairs]
    assert not list((tmp_path / "work").glob("spintrace-pairs-*"))


def test_a_changed_corpus_is_not_resumed_from_stale_work(corpus, tmp_path):
    scan_local([str(corpus)], tmp_path, workers=1, progress=False, chunk_pairs=1)
    smaller = tmp_path / "smaller.jsonl"
    smaller.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    again = scan_local([str(smaller)], tmp_path, workers=1, progress=False, chunk_pairs=1)
    assert again.chunks_resumed == 0
    assert [(p.source_id, p.suspect_id) for p in again.pairs] == [("seed/source", "seed/suspect")]


def test_metadata_filters_drop_pairs_far_apart_in_time_or_from_one_site(corpus, tmp_path):
    result = scan_local([str(corpus)], tmp_path, ScanOptions(max_days=1), workers=1, progress=False)
    assert [(p.source_id, p.suspect_id) for p in result.pairs] == [(bbc_articles(1, skip=40)[0]["id"], "copy/edited")]


def test_cli_scan_writes_outputs_and_warns_about_skipped_records(corpus, tmp_path, capsys):
    # the results are written, and the exit status says that a record was left out
    assert main(["scan", str(corpus), "--out", str(tmp_path / "o"), "--exclude-same-site", "-q", "--no-reports"]) == 1
    captured = capsys.readouterr()
    assert "10 documents" in captured.out and "2 reuse pairs in 2 families" in captured.out
    assert "skipped 1 record(s): malformed JSON" in captured.err
    assert (tmp_path / "o" / "pairs.parquet").is_file() and not (tmp_path / "o" / "reports").exists()


def test_cli_scan_errors_are_one_line(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    assert main(["scan", str(tmp_path / "blank.jsonl"), "--out", str(tmp_path / "o"), "-q"]) == 2
    assert "no readable documents" in capsys.readouterr().err
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("An article about a bridge that the council approved.", encoding="utf-8")
    assert main(["scan", str(tmp_path / "articles"), "--out", str(tmp_path / "articles" / "results"), "-q"]) == 2
    assert "inside the corpus folder" in capsys.readouterr().err
    assert not (tmp_path / "articles" / "results").exists()


TRANSLATED = Path(__file__).resolve().parents[1] / "pipeline" / "fixtures_translated"
LANGUAGES = ("es", "de", "fr", "ru")


def write_translated_corpus(folder: Path) -> Path:
    """An English report, its four translations, another outlet's report in four languages and a
    one-sentence translation."""
    records = [{"id": "en/source", "text": (TRANSLATED / "source.en.txt").read_text(encoding="utf-8"),
                "published": "2024-03-01"}]
    records += [{"id": f"{lang}/translation", "text": (TRANSLATED / f"translation.{lang}.txt").read_text(encoding="utf-8"),
                 "published": "2024-03-02"} for lang in LANGUAGES]
    records += [{"id": f"{lang}/independent", "text": (TRANSLATED / f"independent.{lang}.txt").read_text(encoding="utf-8"),
                 "published": "2024-03-02"} for lang in LANGUAGES]
    # One translated sentence sharing a single cross-language key with the source: proposed only
    # by the cross-language fallback, which both engines must apply alike.
    records.append({"id": "es/one-sentence", "text": "Después, el señor Tokayev habló en Almaty con los manifestantes.",
                    "published": "2024-03-02"})
    path = folder / "translated.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_scan_finds_translated_copies_of_an_english_source_and_not_translated_independent_reports(tmp_path):
    result = scan_local([str(write_translated_corpus(tmp_path))], tmp_path / "out", workers=1, progress=False)
    pairs = {(p.source_id, p.suspect_id) for p in result.pairs}
    assert {("en/source", f"{lang}/translation") for lang in LANGUAGES} <= pairs
    assert not any("independent" in a or "independent" in b for a, b in pairs if "en/source" in (a, b))
    family = next(f for f in result.families if "en/source" in f.members)
    assert family.origin == "en/source"
    assert {f"{lang}/translation" for lang in LANGUAGES} <= set(family.members)


def test_a_unit_of_work_holds_at_least_one_pair(corpus, tmp_path):
    with pytest.raises(InputError, match="chunk-pairs"):
        scan_local([str(corpus)], tmp_path / "out", workers=1, progress=False, chunk_pairs=0)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_scan_stopped_with_ctrl_c_resumes_where_it_stopped(tmp_path):
    corpus = variants_corpus(tmp_path)  # 24 documents, no shared data
    out = tmp_path / "out"
    # One pair per unit of work: many units, so the scan is still running when the first is done.
    cmd = [sys.executable, "-m", "spintrace", "scan", str(corpus), "--out", str(out), "--workers", "2", "--no-reports", "-q",
           "--chunk-pairs", "1"]
    # A child inherits an ignored SIGINT, and in the full suite something before this test leaves
    # SIGINT ignored in the test process: the scan then ran to the end (exit 0) instead of stopping.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    chunks = out / "work" / "chunks"
    deadline = time.monotonic() + 240
    # Interrupt as soon as the first chunk is written (with default chunks, waiting for three lost
    # the race to the end of this small scan twice in the full suite).
    while time.monotonic() < deadline and proc.poll() is None and not list(chunks.glob("chunk-*.jsonl")):
        time.sleep(0.1)
    assert proc.poll() is None, "scan finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "run the same command again to resume" in err
    assert not (out / "pairs.jsonl").exists()
    done = len(list(chunks.glob("chunk-*.jsonl")))
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"resumed {done} of" in again.stderr
    assert "reuse pairs" in again.stdout and (out / "pairs.jsonl").is_file()


def test_fresh_with_a_bad_option_leaves_the_previous_results_alone(corpus, scanned, capsys):
    _, out = scanned
    before = (out / "pairs.jsonl").read_text(encoding="utf-8")
    # --fresh discarded everything before the option was checked, then failed
    assert main(["scan", str(corpus), "--out", str(out), "--fresh", "--chunk-pairs", "0", "-q"]) == 2
    assert "--chunk-pairs: must be at least 1" in capsys.readouterr().err
    assert (out / "pairs.jsonl").read_text(encoding="utf-8") == before and (out / "work").is_dir()


def test_an_option_of_the_other_engine_is_named_as_ignored(corpus, tmp_path, capsys):
    # `--master spark://...` without `--engine spark` ran locally without a word
    assert main(["scan", str(corpus), "--out", str(tmp_path / "o"), "-q", "--no-reports",
                 "--master", "spark://cluster:7077", "--partitions", "8"]) == 1  # 1: the corpus has unreadable records
    err = capsys.readouterr().err
    assert "--master is for --engine spark; ignored" in err and "--partitions is for --engine spark; ignored" in err


SITE_FOOTER = (
    "Follow us on Twitter and Facebook for the latest news. Sign up for our daily newsletter to get the "
    "top stories delivered to your inbox every morning. This material may not be published, broadcast, "
    "rewritten or redistributed without permission."
)


def write_site_corpus(folder: Path) -> tuple[Path, list[dict]]:
    """Six unrelated BBC articles republished by one site with its footer, and a lightly edited copy
    of the first of them on the same site."""
    articles = bbc_articles(6, skip=300)
    records = [{"id": a["id"], "text": f"{a['text']}\n\n{SITE_FOOTER}", "site": "courier.example"} for a in articles]
    records.append({"id": "copy/edited", "text": f"{edited_copy(articles[0]['text'])}\n\n{SITE_FOOTER}",
                    "site": "courier.example"})
    corpus = folder / "site.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return corpus, records


def test_a_sites_template_text_does_not_pair_its_unrelated_articles(tmp_path, capsys):
    # Before, the footer made all 21 pairs "partial" copies.
    corpus, records = write_site_corpus(tmp_path)

    result = scan_local([str(corpus)], tmp_path / "out", workers=1, progress=False, with_reports=False)
    assert [(p.source_id, p.suspect_id) for p in result.pairs] == [(records[0]["id"], "copy/edited")]
    assert result.summary.boilerplate_documents == 7
    # the copy's passages stop before the blanked footer, whose offsets are the original text's
    text = records[-1]["text"]
    assert all(p["suspect_end"] <= text.index(SITE_FOOTER) for p in result.pairs[0].passages)

    kept = scan_local([str(corpus)], tmp_path / "kept", ScanOptions(site_boilerplate=False), workers=1,
                      progress=False, with_reports=False)
    assert len(kept.pairs) == 21 and kept.summary.boilerplate_documents == 0

    assert main(["scan", str(corpus), "--out", str(tmp_path / "cli"), "-q", "--no-reports"]) == 0
    err = capsys.readouterr().err
    assert "left out site boilerplate (sentences a site repeats on 5+ of its pages) in 7 document(s)" in err
    assert json.loads((tmp_path / "cli" / "scan.json").read_text())["boilerplate_documents"] == 7
