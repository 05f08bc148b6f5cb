"""Worker processes and stop signals: a stopped command ends quietly and keeps its finished work.

Ctrl-C reaches the whole process group and ``kill`` (SIGTERM) reaches the parent alone. Only the
parent acts on either: it unwinds (closing its transaction, telling the user how to resume) and
terminates its pool. A worker that acted on Ctrl-C itself could die holding the pool's queue
locks, which is how multiprocessing pools hang; a worker left running after its parent died
printed a BrokenPipeError traceback for every result it could no longer send.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it unwinds like Ctrl-C (exit status 143)."""


def init_worker() -> None:
    """Initialiser for forked worker processes: Ctrl-C is the parent's; the parent's ``terminate()``
    (SIGTERM) ends the worker at once, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


_MAIN_PID: int | None = None


def _raise_terminated(signum: int, frame: object) -> None:
    if os.getpid() != _MAIN_PID:
        # A process forked before it could run ``init_worker`` (a pool terminated as it starts)
        # inherited this handler; unwinding there could stop it inside a queue lock and hang
        # the pool, so it dies at once, as the default handler would have it.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    # A second SIGTERM ends the process at once: the unwinding can be swallowed where Python
    # ignores exceptions (an at-fork hook), and a user who asks twice means it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated()


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread (then restored); a
    no-op elsewhere, since only the main thread may set signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
