"""Main-text extraction from HTML pages (boilerplate, menus and ads removed)."""

from __future__ import annotations

import logging

from spintrace.errors import InputError

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

MIN_ARTICLE_WORDS = 8


def extract_main_text(html: str, name: str) -> str:
    """Return the article text of an HTML page, paragraphs separated by blank lines.

    trafilatura is the most accurate open extractor on news pages; we keep its paragraph breaks
    because passage alignment and the report use them.
    """
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    # A page whose "main text" is a few words is a menu or an error page, not an article.
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(name, "HTML page with no main text to compare")
    return "\n\n".join(p.strip() for p in text.split("\n") if p.strip())
