"""``spintrace eval`` refuses bad input with one line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from spintrace.cli import main


@pytest.mark.parametrize(
    "argv, message",
    [
        (["eval", "pan", "no-such-corpus"], "no-such-corpus: no such PAN corpus folder"),
        (["eval", "sentences", "no-such.tsv"], "no-such.tsv: no such MRPC file"),
        (["eval", "all", "--shared", "no-such-dir"], "no-such-dir: no such shared data folder"),
    ],
)
def test_missing_inputs_are_one_line_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"spintrace: error: {message}"


def test_pan_folder_without_pairs_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "pan", str(tmp_path), "--detections", str(tmp_path / "out")]) == 2
    assert "no 'pairs' file" in capsys.readouterr().err


def test_malformed_rewrites_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "v.jsonl"
    bad.write_text('{"id": "x", "variant": "spun"\n')
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"id": "x", "category": "c", "title": "t", "text": "Body."}\n')
    assert main(["eval", "pairs", str(bad), "--articles", str(articles)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "v.jsonl:1: malformed JSON (Expecting" in err


def test_unknown_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mrpc = tmp_path / "dev.txt"
    mrpc.write_text("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA b.\tA c.\n")
    assert main(["eval", "sentences", str(mrpc), "--train", str(mrpc), "--baseline", "simhash"]) == 2
    assert "unknown" in capsys.readouterr().err


def test_pan_with_a_truth_folder_that_does_not_exist_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pairs").write_text("", encoding="utf-8")
    assert main(["eval", "pan", str(tmp_path), "--truth", "truth-repaired", "--detections", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "truth-repaired: no such truth folder" in err and err.count("\n") == 1


def test_pan_given_a_file_or_a_pairs_folder_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "corpus.txt"
    a_file.write_text("not a corpus", encoding="utf-8")
    assert main(["eval", "pan", str(a_file), "--detections", str(tmp_path / "out")]) == 2
    assert "not a folder" in capsys.readouterr().err
    (tmp_path / "corpus" / "pairs").mkdir(parents=True)
    assert main(["eval", "pan", str(tmp_path / "corpus"), "--detections", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a folder" in err


def test_rewrites_whose_articles_are_not_in_the_articles_file_are_a_one_line_error(tmp_path: Path, capsys) -> None:
    variants = Path(__file__).resolve().parents[3] / "eval-data" / "rewrites-heldout5" / "rewrites.jsonl"
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"id": "y", "category": "c", "title": "t", "text": "Another body."}\n', encoding="utf-8")
    # used to warn, compare nothing, then stop on a report with no pairs (a TypeError traceback)
    assert main(["eval", "pairs", str(variants), "--articles", str(articles)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no variant's article id is in this articles file" in err
