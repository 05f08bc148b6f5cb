"""``spintrace serve``: the web page and REST API under uvicorn."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from spintrace.errors import SpintraceError
from spintrace.ingest.files import MAX_ARTICLE_CHARS

API_KEY_ENV = "SPINTRACE_API_KEY"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web page and REST API (compare, search, documents)")
    p.add_argument("--index", metavar="DIR", help="index directory for /search and /documents")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--api-key", help=f"require this key on every API request (default: ${API_KEY_ENV})")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer to this Host name when listening on loopback (e.g. behind a reverse proxy)")
    p.add_argument("--max-request-mb", type=float, default=5.0, help="largest request body in MB (default 5)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one request may work (default 60)")
    p.add_argument("--max-article-chars", type=int, default=MAX_ARTICLE_CHARS,
                   help="longest article text accepted, in characters (default %(default)s)")
    p.add_argument("--workers", type=int, default=None, help="comparison threads (default: cores, at most 4)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from spintrace.serve import create_app
    from spintrace.serve.guard import is_loopback_host

    api_key = args.api_key or os.environ.get(API_KEY_ENV) or None
    if not 0 <= args.port <= 65535:
        raise SpintraceError(f"--port must be between 0 and 65535, got {args.port}")
    if args.max_request_mb <= 0 or args.timeout <= 0:
        raise SpintraceError("--max-request-mb and --timeout must be positive")
    if args.max_article_chars < 1:
        raise SpintraceError("--max-article-chars must be positive")
    if args.workers is not None and args.workers < 1:
        raise SpintraceError("--workers must be at least 1")
    _check_listen(args.host, args.port)
    if not is_loopback_host(args.host) and api_key is None:
        print(f"spintrace: warning: listening on {args.host} without an API key: anyone who can reach it "
              "can compare and search; writes to the index are refused until --api-key is set",
              file=sys.stderr)
    _check_ready(args.index)
    app = create_app(
        index_dir=args.index, api_key=api_key, max_request_bytes=int(args.max_request_mb * 1_000_000),
        request_timeout_s=args.timeout, host=args.host, allowed_hosts=args.allow_host, workers=args.workers,
        max_text_chars=args.max_article_chars,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
    return 0


def _check_listen(host: str, port: int) -> None:
    """Bind once before starting, so that a port in use or a host that does not resolve is one line
    and status 2, not uvicorn's log lines and status 3 (uvicorn then binds it again itself)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise SpintraceError(f"--host {host}: cannot resolve it ({exc.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        raise SpintraceError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    finally:
        sock.close()


def _check_ready(index_dir: str | None) -> None:
    """Fail before listening when the model or the index is unusable: a server that cannot
    compare or search would only answer 503s. The embedder loaded here is the one the app uses."""
    from spintrace.embed import SentenceEmbedder

    try:
        SentenceEmbedder.default()
    except FileNotFoundError as exc:
        raise SpintraceError(str(exc)) from None
    if index_dir is not None:
        from spintrace.serve.corpus import open_index

        if not Path(index_dir).exists():
            # A new index is how a server starts an archive from POST /documents; a mistyped path
            # must not pass for an index that has nothing in it.
            print(f"spintrace: no index at {index_dir}: starting a new, empty one there", file=sys.stderr)
        open_index(Path(index_dir)).close()
