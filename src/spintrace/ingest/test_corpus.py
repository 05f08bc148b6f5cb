"""Corpus reading: every supported container, and bad records skipped by name, not fatal."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastwarc.warc import WarcRecord, WarcRecordType

from spintrace.errors import InputError
from spintrace.ingest import Document
from spintrace.ingest.corpus import SkippedRecord, iter_documents

ARTICLE = (
    "The finance minister said the budget would rise by 3% next year, according to officials in Astana. "
    "Opposition leaders called the plan reckless and demanded a vote in parliament before the summer recess."
)
PAGE = f"<html><head><title>t</title></head><body><nav>Home | News</nav><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>"


def warc_record(url: str, html: str | bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    record = WarcRecord()
    record.init_headers(record_type=WarcRecordType.response, record_urn=uuid.uuid4().urn[4:].encode())
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = "application/http; msgtype=response"
    body = html if isinstance(html, bytes) else html.encode()
    record.set_bytes_content(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + body)
    out = io.BytesIO()
    record.write(out)
    return out.getvalue()


def split(items):
    docs = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, SkippedRecord)]
    return docs, skipped


def test_folder_of_articles_with_a_non_utf8_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Title\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait co\xfbte 3 euros.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")

    docs, skipped = split(list(iter_documents([tmp_path])))

    assert sorted(d.id for d in docs) == ["a.txt", "c.html", "sub/b.md"]
    html_doc = next(d for d in docs if d.id == "c.html")
    assert "Home | News" not in html_doc.text and "budget would rise" in html_doc.text
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert set(reasons) == {"latin1.txt", "empty.txt"}
    assert "UTF-8" in reasons["latin1.txt"]


def test_jsonl_malformed_lines_are_skipped_and_named(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "x1", "text": ARTICLE, "title": "T", "url": "https://www.example.org/a", "category": "politics"}),
        '{"id": "x2", "text": "unterminated',
        json.dumps({"id": "x3", "text": ""}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"text": ARTICLE, "published": "2024-01-05"}),
    ]
    data = ("\n".join(lines) + "\n").encode() + b'{"id": "x7", "text": "bad \xff byte"}\n'
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(data)

    docs, skipped = split(list(iter_documents([corpus])))

    assert [d.id for d in docs] == ["x1", "c:6"]
    first = docs[0]
    assert first.title == "T" and first.site == "example.org" and first.meta == {"category": "politics"}
    assert docs[1].published == "2024-01-05"
    assert [s.source.rsplit(":", 1)[1] for s in skipped] == ["2", "3", "4", "7"]
    assert "malformed JSON" in skipped[0].reason and "UTF-8" in skipped[3].reason


def test_warc_truncated_record_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    data = (
        warc_record("https://news.example.com/1", PAGE)
        + warc_record("https://news.example.com/logo", "GIF89a", content_type="image/gif")
        + warc_record("https://news.example.com/2", PAGE)
        + warc_record("https://news.example.com/3", PAGE)
    )
    corpus = tmp_path / "crawl.warc"
    corpus.write_bytes(data[:-150])

    docs, skipped = split(list(iter_documents([corpus])))

    assert [d.id for d in docs] == ["https://news.example.com/1", "https://news.example.com/2"]
    assert docs[0].site == "news.example.com" and "budget would rise" in docs[0].text
    assert len(skipped) == 1 and "truncated" in skipped[0].reason and "/3" in skipped[0].source


def test_parquet_rows(tmp_path: Path) -> None:
    table = pa.table({"id": ["p1", "p2"], "text": [ARTICLE, None], "site": ["bbc.co.uk", None]})
    pq.write_table(table, tmp_path / "c.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")

    docs, skipped = split(list(iter_documents([tmp_path])))

    assert [(d.id, d.site) for d in docs] == [("p1", "bbc.co.uk")]
    assert {Path(s.source.split(" ")[0]).name for s in skipped} == {"c.parquet", "bad.parquet"}


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_documents([tmp_path / "nope"]))


def test_jsonl_records_with_unusable_fields_are_skipped_by_name(tmp_path: Path) -> None:
    lines = [
        '{"id": "surrogate-text", "text": "' + ARTICLE + ' \\ud800"}',
        '{"id": "\\udce9", "text": "' + ARTICLE + '"}',
        "[" * 50_000,
        json.dumps({"id": "bad-date", "text": ARTICLE, "published": "yesterday-ish"}),
        '{"id": "nan-date", "text": "' + ARTICLE + '", "published": NaN}',
        json.dumps({"id": "list-title", "text": ARTICLE, "title": ["a", "b"]}),
        json.dumps({"id": {"nested": 1}, "text": ARTICLE}),
        json.dumps({"id": "good", "text": ARTICLE, "published": "2024-01-05T10:00:00Z"}),
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    docs, skipped = split(list(iter_documents([corpus])))

    assert [d.id for d in docs] == ["good"] and docs[0].published == "2024-01-05T10:00:00Z"
    reasons = [s.reason for s in skipped]
    assert [s.source.rsplit(":", 1)[1] for s in skipped] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "unpaired" in reasons[0] and "unpaired" in reasons[1] and "nested too deeply" in reasons[2]
    assert "not a date" in reasons[3] and "not a date" in reasons[4]
    assert '"title" is not a string' in reasons[5] and '"id" must be' in reasons[6]
    assert all("\n" not in r for r in reasons)


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:  # a Latin-1 name
        fh.write(ARTICLE.encode())

    docs, skipped = split(list(iter_documents([folder])))

    assert [d.id for d in docs] == ["ok.txt"]
    (bad,) = skipped
    assert "not valid UTF-8" in bad.reason and bad.source.endswith("caf\ufffd.txt")


def test_an_endless_device_is_refused_after_the_size_limit(tmp_path: Path) -> None:
    from spintrace.ingest import read_article

    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(InputError, match="too large"):
        read_article(str(zero))
    docs, skipped = split(list(iter_documents([zero])))
    assert not docs and "too large" in skipped[0].reason


def test_a_corrupt_compressed_warc_names_its_first_record_as_record_1(tmp_path: Path) -> None:
    import gzip

    whole = gzip.compress(warc_record("https://example.org/a", PAGE))
    broken = tmp_path / "cut.warc.gz"
    broken.write_bytes(whole[:10] + b"\x00" * 40 + whole[50:])
    docs, skipped = split(list(iter_documents([broken])))
    assert not docs and skipped and skipped[0].source.startswith(f"{broken} record 1")


def test_pages_in_a_legacy_encoding_are_read_in_the_encoding_they_declare(tmp_path: Path) -> None:
    quoted = ARTICLE.replace("reckless", "\u201creckless\u201d \u2013 a \u00abgamble\u00bb")
    page = f'<html><head><meta charset="windows-1252"><title>t</title></head><body><article><p>{quoted}</p><p>{quoted}</p></article></body></html>'
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(page.encode("cp1252"))
    crawl = tmp_path / "crawl.warc"
    # the page's own <meta> when the HTTP header names no charset; the header when it does
    crawl.write_bytes(warc_record("https://news.example.com/1", page.encode("cp1252"), content_type="text/html")
                      + warc_record("https://news.example.com/2", page.replace("windows-1252", "utf-8").encode("cp1252"),
                                    content_type="text/html; charset=ISO-8859-1"))

    docs, skipped = split(list(iter_documents([folder, crawl])))

    assert not skipped and len(docs) == 3
    assert all("\u201creckless\u201d \u2013 a \u00abgamble\u00bb" in d.text for d in docs)


def test_a_warc_page_in_utf16_by_its_http_header_is_read_as_such(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc"
    page = PAGE.replace("reckless", "\u201creckless\u201d")
    # no byte-order mark: only the header says how to read it
    crawl.write_bytes(warc_record("https://news.example.com/u16", page.encode("utf-16-le"), content_type="text/html; charset=utf-16"))

    docs, skipped = split(list(iter_documents([crawl])))

    assert not skipped and "budget would rise" in docs[0].text and "\u201creckless\u201d" in docs[0].text


def test_a_warc_page_with_a_utf16_byte_order_mark_and_no_header_charset_is_read_by_its_mark(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc"
    page = PAGE.replace("reckless", "\u201creckless\u201d, \u00e0 la Fran\u00e7aise")
    crawl.write_bytes(warc_record("https://news.example.com/bom", page.encode("utf-16"), content_type="text/html"))

    docs, skipped = split(list(iter_documents([crawl])))

    # read as UTF-8 with replacement, the ASCII survived (the NULs are dropped) but not the rest
    assert not skipped and "\u201creckless\u201d, \u00e0 la Fran\u00e7aise" in docs[0].text
