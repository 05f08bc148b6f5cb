"""Main-text extraction from HTML pages (boilerplate, menus and ads removed)."""

from __future__ import annotations

import logging

from spintrace.errors import InputError

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

MIN_ARTICLE_WORDS = 8


def extract_article(html: str, name: str) -> tuple[str, str | None]:
    """The article text of an HTML page (paragraphs separated by blank lines) and its date.

    trafilatura is the most accurate open extractor on news pages; we keep its paragraph breaks
    because passage alignment and the report use them, and its publication date (from meta tags,
    JSON-LD or the URL) because it is the best evidence of which of two copies came first.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    text = getattr(doc, "text", None) if doc is not None else None
    # A page whose "main text" is a few words is a menu or an error page, not an article.
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(name, "HTML page with no main text to compare")
    text = "\n\n".join(p.strip() for p in text.split("\n") if p.strip())
    return text, getattr(doc, "date", None) or None


def extract_main_text(html: str, name: str) -> str:
    """The article text of an HTML page (see ``extract_article``)."""
    return extract_article(html, name)[0]
