"""Site boilerplate: sentences a site repeats across its own pages, which are not evidence of reuse.

A scraped page keeps its site's template text: "Sign up for our newsletter", a copyright line,
a standing disclaimer or background paragraph. Two unrelated articles of one site then share a
verbatim passage, and compare rightly calls a verbatim passage inside otherwise unrelated text a
partial copy: 60 articles of one site sharing a four-sentence footer became 1,770 "partial" pairs
and one family (a scan audit, session 30). HTML pages lose most of this to the main-text
extractor (``ingest.html``); plain-text and JSON-lines corpora keep all of it.

Only a corpus can tell template text from a copy: a sentence that at least
``min_documents`` pages *of one site* contain is that site's template when, in most of those
pages, such repeated sentences are a minority of the words (a site republishing one story five
times repeats most of each page, and those pages stay copies of each other). The wire paragraph
many outlets reuse is not touched, since each outlet contributes one page: repetition is counted
per site, never across sites.

Template sentences are blanked wherever they occur, on any site (a scraper's copy that kept its
source's footer would otherwise differ from its source by the footer): every character but line
breaks becomes a space, so offsets into the text stay those of the original and every later
stage, fingerprinting included, simply sees no words there. The same pure function runs for
every engine, and ``index`` blanks a suspect the same way.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spintrace.segment import segment_sentences

_NON_WORD_RE = re.compile(r"[\W_]+")
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class BoilerplateParams:
    """When a site's repeated sentence counts as its template."""

    # Pages of one site that must hold the sentence. Five keeps a story a site ran in three
    # versions (an update, a correction) out, and catches a template by a site's fifth page.
    min_documents: int = 5
    # Shorter sentences ("Read more.", "Photo: AP.") are too common by chance to key on, and too
    # short to make a pair reuse on their own.
    min_words: int = 5
    # In most pages holding a repeated sentence, repeated sentences must be under this share of the
    # page's words: a template is a small part of each page, a republished story most of it.
    max_page_share: float = 0.5


DEFAULT_BOILERPLATE = BoilerplateParams()


@dataclass(frozen=True, slots=True)
class SentenceKey:
    """One sentence of a page, reduced to a key that ignores case, punctuation, spacing and the
    value of numbers ("Updated 5 May 2024, 10:31" is one template line every day)."""

    start: int
    end: int
    words: int
    key: int


def sentence_keys(text: str, params: BoilerplateParams = DEFAULT_BOILERPLATE) -> list[SentenceKey]:
    """The page's sentences (the pipeline's own segmenter) of at least ``params.min_words`` words,
    with their keys and offsets."""
    keys = []
    for segment in segment_sentences(text):
        # Numbers are one word whatever their value: a template's date, time or year changes.
        words = _NON_WORD_RE.sub(" ", _DIGITS_RE.sub("0", text[segment.start:segment.end].casefold())).split()
        if len(words) < params.min_words:
            continue
        digest = hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=8).digest()
        keys.append(SentenceKey(segment.start, segment.end, len(words), int.from_bytes(digest, "little", signed=True)))
    return keys


def site_key(site: str | None) -> str | None:
    """A site as pages are grouped by it: case and surrounding space ignored."""
    return site.strip().casefold() or None if site else None


def _word_count(text: str) -> int:
    return len(_NON_WORD_RE.sub(" ", text).split())


def _template_keys(keyed: Sequence[tuple[np.ndarray, np.ndarray]], word_counts: Sequence[int],
                   params: BoilerplateParams) -> set[int]:
    """The template sentence keys of one site, from its pages' (keys, words) arrays."""
    pages_with: dict[int, set[int]] = defaultdict(set)
    for n, (keys, _) in enumerate(keyed):
        for key in keys.tolist():
            pages_with[key].add(n)
    repeated = {key: members for key, members in pages_with.items() if len(members) >= params.min_documents}
    if not repeated:
        return set()
    share = {}
    for n in {m for members in repeated.values() for m in members}:
        keys, words = keyed[n]
        share[n] = sum(w for k, w in zip(keys.tolist(), words.tolist()) if k in repeated) / max(1, word_counts[n])
    return {key for key, members in repeated.items()
            if statistics.median(share[m] for m in members) < params.max_page_share}


def _keyed(text: str, params: BoilerplateParams) -> tuple[np.ndarray, np.ndarray]:
    # Arrays, not objects: a scan keeps these for every document until the templates are known.
    found = sentence_keys(text, params)
    return (np.fromiter((k.key for k in found), dtype=np.int64, count=len(found)),
            np.fromiter((k.words for k in found), dtype=np.int32, count=len(found)))


def site_template_keys(texts: Sequence[str], params: BoilerplateParams = DEFAULT_BOILERPLATE) -> set[int]:
    """The keys (``SentenceKey.key``) of the template sentences among pages of one site."""
    if len(texts) < params.min_documents:
        return set()
    return _template_keys([_keyed(t, params) for t in texts], [_word_count(t) for t in texts], params)


def find_site_boilerplate(
    pages: Sequence[tuple[str | None, str]], params: BoilerplateParams = DEFAULT_BOILERPLATE
) -> list[list[tuple[int, int]]]:
    """For each ``(site, text)`` page, the character spans of sentences that are some site's template.

    Templates are found per site (pages without a site help find none), then left out wherever
    they occur: a copy on another site that kept its source's footer must not differ from its
    source by the footer alone.
    """
    by_site: dict[str, list[int]] = defaultdict(list)
    for n, (site, _) in enumerate(pages):
        if key := site_key(site):
            by_site[key].append(n)
    # Only pages of a site with enough pages can show a template: a corpus without sites (or with
    # few pages a site) pays nothing here.
    keyed = {n: _keyed(pages[n][1], params) for members in by_site.values()
             if len(members) >= params.min_documents for n in members}
    template: set[int] = set()
    for members in by_site.values():
        if len(members) >= params.min_documents:
            template |= _template_keys([keyed[n] for n in members], [_word_count(pages[n][1]) for n in members], params)
    if not template:
        return [[] for _ in pages]
    wanted = np.fromiter(template, dtype=np.int64, count=len(template))
    return [template_spans(text, template, params) if n not in keyed or np.isin(keyed[n][0], wanted).any() else []
            for n, (_, text) in enumerate(pages)]


def template_spans(text: str, template: set[int], params: BoilerplateParams = DEFAULT_BOILERPLATE) -> list[tuple[int, int]]:
    """The spans of ``text``'s sentences whose keys are in ``template``."""
    return [(k.start, k.end) for k in sentence_keys(text, params) if k.key in template] if template else []


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every character of ``spans`` but line breaks replaced by a space."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
