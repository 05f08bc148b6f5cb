"""The web page, its static assets and the self-contained API reference."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from spintrace.report import report_css, report_js
from spintrace.report.trace import TRACE_CSS
from spintrace.serve.docs_page import render_docs_page

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

router = APIRouter(include_in_schema=False)


def _static(name: str) -> str:
    return resources.files("spintrace.serve").joinpath("static", name).read_text(encoding="utf-8")


@router.get("/")
def page() -> HTMLResponse:
    return HTMLResponse(_static("index.html"), headers=SECURITY_HEADERS)


@router.get("/static/{name}")
def static(name: str) -> Response:
    assets = {
        "report.css": (report_css, "text/css"),
        "report.js": (report_js, "text/javascript"),
        "trace.css": (lambda: TRACE_CSS, "text/css"),
        "app.css": (lambda: _static("app.css"), "text/css"),
        "app.js": (lambda: _static("app.js"), "text/javascript"),
        "trace.js": (lambda: _static("trace.js"), "text/javascript"),
        "favicon.svg": (lambda: _static("favicon.svg"), "image/svg+xml"),
    }
    if name not in assets:
        raise HTTPException(404, f"no such asset: {name}")
    load, media_type = assets[name]
    return Response(load(), media_type=f"{media_type}; charset=utf-8",
                    headers={"Cache-Control": "no-cache", **SECURITY_HEADERS})


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render_docs_page(request.app.openapi()), headers=SECURITY_HEADERS)
