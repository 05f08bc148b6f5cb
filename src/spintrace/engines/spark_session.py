"""Starting Spark for a scan: fail fast and in one line, and keep the JVM's chatter in a log file.

A Spark driver JVM writes its start-up notices, every WARN and ERROR with its Java stack, and the
tracebacks of the Python workers it forks to the standard error it inherits; pyspark's Ctrl-C
handler adds py4j tracebacks of its own. A user sees the scan's own lines and Spark's progress
bar; the rest goes to ``OUT/spintrace-spark.log``, which an error names. A standalone master
that cannot be reached is found by a TCP connect in seconds, not after Spark's three 20-second
registration attempts.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import IO

from spintrace.errors import SpintraceError

#: The driver's log in ``--out``: Spark's own output, kept for the user who needs the details.
SPARK_LOG = "spintrace-spark.log"
MASTER_CONNECT_TIMEOUT_S = 5.0
PYSPARK_MISSING = "the spark engine needs pyspark: pip install 'spintrace[spark]'"
_JAVA_EXCEPTION = re.compile(r"^(?:: |Caused by: |Exception in thread \"[^\"]*\" )?(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): (.+)$")
_LINE_PIECES = re.compile(r"([\r\n])")  # split keeping each piece's delimiter
_BAR = re.compile(r"(?:\[Stage [^\]\r\n]*\])+")  # Spark's console progress bar, one or more stages
#: What every driver JVM prints as it starts: never the reason it failed.
_NOTICES = ("WARNING: Using incubator modules", "Using Spark's default log4j profile", "Setting default log level",
            "To adjust logging level", "WARN NativeCodeLoader")


def standalone_masters(master: str) -> list[tuple[str, int]]:
    """The ``(host, port)`` of each master a ``spark://`` URL names (several with ZooKeeper HA);
    none for any other master (``local[*]``, ``yarn``, ``k8s://...``)."""
    if not master.startswith("spark://"):
        return []
    found = []
    for part in master[len("spark://"):].split(","):
        host, _, port = part.strip().rpartition(":")
        if not host or not port.isdigit():
            raise SpintraceError(f"cannot start Spark: --master {master}: expected spark://HOST:PORT[,HOST:PORT...]")
        found.append((host.strip("[]"), int(port)))
    return found


def check_master_reachable(master: str, timeout_s: float = MASTER_CONNECT_TIMEOUT_S) -> None:
    """Raise a one-line error unless one of the standalone masters accepts a connection."""
    reasons = []
    for host, port in standalone_masters(master):
        try:
            socket.create_connection((host, port), timeout=timeout_s).close()
            return
        except socket.gaierror:
            reasons.append(f"{host}: unknown host")
        except TimeoutError:
            reasons.append(f"{host}:{port}: no answer in {timeout_s:.0f} s")
        except OSError as exc:
            reasons.append(f"{host}:{port}: {exc.strerror or exc}")
    if reasons:
        raise SpintraceError(f"cannot reach the Spark master ({'; '.join(reasons)})")


def failure_cause(text: str) -> str:
    """The line that says why Spark failed, from a Java exception's text or the driver's log: the
    innermost ``Caused by``, else the first exception's message, else the first line that is
    neither a start-up notice nor a stack frame."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    causes = [m.group(1) for line in lines if line.startswith("Caused by: ") and (m := _JAVA_EXCEPTION.match(line))]
    if causes:
        return causes[-1][:300]
    for match in map(_JAVA_EXCEPTION.match, lines):
        if match:
            return match.group(1)[:300]
    for line in lines:
        if not line.startswith(("at ", "...")) and not any(notice in line for notice in _NOTICES):
            return re.sub(r"^\S+: line \d+: ", "", line)[:300]  # a launch script's "PATH: line N: " prefix
    return "no reason given"


_shown_bar = ""  # the progress bar last written to the terminal and not yet cleared


def clear_progress_bar() -> None:
    """Blank the progress bar left on the terminal, so that the next line starts on a clean line
    (Spark clears its bar when a stage ends, not when the driver stops)."""
    global _shown_bar
    if _shown_bar:
        _write_quietly(sys.stderr, "\r" + " " * len(_shown_bar) + "\r")
    _shown_bar = ""


def _write_quietly(stream: IO[str], text: str) -> bool:
    """Write and flush; a closed terminal or a full disk must not stop the JVM's output being
    drained (a JVM blocked on a full pipe stops the scan)."""
    try:
        stream.write(text)
        stream.flush()
        return True
    except (OSError, ValueError):
        return False


def _forward_progress(read_fd: int, log: IO[str], terminal: IO[str]) -> None:
    """Copy the JVM's standard error: its progress bar (text between carriage returns that starts
    with ``[Stage``, or blanks that clear it) to ``terminal``, every other line to ``log``."""
    global _shown_bar
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    with os.fdopen(read_fd, "rb", buffering=0) as stream:
        while chunk := stream.read(65536):  # what is there, not a full buffer: the bar stays live
            *pieces, pending = _LINE_PIECES.split(pending + decoder.decode(chunk))
            for piece, delimiter in zip(pieces[::2], pieces[1::2]):
                if bar := _BAR.match(piece):
                    _write_quietly(terminal, "\r" + bar.group())
                    _shown_bar, piece = bar.group(), piece[bar.end():]
                elif delimiter == "\r" and piece and not piece.strip():  # Spark clearing its bar
                    _write_quietly(terminal, "\r" + piece + "\r")
                    _shown_bar, piece = "", ""
                if piece.strip():
                    _write_quietly(log, piece + "\n")
            if _BAR.fullmatch(pending):  # the latest bar, shown now
                _write_quietly(terminal, "\r" + pending)
                _shown_bar, pending = pending, ""
    if pending.strip():
        _write_quietly(log, pending + "\n")


class _FromPy4j(logging.Filter):
    def __init__(self, wanted: bool) -> None:
        super().__init__()
        self.wanted = wanted

    def filter(self, record: logging.LogRecord) -> bool:
        return (f"{os.sep}py4j{os.sep}" in record.pathname or f"{os.sep}pyspark{os.sep}" in record.pathname) == self.wanted


def _log_py4j_to(log: IO[str] | None) -> None:
    """Route py4j's and pyspark's log records to ``log`` (``None``: stop). py4j reports a call cut
    short (Ctrl-C, a JVM that died) with tracebacks through the root logger itself; every other
    record still reaches standard error as it did (Python's last-resort handler, which stops
    applying once the root logger has a handler)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "spintrace_spark_log", False)]:
        root.removeHandler(handler)
    if log is None:
        return
    to_log, others = logging.StreamHandler(log), logging.StreamHandler(sys.stderr)
    to_log.addFilter(_FromPy4j(True))
    others.addFilter(_FromPy4j(False))
    others.setLevel(logging.WARNING)
    for handler in (to_log, others):
        handler.spintrace_spark_log = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def start_session(master: str, progress: bool, shuffle_partitions: int = 16, log_path: Path | None = None):
    """A ``SparkSession`` for a scan. With ``log_path``, the driver JVM's standard error and
    py4j's log records go to that file (Spark's progress bar, when asked for, still to ours);
    any failure to start is one ``SpintraceError`` line naming its cause."""
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession
    except ImportError:
        raise SpintraceError(PYSPARK_MISSING) from None
    check_master_reachable(master)
    # Executors' Python must be this one (with spintrace installed), and each task embeds with one
    # thread because Spark already runs one task per core. Both are read when the JVM starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    conf = (
        SparkConf().setMaster(master).setAppName("spintrace-scan")
        .set("spark.sql.execution.arrow.pyspark.enabled", "true")
        .set("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        .set("spark.ui.showConsoleProgress", "true" if progress else "false")
        .set("spark.ui.enabled", "false")
        .set("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .set("spark.executorEnv.SPINTRACE_THREADS", "1")
    )
    saved_threads = os.environ.get("SPINTRACE_THREADS")
    os.environ["SPINTRACE_THREADS"] = "1"
    log, run_starts = None, 0
    if log_path is not None:
        # Appended, so that a resumed scan keeps the log of the run that stopped.
        log = open(log_path, "a", encoding="utf-8")
        log.write(f"\n=== spintrace scan --engine spark, {time.strftime('%Y-%m-%d %H:%M:%S')}, master {master} ===\n")
        log.flush()
        run_starts = log.tell()
    where = f" (details in {log_path})" if log_path is not None else ""
    interrupt_handler = signal.getsignal(signal.SIGINT)
    reader: threading.Thread | None = None
    try:
        popen_kwargs = {}
        if log is not None:
            if progress:
                read_fd, write_fd = os.pipe()
                reader = threading.Thread(target=_forward_progress, args=(read_fd, log, sys.stderr), daemon=True,
                                          name="spark-stderr")
                reader.start()
                popen_kwargs["stderr"] = write_fd
            else:
                popen_kwargs["stderr"] = log
            _log_py4j_to(log)
        try:
            if SparkContext._active_spark_context is None and SparkContext._gateway is None:
                gateway = launch_gateway(conf, popen_kwargs=popen_kwargs)
                SparkContext(conf=conf, gateway=gateway)
        finally:
            if "stderr" in popen_kwargs and isinstance(popen_kwargs["stderr"], int):
                os.close(popen_kwargs["stderr"])  # the JVM holds its own copy; the reader ends with it
        spark = SparkSession.builder.config(conf=conf).getOrCreate()
    except SpintraceError:
        raise
    except Exception as exc:  # a missing Java, a bad master URL or setting: one line, not a Java stack
        if reader is not None:
            reader.join(timeout=5)  # a JVM that exited has closed the pipe: the reader has the rest
        logged = ""
        if log is not None:
            _log_py4j_to(None)
            log.close()
            # A JVM that started says why in the exception; one that exited at once, in its log.
            if type(exc).__name__ != "Py4JJavaError":
                with open(log_path, encoding="utf-8", errors="replace") as written:
                    written.seek(run_starts)
                    logged = written.read()
        raise SpintraceError(f"cannot start Spark: {failure_cause(logged or str(exc))}{where}") from None
    finally:
        if saved_threads is None:
            os.environ.pop("SPINTRACE_THREADS", None)
        else:
            os.environ["SPINTRACE_THREADS"] = saved_threads
        # pyspark's own handler cancels the jobs through the gateway the interrupted call is
        # using (py4j's "reentrant call" tracebacks); a Ctrl-C now unwinds like any other command.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, interrupt_handler)
    spark.sparkContext.setLogLevel("ERROR")
    return spark
