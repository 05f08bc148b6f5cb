"""``spintrace index`` + ``spintrace search`` end to end through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_path

MODEL = Path(__file__).resolve().parents[1] / "embed" / "model" / "minilm-l6-v2-int8.onnx"


def spintrace(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spintrace", *args], capture_output=True, text=True, timeout=timeout)


def test_search_errors_are_one_line(tmp_path: Path) -> None:
    suspect = tmp_path / "s.txt"
    suspect.write_text("Some suspect text about a minister.", encoding="utf-8")
    missing = spintrace("search", str(suspect), "--index", str(tmp_path / "none"))
    assert missing.returncode == 2 and "no index here" in missing.stderr and "Traceback" not in missing.stderr
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "data.csv").write_text("a,b\n", encoding="utf-8")
    result = spintrace("search", str(suspect), "--index", str(foreign))
    assert result.returncode == 2 and "not a spintrace index" in result.stderr
    # '' used to open the current folder and call it "not a spintrace index"
    empty = spintrace("search", str(suspect), "--index", "")
    assert empty.returncode == 2 and "the index path is empty" in empty.stderr
    bad_top = spintrace("search", str(suspect), "--index", str(foreign), "--top", "0")
    assert bad_top.returncode == 2 and "--top" in bad_top.stderr
    for command, option, value in (("search", "--align", "0"), ("search", "--suspect-published", "notadate"),
                                   ("trace", "--suspect-published", "2022-13-01")):
        bad = spintrace(command, str(suspect), "--index", str(foreign), option, value)
        err = bad.stderr.strip()
        assert bad.returncode == 2 and len(err.splitlines()) == 1 and option in err, (command, option, err)


@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="sentence embedding model not built yet")
def test_index_then_search_seed_pair(tmp_path: Path) -> None:
    seed = shared_path("seed-pair")
    bbc = shared_path("bbc-news", "articles.jsonl")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # A slice of BBC plus the seed source: enough distractors, quick to build.
    lines = open(bbc, encoding="utf-8").read().splitlines()[:300]
    (corpus / "bbc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "seed-source.txt").write_text((seed / "source.txt").read_text(encoding="utf-8"), encoding="utf-8")
    index = str(tmp_path / "idx")
    added = spintrace("index", "add", str(corpus), "--index", index, "--quiet")
    assert added.returncode == 0, added.stderr
    assert "301 added" in added.stdout

    result = spintrace("search", str(seed / "suspect.txt"), "--index", index, "--top", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert hits[0]["id"] == "seed-source.txt" and hits[0]["reused"]
    assert hits[0]["comparison"]["passages"]

    text = spintrace("search", str(seed / "suspect.txt"), "--index", index, "--top", "3")
    assert "seed-source.txt" in text.stdout.splitlines()[3]
    page = tmp_path / "hits.html"
    html = spintrace("search", str(seed / "suspect.txt"), "--index", index, "--format", "html", "-o", str(page))
    assert html.returncode == 0 and 'class="spintrace-report"' in page.read_text(encoding="utf-8")
    strict = spintrace("search", str(seed / "suspect.txt"), "--index", index, "--min-score", "0.99", "--format", "json")
    assert all(h["score"] >= 0.99 for h in json.loads(strict.stdout)["hits"])


def test_a_hit_published_after_the_suspect_is_flagged_as_possibly_the_copy(tmp_path: Path) -> None:
    from spintrace.index import Index
    from spintrace.report.hits import render_hits_text

    source = (shared_path("seed-pair") / "source.txt").read_text(encoding="utf-8")
    with Index(tmp_path / "idx") as index:
        index.add(source, id="indexed", published="2022-01-10")
        earlier = index.search(source, top=1, suspect_published="2022-01-01")
        later = index.search(source, top=1, suspect_published="2022-02-01")
    assert "mine.txt looks like the original and this the copy (published 2022-01-10 vs 2022-01-01)" in \
        render_hits_text(earlier, "mine.txt")
    assert "looks like the original" not in render_hits_text(later, "mine.txt")
