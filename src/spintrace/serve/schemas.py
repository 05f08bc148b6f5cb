"""Request/response shapes for the OpenAPI schema and the docs page.

Bodies are parsed by hand (JSON *or* multipart on the same route, with the CLI's input checks),
so these models document the contract rather than drive validation.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CompareRequest(BaseModel):
    source: str | None = Field(None, description="source article text (or a file in multipart)")
    suspect: str = Field(..., description="suspect article text (or a file in multipart)")
    source_id: str | None = Field(None, description="use this indexed document as the source instead")
    source_published: str | None = Field(None, description="ISO date the source was published")
    suspect_published: str | None = Field(None, description="ISO date the suspect was published")
    source_label: str | None = Field(None, description="name for the source in the report")
    suspect_label: str | None = Field(None, description="name for the suspect in the report")


class SearchRequest(BaseModel):
    text: str = Field(..., description="the article whose sources to find (or a file in multipart)")
    limit: int = Field(10, ge=1, le=100, description="most hits to return")


class TraceRequest(BaseModel):
    text: str = Field(..., description="the article to trace to its indexed sources (or a file in multipart)")
    suspect_published: str | None = Field(None, description="ISO date the article was published")


class DocumentIn(BaseModel):
    text: str = Field(..., description="article text (or a file in multipart)")
    id: str | None = Field(None, description="id to store it under; one is assigned when absent")
    title: str | None = None
    published: str | None = Field(None, description="ISO publication date")
    url: str | None = None


class Document(BaseModel):
    id: str
    title: str | None = None
    text: str
    url: str | None = None
    published: str | None = None
    site: str | None = None
    added_at: str | None = None
    meta: dict[str, Any] | None = None


class SearchHit(BaseModel):
    rank: int
    id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    site: str | None = None
    verdict: str
    reused: bool
    score: float
    suspect_coverage: float
    source_coverage: float
    retrieval: dict[str, Any] | None = None


class SearchResponse(BaseModel):
    hits: list[SearchHit]
    took_ms: float


class Limits(BaseModel):
    max_request_bytes: int
    request_timeout_s: float
    max_text_chars: int


class Health(BaseModel):
    status: str
    version: str
    model_loaded: bool
    model_error: str | None = None
    index: dict[str, Any] | None = None
    in_flight: int
    queued: int
    workers: int
    limits: Limits
    auth_required: bool


class ErrorBody(BaseModel):
    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "API key missing"},
    403: {"model": ErrorBody, "description": "wrong API key, writes disabled on a non-loopback server, or a read-only index"},
    404: {"model": ErrorBody, "description": "unknown document id"},
    408: {"model": ErrorBody, "description": "the work took longer than the server's time limit"},
    413: {"model": ErrorBody, "description": "request body over the size limit"},
    415: {"model": ErrorBody, "description": "body is neither JSON nor a form"},
    422: {"model": ErrorBody, "description": "malformed JSON, empty/binary/over-long text or unsupported file type"},
    503: {"model": ErrorBody, "description": "model or index not available, or too much work queued (Retry-After)"},
}


def request_body(model: type[BaseModel], *, files: tuple[str, ...]) -> dict[str, Any]:
    """OpenAPI ``requestBody``: the model as JSON, and as a form where ``files`` may be uploads."""
    schema = model.model_json_schema()
    form = {**schema, "properties": dict(schema.get("properties", {}))}
    for name in files:
        form["properties"][name] = {"type": "string", "format": "binary",
                                    "description": f"{name}: a .txt, .md or .html file, or plain text"}
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema},
        "multipart/form-data": {"schema": form},
    }}}
