"""``GET /health``: liveness and readiness, answered on the event loop."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from spintrace import __version__
from spintrace.serve import schemas
from spintrace.serve.routes.common import count, workbench

router = APIRouter(tags=["service"])


@router.get("/health", summary="Liveness and readiness", response_model=schemas.Health)
async def health(request: Request) -> dict[str, Any]:
    """Answered on the event loop, never queued behind comparisons."""
    bench = workbench(request)
    settings = bench.settings
    index_info: dict[str, Any] | None = None
    if bench.index is not None:
        index_info = {"path": str(settings.index_dir), "documents": count(bench)}
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


# Load balancers and uptime checkers often probe with HEAD; one route per method keeps the
# OpenAPI operation ids unique.
@router.head("/health", include_in_schema=False)
async def health_head(request: Request) -> dict[str, Any]:
    return await health(request)
