"""The FastAPI application: routes that parse a request, run pipeline work off the event loop
and shape the answer. No comparison or search logic lives here."""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from spintrace import __version__
from spintrace.errors import CorpusIndexError, InputError, SpintraceError
from spintrace.pipeline.compare import Embed
from spintrace.report import render_report_fragment, report_css, report_js
from spintrace.serve import schemas
from spintrace.serve.corpus import (
    NotFound,
    add_document,
    document_count,
    document_json,
    get_document,
    hit_json,
    search_index,
)
from spintrace.serve.docs_page import render_docs_page
from spintrace.serve.guard import RequestGuard, is_loopback_host, loopback_names
from spintrace.serve.inputs import BadRequest, Fields, UnsupportedMediaType, read_fields
from spintrace.serve.service import Busy, ServeSettings, Unavailable, Workbench, WorkTimeout

#: The page and everything it loads come from this server; nothing may load or run from
#: elsewhere, and no inline script runs even if escaping were ever to fail.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DEFAULT_TIMEOUT_S = 60.0
COMPARE_TEXT_FIELDS = ("source", "suspect")


def _static(name: str) -> str:
    return resources.files("spintrace.serve").joinpath("static", name).read_text(encoding="utf-8")


def create_app(
    index_dir: str | Path | None = None,
    api_key: str | None = None,
    max_request_bytes: int = 5_000_000,
    request_timeout_s: float = DEFAULT_TIMEOUT_S,
    *,
    host: str = "127.0.0.1",
    allowed_hosts: list[str] | None = None,
    workers: int | None = None,
    max_text_chars: int | None = None,
    embed: Embed | None = None,
) -> FastAPI:
    """Build the spintrace web application.

    ``api_key``: when set, every API request must send it (``X-API-Key`` or ``Authorization:
    Bearer``). ``host`` is where the server listens: beyond loopback, writes are refused unless
    a key is set; on loopback only loopback Host names (plus ``allowed_hosts``) are answered,
    against DNS rebinding. ``max_request_bytes`` bounds request bodies (413) and ``request_timeout_s``
    each request's work (408). ``embed`` replaces the sentence embedder (tests, experiments).
    """
    if max_request_bytes <= 0 or request_timeout_s <= 0:
        raise ValueError("max_request_bytes and request_timeout_s must be positive")
    settings = ServeSettings(
        index_dir=Path(index_dir) if index_dir is not None else None,
        api_key=api_key or None,
        max_request_bytes=int(max_request_bytes),
        request_timeout_s=float(request_timeout_s),
        host=host,
        **({"workers": int(workers)} if workers else {}),
        **({"max_text_chars": int(max_text_chars)} if max_text_chars else {}),
    )
    bench = Workbench(settings, embed=embed)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await asyncio.to_thread(bench.load)
        log = logging.getLogger("uvicorn.error")
        if bench.model_error:
            log.warning("spintrace: comparisons unavailable: %s", bench.model_error)
        if bench.index is not None:
            log.info("spintrace: index %s: %s documents", settings.index_dir, _count(bench))
        elif bench.index_error:
            log.warning("spintrace: search unavailable: %s", bench.index_error)
        try:
            yield
        finally:
            bench.close()

    app = FastAPI(
        title="spintrace",
        version=__version__,
        description=(
            "Find reused news text (copied, edited, spun, paraphrased), trace it to its source "
            "and show what was kept, reworded, dropped and added."
            + (" Send the API key in the X-API-Key header." if settings.api_key else "")
        ),
        docs_url=None,  # FastAPI's docs page loads Swagger UI from a CDN; ours is self-contained
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = bench
    app.add_middleware(
        RequestGuard,
        api_key=settings.api_key,
        max_request_bytes=settings.max_request_bytes,
        allow_anonymous_writes=is_loopback_host(host),
        allowed_hosts=(loopback_names() | {h.lower() for h in allowed_hosts or ()})
        if is_loopback_host(host) else None,
    )
    _install_error_handlers(app)

    def deadline() -> float:
        return time.monotonic() + settings.request_timeout_s

    async def read_body(request: Request, until: float) -> bytes:
        try:
            return await asyncio.wait_for(request.body(), timeout=max(0.0, until - time.monotonic()))
        except asyncio.TimeoutError:
            raise WorkTimeout("the request body did not arrive within the server's time limit") from None

    async def fields_of(request: Request, until: float, text_fields: tuple[str, ...]) -> Fields:
        body = await read_body(request, until)
        return await read_fields(request, body, text_fields, max_part_bytes=settings.max_request_bytes,
                                 max_text_chars=settings.max_text_chars)

    # -- page and assets -------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_static("index.html"), headers=SECURITY_HEADERS)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        assets = {
            "report.css": (report_css, "text/css"),
            "report.js": (report_js, "text/javascript"),
            "app.css": (lambda: _static("app.css"), "text/css"),
            "app.js": (lambda: _static("app.js"), "text/javascript"),
            "favicon.svg": (lambda: _static("favicon.svg"), "image/svg+xml"),
        }
        if name not in assets:
            raise HTTPException(404, f"no such asset: {name}")
        load, media_type = assets[name]
        return Response(load(), media_type=f"{media_type}; charset=utf-8",
                        headers={"Cache-Control": "no-cache", **SECURITY_HEADERS})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render_docs_page(app.openapi()), headers=SECURITY_HEADERS)

    # -- API -------------------------------------------------------------------------------
    @app.get("/health", tags=["service"], summary="Liveness and readiness",
             response_model=schemas.Health)
    async def health() -> dict[str, Any]:
        """Answered on the event loop, never queued behind comparisons."""
        index_info: dict[str, Any] | None = None
        if bench.index is not None:
            index_info = {"path": str(settings.index_dir), "documents": _count(bench)}
        elif settings.index_dir is not None:
            index_info = {"path": str(settings.index_dir), "error": bench.index_error}
        return {
            "status": "ok" if bench.model_loaded else "degraded",
            "version": __version__,
            "model_loaded": bench.model_loaded,
            "model_error": bench.model_error,
            "index": index_info,
            "in_flight": bench.in_flight,
            "queued": bench.queued,
            "workers": settings.workers,
            "limits": {"max_request_bytes": settings.max_request_bytes,
                       "request_timeout_s": settings.request_timeout_s,
                       "max_text_chars": settings.max_text_chars},
            "auth_required": settings.api_key is not None,
        }

    @app.post(
        "/compare", tags=["compare"], summary="Compare a source and a suspect article",
        openapi_extra=schemas.request_body(schemas.CompareRequest, files=COMPARE_TEXT_FIELDS),
        responses=schemas.ERROR_RESPONSES,
    )
    async def compare_route(request: Request, report: bool = False) -> JSONResponse:
        """Send two texts as JSON (`source`, `suspect`), or two uploaded files (or texts) as
        `multipart/form-data`. Instead of `source`, `source_id` names a document in the index.
        Returns the comparison JSON contract, the same as `spintrace compare --format json`;
        with `?report=true` it adds `report_html`, the rendered side-by-side report fragment
        (style it with `/static/report.css`, drive it with `/static/report.js`)."""
        until = deadline()
        fields = await fields_of(request, until, COMPARE_TEXT_FIELDS)
        source_label = fields.option("source_label")
        source_id = fields.option("source_id")
        source_published = fields.option("source_published")
        by_id = source_id is not None and fields.text("source", required=False) is None
        if by_id:
            doc = await bench.run(_locked_get, bench, source_id, deadline=until)
            source = doc["text"]
            source_label = source_label or doc.get("title") or source_id
            source_published = source_published or doc.get("published")
        else:
            source = fields.text("source")
        suspect = fields.text("suspect")
        dates = {"source_published": source_published, "suspect_published": fields.option("suspect_published")}
        # a hit opened from a search's results was compared by that search already
        result = (bench.recall(source, suspect, **dates) if by_id else None) or await bench.run(
            bench.compare_texts, source, suspect, deadline=until, **dates
        )
        payload = result.to_dict()
        if report:
            payload["report_html"] = render_report_fragment(
                result, source_label=source_label or "source",
                suspect_label=fields.option("suspect_label") or "suspect",
            )
        return JSONResponse(payload)

    @app.post(
        "/search", tags=["index"], summary="Find the indexed sources of an article",
        openapi_extra=schemas.request_body(schemas.SearchRequest, files=("text",)),
        responses=schemas.ERROR_RESPONSES, response_model=schemas.SearchResponse,
    )
    async def search_route(request: Request) -> dict[str, Any]:
        """Rank the indexed documents this text (JSON `text`, or an uploaded file) was taken
        from, best first, each with its verdict and score."""
        until = deadline()
        index = bench.require_index()
        fields = await fields_of(request, until, ("text",))
        text = fields.text("text")
        limit = _int_option(fields, "limit", default=10, low=1, high=100)
        started = time.perf_counter()
        hits = await bench.run(_locked_search, bench, index, text, limit, deadline=until)
        return {"hits": hits, "took_ms": round((time.perf_counter() - started) * 1000, 1)}

    @app.get("/documents/{doc_id:path}", tags=["index"], summary="One indexed document (ids may contain slashes)",
             responses=schemas.ERROR_RESPONSES, response_model=schemas.Document)
    async def get_document_route(doc_id: str) -> dict[str, Any]:
        index = bench.require_index()
        until = deadline()
        return await bench.run(_locked_get, bench, doc_id, deadline=until, index=index)

    @app.post(
        "/documents", tags=["index"], summary="Add a document to the index", status_code=201,
        openapi_extra=schemas.request_body(schemas.DocumentIn, files=("text",)),
        responses=schemas.ERROR_RESPONSES, response_model=schemas.Document,
    )
    async def add_document_route(request: Request) -> dict[str, Any]:
        """Add one article (JSON or multipart with a `text` file) so later searches find it."""
        until = deadline()
        index = bench.require_index()
        fields = await fields_of(request, until, ("text",))
        text = fields.text("text")
        doc = {
            "id": fields.option("id"),
            "title": fields.option("title") or fields.option("text_label"),
            "published": fields.option("published"),
            "url": fields.option("url"),
        }
        with_text = await bench.run(_locked_add, bench, index, text, doc, deadline=until)
        return with_text

    return app


def _count(bench: Workbench) -> int | None:
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


def _int_option(fields: Fields, name: str, *, default: int, low: int, high: int) -> int:
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


def _locked_get(bench: Workbench, doc_id: str, index: Any = None) -> dict[str, Any]:
    index = index or bench.require_index()
    with bench.index_lock():
        return document_json(get_document(index, doc_id))


def _locked_search(bench: Workbench, index: Any, text: str, limit: int) -> list[dict[str, Any]]:
    with bench.index_lock():
        hits = search_index(index, text, limit=limit, embed=bench.embed)
    for hit in hits:
        bench.remember(hit.document.text, text, hit.comparison, source_published=hit.document.published)
    return [hit_json(hit) for hit in hits]


def _locked_add(bench: Workbench, index: Any, text: str, doc: dict[str, Any]) -> dict[str, Any]:
    with bench.index_lock():
        return document_json(add_document(index, text, **doc))


def _one_line(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    def answer(status: int, message: str) -> JSONResponse:
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(UnsupportedMediaType)
    async def _media(_: Request, exc: UnsupportedMediaType) -> JSONResponse:
        return answer(415, exc.problem)

    @app.exception_handler(NotFound)
    async def _missing(_: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return answer(422, exc.problem if isinstance(exc, BadRequest) else str(exc))

    @app.exception_handler(WorkTimeout)
    async def _timeout(_: Request, exc: WorkTimeout) -> JSONResponse:
        return answer(408, str(exc))

    @app.exception_handler(Busy)
    async def _busy(_: Request, exc: Busy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Unavailable)
    async def _unavailable(_: Request, exc: Unavailable) -> JSONResponse:
        return answer(503, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # a bug, not a user error: keep the traceback in the server log, give the client one line
        logging.getLogger("uvicorn.error").exception("spintrace: unexpected error")
        return answer(500, f"internal error ({type(exc).__name__}); the server log has the details")

    @app.exception_handler(CorpusIndexError)
    async def _index(_: Request, exc: CorpusIndexError) -> JSONResponse:
        return answer(503, f"index error: {exc}")

    @app.exception_handler(SpintraceError)
    async def _other(_: Request, exc: SpintraceError) -> JSONResponse:
        return answer(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _one_line(exc), "errors": jsonable_encoder(exc.errors())}, status_code=422)
