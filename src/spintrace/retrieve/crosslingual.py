"""Candidate sources of a foreign-language suspect from the (English) anchor index.

The index stores each document's anchors (names, numbers, rare words as English stems) and
nothing language-specific, so nothing is embedded or added at ingest. At query time, the
suspect's numbers and names are rewritten into the forms an English text would use, and those
are looked up in the same inverted index:

- numbers by their digits ("3.600", "3 600" -> "3600"; a decimal "1,5" also as "1.5");
- names in Latin script (``anyascii``: Токаев -> tokaev) plus the usual spelling variants of
  English news transliteration (tokaev -> tokayev, Tokajew -> tokayev, Noursoultan -> nursultan,
  Russian case endings dropped), each stemmed as the fingerprint stems English words.

Variants that no indexed document has cost one index probe and drop out (document frequency 0);
the rest go through the ordinary anchor generator (rare anchors pick a pool, all rescore it).
The MinHash bands are skipped: no word bigram survives translation. The suspect's own-language
anchors are kept too, so a Spanish suspect still finds Spanish documents, except those made from
common words of its language: in an English archive "otros" is as rare as a name, and the few
English pages that quote a Spanish phrase would outrank the source on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import product

import numpy as np

from spintrace.fingerprint import DocumentFingerprint, _stem, content_terms, document_fingerprint, term_hash
from spintrace.language.anchors import is_common, latinise
from spintrace.normalise import tokenize
from spintrace.segment import segment_sentences
from spintrace.retrieve.candidates import DEFAULT_RETRIEVAL, Candidate, CandidateSource, RetrievalParams, anchor_candidates
from spintrace.retrieve.coverage import CoverageParams, SentenceKey, coverage_candidates, sentence_keys

MAX_VARIANTS_PER_NAME = 12
#: Coverage retrieval for translations: a sentence is explained by a document holding two of its
#: names or numbers; the 300 documents explaining the most sentences join the rescored pool
#: (30 found 4 more of 70 development sources at 1M documents than none, 300 six, 1,000 five).
CROSSLINGUAL_COVERAGE = CoverageParams(min_shared=2, pool=300)
MAX_QUERY_TERMS = 400
NAME_WEIGHT = 6.0
NUMBER_WEIGHT = 5.0

# Independent spelling rewrites from foreign transliterations to English news spelling; every
# combination of them is tried (a handful per name).
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=[aeiou])e"), "ye"),  # Tokaev -> Tokayev, Nazarbaev -> Nazarbayev
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), "y"),  # Tokaiev (Tokaïev) -> Tokayev
    (re.compile(r"j"), "y"),  # Tokajew, Nasarbajew (German)
    (re.compile(r"w"), "v"),
    (re.compile(r"ou"), "u"),  # Noursoultan (French)
    (re.compile(r"(ii|iy|yi|ij)$"), "y"),  # Zelenskii -> Zelensky
    (re.compile(r"sch"), "sh"),  # Schanaosen (German)
    (re.compile(r"(?<=[aeiou])s(?=[aeiou])"), "z"),  # Nasarbajew -> Nazarbayev, Schanaosen -> Zhanaozen
)
# How Russian writes English names, undone (each rule alone and with the others): a Russian copy
# of an English report spells its names by sound, and anyascii's Latin form of that is not the
# English spelling (Прескотт -> preskott, Кампезе -> kampeze, Баркли -> barkli).
_ENGLISH_FROM_CYRILLIC: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"k(?!h)"), "c"),  # Prescott, Campese, Clive
    (re.compile(r"(?<=[aeiouy])z(?=[aeiouy])"), "s"),  # Campese, Lewsey
    (re.compile(r"i$"), "ey"),  # Barkley, Lewsey
    (re.compile(r"dzh"), "j"),  # Josh, Jack
    (re.compile(r"ay"), "i"),  # Brian, Clive
    (re.compile(r"kh"), "h"),  # Hamilton, Heathrow
)
MAX_ENGLISH_SPELLINGS = 8
_RUSSIAN_ENDINGS = re.compile(r"(ogo|ego|omu|emu|ami|ykh|ikh|om|em|oi|ei|oy|ey|ym|im|oj|ej|a|u|e|y|i)$")


def name_variants(word: str, cyrillic: bool) -> list[str]:
    """Latin spellings an English text may use for the foreign name ``word`` (lower case)."""
    base = latinise(word)
    if len(base) < 3:
        return []
    bases = {base}
    if cyrillic:
        stripped = _RUSSIAN_ENDINGS.sub("", base)
        if len(stripped) >= 4:
            bases.add(stripped)
    out: list[str] = []
    for b in sorted(bases):
        for mask in product((False, True), repeat=len(_REWRITES)):
            v = b
            for (pattern, replacement), on in zip(_REWRITES, mask):
                if on:
                    v = pattern.sub(replacement, v)
            if v.startswith("sh") and cyrillic is False and word[:3].lower() == "sch":
                out.append("zh" + v[2:])
            out.append(v)
            if word[0] in "ЖжJj" or word[:3].lower() == "sch":
                out.append("zh" + v[1:] if v.startswith(("j", "y")) else "zh" + v[2:] if v.startswith("sh") else v)
    seen: dict[str, None] = {}
    for v in out:
        seen.setdefault(v, None)
        if len(seen) >= MAX_VARIANTS_PER_NAME:
            break
    if cyrillic:
        for v in _english_spellings(sorted(bases)):
            seen.setdefault(v, None)
    return list(seen)


def _english_spellings(bases: list[str]) -> list[str]:
    """English spellings of a Russian transliteration: every combination of the rules that apply,
    fewest rules first (at most MAX_ENGLISH_SPELLINGS)."""
    out: list[str] = []
    for b in bases:
        rules = [r for r in _ENGLISH_FROM_CYRILLIC if r[0].search(b)]
        for mask in sorted(product((False, True), repeat=len(rules)), key=sum)[1:]:
            v = b
            for (pattern, replacement), on in zip(rules, mask):
                if on:
                    v = pattern.sub(replacement, v)
            out.append(v)
    return list(dict.fromkeys(out))[:MAX_ENGLISH_SPELLINGS]


def number_variants(token: str) -> list[str]:
    digits = "".join(ch for ch in token if ch.isdigit())
    out = [digits] if len(digits) >= 2 else []
    m = re.fullmatch(r"(\d+)[.,](\d{1,2})", token)
    if m:
        out.append(f"{m.group(1)}.{m.group(2)}")
    return out


def english_forms(text: str, language: str, max_tokens: int | None = None) -> Iterator[tuple[float, list[str]]]:
    """Each number and name of the foreign ``text``, in order, as the index terms its English
    forms would be, with the anchor weight it carries (``max_tokens``: stop after that many)."""
    cyrillic = language in ("ru", "uk", "bg")
    for k, tok in enumerate(tokenize(text)):
        if max_tokens is not None and k > max_tokens:
            return
        if tok.is_number:
            yield NUMBER_WEIGHT, number_variants(tok.text)
            continue
        if not tok.is_capitalised or len(tok.text) < 3 or is_common(tok.text, language):
            continue
        for part in re.split(r"[-'’]", tok.text):
            if len(part) >= 3:
                yield NAME_WEIGHT, [_stem(v) for v in name_variants(part, cyrillic)]


def translated_sentence_keys(sentences: Sequence[str], language: str) -> list[SentenceKey]:
    """Coverage keys of foreign sentences: each number and name is one group of the index terms
    its English forms would be, beside the sentence's own-language anchors."""
    keys = []
    for sentence, own in zip(sentences, sentence_keys(sentences)):
        found = [*own, *(frozenset(map(term_hash, terms)) for _, terms in english_forms(sentence, language))]
        # A name met twice ("Younger", "Youngers") or in two scripts is one anchor: groups that
        # share a spelling merge.
        groups: list[set[int]] = []
        for group in found:
            overlapping = [g for g in groups if not g.isdisjoint(group)]
            merged = set(group).union(*overlapping)
            groups = [g for g in groups if g not in overlapping]
            if merged:
                groups.append(merged)
        keys.append(tuple(frozenset(g) for g in groups))
    return keys


def translated_query(text: str, language: str) -> DocumentFingerprint:
    """A query fingerprint of ``text`` whose anchors include the English forms of its names and
    numbers (weights as the fingerprint's: names and numbers first)."""
    own = document_fingerprint(text)
    # A name stays even where the language's word list knows it (Spanish text says "Brown" often).
    names = {term.stem for term in content_terms(text)[0] if term.is_name}
    common = {tok.stem for tok in tokenize(text) if not tok.is_number and is_common(tok.text, language)} - names
    weights: dict[str, float] = {a: w for a, w in zip(own.anchors, own.anchor_weights) if a not in common}
    for weight, terms in english_forms(text, language, max_tokens=MAX_QUERY_TERMS * 4):
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), weight)
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])[:MAX_QUERY_TERMS]
    return DocumentFingerprint(
        anchors=tuple(a for a, _ in ranked), anchor_weights=tuple(w for _, w in ranked),
        minhash=own.minhash, band_keys=np.zeros(0, dtype=np.int64),
        token_count=own.token_count, content_count=own.content_count,
    )


def translated_candidates(
    source: CandidateSource,
    text: str,
    language: str,
    limit: int,
    params: RetrievalParams = DEFAULT_RETRIEVAL,
    *,
    sentences: Sequence[str] | None = None,
    coverage: CoverageParams | None = CROSSLINGUAL_COVERAGE,
) -> list[Candidate]:
    """The ``limit`` indexed documents most likely to be the source of the foreign ``text``.

    The anchor generator's pool (documents holding the suspect's rarer English-form anchors) is
    joined by the documents that explain the most suspect sentences (``coverage``; each
    ``sentences`` item keyed by its names and numbers), and all are rescored on every anchor. In
    an archive where each of a story's names recurs in thousands of documents, none of them is
    rare enough to pick a pool, but the source still holds them sentence by sentence.
    """
    query = translated_query(text, language)
    # Many variants of one name are looked up, so more query anchors may be read.
    widened = replace(params, max_query_anchors=max(params.max_query_anchors, 96))
    extra: list[int] = []
    if coverage is not None:
        if sentences is None:
            sentences = [text[s.start : s.end] for s in segment_sentences(text)]
        keys = translated_sentence_keys(sentences, language)
        extra = [c.doc for c in coverage_candidates(source, keys, None, coverage)]
    ranked = anchor_candidates(source, query, widened, extra)[:limit]
    return [
        Candidate(doc=doc, fused=1.0 / (20.0 + rank), anchor_score=score, anchor_rank=rank)
        for rank, (doc, score) in enumerate(ranked)
    ]
