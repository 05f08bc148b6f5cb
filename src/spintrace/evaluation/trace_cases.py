"""Trace evaluation cases: compilations, condensed copies, rewrites, spins, independent reports.

Built from rewrites-format sets (``{"id", "variant", "paragraphs", "derived_from"}`` a line,
``id`` = the BBC source article): a *compilation* stitches consecutive paragraphs of two or
three reused variants (rewrite or spun) of articles from different categories, at varied split
points; a *condensed* case is a ``summary`` variant. The ground truth is passage-level: each
suspect paragraph against the source paragraphs its ``derived_from`` names, with the source
article as the PAN source reference, so attribution to the wrong source detects nothing.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spintrace.evaluation.pan_measures import Case
from spintrace.evaluation.pairs import consecutive_runs, paragraph_spans

REUSED_KINDS = ("rewrite", "spun")
# Another outlet's own report: feature-style, wire-style, or a short news brief of the same facts.
INDEPENDENT_KINDS = ("independent", "independent2", "brief")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of paragraphs of one variant that goes into a suspect."""

    source_id: str
    paragraphs: tuple[str, ...]
    derived_from: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class TraceCase:
    """A suspect, the sources it really uses (none for an independent report) and the truth."""

    case_id: str
    kind: str  # compilation2 | compilation3 | condensed | rewrite | spun | independent | independent2 | brief
    text: str
    sources: tuple[str, ...]
    truth: tuple[Case, ...]


def read_variant_records(paths: Iterable[str | Path]) -> list[dict]:
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    return records


def _category(source_id: str) -> str:
    parts = source_id.split("/")
    return parts[1] if len(parts) > 2 else ""


def assemble(case_id: str, kind: str, pieces: Sequence[Piece], articles: dict[str, str]) -> TraceCase:
    """Join the pieces' paragraphs into one suspect and derive the passage truth."""
    paragraphs = [p for piece in pieces for p in piece.paragraphs]
    text = "\n\n".join(paragraphs)
    spans = paragraph_spans(text)
    truth = []
    at = 0
    for piece in pieces:
        src_spans = paragraph_spans(articles[piece.source_id])
        for derived in piece.derived_from:
            s0, s1 = spans[at]
            at += 1
            for first, last in consecutive_runs(i for i in derived if i < len(src_spans)):
                truth.append(Case(s0, s1 - s0, src_spans[first][0], src_spans[last][1] - src_spans[first][0],
                                  case_id, piece.source_id))
    sources = tuple(dict.fromkeys(p.source_id for p in pieces if any(p.derived_from)))
    return TraceCase(case_id, kind, text, sources, tuple(truth))


def _piece(record: dict, start: int, stop: int) -> Piece:
    return Piece(record["id"], tuple(p.strip() for p in record["paragraphs"][start:stop]),
                 tuple(tuple(d) for d in record["derived_from"][start:stop]))


def compilations(records: Sequence[dict], articles: dict[str, str], n_sources: int, count: int,
                 seed: int = 0) -> list[TraceCase]:
    """``count`` suspects each stitched from ``n_sources`` reused variants of different categories.

    Each piece is a contiguous run of paragraphs of its variant holding at least a third (two
    sources) or a quarter (three) of it, starting at a random paragraph, so split points vary and
    each source supplies a different part of its story.
    """
    rng = random.Random(f"{seed}-{n_sources}")
    reused = [r for r in records if r.get("variant") in REUSED_KINDS and r["id"] in articles
              and len(r["paragraphs"]) >= 4]
    cases = []
    while len(cases) < count:
        chosen: list[dict] = []
        for record in rng.sample(reused, len(reused)):
            if all(_category(record["id"]) != _category(c["id"]) for c in chosen):
                chosen.append(record)
            if len(chosen) == n_sources:
                break
        pieces = []
        for record in chosen:
            n = len(record["paragraphs"])
            share = rng.uniform(0.3, 0.6) if n_sources == 2 else rng.uniform(0.25, 0.45)
            length = max(2, round(share * n))
            start = rng.randint(0, n - length)
            pieces.append(_piece(record, start, start + length))
        name = "+".join(f"{c['id'].rsplit('/', 1)[-1]}:{c['variant']}" for c in chosen)
        cases.append(assemble(f"compilation{n_sources}/{len(cases):03d}/{name}", f"compilation{n_sources}",
                              pieces, articles))
    return cases


def whole_variants(records: Sequence[dict], articles: dict[str, str], kinds: Sequence[str]) -> list[TraceCase]:
    """Each variant of ``kinds`` as a suspect of its own (``summary`` becomes ``condensed``)."""
    cases = []
    for record in records:
        kind = record.get("variant")
        if kind not in kinds or record["id"] not in articles:
            continue
        label = "condensed" if kind == "summary" else kind
        piece = _piece(record, 0, len(record["paragraphs"]))
        case = assemble(f"{label}/{record['id']}", label, [piece], articles)
        if kind in INDEPENDENT_KINDS:
            case = TraceCase(case.case_id, label, case.text, (), ())
        cases.append(case)
    return cases


def build_trace_cases(variant_files: Sequence[str | Path], articles: dict[str, str], *,
                      compilations_each: int = 30, seed: int = 0) -> list[TraceCase]:
    """Every kind of trace case from the given rewrites-format files (those present)."""
    records = read_variant_records(variant_files)
    cases = compilations(records, articles, 2, compilations_each, seed)
    cases += compilations(records, articles, 3, compilations_each, seed)
    cases += whole_variants(records, articles, ("summary", "rewrite", "spun", *INDEPENDENT_KINDS))
    return cases


def read_bbc_articles(path: str | Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return {rec["id"]: rec["text"] for rec in map(json.loads, handle) if rec.get("text")}
