"""The scan's resumable work folder, shared by both engines: ``OUT/work`` with a manifest.

A rerun of the same scan (same corpus, options, engine) keeps what the folder records; any other
scan empties it first, so finished work is never mixed with another scan's. A scan that starts
also removes the previous run's results from ``OUT``, so one that fails or is stopped never
leaves old results looking like its own (they are written anew, whole, when a scan finishes).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from spintrace.errors import InputError

WORK_DIR = "work"
#: What a finished scan writes to ``OUT`` from its work; ``scan.json`` last, as the mark of a whole run.
RESULT_FILES = ("scan.json", "pairs.jsonl", "pairs.parquet", "families.jsonl", "summary.html")
#: Written while pairs are aligned, so a resumed scan keeps those of its finished chunks.
REPORTS_DIR = "reports"


def _written_by_a_scan(out: Path) -> bool:
    return (out / "scan.json").exists() or (out / WORK_DIR / "manifest.json").exists()


def discard_previous_scan(out: Path) -> None:
    """``--fresh``: forget what an earlier scan into ``out`` left (work, reports, results)."""
    if not _written_by_a_scan(out):
        return
    shutil.rmtree(out / WORK_DIR, ignore_errors=True)
    shutil.rmtree(out / REPORTS_DIR, ignore_errors=True)
    for name in RESULT_FILES:
        (out / name).unlink(missing_ok=True)


def open_out_folder(out: Path) -> Path:
    """``out``, created and checked before a scan touches it: writable, and holding nothing of the
    user's under the names a scan writes (a ``work`` or ``reports`` folder, a ``summary.html``),
    which is refused, never replaced, in a folder no scan wrote."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise InputError(str(out), f"cannot write the output folder ({exc.strerror})") from None
    if not _written_by_a_scan(out):
        taken = [name for name in (*RESULT_FILES, REPORTS_DIR, WORK_DIR) if (out / name).exists()]
        if taken:
            raise InputError(str(out), f"holds {', '.join(taken)} that no scan wrote; use an empty or new --out folder")
    return out


def prepare_work_dir(out: Path, manifest: dict, *, fresh: bool = False) -> Path:
    """``OUT/work``, emptied (with the reports) unless its manifest equals ``manifest`` (or when
    ``fresh``), and ``OUT`` cleared of the previous run's results; the manifest is written
    atomically. Engines call it once every option is checked and the engine has started, so a
    scan that cannot run leaves the previous one's results alone."""
    open_out_folder(out)
    if fresh:
        discard_previous_scan(out)
    work = out / WORK_DIR
    path = work / "manifest.json"
    if work.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != manifest:
            shutil.rmtree(work)
            shutil.rmtree(out / REPORTS_DIR, ignore_errors=True)
    elif (out / REPORTS_DIR).exists():
        shutil.rmtree(out / REPORTS_DIR)
    for name in RESULT_FILES:
        (out / name).unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(tmp, path)
    return work
