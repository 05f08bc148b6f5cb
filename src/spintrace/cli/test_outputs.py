"""``-o`` / ``--out``: checked before any work, never over an input or inside the index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spintrace.index import Index
from spintrace.ingest import Document

TEXT = ("The council approved the new bridge on Monday after a long debate about its cost, officials said. "
        "Opposition members called the plan reckless and asked for a vote before the summer recess.")


def spintrace(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spintrace", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture()
def index(tmp_path: Path) -> Path:
    folder = tmp_path / "idx"
    with Index(folder) as idx:
        idx.add_documents([Document(id=f"d{i}", text=f"Report {i}. {TEXT}") for i in range(3)], workers=0)
    return folder


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    err = result.stderr.strip()
    assert result.returncode == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert all(f in err for f in fragments), err


@pytest.mark.parametrize("command", ["search", "trace"])
def test_an_output_inside_the_index_or_over_the_suspect_is_refused_and_nothing_is_touched(command, index, tmp_path):
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(TEXT, encoding="utf-8")
    database = (index / "index.sqlite").read_bytes()

    one_line_error(spintrace(command, str(suspect), "--index", str(index), "-o", str(index / "index.sqlite")),
                   "inside the index folder")
    one_line_error(spintrace(command, str(suspect), "--index", str(index), "-o", str(tmp_path / "." / "suspect.txt")),
                   "is the input")
    one_line_error(spintrace(command, str(suspect), "--index", str(index), "-o", str(tmp_path / "no" / "r.json")),
                   "no such folder")

    assert (index / "index.sqlite").read_bytes() == database and suspect.read_text(encoding="utf-8") == TEXT
    with Index(index, create=False) as idx:
        assert len(idx) == 3


def test_compare_and_eval_refuse_to_write_over_their_inputs(tmp_path):
    source, suspect = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text(TEXT, encoding="utf-8")
    suspect.write_text(TEXT.upper(), encoding="utf-8")
    one_line_error(spintrace("compare", str(source), str(suspect), "-o", str(suspect), "--format", "json"), "is the input")
    assert suspect.read_text(encoding="utf-8") == TEXT.upper()

    rewrites = tmp_path / "rewrites.jsonl"
    rewrites.write_text(json.dumps({"id": "x", "variant": "rewrite", "paragraphs": [TEXT]}) + "\n", encoding="utf-8")
    one_line_error(spintrace("eval", "pairs", str(rewrites), "--articles", str(source), "--out", str(rewrites)),
                   "is the input")
    one_line_error(spintrace("eval", "pairs", str(rewrites), "--articles", str(source), "--out", str(tmp_path)),
                   "is a folder")
    assert json.loads(rewrites.read_text(encoding="utf-8"))["id"] == "x"


@pytest.mark.parametrize("command", ["search", "trace"])
def test_a_book_length_suspect_is_refused_at_once_not_after_minutes(command, index, tmp_path):
    # 5 MB ran 92 s before SQLite refused its anchor list ("too many SQL variables"), blamed on the index
    book = tmp_path / "book.txt"
    book.write_text((TEXT + "\n\n") * 20_000, encoding="utf-8")
    one_line_error(spintrace(command, str(book), "--index", str(index)), "too long to search", "250,000")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    one_line_error(spintrace(command, str(empty), "--index", str(index)), "empty")


def test_an_empty_index_path_is_named_before_the_output_is_judged(tmp_path):
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(TEXT, encoding="utf-8")
    # it said the output was "inside the index folder": '' resolved to the current folder
    one_line_error(spintrace("search", str(suspect), "--index", "", "-o", str(tmp_path / "out.json")), "index path is empty")


def test_eval_all_refuses_to_write_over_the_cross_validation_report_it_reads(tmp_path):
    report = tmp_path / "evaluation-cv.md"
    report.write_text("# CV\n", encoding="utf-8")
    one_line_error(spintrace("eval", "all", "--shared", str(tmp_path), "--cv-report", str(report), "--out", str(report)),
                   "is the input")
    assert report.read_text(encoding="utf-8") == "# CV\n"


@pytest.mark.parametrize(("argv", "expected"), [
    (["compare", "--format", "xml", "a", "b"],
     "spintrace compare: error: argument --format: invalid choice: 'xml' (choose from 'text', 'json', 'html') "
     "(see 'spintrace compare --help')"),
    (["nonsense"], "spintrace: error: argument COMMAND: invalid choice: 'nonsense'"),
    (["index", "add", "--index"], "spintrace index add: error: argument --index: expected one argument"),
])
def test_a_bad_argument_is_one_line_naming_the_help_not_a_usage_block(argv, expected, capsys):
    from spintrace.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and len(err.strip().splitlines()) == 1 and err.startswith(expected), err


def test_no_command_at_all_shows_the_commands(capsys):
    from spintrace.cli import main

    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: spintrace") and "compare" in err and "scan" in err
