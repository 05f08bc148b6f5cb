"""Reading one article: what the one-line errors say about bytes that are not UTF-8 text."""

from __future__ import annotations

import pytest

from spintrace.errors import InputError
from spintrace.ingest.files import decode_article, read_article

TEXT = "The council approved the new bridge on Monday after a long debate about its cost."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_as_such(encoding: str) -> None:
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark; save it as UTF-8"):
        decode_article(TEXT.encode(encoding), "a.txt")


def test_binary_data_is_still_binary_and_utf16_with_a_mark_is_text() -> None:
    with pytest.raises(InputError, match="binary data, not text"):
        decode_article(bytes(range(256)) * 8, "b.bin")
    assert decode_article(TEXT.encode("utf-16"), "c.txt").text == TEXT


PAGE = ("<!doctype html><html><head>{meta}<title>t</title></head><body><article>"
        "<p>{text}</p><p>{text}</p></article></body></html>")
QUOTED = TEXT.replace("long debate", "\u201clong debate\u201d \u2013 over \u00a3 and \u20ac")


@pytest.mark.parametrize("meta", ['<meta charset="windows-1252">', "<meta charset=ISO-8859-1>",
                                  '<meta http-equiv="Content-Type" content="text/html; charset=cp1252">'])
def test_a_page_in_windows_1252_is_read_in_the_encoding_it_declares(tmp_path, meta: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(meta=meta, text=QUOTED).encode("cp1252"))

    assert QUOTED in read_article(str(page)).text


def test_a_page_that_declares_nothing_or_lies_gets_a_one_line_error() -> None:
    undeclared = PAGE.format(meta="", text=QUOTED).encode("cp1252")
    with pytest.raises(InputError, match="not valid UTF-8"):
        decode_article(undeclared, "a.html", html=True)
    with pytest.raises(InputError, match="declares the encoding 'x-klingon', which is unknown"):
        decode_article(PAGE.format(meta='<meta charset="x-klingon">', text=QUOTED).encode("cp1252"), "b.html", html=True)
    # 0x81 has no character in windows-1252
    with pytest.raises(InputError, match="not valid windows-1252 .*the encoding the page declares"):
        decode_article(PAGE.format(meta='<meta charset="windows-1252">', text=TEXT + " \x81").encode("latin-1"), "c.html", html=True)
    # a text file declares nothing: its <meta>-like line is text, and it must be UTF-8
    with pytest.raises(InputError, match="not valid UTF-8"):
        decode_article(PAGE.format(meta='<meta charset="windows-1252">', text=QUOTED).encode("cp1252"), "d.txt")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_utf8_page_that_kept_an_old_latin1_label_is_read_as_utf8(bom: bytes) -> None:
    # the label is stale (a site converted to UTF-8 and kept its template); 0x9D would not decode
    page = bom + PAGE.format(meta="<meta charset=iso-8859-1>", text=QUOTED + " \u201d").encode("utf-8")
    assert QUOTED + " \u201d" in decode_article(page, "a.html", html=True).text


def test_labels_are_read_with_the_superset_browsers_use() -> None:
    text = TEXT + " \u9555\u93c8"  # characters GBK has and strict GB2312 lacks
    page = PAGE.format(meta='<meta charset="gb2312">', text=text).encode("gbk")
    assert text in decode_article(page, "zh.html", html=True).text
