"""Trace against a real index: a passage carried by several stored documents."""

from __future__ import annotations

import json
from pathlib import Path


def test_a_passage_several_stored_documents_carry_goes_to_the_earliest_published(tmp_path):
    """An audit's case: the index holds an article (dated) and an undated duplicate of it that
    retrieval ranks first; a compilation of its first paragraphs and another article's traced
    the paragraphs to the duplicate with nothing in also_in, as only the first ranked carrier
    was ever judged."""
    from spintrace.index import Index

    root = Path(__file__).resolve().parents[3]
    rows = [json.loads(line) for f in sorted((root / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))
            for line in f.open(encoding="utf-8") if line.strip()]
    reports = {}
    for row in rows:
        if row["variant"] == "independent":
            reports.setdefault(row["id"], row["paragraphs"])
    (first, first_paragraphs), (second, second_paragraphs), *others = list(reports.items())
    with Index(tmp_path / "index") as index:
        index.add("\n\n".join(first_paragraphs), id="z-original", published="2005-01-01")
        # undated duplicates whose ids sort first: with only two carriers judged, the dated
        # original must come before them
        index.add("\n\n".join(first_paragraphs), id="a-duplicate")
        index.add("\n\n".join(first_paragraphs), id="b-duplicate")
        index.add("\n\n".join(second_paragraphs), id="other-article", published="2005-01-02")
        for n, (_, paragraphs) in enumerate(others[:20]):
            index.add("\n\n".join(paragraphs), id=f"distractor-{n}")
        # the other article supplies more, so it and the duplicate fill the first round
        suspect = "\n\n".join(first_paragraphs[:3] + second_paragraphs)
        result = index.trace(suspect)
    by_source = {p.source_id: p for p in result.passages}
    assert "z-original" in by_source and not {"a-duplicate", "b-duplicate"} & set(by_source), list(by_source)
    assert {"a-duplicate", "b-duplicate"} & set(by_source["z-original"].also_in)
    assert "other-article" in by_source
