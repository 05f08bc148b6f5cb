"""``POST /search``: the indexed documents an article may come from, ranked."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request

from spintrace.serve import schemas
from spintrace.serve.corpus import hit_json, search_index
from spintrace.serve.routes.common import deadline, fields_of, int_option, workbench
from spintrace.serve.service import Workbench

router = APIRouter(tags=["index"])


def locked_search(bench: Workbench, index: Any, text: str, limit: int) -> list[dict[str, Any]]:
    with bench.index_lock():
        hits = search_index(index, text, limit=limit, embed=bench.embed)
    for hit in hits:
        bench.remember(hit.document.text, text, hit.comparison, source_published=hit.document.published)
    return [hit_json(hit) for hit in hits]


@router.post(
    "/search", summary="Find the indexed sources of an article",
    openapi_extra=schemas.request_body(schemas.SearchRequest, files=("text",)),
    responses=schemas.ERROR_RESPONSES, response_model=schemas.SearchResponse,
)
async def search_route(request: Request) -> dict[str, Any]:
    """Rank the indexed documents this text (JSON `text`, or an uploaded file) was taken
    from, best first, each with its verdict and score."""
    bench = workbench(request)
    until = deadline(bench)
    index = bench.require_index()
    fields = await fields_of(request, bench, until, ("text",), ("limit",))
    text = fields.text("text")
    limit = int_option(fields, "limit", default=10, low=1, high=100)
    started = time.perf_counter()
    hits = await bench.run(locked_search, bench, index, text, limit, deadline=until)
    return {"hits": hits, "took_ms": round((time.perf_counter() - started) * 1000, 1)}
