"""Offline sentence embeddings (all-MiniLM-L6-v2, int8 ONNX) for spintrace.

Paraphrase and spin detection compares sentences by meaning, so every
candidate sentence needs an embedding.  This must be fast on a 2-core CPU and
must never touch the network, so the model ships inside the package as an
int8 ONNX file (see ``scripts/export_embedding_model.py``) and run time needs
only onnxruntime, tokenizers and numpy -- no torch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Encoding

__all__ = ["SentenceEmbedder", "MODEL_DIR", "MAX_TOKENS", "DIMENSION"]

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = MODEL_DIR / "minilm-l6-v2-int8.onnx"
TOKENIZER_FILE = MODEL_DIR / "tokenizer.json"

#: Tokens per sentence, [CLS] and [SEP] included.  all-MiniLM-L6-v2 was
#: trained at 128; longer inputs cost quadratic attention time for little gain.
MAX_TOKENS = 128
#: Width of the embeddings the model produces.
DIMENSION = 384

THREADS_ENV = "SPINTRACE_THREADS"


def _thread_count() -> int:
    """Intra-op threads: all cores unless the operator caps it (shared hosts)."""
    env = os.environ.get(THREADS_ENV, "").strip()
    if env:
        try:
            n = int(env)
        except ValueError as exc:
            raise ValueError(f"{THREADS_ENV} must be a positive integer, got {env!r}") from exc
        if n < 1:
            raise ValueError(f"{THREADS_ENV} must be a positive integer, got {env!r}")
        return n
    return os.cpu_count() or 1


def process_default(cls, make):
    """``cls._default``, made once by ``make()`` under ``cls._default_lock`` (double-checked, so
    the common path takes no lock)."""
    inst = cls._default
    if inst is None:
        with cls._default_lock:
            inst = cls._default
            if inst is None:
                inst = cls._default = make()
    return inst


class SentenceEmbedder:
    """Encode sentences into L2-normalised 384-d vectors, CPU only.

    Output matches sentence-transformers' all-MiniLM-L6-v2 (mean pooling over
    the attention mask, then L2 normalisation) up to int8 quantisation error
    (cosine to fp32 ~0.99), so dot products are cosine similarities.

    Instances are safe to share between threads: ``onnxruntime`` sessions
    allow concurrent ``run`` calls and the tokenizer is only read.

    Parallelism (``parallel``):

    * ``"batches"`` (default): the session runs single-threaded and up to
      ``threads`` length-sorted batches run concurrently.  Each batch is a
      few dozen sentences of ~30 tokens, so splitting every MatMul across
      threads (``"ops"``) mostly buys barrier waits; on a loaded 2-core box
      ``"ops"`` was measured 2x slower than one thread, while ``"batches"``
      never falls below single-thread speed.  It also keeps no intra-op
      thread pool alive, which is friendlier to forking Spark/multiprocessing
      workers.
    * ``"ops"``: classic onnxruntime intra-op threading, batches in sequence.
      Lower latency for a single long batch on an otherwise idle machine.
    """

    _default: ClassVar[SentenceEmbedder | None] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        tokenizer_path: str | os.PathLike[str] | None = None,
        *,
        threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
        max_batch_tokens: int = 256,
        parallel: Literal["batches", "ops"] = "batches",
    ) -> None:
        # Imported here so that merely importing spintrace.embed stays cheap
        # for code paths (CLI help, exact-match stages) that never embed.
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = Path(model_path) if model_path is not None else MODEL_FILE
        tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else TOKENIZER_FILE
        if not model_path.is_file():
            raise FileNotFoundError(
                f"embedding model not found at {model_path}; "
                "reinstall spintrace or run scripts/export_embedding_model.py"
            )
        if not tokenizer_path.is_file():
            raise FileNotFoundError(f"tokenizer not found at {tokenizer_path}")

        tok = Tokenizer.from_file(str(tokenizer_path))
        # The shipped tokenizer.json pads every input to 128; we pad per batch
        # instead, so short sentences do not pay for 128 positions.
        tok.no_padding()
        tok.enable_truncation(max_length=max_tokens)
        self._tokenizer = tok
        self._max_tokens = max_tokens
        # 256 padded tokens per batch: measured fastest on news sentences
        # (CPU time per sentence grows ~1.9x from 256 to unbounded 64-text
        # batches, because padding and cache misses grow with the batch).
        self._max_batch_tokens = max_batch_tokens
        if parallel not in ("batches", "ops"):
            raise ValueError(f"parallel must be 'batches' or 'ops', got {parallel!r}")
        self._threads = threads if threads is not None else _thread_count()
        if self._threads < 1:
            raise ValueError("threads must be >= 1")
        self._parallel = parallel

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = self._threads if parallel == "ops" else 1
        # One model, one graph: parallelism between operators only adds
        # scheduling overhead here.
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._output_name = self._session.get_outputs()[0].name
        dim = self._session.get_outputs()[0].shape[-1]
        self._dimension = int(dim) if isinstance(dim, int) else DIMENSION

    @classmethod
    def default(cls) -> SentenceEmbedder:
        """The process-wide embedder, loaded on first use.

        Loading costs a few hundred milliseconds and ~100 MB, so every stage
        of a run should share one instance rather than build its own.
        """
        return process_default(cls, cls)

    @property
    def dimension(self) -> int:
        """Embedding width, so callers can size indexes without a dummy encode."""
        return self._dimension

    @property
    def max_tokens(self) -> int:
        """Longer inputs are truncated: embeddings only see this many tokens."""
        return self._max_tokens

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
        """Embed ``texts``; row ``i`` of the result belongs to ``texts[i]``.

        Texts are sorted by token count and batched so each batch pads only to
        its own longest member; with news sentences ranging from 5 to 100+
        tokens this saves most of the padding work.  Rows are L2-normalised so
        ``a @ b.T`` gives cosine similarities directly.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        n = len(texts)
        out = np.zeros((n, self._dimension), dtype=np.float32)
        if n == 0:
            return out

        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=True)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        batches = _plan_batches(lengths, batch_size, self._max_batch_tokens)
        workers = min(self._threads, len(batches)) if self._parallel == "batches" else 1
        if workers > 1:
            # A fresh pool per call costs ~0.1 ms and, unlike a long-lived one,
            # survives os.fork() (a forked child has no pool threads).
            with ThreadPoolExecutor(workers, thread_name_prefix="spintrace-embed") as pool:
                results = list(pool.map(lambda b: self._run(encodings, lengths, b), batches))
        else:
            results = [self._run(encodings, lengths, b) for b in batches]
        for idx, emb in zip(batches, results):
            out[idx] = emb
        return out

    def _run(
        self,
        encodings: list[Encoding],
        lengths: npt.NDArray[np.int64],
        idx: npt.NDArray[np.intp],
    ) -> npt.NDArray[np.float32]:
        """Pad one batch to its longest member, run the model, pool."""
        width = int(lengths[idx].max())
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        types = np.zeros((len(idx), width), dtype=np.int64)
        for row, j in enumerate(idx):
            enc = encodings[j]
            k = len(enc.ids)
            ids[row, :k] = enc.ids
            mask[row, :k] = enc.attention_mask
            types[row, :k] = enc.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        feeds = {k: v for k, v in feeds.items() if k in self._input_names}
        hidden = self._session.run([self._output_name], feeds)[0]
        return _mean_pool_normalise(hidden, mask)


def _plan_batches(
    lengths: npt.NDArray[np.int64], batch_size: int, max_batch_tokens: int
) -> list[npt.NDArray[np.intp]]:
    """Group texts of similar token length so batches carry little padding.

    Longest first: the first batch shows early whether memory suffices, and a
    stable sort keeps equal lengths in input order.  A batch closes at
    ``batch_size`` texts or when padding everything to its longest member
    would exceed ``max_batch_tokens``.
    """
    order = np.argsort(-lengths, kind="stable")
    batches: list[npt.NDArray[np.intp]] = []
    start, n = 0, len(order)
    while start < n:
        longest = int(lengths[order[start]])
        size = max(1, min(batch_size, max_batch_tokens // max(longest, 1)))
        batches.append(order[start : start + size])
        start += size
    return batches


def _mean_pool_normalise(
    hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Mean over real tokens, then unit length -- as sentence-transformers does.

    Padding positions still get hidden states, so they must be masked out or
    short sentences in a long batch would drift towards the padding vector.
    The clamps mirror sentence-transformers (1e-9) and torch's
    ``F.normalize`` (1e-12) so results agree to float precision.
    """
    m = mask.astype(np.float32)[:, :, None]
    summed = (hidden.astype(np.float32) * m).sum(axis=1)
    counts = np.clip(m.sum(axis=1), 1e-9, None)
    mean = summed / counts
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean / np.clip(norms, 1e-12, None)).astype(np.float32)
