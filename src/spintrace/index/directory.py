"""The index folder on disk: what may be opened or created as an index, checked before SQLite
touches anything (a reading command must never rewrite a file that is not an index), and its size."""

from __future__ import annotations

import os
from pathlib import Path

from spintrace.errors import CorpusIndexError

DB_NAME = "index.sqlite"

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_directory(directory: Path, *, create: bool) -> None:
    """Refuse paths that are not (and cannot become) an index directory, with a clear message."""
    if directory.exists() and not directory.is_dir():
        raise CorpusIndexError(f"{directory}: is a file, not an index directory")
    db = directory / DB_NAME
    if directory.is_dir() and not db.exists():
        foreign = [p.name for p in directory.iterdir() if not p.name.startswith(".")]
        if foreign:
            raise CorpusIndexError(
                f"{directory}: not a spintrace index (no {DB_NAME}, but other files); use an empty or new directory"
            )
    if not db.exists() and not create:
        raise CorpusIndexError(f"{directory}: no index here; build one with `spintrace index add PATH --index {directory}`")
    if db.exists() and db.is_dir():
        raise CorpusIndexError(f"{directory}: {DB_NAME} is a directory, not an index database")
    if db.is_file():
        try:
            with open(db, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise CorpusIndexError(f"{directory}: cannot read {DB_NAME} ({exc.strerror})") from None
        if head and head != SQLITE_MAGIC:
            raise CorpusIndexError(f"{directory}: {DB_NAME} is not a spintrace index (not an SQLite database)")
        if not head and not create:  # an index whose first write never happened holds nothing to read
            raise CorpusIndexError(f"{directory}: {DB_NAME} is empty, not a spintrace index")
    if create:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusIndexError(f"{directory}: cannot create the index directory ({exc.strerror})") from None


def is_read_only(directory: Path) -> bool:
    """An existing index this process may read but not write (a read-only mount, a shared archive)."""
    db = directory / DB_NAME
    return db.is_file() and not (os.access(directory, os.W_OK) and os.access(db, os.W_OK))


def directory_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())
