"""Language-independent keys for the words a translation keeps: numbers, names, cognates.

A translator rewrites every word but keeps who, where and how much: "3,600" becomes "3.600" or
"3 600", "Tokayev" becomes "Tokajew", "Tokaïev" or "Токаев", "protests" becomes "protestas",
"Proteste" or "протесты". Each such token is reduced to a key that survives those changes:

- numbers: their digits only (group and decimal separators differ by language);
- words: Latin script (``anyascii``: Токаев -> Tokaev), then a consonant skeleton that forgets
  vowels, doubled letters and the usual transliteration variants (w/v, c/k, z/s, j/y/h), cut to
  its first four consonants so inflection (Токаева, Tokajews) does not matter.
"""

from __future__ import annotations

import re
from functools import lru_cache

import wordfreq
from anyascii import anyascii

from spintrace.normalise import Token

NUMBER_WEIGHT = 3.0
SHORT_NUMBER_WEIGHT = 1.0  # one digit: "1 million" vs "$1m", dates; weak alone
NAME_WEIGHT = 3.0  # capitalised inside a sentence (in German every noun: they match less anyway)
COGNATE_WEIGHT = 1.0  # a long ordinary word ("protests", "president")
MIN_COGNATE_LETTERS = 6
SKELETON_LENGTH = 4
COMMON_WORD_ZIPF = 3.5  # capitalised words commoner than this in their language are not names (German nouns)

_NON_LETTERS = re.compile(r"[^a-z]")
_DIGRAPHS = (("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("qu", "k"), ("x", "ks"))
_LETTER_MAP = str.maketrans({"w": "v", "c": "k", "q": "k", "z": "s", "b": "v"})
_DROPPED = frozenset("aeiouyhj")


@lru_cache(maxsize=200_000)
def latinise(word: str) -> str:
    """Lower-case ASCII letters of ``word`` (Cyrillic and accents transliterated)."""
    return _NON_LETTERS.sub("", anyascii(word).lower())


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The consonant skeleton of ``word`` (``Tokayev``, ``Tokajew``, ``Токаев`` -> ``tkv``)."""
    s = latinise(word)
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    s = s.translate(_LETTER_MAP)
    out: list[str] = []
    for ch in s:
        if ch in _DROPPED:
            continue
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def is_common(word: str, language: str) -> bool:
    parts = [p for p in re.split(r"[-'’]", word.lower()) if p]
    return bool(parts) and all(wordfreq.zipf_frequency(p, language) >= COMMON_WORD_ZIPF for p in parts)


def number_key(text: str) -> str:
    """Digits of a number token ("3,600", "3.600" -> "3600"; "70%" -> "70")."""
    return "".join(ch for ch in text if ch.isdigit())


def merged_numbers(text: str, tokens: list[Token]) -> list[tuple[str, int, int]]:
    """Number keys with their spans, joining digit groups split by a space ("3 600" -> 3600)."""
    out: list[tuple[str, int, int]] = []
    minutes: set[int] = set()
    for tok in tokens:
        if not tok.is_number or tok.start in minutes:
            continue
        key = number_key(tok.text)
        if not key:
            continue
        # A clock time keeps its hour only: "23:00", "23h00" and "23 Uhr" are one detail.
        tail = text[tok.end : tok.end + 3]
        if len(tail) == 3 and tail[0] in ":h" and tail[1:].isdigit() and len(key) <= 2:
            minutes.add(tok.end + 1)
        if out and len(key) == 3 and tok.text.isdigit():
            prev_key, prev_start, prev_end = out[-1]
            gap = text[prev_end : tok.start]
            if len(gap) == 1 and gap.isspace() and len(prev_key) <= 3:
                out[-1] = (prev_key + key, prev_start, tok.end)
                continue
        out.append((key, tok.start, tok.end))
    return out


def sentence_anchors(text: str, tokens: list[Token], language: str = "en") -> dict[str, float]:
    """Key -> weight for one sentence: numbers, names and long words, language-independently."""
    anchors: dict[str, float] = {}
    for key, _, _ in merged_numbers(text, tokens):
        weight = NUMBER_WEIGHT if len(key) >= 2 else SHORT_NUMBER_WEIGHT
        anchors["#" + key] = max(anchors.get("#" + key, 0.0), weight)
    for k, tok in enumerate(tokens):
        if tok.is_number:
            continue
        is_name = tok.is_capitalised and k > 0 and not is_common(tok.text, language)
        letters = latinise(tok.text)
        if not is_name and len(letters) < MIN_COGNATE_LETTERS:
            continue
        sk = skeleton(tok.text)
        if len(sk) < 3:
            continue
        key = sk[:SKELETON_LENGTH]
        weight = NAME_WEIGHT if is_name else COGNATE_WEIGHT
        anchors[key] = max(anchors.get(key, 0.0), weight)
    return anchors
