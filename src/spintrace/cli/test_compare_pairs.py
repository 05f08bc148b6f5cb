"""`spintrace compare --pairs FILE.jsonl`: many pairs, one start-up, JSON Lines out, bad lines
reported per line without stopping the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from spintrace.cli.test_compare_cli import ARTICLE, run_cli

SPUN = ARTICLE.replace("approved", "accepted").replace("long debate", "lengthy argument").replace("argued", "contended")


def test_pairs_file_gives_one_result_or_error_per_line(tmp_path: Path, seed_pair) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SPUN, encoding="utf-8")
    source, suspect = seed_pair
    lines = [
        json.dumps({"id": "seed", "source": source, "suspect": suspect, "source_published": "2022-01-05"}),
        "{not json",
        "",
        json.dumps({"id": "files", "source_path": "a.txt", "suspect_path": "b.txt"}),
        json.dumps({"id": "missing", "source_path": "nope.txt", "suspect": SPUN}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 7, "source": "", "suspect": SPUN}),
    ]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("compare", "--pairs", str(pairs), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 1  # some lines failed
    assert "Traceback" not in result.stderr.decode()
    rows = [json.loads(l) for l in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 4, 5, 6, 7]
    seed, bad_json, files, missing, not_object, empty = rows
    assert seed["id"] == "seed" and seed["verdict"] == "paraphrase"
    assert {"source": "embattled", "suspect": "troubled", "count": 1} in seed["substitutions"]
    assert seed["direction"]["original"] == "source"
    assert files["reused"] and {"source": "approved", "suspect": "accepted", "count": 1} in files["substitutions"]
    assert "malformed JSON" in bad_json["error"] and bad_json["error"].startswith("line 2")
    assert "nope.txt" in missing["error"] and missing["id"] == "missing"
    assert "not a JSON object" in not_object["error"]
    assert empty["id"] == "7" and "empty text" in empty["error"]
    # the same comparison as a one-shot compare gives
    one = run_cli("compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json")
    assert json.loads(one.stdout) == {k: v for k, v in files.items() if k not in ("line", "id")}


def test_pairs_from_stdin_and_argument_errors(tmp_path: Path) -> None:
    line = json.dumps({"source": ARTICLE, "suspect": SPUN}) + "\n"
    result = subprocess.run([sys.executable, "-m", "spintrace", "compare", "--pairs", "-"],
                            input=line.encode(), capture_output=True, timeout=120)
    assert result.returncode == 0
    (row,) = [json.loads(l) for l in result.stdout.decode().splitlines()]
    assert row["line"] == 1 and row["reused"]
    for args in (["--pairs", str(tmp_path / "none.jsonl")], ["--pairs", "-", "a.txt", "b.txt"],
                 ["--pairs", "-", "--format", "html"], ["only-one.txt"]):
        bad = run_cli("compare", *args)
        err = bad.stderr.decode().strip()
        assert bad.returncode == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, (args, err)


def test_results_written_onto_the_pairs_file_itself_are_refused_and_the_file_kept(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    content = json.dumps({"source": ARTICLE, "suspect": SPUN}) + "\n"
    pairs.write_text(content, encoding="utf-8")
    result = run_cli("compare", "--pairs", str(pairs), "-o", str(tmp_path / "." / "pairs.jsonl"))
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and len(err.splitlines()) == 1 and "is the input" in err and "itself" in err
    assert pairs.read_text(encoding="utf-8") == content


def test_a_pairs_file_with_no_usable_line_ends_cleanly(tmp_path: Path) -> None:
    # Such a run never embeds; it must still wait for the model it started loading, or the
    # interpreter aborts inside onnxruntime's start-up ("terminate called ...", status 134).
    cases = {"empty.jsonl": (b"", 0), "broken.jsonl": (b'{"source": "a", "suspect": \n', 1),
             "dated.jsonl": ((json.dumps({"source": ARTICLE, "suspect": SPUN, "source_published": "notadate"})
                              + "\n").encode(), 1)}
    for name, (data, status) in cases.items():
        (tmp_path / name).write_bytes(data)
        for _ in range(2):
            result = run_cli("compare", "--pairs", str(tmp_path / name))
            err = result.stderr.decode()
            assert result.returncode == status and "terminate" not in err and "Traceback" not in err, (name, err)
    (row,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert "source_published" in row["error"] and "not a date" in row["error"]
