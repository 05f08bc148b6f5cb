"""A Spark standalone cluster on this machine, started from the installed pyspark.

One master and N workers, each its own JVM started with ``spark-class`` (what ``sbin/start-*.sh``
run), each worker in its own process group so that stopping (or killing) it also ends its
executors and their Python workers. Used by the tests and the scan benchmark to run
``spintrace scan --engine spark --master spark://...`` against real executors in separate JVMs;
also a quick way for a user to try a cluster before setting one up::

    with StandaloneCluster(workers=2, ports=range(41400, 41500)) as cluster:
        scan_spark(corpus, out, master=cluster.master_url)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from spintrace.errors import SpintraceError


def spark_home() -> Path:
    """The Spark distribution to run: ``$SPARK_HOME``, else the pyspark package folder."""
    if os.environ.get("SPARK_HOME"):
        return Path(os.environ["SPARK_HOME"])
    try:
        import pyspark
    except ImportError:
        raise SpintraceError("a standalone cluster needs pyspark: pip install 'spintrace[spark]'") from None
    return Path(pyspark.__file__).parent


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class StandaloneCluster:
    """Master + ``workers`` workers (``cores`` cores, ``memory`` each) on 127.0.0.1.

    Every listening port the cluster chooses (master, master UI, each worker and its UI) is taken
    from ``ports``; logs and worker work folders go to a temporary folder removed by ``stop``.
    ``env`` is added to the environment of the workers, hence of the executors and their Python
    workers (e.g. ``PYTHONPATH`` where the code under test lives).
    """

    def __init__(self, workers: int = 2, cores: int = 1, memory: str = "1g", ports: Iterable[int] = range(41400, 41500),
                 env: dict[str, str] | None = None, startup_s: float = 120.0) -> None:
        self.n_workers, self.cores, self.memory, self.startup_s = workers, cores, memory, startup_s
        self._ports = iter(ports)
        self.env = {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": "127.0.0.1",
                    "SPARK_NO_DAEMONIZE": "1", **(env or {})}
        self.folder = Path(tempfile.mkdtemp(prefix="spintrace-spark-"))
        self.master: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.master_port = self.ui_port = 0

    def _port(self) -> int:
        for port in self._ports:
            if _port_free(port):
                return port
        raise SpintraceError("no free port left for the Spark standalone cluster")

    @property
    def master_url(self) -> str:
        return f"spark://127.0.0.1:{self.master_port}"

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        cmd = [str(Path(self.env["SPARK_HOME"]) / "bin" / "spark-class"), *args]
        # Its own session: stopping a worker ends its executors and their Python workers with it.
        return subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> StandaloneCluster:
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise SpintraceError("a Spark cluster needs Java 17+ (java not found)")
        self.master_port, self.ui_port = self._port(), self._port()
        self.master = self._spawn("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                  "--port", str(self.master_port), "--webui-port", str(self.ui_port))
        try:
            self._wait(lambda state: state is not None, "master")
            for n in range(self.n_workers):
                self.add_worker(n)
            self._wait(lambda state: state["alive_workers"] >= self.n_workers, f"{self.n_workers} workers")
        except BaseException:
            self.stop()
            raise
        return self

    def add_worker(self, n: int | None = None) -> subprocess.Popen:
        n = len(self.workers) if n is None else n
        work = self.folder / f"worker-{n}"
        work.mkdir(exist_ok=True)
        worker = self._spawn(f"worker-{n}", "org.apache.spark.deploy.worker.Worker", self.master_url,
                             "--host", "127.0.0.1", "--port", str(self._port()), "--webui-port", str(self._port()),
                             "--cores", str(self.cores), "--memory", self.memory, "--work-dir", str(work))
        self.workers.append(worker)
        return worker

    def state(self) -> dict | None:
        """The master's view (``/json``): workers, their states, ``alive_workers``; None when down."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=2) as response:
                data = json.loads(response.read())
        except (OSError, ValueError):
            return None
        data["alive_workers"] = sum(w.get("state") == "ALIVE" for w in data.get("workers", []))
        return data

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + self.startup_s
        while time.monotonic() < deadline:
            if self.master is not None and self.master.poll() is not None:
                break
            if ready(self.state()):
                return
            time.sleep(0.5)
        logs = "; ".join(f"{p.name}: {p.read_text(errors='replace')[-300:]}" for p in sorted(self.folder.glob("*.log")))
        raise SpintraceError(f"Spark standalone cluster: {what} not up within {self.startup_s:.0f} s ({logs})")

    def kill_worker(self, n: int) -> None:
        """Kill worker ``n`` and everything it started at once (SIGKILL), like a machine lost."""
        _kill_group(self.workers[n], signal.SIGKILL)

    def stop(self) -> None:
        """Stop every JVM the cluster started (workers first), then remove its temporary folder."""
        for proc in [*self.workers, *([self.master] if self.master else [])]:
            _kill_group(proc, signal.SIGTERM)
        for proc in [*self.workers, *([self.master] if self.master else [])]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _kill_group(proc, signal.SIGKILL)
                proc.wait(timeout=20)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _kill_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # the process's own group (start_new_session): it and its children
    except (ProcessLookupError, PermissionError):
        pass
