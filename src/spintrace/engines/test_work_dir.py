"""The scan's output folder: a new run never leaves the previous run's results looking like its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from spintrace.engines.work_dir import RESULT_FILES, discard_previous_scan, open_out_folder, prepare_work_dir
from spintrace.errors import InputError


def finished_scan(out: Path, manifest: dict) -> Path:
    work = prepare_work_dir(out, manifest)
    (work / "chunks").mkdir()
    (work / "chunks" / "chunk-0000000.jsonl").write_text("{}\n", encoding="utf-8")
    (out / "reports").mkdir()
    (out / "reports" / "a.html").write_text("<p>report</p>", encoding="utf-8")
    for name in RESULT_FILES:
        (out / name).write_text("old", encoding="utf-8")
    return work


def test_another_scan_starts_with_no_results_reports_or_work_of_the_previous_one(tmp_path: Path) -> None:
    finished_scan(tmp_path, {"corpus": "a"})

    work = prepare_work_dir(tmp_path, {"corpus": "b"})

    assert not any((tmp_path / name).exists() for name in RESULT_FILES)
    assert not (tmp_path / "reports").exists() and not (work / "chunks").exists()


def test_a_rerun_of_the_same_scan_keeps_its_finished_work_and_reports_but_not_its_results(tmp_path: Path) -> None:
    finished_scan(tmp_path, {"corpus": "a"})

    work = prepare_work_dir(tmp_path, {"corpus": "a"})

    assert (work / "chunks" / "chunk-0000000.jsonl").is_file() and (tmp_path / "reports" / "a.html").is_file()
    # written anew, whole, when the run finishes: a run that fails shows none
    assert not any((tmp_path / name).exists() for name in RESULT_FILES)


def test_a_fresh_scan_after_the_work_folder_was_removed_drops_the_old_reports(tmp_path: Path) -> None:
    work = finished_scan(tmp_path, {"corpus": "a"})
    for path in sorted(work.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    work.rmdir()

    prepare_work_dir(tmp_path, {"corpus": "a"})

    assert not (tmp_path / "reports").exists()


def test_a_folder_no_scan_wrote_keeps_the_users_files_and_is_refused(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "q3.docx").write_bytes(b"the user's own report")
    (tmp_path / "summary.html").write_text("<p>mine</p>", encoding="utf-8")

    with pytest.raises(InputError, match="holds summary.html, reports that no scan wrote"):
        prepare_work_dir(tmp_path, {"corpus": "a"})

    assert (tmp_path / "reports" / "q3.docx").read_bytes() == b"the user's own report"
    assert (tmp_path / "summary.html").is_file() and not (tmp_path / "work").exists()


def test_fresh_discards_a_stopped_scans_work_and_reports_so_the_next_scan_starts_clean(tmp_path: Path) -> None:
    work = prepare_work_dir(tmp_path, {"corpus": "a"})  # a scan stopped before it finished
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.html").write_text("<p>report</p>", encoding="utf-8")

    discard_previous_scan(tmp_path)

    assert not work.exists() and not (tmp_path / "reports").exists()
    prepare_work_dir(tmp_path, {"corpus": "a"})


def test_a_work_folder_no_scan_wrote_is_refused_not_emptied(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "article.txt").write_text("an article the user keeps here", encoding="utf-8")

    with pytest.raises(InputError, match="holds work that no scan wrote"):
        prepare_work_dir(tmp_path, {"corpus": "a"})

    assert (tmp_path / "work" / "article.txt").is_file()


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write the output folder"):
        open_out_folder(tmp_path / "afile" / "sub")
