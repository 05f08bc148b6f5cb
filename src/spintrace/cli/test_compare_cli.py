"""`spintrace compare` as a user runs it: real files, a real subprocess, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = (
    "The city council approved a new budget on Tuesday after a long debate about road repairs.\n\n"
    "Council leader Maria Okonkwo said the plan would fix 120 miles of roads by 2026.\n\n"
    "Opposition members argued that the money should go to schools instead."
)


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spintrace", *args], input=stdin, capture_output=True, timeout=120
    )


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "image.txt",
        "latin1": tmp_path / "latin1.txt",
        "huge": tmp_path / "huge.txt",
        "no-main-text": tmp_path / "menu.html",
        "bad-utf16": tmp_path / "broken-utf16.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["latin1"].write_bytes("Caf\xe9 au lait co\xfbte 2 \x80".encode("latin-1"))
    with open(files["huge"], "wb") as fh:
        fh.write(b"word " * (50 * 1024 * 1024 // 5))
    files["bad-utf16"].write_bytes(b"\xff\xfe" + "Council met".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    files["no-main-text"].write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    files["missing"] = tmp_path / "does-not-exist.txt"
    return files


def test_bad_inputs_get_one_line_error_naming_the_file(tmp_path: Path, good: Path) -> None:
    for label, path in _bad_inputs(tmp_path).items():
        result = run_cli("compare", str(good), str(path))
        err = result.stderr.decode()
        assert result.returncode != 0, label
        assert "Traceback" not in err, (label, err)
        lines = [l for l in err.splitlines() if l.strip()]
        assert len(lines) == 1, (label, err)
        assert path.name in lines[0], (label, err)


def test_utf16_text_with_a_byte_order_mark_is_read_as_text(tmp_path: Path, good: Path) -> None:
    # What Windows tools save as "Unicode text"; its NUL bytes are not binary data.
    for encoding in ("utf-16", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        data = ARTICLE.encode(encoding)
        path.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
        result = run_cli("compare", str(good), str(path), "--format", "json")
        assert result.returncode == 0, result.stderr.decode()
        report = json.loads(result.stdout)
        assert report["verdict"] == "verbatim" and report["suspect_coverage"] > 0.95


def test_json_output_is_the_comparison_dict(tmp_path: Path, good: Path, seed_pair) -> None:
    source, suspect = seed_pair
    (tmp_path / "s.txt").write_text(source, encoding="utf-8")
    (tmp_path / "u.txt").write_text(suspect, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli("compare", str(tmp_path / "s.txt"), str(tmp_path / "u.txt"), "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["verdict"] == "paraphrase" and data["reused"] is True
    assert data["source_text"] == source and data["suspect_text"] == suspect


def test_text_report_leads_with_the_verdict_and_html_is_self_contained(tmp_path: Path, good: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(ARTICLE.replace("Tuesday", "Wednesday"), encoding="utf-8")
    result = run_cli("compare", str(good), str(copy))
    assert result.returncode == 0, result.stderr.decode()
    assert "verbatim" in result.stdout.decode().lower()
    html_out = tmp_path / "r.html"
    result = run_cli("compare", str(good), str(copy), "--format", "html", "-o", str(html_out))
    assert result.returncode == 0
    page = html_out.read_text(encoding="utf-8")
    assert "<html" in page and "Okonkwo" in page and 'src="http' not in page


def test_html_input_and_stdin(tmp_path: Path, good: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><body><nav>Home | News | Sport</nav><article><h1>Budget</h1>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    result = run_cli("compare", "-", str(page), "--format", "json", stdin=ARTICLE.encode())
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert "Maria Okonkwo" in data["suspect_text"] and "Copyright" not in data["suspect_text"]
    assert data["reused"] is True


def test_html_publication_dates_decide_direction(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))

    def page(date: str) -> str:
        return (
            f'<html><head><meta property="article:published_time" content="{date}T09:00:00Z"></head>'
            f"<body><article>{body}</article></body></html>"
        )

    early, late = tmp_path / "early.html", tmp_path / "late.html"
    early.write_text(page("2022-01-05"), encoding="utf-8")
    late.write_text(page("2022-01-07"), encoding="utf-8")
    result = run_cli("compare", str(late), str(early), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    direction = json.loads(result.stdout)["direction"]
    assert direction["original"] == "suspect" and direction["confidence"] > 0.9


def test_text_too_long_to_compare_whole_is_refused_in_one_line(tmp_path: Path, good: Path) -> None:
    book = tmp_path / "book.txt"
    book.write_text("\n".join(f"Sentence number {k} talks about topic {k % 97} today." for k in range(4200)), encoding="utf-8")
    result = run_cli("compare", str(book), str(book))
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert "too long to compare" in err and len(err.strip().splitlines()) == 1


def test_bad_dates_and_unwritable_outputs_are_one_line_errors(tmp_path: Path, good: Path) -> None:
    for args in (["--source-published", "notadate"], ["--suspect-published", "2022-13-01"],
                 ["-o", str(tmp_path / "no-such-folder" / "report.txt")], ["-o", str(tmp_path)]):
        result = run_cli("compare", str(good), str(good), *args)
        err = result.stderr.decode().strip()
        assert result.returncode == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, (args, err)


def test_a_file_name_that_is_not_utf8_still_gets_its_reports(tmp_path: Path, good: Path) -> None:
    import os

    latin1_name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(latin1_name, "wb") as fh:
        fh.write(good.read_bytes())
    report = tmp_path / "report.html"
    result = run_cli("compare", str(good), os.fsdecode(latin1_name), "--format", "html", "-o", str(report))
    assert result.returncode == 0, result.stderr.decode()
    assert "caf\ufffd.txt" in report.read_text(encoding="utf-8")


def test_the_text_report_written_with_o_is_the_one_a_pipe_gets(tmp_path):
    """`-o report.txt` was laid out 120 columns wide, `> report.txt` 80."""
    import os
    import subprocess
    import sys

    source = tmp_path / "a.txt"
    suspect = tmp_path / "b.txt"
    source.write_text("The council approved the new harbour crane on Friday after a long debate about costs. "
                      "Work starts in March and should be finished before the summer season.", encoding="utf-8")
    suspect.write_text("After a lengthy debate about costs, the council backed the new harbour crane on Friday. "
                       "Work begins in March and should end before the summer season.", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    command = [sys.executable, "-m", "spintrace", "compare", str(source), str(suspect)]
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    written = subprocess.run([*command, "-o", str(tmp_path / "r.txt")], capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == written.returncode == 0, written.stderr
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == piped.stdout
