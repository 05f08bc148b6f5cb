"""Names a spun copy respells, looked up under their usual variants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spintrace.fingerprint import DocumentFingerprint, _stem, document_fingerprint, term_hash
from spintrace.retrieve.candidates import anchor_candidates
from spintrace.retrieve.respelling import respelled_keys, respelled_names, spelling_variants, with_respellings
from spintrace.retrieve.test_candidates import MemoryAnchors

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("respelled", "name"), [
    # Every pair is a name as a hand-written spun copy in eval-data spells it, and its source's spelling.
    ("kenderis", "kenteris"), ("thanu", "thanou"), ("ioanidis", "ioannidis"), ("dalaglio", "dallaglio"),
    ("winterbotom", "winterbottom"), ("letvin", "letwin"), ("berluskoni", "berlusconi"), ("glaser", "glazer"),
    ("wheddon", "whedon"), ("vodaphone", "vodafone"), ("torwalds", "torvalds"), ("spitser", "spitzer"),
    ("stiler", "stiller"), ("anelca", "anelka"), ("morientez", "morientes"), ("hyponen", "hypponen"),
])
def test_the_variants_of_a_respelled_name_include_its_source_spelling(respelled: str, name: str) -> None:
    assert name in spelling_variants(respelled)


def test_ordinary_words_and_short_or_foreign_script_names_are_not_variants() -> None:
    assert "thank" not in spelling_variants("thanc")  # a collision with an English word
    assert spelling_variants("bbc") == []
    assert spelling_variants("токаев") == []


def _spun_kenteris() -> str:
    with (ROOT / "eval-data" / "rewrites-heldout2" / "variants.jsonl").open(encoding="utf-8") as fh:
        for record in map(json.loads, fh):
            if record["id"] == "bbc/sport/call-for-kenteris-to-be-cleared" and record["variant"] == "spun":
                return "\n\n".join(record["paragraphs"])
    raise AssertionError("fixture missing")


def test_only_names_no_indexed_document_spells_that_way_are_expanded() -> None:
    text = _spun_kenteris()  # "Kostas Kenderis' attorney ...", "Katerina Thanu", "in Chicago"
    index = MemoryAnchors({0: {_stem("kenteris"), _stem("thanou"), _stem("chicago")}, 1: {_stem("chicago")}})
    respelled = respelled_names(index, text)
    assert respelled == {_stem("kenderis"): (_stem("kenteris"),), _stem("thanu"): (_stem("thanou"),)}

    fp = with_respellings(document_fingerprint(text), respelled)
    assert {_stem("kenteris"), _stem("thanou")} <= set(fp.anchors)
    # A sentence's key holds the unknown name and its indexed spelling as one anchor.
    keys = respelled_keys([(frozenset({term_hash(_stem("kenderis"))}), frozenset({term_hash("x")}))], respelled)
    assert keys[0][0] == frozenset({term_hash(_stem("kenderis")), term_hash(_stem("kenteris"))})
    assert keys[0][1] == frozenset({term_hash("x")})


def test_a_copy_that_respells_its_sources_names_finds_the_source_at_archive_scale() -> None:
    """At a million documents the story's ordinary words are each in thousands of documents and
    the spinner's words ("exonerated", "countrywoman") in hundreds each that are not the source: only
    the names single the source out, and the copy spells none of them as the source does."""
    story = {"greek", "athen", "olymp", "tribun", "chicago", "sprinter", "decemb", "doping"}
    names = {"kenteri", "thanou"}
    docs: dict[int, set[str]] = {0: names | story}
    spinners = ["exoner", "countrywoman", "abandon", "runner", "attorney", "asser", "neglect", "examin"]
    for k, word in enumerate(spinners):
        docs.update({1 + 1000 * k + i: {word, f"other{i}"} for i in range(900)})
    docs.update({9000 + i: {"kenteri", f"other{i}"} for i in range(40)})  # other stories of the sprinter
    for k, word in enumerate(sorted(story)):
        docs.update({10_000 + 5_000 * k + i: {word} for i in range(5_000)})
    index = MemoryAnchors(docs)
    suspect = ["kenderi", "thanu", *spinners, *sorted(story)]
    fp = DocumentFingerprint(tuple(suspect), tuple(1.0 for _ in suspect), np.zeros(0), np.zeros(0), 300, 150)
    assert 0 not in dict(anchor_candidates(index, fp))  # as spelt, the spinner's words pick the pool

    text = "He met Kenderis and Thanu in Athens."
    respelled = respelled_names(index, text)
    assert respelled == {"kenderi": ("kenteri",), "thanu": ("thanou",)}
    assert anchor_candidates(index, with_respellings(fp, respelled))[0][0] == 0


def test_the_sqlite_index_answers_which_spellings_it_holds(tmp_path: Path) -> None:
    from spintrace.index import Index
    from spintrace.index.store import Store

    with (ROOT / "eval-data" / "rewrites-heldout2" / "variants.jsonl").open(encoding="utf-8") as fh:
        rewrite = next(r for r in map(json.loads, fh)
                       if r["id"] == "bbc/sport/call-for-kenteris-to-be-cleared" and r["variant"] == "rewrite")
    with Index(tmp_path / "index") as index:  # the rewrite spells Kenteris, Thanou and Ioannidis right
        index.add("\n\n".join(rewrite["paragraphs"]), id="rewrite")
    store = Store(tmp_path / "index", create=False)
    assert respelled_names(store, _spun_kenteris()) == {
        _stem("kenderis"): (_stem("kenteris"),), _stem("ioanidis"): (_stem("ioannidis"),), _stem("thanu"): (_stem("thanou"),),
    }
