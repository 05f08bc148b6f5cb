"""Starting Spark: a master that cannot be reached, and why Spark failed, each in one line; the
JVM's standard error split between the terminal (progress bar) and the log (everything else)."""

from __future__ import annotations

import io
import os
import socket
import threading

import pytest

from spintrace.engines.spark_session import (
    _forward_progress,
    check_master_reachable,
    failure_cause,
    standalone_masters,
)
from spintrace.errors import SpintraceError


def test_only_a_standalone_master_names_hosts_to_check():
    assert standalone_masters("spark://a.example:7077,b.example:7078") == [("a.example", 7077), ("b.example", 7078)]
    assert standalone_masters("local[*]") == standalone_masters("yarn") == standalone_masters("k8s://https://h:443") == []
    with pytest.raises(SpintraceError, match="expected spark://HOST:PORT"):
        standalone_masters("spark://127.0.0.1")


def test_a_master_that_refuses_or_is_unknown_fails_at_once_and_one_that_listens_passes():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        check_master_reachable(f"spark://127.0.0.1:{port}")
        # one of several (ZooKeeper HA) masters answering is enough
        check_master_reachable(f"spark://127.0.0.1:1,127.0.0.1:{port}")
    with pytest.raises(SpintraceError) as refused:
        check_master_reachable(f"spark://127.0.0.1:{port}")  # closed now
    assert str(refused.value) == f"cannot reach the Spark master (127.0.0.1:{port}: Connection refused)"
    with pytest.raises(SpintraceError, match="nosuchhost.invalid: unknown host"):
        check_master_reachable("spark://nosuchhost.invalid:7077")
    check_master_reachable("local[2]")  # nothing to reach


def test_the_cause_is_the_innermost_java_exception_or_the_first_line_that_is_not_a_notice():
    py4j_text = (
        "An error occurred while calling None.org.apache.spark.api.java.JavaSparkContext.\n"
        ": org.apache.spark.SparkException: Could not start the context\n"
        "\tat org.apache.spark.SparkContext.<init>(SparkContext.scala:1)\n"
        "Caused by: java.lang.IllegalArgumentException: Executor memory 1 must be at least 471859200.\n"
        "\tat org.apache.spark.memory.UnifiedMemoryManager$.getMaxMemory(UnifiedMemoryManager.scala:1)\n"
    )
    assert failure_cause(py4j_text) == "Executor memory 1 must be at least 471859200."
    gateway_log = (
        "WARNING: Using incubator modules: jdk.incubator.vector\n"
        'Exception in thread "main" org.apache.spark.SparkException: Master must either be yarn or start with spark, k8s, or local\n'
        "\tat org.apache.spark.deploy.SparkSubmit.error(SparkSubmit.scala:1068)\n"
    )
    assert failure_cause(gateway_log) == "Master must either be yarn or start with spark, k8s, or local"
    no_java = (
        "/venv/lib/python3.11/site-packages/pyspark/bin/spark-class: line 71: /nonexist/bin/java: No such file or directory\n"
        "/venv/lib/python3.11/site-packages/pyspark/bin/spark-class: line 97: CMD: bad array subscript\n"
    )
    assert failure_cause(no_java) == "/nonexist/bin/java: No such file or directory"
    assert failure_cause("") == "no reason given"


def test_the_progress_bar_reaches_the_terminal_and_the_rest_the_log():
    read_fd, write_fd = os.pipe()
    log, terminal = io.StringIO(), io.StringIO()
    reader = threading.Thread(target=_forward_progress, args=(read_fd, log, terminal))
    reader.start()
    chatter = (
        "WARNING: Using incubator modules: jdk.incubator.vector\n"
        "\r[Stage 1:>        (0 + 2) / 8]"
        "\r[Stage 1:====>    (4 + 2) / 8]"
        "26/12/02 10:32:08 ERROR Executor: Exception in task 4.0 [task launch worker]\n"
        "\tat org.apache.spark.executor.Executor.run(Executor.scala:1)\n"
        "\r                              \r"
        "Traceback (most recent call last):\n  KeyboardInterrupt\n"
        "héllo, split across reads\n"
    ).encode("utf-8")
    for i in range(0, len(chatter), 7):  # in small writes, as a JVM flushes: pieces and characters split
        os.write(write_fd, chatter[i:i + 7])
    os.close(write_fd)
    reader.join(timeout=10)
    assert "[Stage 1:>        (0 + 2) / 8]" in terminal.getvalue()
    assert terminal.getvalue().count("[Stage") == 2 and "ERROR" not in terminal.getvalue()
    logged = log.getvalue()
    for line in ("WARNING: Using incubator modules", "ERROR Executor: Exception in task 4.0 [task launch worker]", "Executor.scala:1",
                 "KeyboardInterrupt", "héllo, split across reads"):
        assert line in logged
    assert "[Stage" not in logged


def test_a_cleared_bar_leaves_the_cursor_at_the_line_start_and_a_broken_terminal_stops_nothing():
    import spintrace.engines.spark_session as spark_session

    class Broken(io.StringIO):
        def write(self, text):
            raise BrokenPipeError

    for terminal in (io.StringIO(), Broken()):
        read_fd, write_fd = os.pipe()
        log = io.StringIO()
        reader = threading.Thread(target=_forward_progress, args=(read_fd, log, terminal))
        reader.start()
        os.write(write_fd, b"\r[Stage 3:>   (0 + 2) / 4]\r                              \rA WARN line after\n")
        os.close(write_fd)
        reader.join(timeout=10)
        assert "A WARN line after" in log.getvalue()  # still drained when the terminal is gone
        if not isinstance(terminal, Broken):
            # Spark's clearing ends on a carriage return, so the next line starts at column 0
            assert terminal.getvalue().endswith("\r")
            assert spark_session._shown_bar == ""


def test_the_interrupted_bar_is_blanked_before_the_last_line(capsys):
    import spintrace.engines.spark_session as spark_session

    spark_session._shown_bar = "[Stage 7:=====>   (5 + 2) / 9]"
    spark_session.clear_progress_bar()
    assert capsys.readouterr().err == "\r" + " " * len("[Stage 7:=====>   (5 + 2) / 9]") + "\r"
    spark_session.clear_progress_bar()  # nothing shown now: nothing written
    assert capsys.readouterr().err == ""
