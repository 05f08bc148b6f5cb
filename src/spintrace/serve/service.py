"""What the server shares between requests: the embedder, the index and the worker threads.

Comparisons are CPU work (tokenising, embedding, alignment), so they run on a small thread pool
rather than on the event loop; the loop stays free to answer health checks and to enforce the
per-request time limit. The embedder is loaded once at start-up and used by every worker
(onnxruntime sessions are safe to share between threads).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from spintrace.comparison import Comparison
from spintrace.errors import SpintraceError
from spintrace.ingest.files import MAX_ARTICLE_CHARS
from spintrace.pipeline.compare import Embed, compare

T = TypeVar("T")

#: Comparisons kept from recent searches, so opening a hit's report does not align it again.
RECENT_COMPARISONS = 256


class WorkTimeout(SpintraceError):
    """The request's time limit ran out before its work finished (HTTP 408)."""


class Unavailable(SpintraceError):
    """A component the request needs is not there: no model file, no index (HTTP 503)."""


class Busy(Unavailable):
    """Too much work already queued; the client should retry later (HTTP 503, Retry-After)."""


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """Limits and wiring chosen when the server starts."""

    index_dir: Path | None = None
    api_key: str | None = None
    max_request_bytes: int = 5_000_000
    request_timeout_s: float = 60.0
    workers: int = max(1, min(4, os.cpu_count() or 1))
    host: str = "127.0.0.1"
    #: Longest article text accepted: ample for news (articles run to tens of thousands of
    #: characters) while bounding one request's work to seconds, since a timed-out comparison
    #: cannot be stopped and keeps its worker busy until it ends.
    max_text_chars: int = MAX_ARTICLE_CHARS
    #: Requests waiting for or holding a worker before new ones are turned away with 503.
    max_queued_per_worker: int = 16


class Workbench:
    """The loaded model, the opened index and the pool their work runs on."""

    def __init__(self, settings: ServeSettings, embed: Embed | None = None) -> None:
        self.settings = settings
        self._embed = embed
        self.model_error: str | None = None
        self.index: Any = None
        self.index_error: str | None = None
        self.last_document_count: int | None = None
        self._index_lock = threading.RLock()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="spintrace-work"
        )
        self._in_flight = 0
        self._queued = 0
        self._count_lock = threading.Lock()
        self._recent: OrderedDict[tuple, Comparison] = OrderedDict()
        self._recent_lock = threading.Lock()
        self.started_at = time.time()

    # -- lifecycle -----------------------------------------------------------------------
    def load(self) -> None:
        """Load the embedder and open the index; failures are recorded, not raised, so the
        server still starts and can say what is missing (health and 503 answers)."""
        if self._embed is None:
            try:
                from spintrace.embed import SentenceEmbedder

                self._embed = SentenceEmbedder.default().encode
            except (FileNotFoundError, OSError, RuntimeError) as exc:
                self.model_error = str(exc)
        if self.settings.index_dir is not None:
            from spintrace.serve.corpus import open_index

            try:
                self.index = open_index(self.settings.index_dir)
            except SpintraceError as exc:
                self.index_error = str(exc)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self.index is not None and hasattr(self.index, "close"):
            try:
                self.index.close()
            except Exception:  # noqa: BLE001 - closing at shutdown must not mask the real exit
                pass

    # -- accessors -----------------------------------------------------------------------
    @property
    def embed(self) -> Embed:
        if self._embed is None:
            raise Unavailable(f"the sentence embedding model is not available: {self.model_error or 'not loaded'}")
        return self._embed

    @property
    def model_loaded(self) -> bool:
        return self._embed is not None

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def queued(self) -> int:
        return self._queued

    def require_index(self) -> Any:
        if self.index is None:
            if self.index_error:
                raise Unavailable(f"the index could not be opened: {self.index_error}")
            raise Unavailable("no index: start the server with --index DIR")
        return self.index

    def index_lock(self) -> threading.RLock:
        """Serialises index access: one SQLite/FAISS handle is shared by all workers."""
        return self._index_lock

    # -- work ------------------------------------------------------------------------------
    def compare_texts(self, source: str, suspect: str, *, source_published: str | None = None,
                      suspect_published: str | None = None) -> Comparison:
        return compare(source, suspect, embed=self.embed, source_published=source_published,
                       suspect_published=suspect_published)

    # -- comparisons already made by a search ----------------------------------------------
    @staticmethod
    def _pair_key(source: str, suspect: str, source_published: str | None, suspect_published: str | None) -> tuple:
        digest = lambda text: hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()  # noqa: E731
        return digest(source), digest(suspect), source_published, suspect_published

    def remember(self, source: str, suspect: str, comparison: Comparison, *,
                 source_published: str | None = None, suspect_published: str | None = None) -> None:
        """Keep a comparison a search made; keyed by the exact texts and dates it was made from."""
        key = self._pair_key(source, suspect, source_published, suspect_published)
        with self._recent_lock:
            self._recent[key] = comparison
            self._recent.move_to_end(key)
            while len(self._recent) > RECENT_COMPARISONS:
                self._recent.popitem(last=False)

    def forget_comparisons(self) -> None:
        """Drop every remembered comparison (the index changed how texts are read)."""
        with self._recent_lock:
            self._recent.clear()

    def recall(self, source: str, suspect: str, *, source_published: str | None = None,
               suspect_published: str | None = None) -> Comparison | None:
        key = self._pair_key(source, suspect, source_published, suspect_published)
        with self._recent_lock:
            return self._recent.get(key)

    async def run(self, fn: Callable[..., T], *args: Any, deadline: float, **kwargs: Any) -> T:
        """Run ``fn`` on the worker pool, giving up (HTTP 408) at ``deadline`` (monotonic).

        Work still queued at the deadline is cancelled; work already running finishes in its
        thread (Python cannot stop a thread) but its result is dropped.
        """
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WorkTimeout(self._timeout_message())
        with self._count_lock:
            if self._queued + self._in_flight >= self.settings.workers * self.settings.max_queued_per_worker:
                raise Busy(f"the server is busy ({self._queued} requests queued, {self._in_flight} running); "
                           "retry shortly")
            self._queued += 1
        future = self._pool.submit(self._counted, fn, *args, **kwargs)
        future.add_done_callback(self._dequeue)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=remaining)
        except asyncio.TimeoutError:
            future.cancel()
            raise WorkTimeout(self._timeout_message()) from None

    def _dequeue(self, future: concurrent.futures.Future) -> None:
        # Work that started left the queue when it started (``_counted``).
        if future.cancelled():
            with self._count_lock:
                self._queued -= 1

    def _counted(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._count_lock:
            self._queued -= 1
            self._in_flight += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with self._count_lock:
                self._in_flight -= 1

    def _timeout_message(self) -> str:
        return (f"the request took longer than the server's time limit of "
                f"{self.settings.request_timeout_s:g} s; try shorter texts")
