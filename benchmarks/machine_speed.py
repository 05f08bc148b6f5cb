"""How fast this machine runs the work that dominates spintrace, so timings from different hosts
can be compared: the same 2-core figure on a host whose CPU lacks int8 dot-product instructions
(AVX-512 VNNI) can be several times slower for the sentence embedder alone.

    .venv/bin/python benchmarks/machine_speed.py

Prints (and ``machine_speed()`` returns) numpy float32 matrix-multiply GFLOPS on all cores, the
int8 MiniLM embedder's sentences per second on one thread and on all cores (64 news-like
sentences of ~25 words), and a pure-Python loop's time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SENTENCE = ("The company said on Tuesday that its annual profits had risen by 12% to £1.2bn, helped by "
            "strong sales in Asia and lower costs at home.")


def machine_speed() -> dict[str, float]:
    import numpy as np

    from spintrace.embed.embedder import SentenceEmbedder

    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    a @ a
    start = time.perf_counter()
    for _ in range(5):
        a @ a
    gflops = 5 * 2 * 1024**3 / (time.perf_counter() - start) / 1e9
    sentences = [f"{SENTENCE} Report {k}." for k in range(64)]
    rates = {}
    for name, threads in (("minilm_sentences_per_s_1_thread", 1), ("minilm_sentences_per_s_all_cores", None)):
        embedder = SentenceEmbedder(threads=threads)
        embedder.encode(sentences[:8])
        start = time.perf_counter()
        embedder.encode(sentences)
        rates[name] = len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    total = 0
    for k in range(2_000_000):
        total += k
    return {"numpy_sgemm_gflops": gflops, **rates, "python_loop_2M_s": time.perf_counter() - start}


def machine_speed_line() -> str:
    s = machine_speed()
    return (f"machine speed: numpy sgemm {s['numpy_sgemm_gflops']:.0f} GFLOPS, MiniLM int8 "
            f"{s['minilm_sentences_per_s_1_thread']:.0f} sentences/s on one thread "
            f"({s['minilm_sentences_per_s_all_cores']:.0f} on all cores), Python loop of 2M additions "
            f"{s['python_loop_2M_s']:.2f} s (`benchmarks/machine_speed.py`)")


if __name__ == "__main__":
    print(machine_speed_line())
