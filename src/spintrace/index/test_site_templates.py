"""A site's template text in the index: found per site at ingest, never evidence at query time."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import shared_path
from spintrace.index import Index
from spintrace.ingest import Document

FOOTER = (
    "Follow us on Twitter and Facebook for the latest news. Sign up for our daily newsletter to get the "
    "top stories delivered to your inbox every morning. This material may not be published, broadcast, "
    "rewritten or redistributed without permission."
)


def bbc(n: int, skip: int) -> list[dict]:
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(skip + n), fh)]
    return rows[skip:]


def site_pages(articles: list[dict]) -> list[Document]:
    return [Document(id=a["id"], text=f"{a['text']}\n\n{FOOTER}", site="courier.example") for a in articles]


def test_a_suspect_carrying_a_sites_footer_finds_none_of_its_pages_but_still_its_source(tmp_path: Path) -> None:
    *pages, unseen = bbc(7, skip=600)
    with Index(tmp_path / "idx") as index:
        index.add_documents(site_pages(pages))
        # Another page of the site (not indexed), and a copy of one of its pages that kept the footer.
        suspect = f"{unseen['text']}\n\n{FOOTER}"
        hits = index.search(suspect, top=5)
        assert not [h.id for h in hits if h.reused]
        assert not index.trace(suspect).sources

        copy = f"{pages[2]['text']}\n\n{FOOTER}"
        hits = index.search(copy, top=3)
        assert hits[0].id == pages[2]["id"] and hits[0].reused
        assert [h.id for h in hits if h.reused] == [pages[2]["id"]]
        # offsets are the suspect's own: the footer is left out, not cut out
        assert all(p.suspect_end <= copy.index(FOOTER) for p in hits[0].comparison.passages)
        assert [s.source.id for s in index.trace(copy).sources] == [pages[2]["id"]]


def test_templates_follow_the_pages_added_and_removed(tmp_path: Path) -> None:
    pages = site_pages(bbc(6, skip=700))
    with Index(tmp_path / "idx") as index:
        index.add_documents(pages[:4])  # four pages: too few to call anything a template
        suspect = f"{bbc(1, skip=720)[0]['text']}\n\n{FOOTER}"
        assert [h.id for h in index.search(suspect, top=5) if h.reused]
        index.add_documents(pages[4:])
        assert not [h.id for h in index.search(suspect, top=5) if h.reused]
        stats = index.stats()
        assert (stats["template_sentences"], stats["sites_with_templates"]) == (3, 1)
        index.remove(pages[0].id, pages[1].id)
        assert [h.id for h in index.search(suspect, top=5) if h.reused]


def test_an_index_made_before_site_templates_is_searched_as_before_and_upgraded_by_add(tmp_path: Path) -> None:
    pages = site_pages(bbc(6, skip=800))
    with Index(tmp_path / "idx") as index:
        index.add_documents(pages[:5])
    db = sqlite3.connect(tmp_path / "idx" / "index.sqlite")
    db.executescript("DROP TABLE site_templates; DROP TABLE sites_changed; DROP INDEX documents_by_site;")
    db.close()
    suspect = f"{bbc(1, skip=820)[0]['text']}\n\n{FOOTER}"
    with Index(tmp_path / "idx", create=False) as index:
        assert [h.id for h in index.search(suspect, top=5) if h.reused]  # no templates known: as before
        # An add of another site's page upgrades the index and finds the templates of every site
        # it already held (a review's case: only sites an add touched were looked at).
        other = bbc(1, skip=830)[0]
        index.add_documents([Document(id="other", text=other["text"], site="elsewhere.example")])
        assert not [h.id for h in index.search(suspect, top=5) if h.reused]


def test_a_site_is_one_site_whatever_the_case_of_its_name(tmp_path: Path) -> None:
    spellings = ["courier.example", "Courier.example", "COURIER.EXAMPLE ", "courier.Example", " courier.example"]
    pages = [Document(id=f"p{n}", text=f"{a['text']}\n\n{FOOTER}", site=site)
             for n, (a, site) in enumerate(zip(bbc(5, skip=900), spellings))]
    with Index(tmp_path / "idx") as index:
        index.add_documents(pages)
        assert index.stats()["sites_with_templates"] == 1
        suspect = f"{bbc(1, skip=920)[0]['text']}\n\n{FOOTER}"
        assert not [h.id for h in index.search(suspect, top=5) if h.reused]
