"""``spintrace trace`` end to end through the real CLI: text, JSON and HTML, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_path


def spintrace(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spintrace", *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.shared_data
def test_trace_cli_finds_both_sources_of_a_stitched_article(tmp_path: Path, seed_pair) -> None:
    articles = [json.loads(line) for line in shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8")][:40]
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "seed/source", "text": seed_pair[0], "published": "2022-01-05"}) + "\n")
        for a in articles:
            fh.write(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}) + "\n")
    index = tmp_path / "index"
    assert spintrace("index", "add", str(corpus), "--index", str(index)).returncode == 0
    seed = [p for p in seed_pair[1].split("\n\n") if p.strip()]
    bbc = [p for p in articles[10]["text"].split("\n\n") if p.strip()]
    suspect = tmp_path / "stitched.txt"
    suspect.write_text("\n\n".join(seed[:5] + bbc[:4]), encoding="utf-8")

    out = spintrace("trace", str(suspect), "--index", str(index), "--format", "json")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    ids = [s["id"] for s in body["sources"]]
    assert set(ids) == {"seed/source", articles[10]["id"]}
    assert body["suspect"] == "stitched.txt" and body["attributed_share"] > 0.7
    seed_end = len("\n\n".join(seed[:5]))
    for p in body["passages"]:  # the seed part goes to the seed source, the rest to the BBC article
        assert p["source_id"] == ("seed/source" if p["suspect_start"] < seed_end else articles[10]["id"])

    text = spintrace("trace", str(suspect), "--index", str(index))
    assert text.returncode == 0 and "seed/source" in text.stdout and "attributed" in text.stdout
    typo = spintrace("trace", str(suspect), "--index", str(index), "--exclude", "seed/sourse", "--format", "json")
    assert typo.returncode == 0 and "--exclude seed/sourse: no such document" in typo.stderr
    assert "seed/source" in [s["id"] for s in json.loads(typo.stdout)["sources"]]
    html_file = tmp_path / "trace.html"
    assert spintrace("trace", str(suspect), "--index", str(index), "--format", "html", "-o", str(html_file)).returncode == 0
    page = html_file.read_text(encoding="utf-8")
    assert page.count('class="st-passage') >= 2 and "<script" not in page


def test_trace_errors_are_one_line(tmp_path: Path) -> None:
    suspect = tmp_path / "s.txt"
    suspect.write_text("Some suspect text about a minister.", encoding="utf-8")
    missing = spintrace("trace", str(suspect), "--index", str(tmp_path / "none"))
    assert missing.returncode == 2 and "no index here" in missing.stderr and "Traceback" not in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    (tmp_path / "idx").mkdir()
    result = spintrace("trace", str(empty), "--index", str(tmp_path / "idx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
