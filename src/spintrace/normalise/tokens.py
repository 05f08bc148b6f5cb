"""Word tokens with offsets back into the original text.

The original text is never rewritten: every token keeps ``start``/``end`` into the string as read,
so any match found on normalised forms maps straight back to characters a user can see.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from spintrace.normalise.combining_marks import COMBINING_MARKS

# What may sit inside a word without ending it: combining marks (a decomposed "é" is "e" and
# U+0301; Devanagari's vowel signs) and the invisible characters that join or hyphenate (soft
# hyphen, zero-width joiner and non-joiner, word joiner, BOM), which copy-paste and spinners
# leave in words. ``fold`` drops both, so "situ\u00adation" is the word "situation". Not the
# zero-width space: Thai, Khmer and Lao, and web text, use it between words.
_IN_WORD = COMBINING_MARKS + "\u00ad\u200c\u200d\u2060\ufeff"
# Letters/digits runs, keeping inner apostrophes, hyphens, dots and commas of numbers ("3,600", "70%")
# and of names ("Kassym-Jomart") together so names and numbers survive as single details.
_WORD = rf"\w[\w{_IN_WORD}]*"
# Word-internal hyphens include the typographic ones a CMS or a copier's keyboard puts in place of
# "-" (hyphen, non-breaking hyphen, en dash between letters: "south–east"); ``fold`` makes them "-".
_HYPHENS = "\u2010\u2011\u2013"
TOKEN_RE = re.compile(rf"\d+(?:[.,]\d+)*%?|{_WORD}(?:['’\-{_HYPHENS}]{_WORD})*", re.UNICODE)

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself yourselves said says say told one two also
    mr mrs ms its it's s t can't won't don't didn't he's she's they're we're i'm would've could've
    upon however yet still even may might must shall within without via per""".split()
)

_stemmer = Stemmer.Stemmer("english")


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made building
# a Token 0.75 us against 0.18 us, over half of what tokenizing costs (and tokenizing is most of
# analysing a text: compare, ingest, trace's reading of its candidates). Nothing assigns to a
# token's fields; ``unsafe_hash`` keeps tokens hashable by value as before.
@dataclass(slots=True, unsafe_hash=True)
class Token:
    """One word or number: its folded form, its stem, and where it stands in the original text.
    Treat it as immutable."""

    text: str
    norm: str
    stem: str
    start: int
    end: int
    is_number: bool
    is_capitalised: bool

    @property
    def is_stopword(self) -> bool:
        return self.norm in STOPWORDS

    # Pickled as a frozen dataclass was (its field values in order), so analysed texts cached or
    # checkpointed before tokens were unfrozen still load.
    def __getstate__(self) -> list:
        return [self.text, self.norm, self.stem, self.start, self.end, self.is_number, self.is_capitalised]

    def __setstate__(self, state: list) -> None:
        (self.text, self.norm, self.stem, self.start, self.end, self.is_number, self.is_capitalised) = state


_HYPHEN_TO_ASCII = str.maketrans({ch: "-" for ch in _HYPHENS})


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and strip accents and typographic variants, so "Café’s" matches "cafe's"."""
    word = word.replace("’", "'").replace("‘", "'")
    if word.isascii():
        return word.lower()
    word = word.translate(_HYPHEN_TO_ASCII)
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf").lower()


def words_norms_stems(text: str, start: int = 0, end: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """The words of ``tokenize``'s tokens, their folded forms and their stems, without building
    tokens (a third of the cost where only the words matter)."""
    words = TOKEN_RE.findall(text, start, len(text) if end is None else end)
    norms = [fold(word) for word in words]
    return words, norms, _stemmer.stemWords([n.split("'")[0] if "'" in n else n for n in norms])


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into the whole ``text``."""
    matches = list(TOKEN_RE.finditer(text, start, len(text) if end is None else end))
    norms = [fold(m.group()) for m in matches]
    stems = _stemmer.stemWords([n.split("'")[0] if "'" in n else n for n in norms])
    tokens = []
    for m, norm, stem in zip(matches, norms, stems):
        word = m.group()
        first = word[0]
        tokens.append(
            Token(
                text=word,
                norm=norm,
                stem=stem,
                start=m.start(),
                end=m.end(),
                is_number=first.isdigit(),
                is_capitalised=first.isupper(),
            )
        )
    return tokens
