"""The remembering index view answers exactly as the index, and asks it only once."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spintrace.fingerprint import document_fingerprint
from spintrace.index import Index
from spintrace.index.store import Store
from spintrace.retrieve.remembering import RememberingSource

STORIES = [
    "Fans queued overnight in Leeds for tickets to the cup final at Wembley on Saturday.",
    "Leeds fans said the tickets sold out within an hour, and Wembley staff were overwhelmed.",
    "The final at Wembley will be the first since the stadium reopened, officials in London said.",
    "Officials said the stadium in London had cost far more than planned.",
]


class Counting:
    """A real store, with each read it answers counted."""

    def __init__(self, store: Store) -> None:
        self.store, self.asked = store, []

    def size_estimate(self) -> int:
        self.asked.append(("size",))
        return self.store.size_estimate()

    def document_frequencies(self, terms, cap):
        self.asked.append(("df", tuple(terms), cap))
        return self.store.document_frequencies(terms, cap)

    def anchor_terms(self, docs):
        self.asked.append(("terms", tuple(docs)))
        return self.store.anchor_terms(docs)


def test_document_frequencies_and_anchor_terms_are_the_stores_own_answers_read_once(tmp_path: Path) -> None:
    with Index(tmp_path / "index") as index:
        for n, text in enumerate(STORIES * 3):
            index.add(text, id=f"story/{n}")
    store = Store(tmp_path / "index", create=False)
    counting = Counting(store)
    remembering = RememberingSource(counting)
    terms = [int(t) for t in document_fingerprint(" ".join(STORIES)).anchor_hashes] + [12345]
    # Counted to a small cap first ("more than 1"), then asked with larger and smaller caps: a count
    # past its cap must be counted again where the cap rises, and cut where it falls.
    for cap in (1, 2, 20, 1, 0, 20):
        assert remembering.document_frequencies(terms, cap) == store.document_frequencies(terms, cap)
    counted_to = [cap for kind, *rest in counting.asked if kind == "df" for cap in rest[1:]]
    assert counted_to == [1, 2, 20]  # cap 20 counts every term exactly: nothing is asked again
    docs = [1, 2, 3, 99]
    first = remembering.anchor_terms(docs)
    again = remembering.anchor_terms([3, 2])
    assert set(first) == {1, 2, 3} and set(again) == {2, 3}
    expected = store.anchor_terms(docs)
    assert all(np.array_equal(first[d], expected[d]) for d in expected)
    assert [a for a in counting.asked if a[0] == "terms"] == [("terms", (1, 2, 3, 99))]
    assert remembering.size_estimate() == remembering.size_estimate() == store.size_estimate()
    assert counting.asked.count(("size",)) == 1


def test_a_second_connection_reads_what_the_index_holds_and_closes_with_it(tmp_path: Path) -> None:
    with Index(tmp_path / "index") as index:
        index.add(STORIES[0], id="a")
    store = Store(tmp_path / "index", create=False)
    reader = store.reader()
    assert reader is store.reader() and reader.conn is not store.conn
    assert reader.get("a").text == STORIES[0]
    store.close()
    assert store._reader is None
