"""Request/response shapes for the OpenAPI schema and the docs page.

Bodies are parsed by hand (JSON *or* multipart on the same route, with the CLI's input checks),
so these models document the contract rather than drive validation.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from spintrace.comparison import ChangeKind, EditOp, Original, PassageKind, Verdict
from spintrace.trace.model import JudgedOn


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
    text_label: str | None = Field(None, description="name for the article")


class TraceRequest(BaseModel):
    text: str = Field(..., description="the article to trace to its indexed sources (or a file in multipart)")
    suspect_published: str | None = Field(None, description="ISO date the article was published")
    text_label: str | None = Field(None, description="name for the article in the report")


class DocumentIn(BaseModel):
    text: str = Field(..., description="article text (or a file in multipart)")
    id: str | None = Field(None, description="id to store it under; one is assigned when absent")
    title: str | None = None
    published: str | None = Field(None, description="ISO publication date")
    url: str | None = None
    site: str | None = Field(None, description="the publishing site")
    text_label: str | None = Field(None, description="the title when `title` is not given (an uploaded file's name)")


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


class _Contract(BaseModel):
    """A response documented field by field: a field the code returns but the schema lacks fails
    the contract test (``test_server``) instead of going undocumented."""

    model_config = ConfigDict(extra="forbid")


class Span(_Contract):
    start: int
    end: int


class WordEdit(_Contract):
    op: EditOp
    source_start: int | None
    source_end: int | None
    suspect_start: int | None
    suspect_end: int | None


class SentenceLink(_Contract):
    source_start: int
    source_end: int
    suspect_start: int
    suspect_end: int
    similarity: float
    edits: list[WordEdit] = Field(description="word-level edit script; empty between two languages")


class Change(_Contract):
    kind: ChangeKind
    source_text: str | None
    suspect_text: str | None
    source_start: int | None
    source_end: int | None
    suspect_start: int | None
    suspect_end: int | None


class ComparedPassage(_Contract):
    source_start: int
    source_end: int
    suspect_start: int
    suspect_end: int
    similarity: float
    kind: PassageKind
    changes: list[Change]
    links: list[SentenceLink]


class Direction(_Contract):
    original: Original
    confidence: float
    evidence: list[str]


class Substitution(_Contract):
    source: str
    suspect: str
    count: int


class JudgedPart(_Contract):
    source_language: str
    suspect_language: str
    source_spans: list[Span] = Field(description="where the source's part lies (runs of paragraphs)")
    suspect_spans: list[Span] = Field(description="where the suspect's part lies (runs of paragraphs)")
    verdict: Verdict
    score: float = Field(ge=0, le=1)


class CompareResponse(_Contract):
    """The comparison JSON contract (README, "compare"), as ``spintrace compare --format json``."""

    verdict: Verdict
    reused: bool
    score: float = Field(ge=0, le=1)
    condensed: bool
    suspect_coverage: float
    source_coverage: float
    passages: list[ComparedPassage]
    omitted: list[Span] = Field(description="source text no link explains")
    added: list[Span] = Field(description="suspect text no link explains")
    direction: Direction
    features: dict[str, float] = Field(description="the document features the decision read")
    substitutions: list[Substitution]
    source_language: str = Field(description='ISO 639-1, detected; two joined by "+" ("en+fr") for a text mixing them')
    suspect_language: str = Field(description='ISO 639-1, detected; two joined by "+" ("en+fr") for a text mixing them')
    parts: list[JudgedPart] = Field(
        description="empty when each text is in one language; else each pair of language parts as judged on its own path")
    source_text: str = Field(description="the text the source offsets refer to (extracted text for HTML)")
    suspect_text: str
    report_html: str | None = Field(None, description="with ?report=true: the side-by-side report fragment")


class TracedPassage(_Contract):
    suspect_start: int
    suspect_end: int
    source_id: str
    source_start: int
    source_end: int
    similarity: float
    also_in: list[str] = Field(description="other sources carrying this passage, published later")


class TracedSourceOut(_Contract):
    id: str
    title: str | None
    url: str | None
    published: str | None
    share: float = Field(description="share of the suspect's text attributed to this source")
    verdict: Verdict
    score: float
    judged_on: JudgedOn
    passages: int
    published_after_suspect: bool = Field(
        description="published after the suspect (both dates known): the indexed text may be the copy")
    text: str | None = Field(None, description="the source's text")


class TraceResponse(_Contract):
    """``spintrace trace --format json``."""

    traced: bool
    attributed_share: float
    unattributed_share: float
    sources: list[TracedSourceOut]
    passages: list[TracedPassage]
    unattributed: list[Span]
    candidates_judged: int
    rounds: int
    took_ms: float
    suspect_text: str
    report_html: str | None = Field(None, description="with ?report=true: the report colouring the text by source")


def documented(model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that returns its JSON itself: the 200 body documented by
    ``model`` (not validated: the body is the library's own ``to_dict``), plus the errors."""
    return {200: {"model": model, "description": description}, **ERROR_RESPONSES}


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
