"""Request guard: API-key check and request-size limit, applied before any route runs.

Both are plain ASGI so they act on headers and the raw body stream: an unauthenticated or
oversized upload is refused before a byte of it is parsed or buffered by the application.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The page shell and its assets hold no data, and a browser cannot attach a header to a page
#: navigation, so they stay public: the page then asks for the key and sends it on API calls.
PUBLIC_PATHS = frozenset({"/", "/docs", "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/",)
#: Requests that change stored state; refused without a key when the server is not loopback-only.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Compare and search are POSTs only because texts are large; they store nothing.
READ_ONLY_POSTS = frozenset({"/compare", "/search"})


def is_loopback_host(host: str) -> bool:
    """True when binding to ``host`` exposes the server to this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_write(method: str, path: str) -> bool:
    return method in WRITE_METHODS and path.rstrip("/") not in READ_ONLY_POSTS


def presented_key(headers: dict[bytes, bytes]) -> str | None:
    """The key from ``X-API-Key`` or ``Authorization: Bearer``; None when neither is sent."""
    raw = headers.get(b"x-api-key")
    if raw is None:
        auth = headers.get(b"authorization", b"")
        scheme, _, token = auth.partition(b" ")
        if scheme.lower() == b"bearer" and token.strip():
            raw = token.strip()
    return raw.decode("latin-1") if raw is not None else None


async def send_error(send: Send, status: int, message: str, extra_headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def host_name(host_header: str) -> str:
    """The name in a Host header, without port; IPv6 brackets are kept off."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(headers: dict[bytes, bytes]) -> bool:
    """False when a browser says the request comes from another origin: its ``Origin`` header
    names a different host or port than the request's ``Host`` (or is ``null``, a sandboxed or
    local page). Browsers that predate ``Sec-Fetch-Site`` still send ``Origin`` on a POST; other
    clients send neither, and are not browsers a page elsewhere could drive."""
    origin = headers.get(b"origin")
    if origin is None:
        return True
    parts = urlsplit(origin.decode("latin-1").strip().lower())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    default = {"http": ":80", "https": ":443"}[parts.scheme]
    return parts.netloc.removesuffix(default) == headers.get(b"host", b"").decode("latin-1").strip().lower().removesuffix(default)


def loopback_names() -> frozenset[str]:
    return frozenset({"localhost", "127.0.0.1", "::1"})


class RequestGuard:
    """Refuse requests lacking the API key (401/403) or larger than ``max_request_bytes`` (413).

    ``allow_anonymous_writes`` is False when the server listens beyond loopback: anyone on the
    network could otherwise add documents to the index, so writes then need a configured key.

    Two browser attacks on a server listening on this machine are refused as well (403): a page
    on another site posting to it (``Sec-Fetch-Site: cross-site`` on a non-GET request), and a
    page reaching it through a DNS name rebound to 127.0.0.1 (a Host header outside
    ``allowed_hosts``; ``None`` accepts any Host).
    """

    def __init__(self, app: ASGIApp, *, api_key: str | None, max_request_bytes: int,
                 allow_anonymous_writes: bool, allowed_hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.api_key = api_key or None
        self.max_request_bytes = max_request_bytes
        self.allow_anonymous_writes = allow_anonymous_writes
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path, method = scope["path"], scope["method"]
        refusal = self._browser_refusal(headers, method) or self._auth_refusal(headers, method, path)
        if refusal is not None:
            status, message = refusal
            extra = [(b"www-authenticate", b'Bearer realm="spintrace"')] if status == 401 else []
            await send_error(send, status, message, extra)
            return

        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await send_error(send, 400, "invalid Content-Length header")
                return
            if size > self.max_request_bytes:
                await send_error(send, 413, self._too_large_message())
                return

        received = 0
        limit = self.max_request_bytes
        started = False

        async def limited_receive() -> Message:
            # Chunked uploads declare no length, so the stream itself is counted too.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestTooLarge:
            if not started:
                await send_error(send, 413, self._too_large_message())

    def _too_large_message(self) -> str:
        return f"the request is over this server's {self.max_request_bytes / 1e6:g} MB limit"

    def _browser_refusal(self, headers: dict[bytes, bytes], method: str) -> tuple[int, str] | None:
        if self.allowed_hosts is not None:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed_hosts and not host.startswith("127."):
                return 403, (f"Host '{host}' is not allowed: this server answers to "
                             f"{', '.join(sorted(self.allowed_hosts))} (add names with --allow-host)")
        if method not in ("GET", "HEAD", "OPTIONS") and (
            headers.get(b"sec-fetch-site") == b"cross-site" or not same_origin(headers)
        ):
            return 403, "cross-site request refused: use the spintrace page on this server, or call the API directly"
        return None

    def _auth_refusal(self, headers: dict[bytes, bytes], method: str, path: str) -> tuple[int, str] | None:
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        if self.api_key is None:
            if is_write(method, path) and not self.allow_anonymous_writes:
                return 403, ("writes are disabled: this server listens beyond loopback without an API key; "
                             "restart it with --api-key or SPINTRACE_API_KEY")
            return None
        key = presented_key(headers)
        if key is None:
            return 401, "API key required: send it in the X-API-Key header"
        if not secrets.compare_digest(key.encode("utf-8", "replace"), self.api_key.encode("utf-8")):
            return 403, "wrong API key"
        return None


class RequestTooLarge(Exception):
    """Raised from the body stream once it passes the limit; turned into a 413 by the guard."""
