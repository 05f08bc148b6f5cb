"""The scan's resumable work folder, shared by both engines: ``OUT/work`` with a manifest.

A rerun of the same scan (same corpus, options, engine) keeps what the folder records; any other
scan empties it first, so finished work is never mixed with another scan's.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

WORK_DIR = "work"


def prepare_work_dir(out: Path, manifest: dict) -> Path:
    """``OUT/work``, emptied unless its manifest equals ``manifest``; the manifest is written atomically."""
    work = out / WORK_DIR
    path = work / "manifest.json"
    if work.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != manifest:
            shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(tmp, path)
    return work
