"""Read a corpus — folders of articles, JSON Lines, WARC, Parquet — as a stream of ``Document``s.

A corpus is large and messy: one bad record must not stop the other million. Every record that
cannot be used comes out as a ``SkippedRecord`` naming where it was and why, so callers (index,
scan) can count and report them while ingesting the rest. Only a wrong *argument* (a path that
does not exist) raises, because then nothing the user meant can be read.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spintrace.dates import checked_date
from spintrace.errors import InputError
from spintrace.ingest.charset import html_codec
from spintrace.ingest.document import Document
from spintrace.ingest.files import HTML_SUFFIXES, MAX_INPUT_BYTES, decode_article_bytes, looks_like_html, read_capped
from spintrace.ingest.json_lines import MalformedJson, loads_untrusted

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".warc.lz4")
PARQUET_SUFFIXES = (".parquet", ".pq")
ARTICLE_SUFFIXES = (".txt", ".md", ".text", ".markdown", *sorted(HTML_SUFFIXES))

# Fields of a JSONL/Parquet record that map onto ``Document``; any other field goes to ``meta``.
DOCUMENT_FIELDS = ("id", "text", "title", "url", "published", "site")


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record that could not be read: ``source`` says where ("a.jsonl:12"), ``reason`` why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


CorpusItem = Document | SkippedRecord


def corpus_format(path: Path) -> str | None:
    """``"jsonl"``, ``"warc"``, ``"parquet"``, ``"article"`` or ``None`` (not a corpus file)."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(ARTICLE_SUFFIXES):
        return "article"
    return None


def iter_corpus_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for each corpus file under ``paths``; root is what article ids are relative to.

    Folders are walked recursively in sorted order (so ids and progress are reproducible), hidden
    files and unknown file types are passed over. A path that does not exist raises ``InputError``.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(str(raw), "no such file or directory")
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                rel = file.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if file.is_file() and corpus_format(file) is not None:
                    yield file, path
        else:
            yield path, path.parent


def iter_documents(paths: Iterable[str | Path]) -> Iterator[CorpusItem]:
    """Every document in the given files and folders, with unusable records as ``SkippedRecord``.

    Supported: .txt/.md (the file is the article), .html/.htm (main text extracted), JSON Lines
    (``{"id", "text"}`` plus optional ``url``, ``title``, ``published``, ``site``; other fields go
    to ``meta``; .gz accepted), WARC (HTML ``response`` records, main text extracted; id = URL) and
    Parquet (``id``, ``text`` and optional metadata columns). A file given explicitly whose type
    is unknown is read as a plain article.
    """
    for file, root in iter_corpus_files(paths):
        kind = corpus_format(file) or "article"
        try:
            if kind == "jsonl":
                yield from iter_jsonl(file)
            elif kind == "warc":
                yield from iter_warc(file)
            elif kind == "parquet":
                yield from iter_parquet(file)
            else:
                yield read_article_file(file, root)
        except OSError as exc:
            yield SkippedRecord(str(file), f"cannot read ({exc.strerror or exc})")


def read_article_file(file: Path, root: Path) -> CorpusItem:
    """One article file as a Document whose id is its path relative to ``root``."""
    doc_id = file.relative_to(root).as_posix() if file != root else file.name
    try:
        doc_id.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes of another encoding in a file name come back from the OS as lone surrogates, which
        # no id can hold.
        return SkippedRecord(os.fsencode(file).decode("utf-8", "replace"), "file name is not valid UTF-8; rename it")
    try:
        data = read_capped(file, str(file))
    except InputError as exc:
        return SkippedRecord(str(file), exc.problem)
    is_html = file.suffix.lower() in HTML_SUFFIXES or (corpus_format(file) is None and looks_like_html(data))
    try:
        text = decode_article_bytes(data, str(file), html=is_html)
    except InputError as exc:
        return SkippedRecord(str(file), exc.problem)
    return Document(id=doc_id, text=text)


def _open_maybe_gzip(file: Path):
    return gzip.open(file, "rb") if file.name.lower().endswith(".gz") else open(file, "rb")


def iter_jsonl(file: Path) -> Iterator[CorpusItem]:
    """Documents of a JSON Lines file; a bad line becomes a SkippedRecord named ``file:line``."""
    with _open_maybe_gzip(file) as fh:
        try:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                where = f"{file}:{lineno}"
                try:
                    line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield SkippedRecord(where, f"not valid UTF-8 (byte {exc.start})")
                    continue
                try:
                    record = loads_untrusted(line)
                except MalformedJson as exc:
                    yield SkippedRecord(where, str(exc))
                    continue
                if not isinstance(record, dict):
                    yield SkippedRecord(where, "not a JSON object")
                    continue
                yield record_to_document(record, where, default_id=f"{file.stem}:{lineno}")
        except (EOFError, gzip.BadGzipFile) as exc:
            yield SkippedRecord(str(file), f"truncated or corrupt gzip ({exc})")


def record_to_document(record: dict[str, Any], where: str, default_id: str) -> CorpusItem:
    """A JSONL/Parquet record as a Document, or a SkippedRecord if it has no usable text."""
    text = record.get("text")
    if not isinstance(text, str):
        return SkippedRecord(where, "no \"text\" field" if text is None else "\"text\" is not a string")
    if not text.strip():
        return SkippedRecord(where, "empty text")
    if len(text) > MAX_INPUT_BYTES:
        return SkippedRecord(where, f"text too large ({len(text) / 1e6:.1f} M characters)")
    if "\x00" in text[:8192]:
        return SkippedRecord(where, "binary data, not text")
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        return SkippedRecord(where, "\"id\" must be a string or a whole number")
    doc_id = str(raw_id) if raw_id not in (None, "") else default_id
    fields: dict[str, str | None] = {}
    for name in ("title", "url", "site"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return SkippedRecord(where, f"\"{name}\" is not a string")
        fields[name] = value or None
    try:
        published = checked_date(record.get("published"), "\"published\"")
    except InputError as exc:
        return SkippedRecord(where, str(exc))
    meta = {k: v for k, v in record.items() if k not in DOCUMENT_FIELDS and v is not None}
    return Document(
        id=doc_id,
        text=text,
        title=fields["title"],
        url=fields["url"],
        published=published,
        site=fields["site"] or _site_of(fields["url"]),
        meta=meta,
    )


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def iter_warc(file: Path) -> Iterator[CorpusItem]:
    """HTML response records of a WARC file, reduced to their main text (id and url = target URI).

    A record whose block is shorter than its Content-Length (a truncated download) or that cannot
    be parsed becomes a SkippedRecord; the records before it are kept.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from spintrace.ingest.html import extract_main_text

    count = 0
    with open(file, "rb") as fh:
        # HTTP is parsed here rather than by fastwarc so a short block can be told from a whole one.
        records = ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=False)
        while True:
            count += 1  # the record being read, whether or not it can be
            try:
                record = next(records)
                url = record.headers.get("WARC-Target-URI") or f"{file.name}#{count}"
                where = f"{file} record {count} ({url})"
                block = record.reader.read()
            except StopIteration:
                break
            except Exception as exc:  # fastwarc raises OSError/ValueError on broken streams
                yield SkippedRecord(f"{file} record {count}", f"truncated or corrupt WARC record ({exc})")
                break
            declared = record.headers.get("Content-Length")
            if declared and declared.isdigit() and len(block) < int(declared):
                yield SkippedRecord(where, f"truncated WARC record ({len(block)} of {declared} bytes)")
                continue
            head, sep, body = block.partition(b"\r\n\r\n")
            if not sep:
                head, sep, body = block.partition(b"\n\n")
            if not sep or not head.startswith(b"HTTP/"):
                yield SkippedRecord(where, "response record without an HTTP message")
                continue
            content_type = _http_header(head, b"content-type")
            if content_type and "html" not in content_type:
                continue  # images, scripts, PDFs: not articles, and not worth a warning
            if not body.strip():
                yield SkippedRecord(where, "empty HTTP payload")
                continue
            if len(body) > MAX_INPUT_BYTES:
                yield SkippedRecord(where, f"too large ({len(body) / 1e6:.1f} MB)")
                continue
            if _http_header(head, b"content-encoding") not in ("", "identity"):
                yield SkippedRecord(where, "compressed HTTP payload (Content-Encoding) not supported")
                continue
            try:
                text = extract_main_text(_decode_html(body, content_type), url)
            except InputError as exc:
                yield SkippedRecord(where, exc.problem)
                continue
            date = record.headers.get("WARC-Date")
            yield Document(id=url, text=text, url=url, site=_site_of(url), meta={"crawled": date} if date else {})


def _http_header(head: bytes, name: bytes) -> str:
    for line in head.split(b"\n")[1:]:
        key, sep, value = line.partition(b":")
        if sep and key.strip().lower() == name:
            return value.strip().decode("latin-1").lower()
    return ""


def _decode_html(body: bytes, content_type: str) -> str:
    # A crawl holds every kind of page; one bad byte should cost a character, not the record.
    encoding, _ = html_codec(body, content_type)
    return body.decode(encoding or "utf-8", errors="replace")


def iter_parquet(file: Path) -> Iterator[CorpusItem]:
    """Rows of a Parquet file with ``id`` and ``text`` columns (other columns go to metadata)."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(file)
    except Exception as exc:  # pyarrow raises ArrowInvalid for non-Parquet bytes
        yield SkippedRecord(str(file), f"not a readable Parquet file ({exc})")
        return
    if "text" not in parquet.schema_arrow.names:
        yield SkippedRecord(str(file), "Parquet file has no \"text\" column")
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=2048):
        for record in batch.to_pylist():
            row += 1
            yield record_to_document(record, f"{file} row {row}", default_id=f"{file.stem}:{row}")


def estimate_document_count(paths: Iterable[str | Path]) -> int | None:
    """Roughly how many records ``iter_documents(paths)`` will yield (for progress bars).

    Counts JSON Lines lines and Parquet rows, one per article file; ``None`` when a WARC or gzip
    file makes a cheap estimate impossible.
    """
    total = 0
    for file, _root in iter_corpus_files(paths):
        kind = corpus_format(file) or "article"
        name = file.name.lower()
        if kind == "warc" or name.endswith(".gz"):
            return None
        if kind == "jsonl":
            with open(file, "rb") as fh:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 22), b""))
        elif kind == "parquet":
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(file).metadata.num_rows
            except Exception:
                total += 1
        else:
            total += 1
    return total
