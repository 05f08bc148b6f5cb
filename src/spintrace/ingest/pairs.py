"""Pairs to compare from a JSON Lines file, one pair a line, for ``spintrace compare --pairs``.

A line is ``{"source": TEXT, "suspect": TEXT}`` or names files with ``source_path`` /
``suspect_path`` (relative paths are taken from the pairs file's folder), plus optional ``id``,
``source_published`` and ``suspect_published``. A bad line never stops the others: it comes back
as a ``PairError`` with its line number and a one-line reason.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spintrace.dates import checked_date
from spintrace.errors import InputError, SpintraceError
from spintrace.ingest.files import MAX_INPUT_BYTES, read_article
from spintrace.ingest.json_lines import MalformedJson, loads_untrusted


@dataclass(frozen=True, slots=True)
class PairInput:
    line: int
    id: str | None
    source: str
    suspect: str
    source_published: str | None = None
    suspect_published: str | None = None


@dataclass(frozen=True, slots=True)
class PairError:
    line: int
    id: str | None
    error: str


def _side(record: dict, side: str, folder: Path) -> tuple[str, str | None]:
    """The text of one side and the publication date its HTML carried, if any."""
    text, path = record.get(side), record.get(f"{side}_path")
    if text is not None and path is not None:
        raise InputError(side, f"give either {side!r} or {side + '_path'!r}, not both")
    if path is not None:
        if not isinstance(path, str) or not path:
            raise InputError(f"{side}_path", "must be a file path")
        file = Path(path)
        document = read_article(str(file if file.is_absolute() else folder / file))
        return document.text, document.published
    if text is None:
        raise InputError(side, f"missing (give {side!r} text or {side + '_path'!r})")
    if not isinstance(text, str) or not text.strip():
        raise InputError(side, "empty text" if isinstance(text, str) else "must be a string")
    if len(text) > MAX_INPUT_BYTES:
        raise InputError(side, "too large")
    return text, None


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise InputError(key, "must be a string")
    return str(value)


def read_pairs(path: str) -> Iterator[PairInput | PairError]:
    """Each non-blank line of ``path`` (``-``: stdin) as a pair to compare or the reason it cannot be."""
    if path == "-":
        lines, folder = sys.stdin.buffer, Path.cwd()
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(path, "no such file" if not file.exists() else "not a file")
        try:
            lines, folder = file.open("rb"), file.parent
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror}") from None
    try:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            record_id = None
            try:
                try:
                    record = loads_untrusted(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError as exc:
                    raise InputError(f"line {number}", f"not valid UTF-8 (byte {exc.start})") from None
                except MalformedJson as exc:
                    raise InputError(f"line {number}", str(exc)) from None
                if not isinstance(record, dict):
                    raise InputError(f"line {number}", "not a JSON object")
                record_id = _optional_str(record, "id")
                source, source_date = _side(record, "source", folder)
                suspect, suspect_date = _side(record, "suspect", folder)
                yield PairInput(
                    number, record_id, source, suspect,
                    checked_date(record.get("source_published"), "source_published") or source_date,
                    checked_date(record.get("suspect_published"), "suspect_published") or suspect_date,
                )
            except SpintraceError as exc:
                message = str(exc)
                yield PairError(number, record_id, message if message.startswith("line ") else f"line {number}: {message}")
    finally:
        if lines is not sys.stdin.buffer:
            lines.close()
