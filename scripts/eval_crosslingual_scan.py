"""Scan's cross-language reach: translations proposed (and paired) beside their English source.

    .venv/bin/python scripts/eval_crosslingual_scan.py VARIANTS.jsonl... [--articles ...] [--scan OUT_DIR]

The corpus is the BBC articles plus every ``translation`` variant of the given files. Blocking
(``retrieve.corpus_pairs.candidate_pairs`` on every document's keys) is measured always: how many
translations are proposed beside their source, and the candidates each foreign document adds.
With ``--scan``, the local engine scans the corpus end to end and the script counts the
translations paired with their source as reuse, and all reuse pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spintrace.retrieve.blocking import document_keys  # noqa: E402
from spintrace.retrieve.corpus_pairs import candidate_pairs  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--articles", default=str(SHARED / "bbc-news" / "articles.jsonl"))
    ap.add_argument("--scan", type=Path, help="also scan end to end into this folder (local engine)")
    args = ap.parse_args()

    records = [{"id": a["id"], "text": a["text"]} for a in map(json.loads, open(args.articles, encoding="utf-8"))]
    position = {r["id"]: k for k, r in enumerate(records)}
    translations = []  # (record id, source id)
    for path in args.variants:
        for line in open(path, encoding="utf-8"):
            v = json.loads(line) if line.strip() else {}
            if v.get("variant") == "translation" and v["id"] in position:
                rid = f"translation/{v['lang']}/{v['id']}"
                records.append({"id": rid, "text": "\n\n".join(v["paragraphs"])})
                translations.append((rid, v["id"]))
    ids = [r["id"] for r in records]
    cands = candidate_pairs([document_keys(r["text"]) for r in records])
    pairs = set(cands.pairs())
    n_english = len(position)
    proposed = sum((min(position[s], ids.index(t)), max(position[s], ids.index(t))) in pairs for t, s in translations)
    crossing = sum((a < n_english) != (b < n_english) for a, b in pairs)
    print(f"{len(records)} documents; translations proposed beside their source: {proposed}/{len(translations)}; "
          f"cross-language candidates {crossing} ({crossing / max(1, len(translations)):.1f} per foreign document)")
    if args.scan:
        from spintrace.engines.local import scan_local

        args.scan.mkdir(parents=True, exist_ok=True)
        corpus = args.scan / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        result = scan_local([str(corpus)], args.scan / "scan", progress=False, with_reports=False)
        found = {frozenset((p.source_id, p.suspect_id)) for p in result.pairs}
        paired = sum(frozenset((t, s)) in found for t, s in translations)
        print(f"scan: {len(result.pairs)} reuse pairs; translations paired with their source: {paired}/{len(translations)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
