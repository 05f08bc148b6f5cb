"""``GET /documents/{id}`` and ``POST /documents``: read and add indexed articles."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from spintrace.serve import schemas
from spintrace.serve.corpus import add_document, document_json
from spintrace.serve.routes.common import deadline, fields_of, locked_get, workbench
from spintrace.serve.service import Workbench

router = APIRouter(tags=["index"])


def locked_add(bench: Workbench, index: Any, text: str, doc: dict[str, Any]) -> dict[str, Any]:
    with bench.index_lock():
        added = document_json(add_document(index, text, **doc))
    # a new page can make a site's lines its template: comparisons a search made before read them
    bench.forget_comparisons()
    return added


@router.get("/documents/{doc_id:path}", summary="One indexed document (ids may contain slashes)",
            responses=schemas.ERROR_RESPONSES, response_model=schemas.Document)
async def get_document_route(request: Request, doc_id: str) -> dict[str, Any]:
    bench = workbench(request)
    index = bench.require_index()
    until = deadline(bench)
    return await bench.run(locked_get, bench, doc_id, deadline=until, index=index)


@router.post(
    "/documents", summary="Add a document to the index", status_code=201,
    openapi_extra=schemas.request_body(schemas.DocumentIn, files=("text",)),
    responses=schemas.ERROR_RESPONSES, response_model=schemas.Document,
)
async def add_document_route(request: Request) -> dict[str, Any]:
    """Add one article (JSON or multipart with a `text` file) so later searches find it."""
    bench = workbench(request)
    until = deadline(bench)
    index = bench.require_index()
    fields = await fields_of(request, bench, until, ("text",), ("id", "title", "published", "url", "site"))
    text = fields.text("text")
    doc = {
        "id": fields.option("id"),
        "title": fields.option("title") or fields.option("text_label"),
        "published": fields.date("published"),
        "url": fields.option("url"),
        "site": fields.option("site"),
    }
    return await bench.run(locked_add, bench, index, text, doc, deadline=until)
