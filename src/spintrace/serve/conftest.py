"""Fixtures for the server tests: real ``spintrace serve`` processes on free loopback ports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import httpx
import pytest

from conftest import shared_path
from spintrace.embed.embedder import MODEL_FILE

_LISTENING = re.compile(r"Uvicorn running on (http://\S+)")
SEED_SOURCE_ID = "seed/source"
BBC_SAMPLE = 24


@dataclass
class ServerProcess:
    """A running ``spintrace serve`` and the log it has written so far."""

    url: str
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 120.0), **kwargs)


def start_server(*args: str, env: dict[str, str] | None = None, startup_s: float = 120.0,
                 prefix: tuple[str, ...] = ()) -> ServerProcess:
    """Start ``python -m spintrace serve --port 0 ARGS`` (after ``prefix``, e.g. ``setpriv ...``)
    and wait until it listens."""
    cmd = [*prefix, sys.executable, "-m", "spintrace", "serve", "--host", "127.0.0.1", "--port", "0", *args]
    full_env = {k: v for k, v in os.environ.items() if k != "SPINTRACE_API_KEY"}
    full_env.setdefault("SPINTRACE_THREADS", "2")
    full_env.update(env or {})
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=full_env)
    log: list[str] = []
    found: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            match = _LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    ready.wait(startup_s)
    if not found:
        proc.kill()
        raise RuntimeError("spintrace serve did not start:\n" + "".join(log))
    return ServerProcess(found[0], proc, log)


def stop_server(server: ServerProcess) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)


@pytest.fixture(scope="session")
def seed_files() -> tuple[Path, Path]:
    folder = shared_path("seed-pair")
    return folder / "source.txt", folder / "suspect.txt"


@pytest.fixture(scope="session")
def needs_model() -> None:
    if not MODEL_FILE.is_file():
        pytest.skip(f"embedding model not present: {MODEL_FILE}")


@pytest.fixture(scope="session")
def small_index(tmp_path_factory, seed_files) -> Path:
    """An index holding the seed source and a slice of BBC articles."""
    from spintrace.index import Index

    path = tmp_path_factory.mktemp("serve") / "index"
    articles = shared_path("bbc-news", "articles.jsonl")
    with Index(path) as index:
        index.add(seed_files[0].read_text(encoding="utf-8"), id=SEED_SOURCE_ID, title="Kazakhstan asks CSTO for troops")
        with articles.open(encoding="utf-8") as fh:
            for line in islice(fh, BBC_SAMPLE):
                rec = json.loads(line)
                index.add(rec["text"], id=rec["id"], title=rec["title"])
    return path


@pytest.fixture(scope="session")
def server(small_index, needs_model) -> Iterator[ServerProcess]:
    """The ordinary server: loopback, no key, default limits, with the small index."""
    srv = start_server("--index", str(small_index), "--workers", "2")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def strict_server(needs_model) -> Iterator[ServerProcess]:
    """A server with an API key (from the environment), a 50 kB body limit and a time limit
    too short for any comparison, to provoke 401/403/413/408."""
    srv = start_server("--max-request-mb", "0.05", "--timeout", "0.001",
                       env={"SPINTRACE_API_KEY": "s3cret-key"})
    yield srv
    stop_server(srv)

