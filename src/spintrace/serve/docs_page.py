"""A self-contained API reference page rendered from the OpenAPI schema.

FastAPI's own docs page loads Swagger UI from a CDN, which this server must never depend on;
this page is plain HTML with the app's stylesheet and works offline.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _prose(value: object) -> str:
    """Escaped text with `backticked` words set as code (applied after escaping, so safe)."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", _esc(value))


def _fields(schema: dict[str, Any]) -> str:
    props = schema.get("properties") or {}
    if not props:
        return ""
    required = set(schema.get("required") or ())
    rows = []
    for name, spec in props.items():
        kind = spec.get("type") or " | ".join(
            str(s.get("type", "")) for s in spec.get("anyOf", []) if s.get("type") != "null"
        ) or "object"
        if spec.get("format") == "binary":
            kind = "file or string"
        req = "required" if name in required else ""
        rows.append(f"<tr><td><code>{_esc(name)}</code></td><td>{_esc(kind)}</td><td>{req}</td>"
                    f"<td>{_esc(spec.get('description', ''))}</td></tr>")
    return ('<table class="doc-table"><thead><tr><th>field</th><th>type</th><th></th><th></th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')


def render_docs_page(openapi: dict[str, Any]) -> str:
    """HTML listing every route: method, path, summary, description, body fields, responses."""
    sections = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {})
            body_html = ""
            for media, content in body.items():
                body_html += f"<h4>Body: <code>{_esc(media)}</code></h4>{_fields(content.get('schema', {}))}"
            params = "".join(
                f"<li><code>{_esc(p['name'])}</code> ({_esc(p.get('in'))}) {_esc(p.get('description', ''))}</li>"
                for p in op.get("parameters", [])
            )
            responses = "".join(
                f"<li><code>{_esc(code)}</code> {_esc(r.get('description', ''))}</li>"
                for code, r in op.get("responses", {}).items()
            )
            sections.append(
                f'<section class="doc-op"><h3><span class="doc-method m-{_esc(method)}">{_esc(method.upper())}</span> '
                f"<code>{_esc(path)}</code> \u2014 {_esc(op.get('summary', ''))}</h3>"
                f"<p>{_prose(op.get('description', ''))}</p>"
                + (f"<h4>Parameters</h4><ul>{params}</ul>" if params else "")
                + body_html
                + f"<h4>Responses</h4><ul>{responses}</ul></section>"
            )
    info = openapi.get("info", {})
    example = json.dumps({"source": "The minister said on Monday...", "suspect": "On Monday the minister said..."})
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(info.get('title', 'API'))} API</title>"
        '<link rel="stylesheet" href="/static/app.css"></head><body class="docs">'
        '<header class="app-header"><a class="brand" href="/">spintrace</a><span class="tag">API reference</span>'
        '<nav class="links"><a href="/">web page</a> <a href="/openapi.json">openapi.json</a></nav></header>'
        f"<main class=\"docs-main\"><p>{_esc(info.get('description', ''))}</p>"
        "<p>Example:</p><pre>curl -s -X POST http://127.0.0.1:8000/compare -H 'Content-Type: application/json' "
        f"-d {_esc(repr(example))}</pre>"
        "<pre>curl -s -X POST http://127.0.0.1:8000/compare -F source=@original.html -F suspect=@copy.txt</pre>"
        f"{''.join(sections)}</main></body></html>\n"
    )
