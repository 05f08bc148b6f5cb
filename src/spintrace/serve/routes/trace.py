"""``POST /trace``: every indexed source of an article, passage by passage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from spintrace.report.trace import render_trace_fragment
from spintrace.serve import schemas
from spintrace.serve.routes.common import deadline, fields_of, workbench
from spintrace.serve.service import Workbench

router = APIRouter(tags=["index"])


def locked_trace(bench: Workbench, index: Any, text: str, published: str | None) -> Any:
    with bench.index_lock():
        return index.trace(text, embed=bench.embed, suspect_published=published)


@router.post(
    "/trace", summary="Trace an article to all of its indexed sources",
    openapi_extra=schemas.request_body(schemas.TraceRequest, files=("text",)),
    responses=schemas.documented(schemas.TraceResponse, "the trace"), response_model=None,
)
async def trace_route(request: Request, report: bool = False) -> dict[str, Any]:
    """Cover the text (JSON `text`, or an uploaded file) with passages from the indexed sources
    it really uses: each passage attributed to one source (the earliest published where several
    carry it, the others in `also_in`), each source's `share`, and what is `unattributed`.
    Same JSON as `spintrace trace --format json`; `?report=true` adds `report_html`, the report
    colouring the text by source (style it with `/static/trace.css`)."""
    bench = workbench(request)
    until = deadline(bench)
    index = bench.require_index()
    fields = await fields_of(request, bench, until, ("text",), ("suspect_published",))
    text = fields.text("text")
    result = await bench.run(locked_trace, bench, index, text, fields.date("suspect_published"), deadline=until)
    payload = result.to_dict()
    if report:
        payload["report_html"] = render_trace_fragment(result, fields.option("text_label") or "suspect")
    return payload
