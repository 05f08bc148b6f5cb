"""Turning request bodies (JSON or multipart form) into checked article texts.

Every text, typed or uploaded, passes the same checks as a file given to the CLI
(``decode_article_bytes``), so the API refuses exactly what the command line refuses and the
text the offsets refer to is the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile

from spintrace.dates import checked_date
from spintrace.errors import InputError
from spintrace.ingest.files import HTML_SUFFIXES, TEXT_SUFFIXES, decode_article_bytes, looks_like_html
from spintrace.ingest.json_lines import MalformedJson, loads_untrusted

#: Upload types the server accepts; everything else is refused by name, before decoding.
UPLOAD_SUFFIXES = tuple(sorted((HTML_SUFFIXES | TEXT_SUFFIXES) - {""}))
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown", "application/octet-stream", ""})


class BadRequest(InputError):
    """The request itself is malformed (not JSON, wrong shape); answered with HTTP 422."""

    def __init__(self, problem: str) -> None:
        super().__init__("request", problem)


class UnsupportedMediaType(BadRequest):
    """The body is neither JSON nor a form (HTTP 415)."""


@dataclass(frozen=True, slots=True)
class Fields:
    """A request's named values: strings, or checked texts decoded from uploaded files."""

    values: Mapping[str, str]
    max_chars: int | None = None

    def text(self, name: str, *, required: bool = True) -> str | None:
        """A checked article text; ``max_chars`` bounds the work one request can ask for."""
        value = self.values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise InputError(name, "missing or empty text")
            return None
        if self.max_chars is not None and len(value) > self.max_chars:
            raise InputError(name, f"too long for this server ({len(value):,} characters; the limit is "
                                   f"{self.max_chars:,}); compare long texts with the command line")
        return value

    def option(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        value = value.strip()
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(name, "contains invalid Unicode (lone surrogates)") from None
        return value or None

    def date(self, name: str) -> str | None:
        """A publication date field, checked like the CLI's: a typo is refused, not dropped."""
        return checked_date(self.option(name), name)


def check_text(text: str, name: str) -> str:
    """Apply the CLI's input checks to a typed or pasted text; a whole HTML page is reduced to
    its main text, as it would be when piped to ``spintrace compare -``."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(name, "text contains invalid Unicode (lone surrogates)") from None
    html = looks_like_html(data)
    checked = decode_article_bytes(data, name, html=html)
    # A plain text is returned as sent, so offsets index the client's own string: decoding the
    # bytes again dropped a leading U+FEFF (a file's encoding mark, but a string's first character).
    return checked if html else text


async def read_upload(upload: UploadFile, name: str) -> str:
    """Decode one uploaded file, refusing file types the pipeline cannot read."""
    filename = upload.filename or name
    suffix = PurePosixPath(filename).suffix.lower()
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if suffix:
        if suffix not in UPLOAD_SUFFIXES:
            raise InputError(filename, f"unsupported file type '{suffix}': upload {', '.join(UPLOAD_SUFFIXES)} files")
        is_html = suffix in HTML_SUFFIXES
    elif content_type in _HTML_TYPES:
        is_html = True
    elif content_type in _TEXT_TYPES:
        is_html = False
    else:
        raise InputError(filename, f"unsupported file type '{content_type}': upload plain text or HTML")
    data = await upload.read()
    return decode_article_bytes(data, filename, html=is_html or looks_like_html(data))


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def parse_json(body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise BadRequest("empty request body: send a JSON object")
    try:
        value = loads_untrusted(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadRequest("request body is not UTF-8 JSON") from None
    except MalformedJson as exc:
        raise BadRequest(str(exc)) from None
    if not isinstance(value, dict):
        raise BadRequest("the JSON body must be an object")
    return value


def _check_multipart_complete(content_type: str, body: bytes) -> None:
    """A form cut off in transit parses as a form without its last fields (the text then looks
    "missing"); say what happened instead."""
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary", b"")
    if not boundary:
        raise BadRequest("malformed multipart body: the Content-Type names no boundary")
    if b"--" + boundary + b"--" not in body:
        raise BadRequest("malformed multipart body: it ends before its closing boundary (cut off?)")


def _form_field_bytes(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The name and raw bytes of each multipart part that is a field, not a file (no
    ``filename`` or ``filename*``): what Starlette decodes, falling back to Latin-1 without a
    word. The preamble before the first boundary and the epilogue after the last are not parts."""
    _, params = parse_options_header(content_type)
    delimiter = b"\r\n--" + params.get(b"boundary", b"")
    inside = (b"\r\n" + body).split(delimiter + b"--", 1)[0]
    fields = []
    for part in inside.split(delimiter)[1:]:
        head, separator, data = part.partition(b"\r\n\r\n")
        if not separator:
            continue
        disposition = next((line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition:")), b"")
        if b"filename" in disposition.lower():
            continue
        _, options = parse_options_header(disposition.split(b":", 1)[-1].strip())
        fields.append((options.get(b"name", b"").decode("utf-8", "replace"), data))
    return fields


def _check_form_is_utf8(content_type: str, body: bytes) -> None:
    """A form field that is not UTF-8 (``curl -F 'source=<latin1.txt'``) is refused as the
    command line refuses such a file; Starlette would read it as Latin-1, or put U+FFFD for
    each bad percent-escape of a URL-encoded form, and the text compared would not be the one sent."""
    if content_type.split(";")[0].strip().lower() == "multipart/form-data":
        named = _form_field_bytes(content_type, body)
    else:
        named = []
        for pair in body.split(b"&"):
            name, _, value = pair.partition(b"=")
            named.append((unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"),
                          unquote_to_bytes(value.replace(b"+", b" "))))
    for name, data in named:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(name or "request", f"not valid UTF-8 (byte {exc.start}); send form fields as UTF-8 "
                                                "or upload the text as a file") from None


async def read_fields(request: Any, body: bytes, text_fields: tuple[str, ...], *, max_part_bytes: int,
                      max_text_chars: int | None = None) -> Fields:
    """Read a JSON or multipart/urlencoded body into :class:`Fields`.

    ``text_fields`` are checked as articles (strings or uploaded files); other fields must be
    strings (or null) and are passed through as options.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    values: dict[str, str] = {}
    # `curl -d '{...}'` without a Content-Type header labels JSON as a form
    sent_json_as_form = content_type == "application/x-www-form-urlencoded" and body.lstrip().startswith(b"{")
    if content_type in ("application/json", "") or content_type.endswith("+json") or sent_json_as_form:
        data = parse_json(body)
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in text_fields:
                value = str(value)  # numeric options such as "limit"
            if not isinstance(value, str):
                expected = "a string" if key in text_fields else "a string or a number"
                raise BadRequest(f"field '{key}' must be {expected}, not {_json_type(value)}")
            values[key] = check_text(value, key) if key in text_fields and value.strip() else value
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if content_type == "multipart/form-data":
            _check_multipart_complete(request.headers.get("content-type", ""), body)
        _check_form_is_utf8(request.headers.get("content-type", ""), body)
        form = await request.form(max_part_size=max_part_bytes)
        uploaded: set[str] = set()
        try:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if key not in text_fields:
                        raise BadRequest(f"field '{key}' does not take a file")
                    if value.filename == "" and value.size == 0:
                        continue  # an empty file input in a browser form
                    if key in uploaded:
                        raise BadRequest(f"field '{key}' has two files; send one")
                    uploaded.add(key)
                    values[key] = await read_upload(value, key)
                    values.setdefault(f"{key}_label", PurePosixPath(value.filename or key).name)
                elif key in text_fields and value.strip():
                    if key in values:
                        continue  # an uploaded file wins over an empty-looking text box
                    # A browser sends a text box's line breaks as CRLF (the HTML form rules); the
                    # text pasted had LF, and the offsets must index what was pasted.
                    values[key] = check_text(value.replace("\r\n", "\n"), key)
                elif key not in values:
                    values[key] = value
        finally:
            await form.close()
    else:
        raise UnsupportedMediaType(
            f"unsupported Content-Type '{content_type}': send application/json or multipart/form-data"
        )
    return Fields(values, max_text_chars)
