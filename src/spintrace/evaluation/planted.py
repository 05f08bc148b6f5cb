"""Partial copies built from the rewrites-format ground truth.

Planted: two reused paragraphs inside an unrelated article of another category. Excerpt: a third
to a half of a reworded copy's paragraphs, in a row, published alone (a site running the first
part of a story, or one part of a compilation, which is what ``trace`` judges).

This is how partial reuse looks in the wild (a site's own article with a few lifted paragraphs),
built from the rewrites-format ground truth so every planted paragraph keeps its ``derived_from``
truth: the suspect is a host article of another category with two consecutive derived paragraphs
of a spun (or rewritten) variant inserted between two of its paragraphs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from spintrace.evaluation.pairs import (
    EXCERPT_NOT_REUSE_KINDS, Article, EvalPair, Variant, consecutive_runs, paragraph_spans,
)
from spintrace.evaluation.pan_measures import Case

PLANTED_FROM: dict[str, str] = {"spun": "planted spun", "rewrite": "planted rewrite"}
EXCERPT_FROM: dict[str, str] = {"spun": "excerpt spun", "rewrite": "excerpt rewrite",
                                "independent": "excerpt independent", "independent2": "excerpt independent"}


def _host(source: Article, articles: Sequence[Article], excluded: set[str], rng: random.Random) -> Article | None:
    candidates = [
        a for a in articles
        if a.category != source.category and a.id not in excluded and len(paragraph_spans(a.text)) >= 3
    ]
    return rng.choice(candidates) if candidates else None


def planted_pairs(variants: Sequence[Variant], articles: dict[str, Article], seed: int = 0) -> list[EvalPair]:
    """One planted pair per spun and per rewrite variant whose article is known (deterministic in
    ``seed``): two consecutive derived paragraphs of the variant, inserted into a host article of
    another category that is not itself a source here."""
    ordered = sorted(articles.values(), key=lambda a: a.id)
    sources = {v.source_id for v in variants}
    pairs: list[EvalPair] = []
    for variant in variants:
        kind = PLANTED_FROM.get(variant.kind)
        source = articles.get(variant.source_id)
        if kind is None or source is None:
            continue
        rng = random.Random(f"{seed}:{variant.source_id}:{variant.kind}:planted")
        derived = [k for k, d in enumerate(variant.derived_from) if d]
        starts = [k for k in derived if k + 1 in derived] or derived[:1]
        host = _host(source, ordered, sources, rng)
        if not starts or host is None:
            continue
        first = rng.choice(starts)
        planted = [k for k in (first, first + 1) if k < len(variant.paragraphs) and variant.derived_from[k]]
        host_paragraphs = [host.text[a:b] for a, b in paragraph_spans(host.text)]
        at = rng.randint(1, len(host_paragraphs) - 1)
        paragraphs = host_paragraphs[:at] + [variant.paragraphs[k] for k in planted] + host_paragraphs[at:]
        text = "\n\n".join(paragraphs)
        spans = paragraph_spans(text)
        src_spans = paragraph_spans(source.text)
        label = f"{variant.source_id}#{kind}:{host.id}"
        cases = []
        for offset, k in enumerate(planted):
            s0, s1 = spans[at + offset]
            for a, b in consecutive_runs(variant.derived_from[k]):
                if b < len(src_spans):
                    cases.append(Case(s0, s1 - s0, src_spans[a][0], src_spans[b][1] - src_spans[a][0], label, variant.source_id))
        pairs.append(EvalPair(label, kind, variant.source_id, source.text, text, tuple(cases)))
    return pairs


def excerpt_pairs(variants: Sequence[Variant], articles: dict[str, Article], seed: int = 0) -> list[EvalPair]:
    """One excerpt pair per spun, rewrite and independent variant of at least three (derived)
    paragraphs (deterministic in ``seed``): a third to a half of its paragraphs (at least two), in
    a row, starting at a random derived paragraph, against the whole source.

    An excerpt of an independent report is not reuse: a site running the first paragraphs of its
    own report is short beside the source and tells a part of its facts, as a summary or an
    excerpt of a copy does; on a news stream such pairs were most of the new false pairs of a
    document model fitted without them (session 18)."""
    pairs: list[EvalPair] = []
    for variant in variants:
        kind = EXCERPT_FROM.get(variant.kind)
        source = articles.get(variant.source_id)
        n = len(variant.paragraphs)
        # An independent report derives nothing: any of its paragraphs may start the excerpt.
        derived = [bool(d) or kind in EXCERPT_NOT_REUSE_KINDS for d in variant.derived_from]
        if kind is None or source is None or sum(derived) < 3:
            continue
        rng = random.Random(f"{seed}:{variant.source_id}:{variant.kind}:excerpt")
        size = max(2, round(n * rng.uniform(1 / 3, 1 / 2)))
        starts = [k for k in range(n - size + 1) if derived[k]]
        if not starts:
            continue
        first = rng.choice(starts)
        kept = list(range(first, first + size))
        text = "\n\n".join(variant.paragraphs[k] for k in kept)
        spans = paragraph_spans(text)
        src_spans = paragraph_spans(source.text)
        # Named by the variant it was cut from: an article's ``independent`` and ``independent2``
        # both give an "excerpt independent", and a label must name one pair (grouped CV keys its
        # out-of-fold comparisons by label).
        label = f"{variant.source_id}#excerpt {variant.kind}"
        cases = []
        for (s0, s1), k in zip(spans, kept):
            for a, b in consecutive_runs(variant.derived_from[k]):
                if b < len(src_spans):
                    cases.append(Case(s0, s1 - s0, src_spans[a][0], src_spans[b][1] - src_spans[a][0], label, variant.source_id))
        pairs.append(EvalPair(label, kind, variant.source_id, source.text, text, tuple(cases)))
    return pairs
