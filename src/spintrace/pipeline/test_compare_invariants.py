"""What every comparison must hold, on real articles edited at random (a seeded sample).

A stress run of random edits found an exact passage running over a pasted translated paragraph
that the same comparison listed as added. These invariants are checked on each edited pair: every
offset inside its text, every changed detail's text at its offsets, added text never inside an
exact passage, reused shares between 0 and 1, and the JSON and HTML renderings complete.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import spintrace
from conftest import shared_path
from spintrace.report import render_html

FOREIGN = Path(__file__).parent / "fixtures_translated"
EDITS = ("insert", "delete", "move", "short", "foreign", "number", "dash")

pytestmark = pytest.mark.shared_data


def _edited_pairs(n: int, seed: int) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = [json.loads(line)["text"] for _, line in zip(range(300), fh)]
    foreign = [p for name in ("translation.fr.txt", "unrelated.fr.txt", "independent.es.txt")
               for p in (FOREIGN / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]
    pairs = []
    for _ in range(n):
        source = rng.choice(articles)
        paragraphs = [p for p in source.split("\n\n") if p.strip()]
        edits = rng.sample(EDITS, rng.randint(1, 3))
        for edit in edits:
            at = rng.randrange(len(paragraphs) + 1)
            if edit == "insert":
                paragraphs.insert(at, rng.choice(rng.choice(articles).split("\n\n")))
            elif edit == "delete" and len(paragraphs) > 1:
                paragraphs.pop(rng.randrange(len(paragraphs)))
            elif edit == "move" and len(paragraphs) > 2:
                paragraphs.insert(at % len(paragraphs), paragraphs.pop(rng.randrange(len(paragraphs))))
            elif edit == "short":
                paragraphs.insert(at, "Staff were told by email.")
            elif edit == "foreign":
                paragraphs.insert(at, rng.choice(foreign))
            elif edit == "number":
                paragraphs = [p.replace("1", "7", 1) for p in paragraphs]
            elif edit == "dash":
                paragraphs = [p.replace("-", "\u2013") for p in paragraphs]
        pairs.append((source, "\n\n".join(paragraphs), edits))
    return pairs


PAIRS = 8


@pytest.fixture(scope="module")
def edited_pairs() -> list[tuple[str, str, list[str]]]:
    return _edited_pairs(PAIRS, seed=31)


@pytest.mark.parametrize("k", range(PAIRS))
def test_a_comparison_of_an_edited_copy_keeps_its_invariants(edited_pairs, k: int) -> None:
    source, suspect, edits = edited_pairs[k]
    result = spintrace.compare(source, suspect)
    for p in result.passages:
        assert 0 <= p.source_start <= p.source_end <= len(source)
        assert 0 <= p.suspect_start <= p.suspect_end <= len(suspect)
        for change in p.changes:
            assert change.source_start is None or source[change.source_start:change.source_end] == change.source_text
            assert change.suspect_start is None or suspect[change.suspect_start:change.suspect_end] == change.suspect_text
        for link in p.links:
            for e in link.edits:
                assert e.source_start is None or 0 <= e.source_start <= e.source_end <= len(source)
                assert e.suspect_start is None or 0 <= e.suspect_start <= e.suspect_end <= len(suspect)
    for span in result.added:
        assert 0 <= span.start < span.end <= len(suspect)
        assert not any(p.kind == "exact" and p.suspect_start <= span.start and span.end <= p.suspect_end
                       for p in result.passages), (edits, span)
    for span in result.omitted:
        assert 0 <= span.start < span.end <= len(source)
    assert 0 <= result.suspect_coverage <= 1 and 0 <= result.source_coverage <= 1
    assert json.loads(json.dumps(result.to_dict()))["verdict"] == result.verdict
    assert render_html(result).rstrip().endswith("</html>")
