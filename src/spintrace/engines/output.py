"""What a scan leaves in its output folder: pairs, families, per-pair reports and a summary page.

Both engines hand their results here, so their outputs are byte-for-byte comparable.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from spintrace.engines.families import Family
from spintrace.engines.stages import DUPLICATE_ID, PairRecord, ScanDocument, report_path

PASSAGE_TYPE = pa.struct(
    [
        ("source_start", pa.int64()),
        ("source_end", pa.int64()),
        ("suspect_start", pa.int64()),
        ("suspect_end", pa.int64()),
        ("similarity", pa.float64()),
        ("kind", pa.string()),
    ]
)
SUBSTITUTION_TYPE = pa.struct([("source", pa.string()), ("suspect", pa.string()), ("count", pa.int64())])
PAIRS_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("suspect_id", pa.string()),
        ("verdict", pa.string()),
        ("score", pa.float64()),
        ("source_coverage", pa.float64()),
        ("suspect_coverage", pa.float64()),
        ("direction", pa.string()),
        ("direction_confidence", pa.float64()),
        ("direction_evidence", pa.list_(pa.string())),
        ("passages", pa.list_(PASSAGE_TYPE)),
        ("substitutions", pa.list_(SUBSTITUTION_TYPE)),
    ]
)


@dataclass(slots=True)
class ScanSummary:
    """Counts a scan reports at the end (and writes into ``summary.html``)."""

    documents: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_examples: list[str] = field(default_factory=list)
    candidates: int = 0
    pairs: int = 0
    families: int = 0
    engine: str = "local"
    boilerplate_documents: int = 0  # documents whose site template sentences were left out

    @property
    def unreadable(self) -> int:
        """Records left out because they could not be read (a repeated id is not one: its first
        record is in the scan)."""
        return sum(n for reason, n in self.skipped.items() if reason != DUPLICATE_ID)

    def to_dict(self) -> dict:
        return {
            "engine": self.engine, "documents": self.documents, "skipped": self.skipped,
            "candidates": self.candidates, "pairs": self.pairs, "families": self.families,
            "boilerplate_documents": self.boilerplate_documents,
        }


def sort_pairs(pairs: Sequence[PairRecord]) -> list[PairRecord]:
    return sorted(pairs, key=lambda p: (p.source_id, p.suspect_id))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_pairs(out: Path, pairs: Sequence[PairRecord]) -> None:
    rows = [p.to_dict() for p in sort_pairs(pairs)]
    _atomic_write(out / "pairs.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    table = pa.Table.from_pylist(rows, schema=PAIRS_SCHEMA)
    pq.write_table(table, out / "pairs.parquet.tmp")
    os.replace(out / "pairs.parquet.tmp", out / "pairs.parquet")


def write_families(out: Path, families: Sequence[Family]) -> None:
    _atomic_write(
        out / "families.jsonl",
        "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in families),
    )


def _tree_html(node: dict, docs: Mapping[str, ScanDocument], report_of: Mapping[tuple[str, str], str], parent: str | None) -> str:
    doc = docs.get(node["id"])
    label = html.escape(node["id"])
    title = f' <span class="t">{html.escape(doc.title)}</span>' if doc and doc.title else ""
    date = f' <span class="d">{html.escape(doc.published)}</span>' if doc and doc.published else ""
    link = ""
    if parent is not None:
        href = report_of.get((parent, node["id"])) or report_of.get((node["id"], parent))
        if href:
            link = f' <a href="{html.escape(href)}">report</a>'
    kids = "".join(_tree_html(c, docs, report_of, node["id"]) for c in node["children"])
    return f"<li><code>{label}</code>{title}{date}{link}{f'<ul>{kids}</ul>' if kids else ''}</li>"


def _substitutions_html(fam: Family, top: int = 10) -> str:
    """The family's shared dictionary: the swaps its copies make most often."""
    subs = fam.substitutions[:top]
    if not subs:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(s['source'])}</td><td>{html.escape(s['suspect'])}</td><td>{s['count']}</td><td>{s['pairs']}</td></tr>"
        for s in subs
    )
    return ('<table class="subs"><tr><th>source word</th><th>copy writes</th><th>times</th><th>pairs</th></tr>'
            f"{rows}</table>")


SUMMARY_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem} table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer;font-weight:600} code{font-size:.9em} .t{color:#555} .d{color:#777;font-size:.85em}
.warn{color:#8a4b00}
"""


def write_summary(
    out: Path,
    summary: ScanSummary,
    families: Sequence[Family],
    pairs: Sequence[PairRecord],
    docs: Mapping[str, ScanDocument],
    with_reports: bool,
    max_families: int = 2000,
) -> None:
    """``summary.html``: self-contained, families largest first, each pair linked to its report."""
    report_of = {(p.source_id, p.suspect_id): report_path(p) for p in pairs} if with_reports else {}
    pairs_by_family: dict[str, list[PairRecord]] = {}
    family_of = {m: f.family_id for f in families for m in f.members}
    for p in pairs:
        pairs_by_family.setdefault(family_of.get(p.source_id, ""), []).append(p)
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<title>spintrace scan summary</title>",
        f"<style>{SUMMARY_CSS}</style></head><body>",
        "<h1>spintrace scan</h1><table>",
        f"<tr><th>documents scanned</th><td>{summary.documents}</td></tr>",
        f"<tr><th>documents with site boilerplate left out</th><td>{summary.boilerplate_documents}</td></tr>",
        f"<tr><th>candidate pairs aligned</th><td>{summary.candidates}</td></tr>",
        f"<tr><th>reuse pairs</th><td>{summary.pairs}</td></tr>",
        f"<tr><th>families</th><td>{summary.families}</td></tr>",
        f"<tr><th>engine</th><td>{html.escape(summary.engine)}</td></tr></table>",
    ]
    if summary.skipped:
        items = "".join(f"<li>{html.escape(k)}: {v}</li>" for k, v in sorted(summary.skipped.items()))
        parts.append(f'<p class="warn">Skipped records:</p><ul class="warn">{items}</ul>')
    parts.append("<h2>Families, largest first</h2>")
    for n, fam in enumerate(families[:max_families]):
        rows = []
        fam_pairs = sorted(pairs_by_family.get(fam.family_id, []), key=lambda p: -p.score)
        kinds = ", ".join(f"{k} {sum(p.verdict == k for p in fam_pairs)}" for k in ("verbatim", "paraphrase", "partial")
                          if any(p.verdict == k for p in fam_pairs))
        for p in fam_pairs:
            link = f'<a href="{html.escape(report_of[(p.source_id, p.suspect_id)])}">report</a>' if with_reports else ""
            rows.append(
                f"<tr><td><code>{html.escape(p.source_id)}</code></td><td><code>{html.escape(p.suspect_id)}</code></td>"
                f"<td>{html.escape(p.verdict)}</td><td>{p.score:.2f}</td><td>{p.suspect_coverage:.0%}</td><td>{link}</td></tr>"
            )
        more = len(fam.origins) - 1
        others = f"; {more} more original{'s' if more > 1 else ''} (a member draws on several)" if more > 0 else ""
        origin_note = {"published": "earliest published", "direction": "from copying evidence",
                       "undetermined": "undetermined"}.get(fam.origin_evidence, fam.origin_evidence)
        parts.append(
            f"<details{' open' if n < 20 else ''}><summary>{html.escape(fam.family_id)}: "
            f"{len(fam.members)} documents ({html.escape(kinds)}), origin <code>{html.escape(fam.origin)}</code> "
            f"({html.escape(origin_note)}){others}</summary>"
            f"<ul>{''.join(_tree_html(tree, docs, report_of, None) for tree in fam.trees or [fam.tree])}</ul>"
            f"{_substitutions_html(fam)}"
            "<table><tr><th>source</th><th>suspect</th><th>verdict</th><th>score</th><th>copy covered</th><th></th></tr>"
            f"{''.join(rows)}</table></details>"
        )
    if len(families) > max_families:
        parts.append(f"<p>{len(families) - max_families} smaller families are in families.jsonl.</p>")
    parts.append("</body></html>\n")
    _atomic_write(out / "summary.html", "".join(parts))


def write_report(out: Path, record: PairRecord, report_html: str) -> None:
    path = out / report_path(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, report_html)
