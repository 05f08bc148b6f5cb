"""The FastAPI application: settings, the shared workbench, middleware and error handlers.

The routes live in ``serve.routes`` (one APIRouter module per resource); no comparison, search
or trace logic lives in either."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from spintrace import __version__
from spintrace.errors import CorpusIndexError, InputError, ReadOnlyIndexError, SpintraceError
from spintrace.pipeline.compare import Embed
from spintrace.serve.corpus import NotFound
from spintrace.serve.guard import RequestGuard, is_loopback_host, loopback_names
from spintrace.serve.inputs import BadRequest, UnsupportedMediaType
from spintrace.serve.routes import ROUTERS
from spintrace.serve.routes.common import count
from spintrace.serve.routes.pages import CONTENT_SECURITY_POLICY, SECURITY_HEADERS  # noqa: F401  (re-exported)
from spintrace.serve.service import Busy, ServeSettings, Unavailable, Workbench, WorkTimeout

DEFAULT_TIMEOUT_S = 60.0


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
            log.info("spintrace: index %s: %s documents", settings.index_dir, count(bench))
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

    for router in ROUTERS:
        app.include_router(router)
    return app


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
        # a read-only index is this server's setting, not an outage: retrying will not help
        return answer(403 if isinstance(exc, ReadOnlyIndexError) else 503, f"index error: {exc}")

    @app.exception_handler(SpintraceError)
    async def _other(_: Request, exc: SpintraceError) -> JSONResponse:
        return answer(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _one_line(exc), "errors": jsonable_encoder(exc.errors())}, status_code=422)
