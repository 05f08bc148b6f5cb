"""``POST /compare``: two articles (or an indexed source by id and a suspect) compared."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from spintrace.report import render_report_fragment
from spintrace.serve import schemas
from spintrace.serve.routes.common import deadline, fields_of, locked_get, locked_without_templates, workbench

COMPARE_TEXT_FIELDS = ("source", "suspect")

router = APIRouter(tags=["compare"])


@router.post(
    "/compare", summary="Compare a source and a suspect article",
    openapi_extra=schemas.request_body(schemas.CompareRequest, files=COMPARE_TEXT_FIELDS),
    responses=schemas.documented(schemas.CompareResponse, "the comparison"),
)
async def compare_route(request: Request, report: bool = False) -> JSONResponse:
    """Send two texts as JSON (`source`, `suspect`), or two uploaded files (or texts) as
    `multipart/form-data`. Instead of `source`, `source_id` names a document in the index.
    Returns the comparison JSON contract, the same as `spintrace compare --format json`;
    with `?report=true` it adds `report_html`, the rendered side-by-side report fragment
    (style it with `/static/report.css`, drive it with `/static/report.js`)."""
    bench = workbench(request)
    until = deadline(bench)
    fields = await fields_of(request, bench, until, COMPARE_TEXT_FIELDS,
                           ("source_id", "source_published", "suspect_published"))
    source_label = fields.option("source_label")
    source_id = fields.option("source_id")
    source_published = fields.date("source_published")
    by_id = source_id is not None and fields.text("source", required=False) is None
    if by_id:
        doc = await bench.run(locked_get, bench, source_id, deadline=until)
        source = doc["text"]
        source_label = source_label or doc.get("title") or source_id
        source_published = source_published or doc.get("published")
    else:
        source = fields.text("source")
    suspect = fields.text("suspect")
    dates = {"source_published": source_published, "suspect_published": fields.date("suspect_published")}
    # a hit opened from a search's results was compared by that search already
    result = bench.recall(source, suspect, **dates) if by_id else None
    if result is None:
        if by_id:  # read as search reads them, so the report tells what the hit said
            source = await bench.run(locked_without_templates, bench, source, deadline=until)
            suspect = await bench.run(locked_without_templates, bench, suspect, deadline=until)
        result = await bench.run(bench.compare_texts, source, suspect, deadline=until, **dates)
    payload = result.to_dict()
    if report:
        payload["report_html"] = render_report_fragment(
            result, source_label=source_label or "source",
            suspect_label=fields.option("suspect_label") or "suspect",
        )
    return JSONResponse(payload)
