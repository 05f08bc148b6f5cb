"""Read one article from a path (or stdin) with checks that give one-line, actionable errors."""

from __future__ import annotations

import sys
from pathlib import Path

from spintrace.errors import InputError
from spintrace.ingest.charset import html_codec
from spintrace.ingest.document import Document
from spintrace.ingest.html import extract_article

# Articles are kilobytes; anything past this is a mistake (a dump, a video) and would stall alignment.
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: The longest text the server accepts and ``search``/``trace`` take as a suspect: about 40
#: articles. Past it, one request's work runs to minutes, and retrieval would query the index with
#: more anchors than SQLite takes in one statement.
MAX_ARTICLE_CHARS = 250_000
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown", ""})
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_article_bytes(data: bytes, name: str, *, html: bool = False) -> str:
    """Decode bytes as UTF-8 (or BOM-marked UTF-16, or for HTML the encoding the page declares)
    article text, rejecting empty, binary and badly encoded input."""
    return decode_article(data, name, html=html).text


def too_large(name: str, size: int | None = None) -> InputError:
    """The one message for input past ``MAX_INPUT_BYTES`` (``size`` when it is known)."""
    limit = f"the limit is {MAX_INPUT_BYTES // 2**20} MiB"
    return InputError(name, f"too large ({size / 2**20:.1f} MiB; {limit})" if size is not None else f"too large ({limit})")


def read_capped(file: Path, name: str) -> bytes:
    """A file's bytes, reading no more than one byte past the limit: a device or a pipe
    (``/dev/zero``, ``<(cat big)``) reports no size and could otherwise be read without end."""
    size = file.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise too_large(name, size)
    with file.open("rb") as fh:
        data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise too_large(name)
    return data


def decode_article(data: bytes, name: str, *, html: bool = False) -> Document:
    """Like ``decode_article_bytes``, keeping the publication date an HTML page carries."""
    if len(data) > MAX_INPUT_BYTES:
        raise too_large(name, len(data))
    if not data.strip():
        raise InputError(name, "empty input")
    if data.startswith(UTF16_BOMS):
        # Word and Windows tools save "Unicode text" as UTF-16 with a byte-order mark: unambiguous.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(name, f"not valid UTF-16 (byte {exc.start}) after its byte-order mark") from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError(name, "UTF-16 text without a byte-order mark; save it as UTF-8"
                             if _looks_like_utf16(data[:8192]) else "binary data, not text")
        text = _decode_declared(data, name) if html else None
        if text is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(name, f"not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192) + 2:
        raise InputError(name, "binary data, not text")
    published = None
    if html:
        text, published = extract_article(text, name)
    if not text.strip():
        raise InputError(name, "no text")
    return Document(id=name, text=text, published=published)


def _decode_declared(data: bytes, name: str) -> str | None:
    """An HTML page in the encoding it declares (``None``: read it as UTF-8)."""
    encoding, label = html_codec(data)
    if label is None:
        return None
    if encoding is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(name, f"declares the encoding '{label}', which is unknown, and is not UTF-8; "
                                   "convert it to UTF-8 first") from None
    if encoding == "utf-8":
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid {label} (byte {exc.start}), the encoding the page declares; "
                               "convert it to UTF-8 first") from None


def _looks_like_utf16(head: bytes) -> bool:
    """Latin-script text in UTF-16 has a zero in every other byte, and only there."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 16:
        return False
    return any(a.count(0) >= 0.9 * len(a) and b.count(0) <= 0.05 * len(b) for a, b in ((even, odd), (odd, even)))


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def read_text_input(path: str) -> str:
    """Read an article's text from a .txt/.md/.html file, or from stdin when ``path`` is ``-``.

    HTML is reduced to its main text; the returned string is what offsets refer to.
    """
    return read_article(path).text


def read_article(path: str) -> Document:
    """Read an article (text, and for HTML its publication date) from a file or stdin (``-``)."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise too_large("<stdin>")
        return decode_article(data, "<stdin>", html=looks_like_html(data))
    file = Path(path)
    if not file.exists():
        raise InputError(path, "no such file")
    if file.is_dir():
        raise InputError(path, "is a directory, not a file")
    try:
        data = read_capped(file, path)
    except PermissionError:
        raise InputError(path, "permission denied") from None
    is_html = file.suffix.lower() in HTML_SUFFIXES or (
        file.suffix.lower() not in TEXT_SUFFIXES and looks_like_html(data)
    )
    return decode_article(data, path, html=is_html)
