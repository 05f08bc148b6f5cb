"""Load benchmark for ``spintrace serve``: concurrent seed-pair comparisons over loopback HTTP.

Starts a real server process (``python -m spintrace serve`` on a free loopback port), then
CLIENTS threads each send ``POST /compare`` with the seed pair back to back for DURATION seconds,
while one more thread asks ``GET /health`` every half second (it must stay answered under load).
Reports errors, throughput and latency percentiles; the clients share the machine's cores with
the server, as they would on a single host.

    .venv/bin/python benchmarks/bench_serve.py                      # 8 clients, 60 s
    .venv/bin/python benchmarks/bench_serve.py --clients 2 --duration 10 --no-write

Results go to stdout and (unless --no-write) benchmarks/results/serve.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
LISTENING = re.compile(r"Uvicorn running on (http://\S+)")


def start_server(extra: list[str]) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "spintrace", "serve", "--host", "127.0.0.1", "--port", "0", *extra]
    env = {k: v for k, v in os.environ.items() if k != "SPINTRACE_API_KEY"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    for line in proc.stdout:
        match = LISTENING.search(line)
        if match:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # drain the log
            return proc, match.group(1)
    raise SystemExit("spintrace serve did not start")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--baseline", type=float, default=10.0, help="seconds of one client alone before the load")
    ap.add_argument("--workers", type=int, default=None, help="server comparison threads (default: its own)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/serve.md")
    args = ap.parse_args()

    source = (SHARED / "seed-pair" / "source.txt").read_text(encoding="utf-8")
    suspect = (SHARED / "seed-pair" / "suspect.txt").read_text(encoding="utf-8")
    payload = {"source": source, "suspect": suspect}
    extra = ["--workers", str(args.workers)] if args.workers else []
    load_before = os.getloadavg()[0]
    proc, url = start_server(extra)
    try:
        with httpx.Client(base_url=url, timeout=120) as http:
            health = http.get("/health").json()
            if not health["model_loaded"]:
                raise SystemExit(f"server has no model: {health['model_error']}")
            warm = http.post("/compare", json=payload)  # first request pays one-off costs
            warm.raise_for_status()
            verdict = warm.json()["verdict"]
            # one client alone: the service time that queueing under load adds to
            alone: list[float] = []
            alone_until = time.monotonic() + args.baseline
            while time.monotonic() < alone_until:
                t0 = time.perf_counter()
                http.post("/compare", json=payload).raise_for_status()
                alone.append(time.perf_counter() - t0)

        latencies: list[float] = []
        errors: list[str] = []
        health_latencies: list[float] = []
        lock = threading.Lock()
        start = time.monotonic()
        stop_at = start + args.duration

        def client() -> None:
            with httpx.Client(base_url=url, timeout=120) as http:
                while time.monotonic() < stop_at:
                    t0 = time.perf_counter()
                    try:
                        resp = http.post("/compare", json=payload)
                        ok = resp.status_code == 200 and resp.json()["verdict"] == verdict
                        problem = None if ok else f"HTTP {resp.status_code}: {resp.text[:120]}"
                    except httpx.HTTPError as exc:
                        problem = f"{type(exc).__name__}: {exc}"
                    elapsed = time.perf_counter() - t0
                    with lock:
                        (errors.append(problem) if problem else latencies.append(elapsed))

        def prober() -> None:
            with httpx.Client(base_url=url, timeout=30) as http:
                while time.monotonic() < stop_at:
                    t0 = time.perf_counter()
                    try:
                        ok = http.get("/health").status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    if ok:
                        health_latencies.append(time.perf_counter() - t0)
                    else:
                        with lock:
                            errors.append("health check failed")
                    time.sleep(0.5)

        threads = [threading.Thread(target=client) for _ in range(args.clients)] + [threading.Thread(target=prober)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - start
    finally:
        proc.terminate()
        proc.wait(15)

    n = len(latencies)
    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    rows = [
        ("clients", str(args.clients)),
        ("duration", f"{wall:.1f} s"),
        ("server workers", str(health["workers"])),
        ("completed comparisons", str(n)),
        ("errors", str(len(errors))),
        ("throughput", f"{n / wall:.2f} comparisons/s"),
        ("one client alone: latency p50 (n)", f"{ms(statistics.median(alone))} ({len(alone)})" if alone else "-"),
        ("latency p50", ms(statistics.median(latencies)) if latencies else "-"),
        ("latency p95", ms(percentile(latencies, 0.95))),
        ("latency max", ms(max(latencies)) if latencies else "-"),
        ("/health during load p50 / max", f"{ms(statistics.median(health_latencies))} / {ms(max(health_latencies))}"
         if health_latencies else "-"),
        ("verdict", verdict),
    ]
    command = "python benchmarks/bench_serve.py" + "".join(
        f" {flag} {value}" for flag, value in (("--clients", args.clients), ("--duration", args.duration), ("--baseline", args.baseline),
                              ("--workers", args.workers))
        if value is not None)
    table = "| measure | value |\n|---|---|\n" + "".join(f"| {k} | {v} |\n" for k, v in rows)
    report = (
        "# spintrace serve under load\n\n"
        f"`{command}` on {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n"
        f"{args.clients} client threads send the seed pair ({len(source)} + {len(suspect)} chars) to "
        "`POST /compare` back to back over loopback HTTP; the clients run on the same cores as the "
        "server. `/health` is probed every 0.5 s throughout. Machine load average (1 min) before / "
        f"after: {load_before:.1f} / {os.getloadavg()[0]:.1f} (other work was running alongside).\n\n" + table
    )
    if errors:
        report += "\nFirst errors:\n\n" + "".join(f"- {e}\n" for e in errors[:5])
    print(report)
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / "serve.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
