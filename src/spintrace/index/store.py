"""The on-disk index: one SQLite database in a directory, nothing to run.

SQLite in WAL mode gives crash safety for free: ingest commits one transaction per batch, so a
process killed at any moment leaves a database that opens and holds every batch committed before
the kill; re-running the same ingest skips what is already there and carries on.

Tables: ``documents`` (text zlib-compressed, metadata, content hash, the fingerprint parts needed
to undo its postings), ``postings`` (anchor term -> document, the inverted index) and ``bands``
(LSH band key -> document). Both lookup tables are clustered on their key (WITHOUT ROWID), so a
query reads each posting list as one contiguous range.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from spintrace.errors import CorpusIndexError
from spintrace.index.directory import DB_NAME, check_directory, is_read_only

FORMAT_NAME = "spintrace-index"
FORMAT_VERSION = 1

# Site templates (``ingest.boilerplate``): each site's template sentence keys, and the sites whose
# documents changed since their templates were last found (recorded in the batch's transaction,
# so an ingest killed before it finds them leaves the work to the next one). A site is keyed as
# ``lower(trim(site))`` (indexed only where there is a site: an archive without sites pays
# nothing at ingest). Added in session 30; an older index gains these tables, with every site
# it holds marked changed, the first time it is written to.
SITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS site_templates (key INTEGER NOT NULL, site TEXT NOT NULL, PRIMARY KEY (key, site)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sites_changed (site TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_by_site ON documents (lower(trim(site))) WHERE site IS NOT NULL;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash BLOB NOT NULL,
    title TEXT, url TEXT, published TEXT, site TEXT, meta TEXT,
    text BLOB NOT NULL,
    chars INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    sentences INTEGER NOT NULL,
    terms BLOB NOT NULL,
    bands BLOB NOT NULL,
    minhash BLOB NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS postings (term INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (term, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
""" + SITE_SCHEMA


def content_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def compress_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as the index holds it (``doc`` is the internal row number)."""

    doc: int
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    site: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    added_at: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """Everything ``write_documents`` stores for one new or changed document."""

    id: str
    text_blob: bytes  # zlib-compressed UTF-8 text (compressed where the row is prepared)
    chars: int
    content_hash: bytes
    title: str | None
    url: str | None
    published: str | None
    site: str | None
    meta: dict[str, Any]
    tokens: int
    sentences: int
    terms: np.ndarray  # int64 anchor term hashes
    bands: np.ndarray  # int64 LSH band keys
    minhash: np.ndarray  # MinHash values (fit in uint32)


class Store:
    """Low-level access to the index database; ``spintrace.index.Index`` is the public face."""

    def __init__(self, directory: Path, *, create: bool) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self._reader: Store | None = None
        check_directory(directory, create=create)
        self.read_only = is_read_only(directory)
        try:
            self.conn = self._connect()
            # The format is checked before anything is written: a database that is not an index
            # is refused as it was found (WAL mode is a lasting change to the file).
            self._check_or_init_format(create and not self.read_only)
            if not self.read_only:
                self.conn.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: a committed batch survives a process crash (not a power cut).
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache
            self.conn.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.DatabaseError as exc:
            raise CorpusIndexError(f"{directory}: the index database is corrupted or not SQLite ({exc})") from None

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            # A WAL reader needs the -shm file beside the database, which a read-only folder
            # forbids creating. With no write-ahead log left (every `index add` ends with a
            # checkpoint) the file alone is the index and is read as immutable: a read-only index
            # is expected not to change while it is read. A log left by a killed ingest holds
            # committed batches that immutable mode would not see; SQLite reads it in read-only
            # mode when its -shm file exists too.
            wal, shm = (self.path.with_name(self.path.name + suffix) for suffix in ("-wal", "-shm"))
            pending = wal.exists() and wal.stat().st_size > 0
            if pending and not shm.exists():
                raise CorpusIndexError(f"{self.directory}: the index is read-only here and holds an unfinished "
                                       "write-ahead log; open it once with write permission (e.g. index stats)")
            mode = "mode=ro" if pending else "immutable=1"
            uri = f"file:{quote(str(self.path.resolve()))}?{mode}"
            return sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None, check_same_thread=False)
        return sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)

    def _check_or_init_format(self, create: bool) -> None:
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            if tables or not create:
                raise CorpusIndexError(f"{self.directory}: {DB_NAME} is not a spintrace index")
            self.has_site_tables = True
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("format", FORMAT_NAME), ("version", str(FORMAT_VERSION))],
                )
            return
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        if meta.get("format") != FORMAT_NAME:
            raise CorpusIndexError(f"{self.directory}: {DB_NAME} is not a spintrace index")
        if meta.get("version") != str(FORMAT_VERSION):
            raise CorpusIndexError(
                f"{self.directory}: index format version {meta.get('version')} is not supported "
                f"(this spintrace reads version {FORMAT_VERSION}); rebuild it with spintrace index add"
            )
        missing = {"documents", "postings", "bands"} - tables
        if missing:
            raise CorpusIndexError(f"{self.directory}: index is damaged (missing tables: {', '.join(sorted(missing))})")
        self.has_site_tables = "site_templates" in tables

    def ensure_site_tables(self) -> None:
        """Give an index made before session 30 its site-template tables (before a write)."""
        if self.has_site_tables:
            return
        with self.transaction():
            for statement in SITE_SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute("INSERT OR IGNORE INTO sites_changed (site) SELECT DISTINCT lower(trim(site)) "
                              "FROM documents WHERE trim(coalesce(site, '')) != ''")
        self.has_site_tables = True

    def transaction(self):
        return _Transaction(self.conn)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (keeps the WAL from growing)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reader(self) -> Store:
        """A second connection to the same index, for reads in another thread: SQLite runs the
        queries of two connections at once, those of one connection one after the other. Opened
        on first use and kept until ``close``; it writes nothing."""
        if self._reader is None:
            reader = Store.__new__(Store)
            reader.directory, reader.path, reader._reader, reader.read_only = self.directory, self.path, None, self.read_only
            reader.has_site_tables = self.has_site_tables
            reader.conn = reader._connect()
            reader.conn.execute("PRAGMA cache_size=-131072")  # 128 MiB
            reader.conn.execute("PRAGMA temp_store=MEMORY")
            self._reader = reader
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.conn.close()

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def size_estimate(self) -> int:
        """Number of documents for IDF, in O(log n): the highest row number (an overestimate by
        the number of removed documents, which IDF does not mind). ``count`` scans the table."""
        return self.conn.execute("SELECT coalesce(max(doc), 0) FROM documents").fetchone()[0]

    def existing_hashes(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        """id -> (doc, content_hash) for those of ``ids`` already stored."""
        found: dict[str, tuple[int, bytes]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for doc_id, doc, digest in self.conn.execute(
                f"SELECT id, doc, content_hash FROM documents WHERE id IN ({marks})", chunk
            ):
                found[doc_id] = (doc, digest)
        return found

    def get(self, doc_id: str) -> StoredDocument | None:
        row = self.conn.execute(
            "SELECT doc, id, text, title, url, published, site, meta, added_at FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return _stored(row) if row else None

    def get_many(self, docs: Sequence[int]) -> dict[int, StoredDocument]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(
            f"SELECT doc, id, text, title, url, published, site, meta, added_at FROM documents WHERE doc IN ({marks})",
            list(docs),
        )
        return {row[0]: _stored(row) for row in rows}

    def minhashes(self, docs: Sequence[int]) -> dict[int, np.ndarray]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(f"SELECT doc, minhash FROM documents WHERE doc IN ({marks})", list(docs))
        return {doc: np.frombuffer(blob, dtype=np.uint32) for doc, blob in rows}

    def document_frequency(self, term: int, cap: int) -> int:
        """How many documents hold ``term``, counting no further than ``cap + 1``."""
        return self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM postings WHERE term = ? LIMIT ?)", (term, cap + 1)
        ).fetchone()[0]

    def document_frequencies(self, terms: Sequence[int], cap: int) -> dict[int, int]:
        """``document_frequency`` of many terms in one statement."""
        if not terms:
            return {}
        values = ",".join(["(?)"] * len(terms))
        rows = self.conn.execute(
            f"WITH q(term) AS (VALUES {values}) SELECT q.term, "
            "(SELECT count(*) FROM (SELECT 1 FROM postings p WHERE p.term = q.term LIMIT ?)) FROM q",
            [*map(int, terms), cap + 1],
        )
        return dict(rows.fetchall())

    def anchor_terms(self, docs: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored anchor term hashes of each of ``docs``."""
        out: dict[int, np.ndarray] = {}
        for start in range(0, len(docs), 500):
            chunk = [int(d) for d in docs[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            for doc, blob in self.conn.execute(f"SELECT doc, terms FROM documents WHERE doc IN ({marks})", chunk):
                out[doc] = np.frombuffer(blob, dtype=np.int64)
        return out

    def top_by_terms(self, weights: dict[int, float], limit: int, min_shared: int = 1) -> list[tuple[int, float]]:
        """Documents with the largest summed weight of the given terms, scored inside SQLite
        (no Python per posting, which is what keeps long posting lists cheap); ``min_shared``:
        only documents holding at least that many of the terms."""
        if not weights:
            return []
        values = ",".join(["(?, ?)"] * len(weights))
        params: list[float | int] = [x for term, w in weights.items() for x in (int(term), float(w))]
        having = "HAVING count(*) >= ? " if min_shared > 1 else ""
        rows = self.conn.execute(
            f"WITH q(term, w) AS (VALUES {values}) SELECT p.doc, sum(q.w) AS s FROM q "
            f"JOIN postings p ON p.term = q.term GROUP BY p.doc {having}ORDER BY s DESC, p.doc LIMIT ?",
            [*params, *([min_shared] if min_shared > 1 else []), limit],
        )
        return rows.fetchall()

    def top_by_sentence_coverage(
        self, pairs: Sequence[tuple[int, int, float, int]], min_shared: int, limit: int
    ) -> list[tuple[int, float, int]]:
        """Documents explaining the most distinct query sentences, scored inside SQLite.

        ``pairs`` are (term, sentence, sentence weight, group): a document explains a sentence
        when it holds terms of at least ``min_shared`` distinct groups of that sentence (a group
        is one anchor; a foreign name's English spellings are one group of several terms).
        Returns (doc, summed weight of the sentences explained, their number), best first.
        """
        if not pairs:
            return []
        values = ",".join(["(?, ?, ?, ?)"] * len(pairs))
        params: list[float | int] = [
            x for term, sent, w, group in pairs for x in (int(term), int(sent), float(w), int(group))
        ]
        # With one term a group (every English key) count(*) is the same number, and at 1M
        # documents DISTINCT costs a third more per query.
        single = len({(sent, group) for _, sent, _, group in pairs}) == len(pairs)
        counted = "count(*)" if single else "count(DISTINCT q.grp)"
        rows = self.conn.execute(
            f"WITH q(term, sent, w, grp) AS (VALUES {values}), "
            "hit(doc, sent, w) AS (SELECT p.doc, q.sent, max(q.w) FROM q JOIN postings p ON p.term = q.term "
            f"GROUP BY p.doc, q.sent HAVING {counted} >= ?) "
            "SELECT doc, sum(w) AS s, count(*) FROM hit GROUP BY doc ORDER BY s DESC, doc LIMIT ?",
            [*params, int(min_shared), int(limit)],
        )
        return rows.fetchall()

    def band_matches(self, keys: Sequence[int], cap: int) -> list[np.ndarray]:
        """For each band key, the documents sharing it (at most ``cap + 1`` per key)."""
        out = []
        for key in keys:
            rows = self.conn.execute("SELECT doc FROM bands WHERE key = ? LIMIT ?", (int(key), cap + 1)).fetchall()
            out.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        return out

    def totals(self) -> dict[str, int]:
        docs, sentences, tokens, chars = self.conn.execute(
            "SELECT count(*), coalesce(sum(sentences), 0), coalesce(sum(tokens), 0), coalesce(sum(chars), 0) FROM documents"
        ).fetchone()
        out = {"documents": docs, "sentences": sentences, "tokens": tokens, "characters": chars,
               "template_sentences": 0, "sites_with_templates": 0}
        if self.has_site_tables:
            out["template_sentences"], out["sites_with_templates"] = self.conn.execute(
                "SELECT count(*), count(DISTINCT site) FROM site_templates").fetchone()
        return out

    def ids(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT id FROM documents ORDER BY doc")]

    def template_keys(self, keys: Sequence[int]) -> set[int]:
        """Which of these sentence keys are some site's template."""
        if not keys:
            return set()
        if not self.has_site_tables:  # another process may have upgraded the index since it was opened
            self.has_site_tables = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='site_templates'").fetchone() is not None
            if not self.has_site_tables:
                return set()
        values = ",".join(["(?)"] * len(keys))
        rows = self.conn.execute(
            f"WITH q(key) AS (VALUES {values}) SELECT DISTINCT q.key FROM q JOIN site_templates t ON t.key = q.key",
            [int(k) for k in keys],
        )
        return {row[0] for row in rows}

    def changed_sites(self) -> list[str]:
        """Sites whose documents changed since their templates were last found."""
        return [row[0] for row in self.conn.execute("SELECT site FROM sites_changed ORDER BY site")]

    def site_texts(self, site: str, limit: int) -> list[str]:
        """The texts of the ``limit`` most recently added documents of a site (as ``changed_sites``
        names it: case and surrounding space ignored)."""
        rows = self.conn.execute(
            "SELECT text FROM documents WHERE lower(trim(site)) = ? AND site IS NOT NULL ORDER BY doc DESC LIMIT ?",
            (site, limit))
        return [zlib.decompress(blob).decode("utf-8") for (blob,) in rows]

    # -- writes (call inside a transaction) ------------------------------------------------------

    def set_site_templates(self, site: str, keys: Iterable[int]) -> None:
        """Replace the site's template keys, and mark its templates found."""
        self.conn.execute("DELETE FROM site_templates WHERE site = ?", (site,))
        self.conn.executemany("INSERT OR IGNORE INTO site_templates (key, site) VALUES (?, ?)",
                              [(int(k), site) for k in sorted(keys)])
        self.conn.execute("DELETE FROM sites_changed WHERE site = ?", (site,))

    def _site_changed(self, site: str | None) -> None:
        if site and site.strip() and self.has_site_tables:
            self.conn.execute("INSERT OR IGNORE INTO sites_changed (site) VALUES (lower(trim(?)))", (site,))

    def write_documents(self, rows: Iterable[DocumentRow], replace: dict[str, int]) -> None:
        """Insert new documents and replace changed ones (``replace`` maps id -> doc)."""
        term_parts: list[np.ndarray] = []
        band_parts: list[np.ndarray] = []
        doc_parts: list[int] = []
        for row in rows:
            old = replace.get(row.id)
            if old is not None:
                self._delete_doc(old)
            values = (
                row.id, row.content_hash, row.title, row.url, row.published, row.site,
                json.dumps(row.meta, ensure_ascii=False, default=str) if row.meta else None,
                row.text_blob, row.chars, row.tokens, row.sentences,
                row.terms.astype(np.int64).tobytes(), row.bands.astype(np.int64).tobytes(),
                row.minhash.astype(np.uint32).tobytes(),
            )
            insert = (
                "INSERT INTO documents (id, content_hash, title, url, published, site, meta, text, chars, tokens, "
                "sentences, terms, bands, minhash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            )
            try:
                cursor = self.conn.execute(insert, values)
            except sqlite3.IntegrityError:
                # Same id written by an earlier batch since this one was checked: the later text wins.
                self.delete(row.id)
                cursor = self.conn.execute(insert, values)
            self._site_changed(row.site)
            term_parts.append(row.terms)
            band_parts.append(row.bands)
            doc_parts.append(cursor.lastrowid)
        if not doc_parts:
            return
        # Sorted inserts touch each B-tree page once per batch instead of once per row.
        for table, column, parts in (("postings", "term", term_parts), ("bands", "key", band_parts)):
            keys = np.concatenate(parts).astype(np.int64)
            docs = np.repeat(np.asarray(doc_parts, dtype=np.int64), [len(p) for p in parts])
            order = np.lexsort((docs, keys))
            self.conn.executemany(
                f"INSERT OR IGNORE INTO {table} ({column}, doc) VALUES (?, ?)",
                zip(keys[order].tolist(), docs[order].tolist()),
            )

    def delete(self, doc_id: str) -> bool:
        row = self.conn.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return False
        self._delete_doc(row[0])
        return True

    def _delete_doc(self, doc: int) -> None:
        row = self.conn.execute("SELECT terms, bands, site FROM documents WHERE doc = ?", (doc,)).fetchone()
        if row is None:  # already replaced by an earlier batch of the same ingest
            return
        terms_blob, bands_blob, site = row
        self._site_changed(site)
        self.conn.executemany(
            "DELETE FROM postings WHERE term = ? AND doc = ?",
            [(int(t), doc) for t in np.frombuffer(terms_blob, dtype=np.int64)],
        )
        self.conn.executemany(
            "DELETE FROM bands WHERE key = ? AND doc = ?",
            [(int(k), doc) for k in np.frombuffer(bands_blob, dtype=np.int64)],
        )
        self.conn.execute("DELETE FROM documents WHERE doc = ?", (doc,))


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _stored(row: tuple) -> StoredDocument:
    doc, doc_id, blob, title, url, published, site, meta, added_at = row
    return StoredDocument(
        doc=doc, id=doc_id, text=zlib.decompress(blob).decode("utf-8"), title=title, url=url,
        published=published, site=site, meta=json.loads(meta) if meta else {}, added_at=added_at,
    )
