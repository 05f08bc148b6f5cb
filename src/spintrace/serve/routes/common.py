"""Request helpers shared by the route modules: the workbench, time limits, reading fields."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import Request

from spintrace.errors import SpintraceError
from spintrace.serve.corpus import document_count, document_json, get_document
from spintrace.serve.inputs import BadRequest, Fields, read_fields
from spintrace.serve.service import Workbench, WorkTimeout


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench


def deadline(bench: Workbench) -> float:
    return time.monotonic() + bench.settings.request_timeout_s


async def read_body(request: Request, until: float) -> bytes:
    try:
        return await asyncio.wait_for(request.body(), timeout=max(0.0, until - time.monotonic()))
    except asyncio.TimeoutError:
        raise WorkTimeout("the request body did not arrive within the server's time limit") from None


async def fields_of(request: Request, bench: Workbench, until: float, text_fields: tuple[str, ...],
                    options: tuple[str, ...] = ()) -> Fields:
    """The request's fields: ``text_fields`` checked as articles, ``options`` as strings (each
    text field may also carry its ``NAME_label``); any other field is refused by name, since a
    misspelt one ("suspect_publshed") was silently dropped, and with it what it said."""
    body = await read_body(request, until)
    fields = await read_fields(request, body, text_fields, max_part_bytes=bench.settings.max_request_bytes,
                               max_text_chars=bench.settings.max_text_chars)
    known = {*text_fields, *options, *(f"{name}_label" for name in text_fields)}
    unknown = sorted(set(fields.values) - known)
    if unknown:
        raise BadRequest(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                         f"this route takes {', '.join(sorted(known))}")
    return fields


def int_option(fields: Fields, name: str, *, default: int, low: int, high: int) -> int:
    raw = fields.option(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be between {low} and {high}")
    return value


def locked_without_templates(bench: Workbench, text: str) -> str:
    """``text`` as search reads it: indexed sites' template sentences blanked."""
    index = bench.require_index()
    with bench.index_lock():
        return index.without_site_templates(text)


def locked_get(bench: Workbench, doc_id: str, index: Any = None) -> dict[str, Any]:
    index = index or bench.require_index()
    with bench.index_lock():
        return document_json(get_document(index, doc_id))


def count(bench: Workbench) -> int | None:
    """Document count without waiting: a health check must not queue behind a long search or
    write, so while one holds the index the last count seen is given."""
    lock = bench.index_lock()
    if not lock.acquire(blocking=False):
        return bench.last_document_count
    try:
        bench.last_document_count = document_count(bench.index)
    except SpintraceError:
        pass
    finally:
        lock.release()
    return bench.last_document_count
