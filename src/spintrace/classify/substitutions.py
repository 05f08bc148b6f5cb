"""The rewriter's dictionary: which words and short phrases the suspect writes in place of the source's.

Spinners substitute from a fixed synonym list ("embattled" -> "troubled", "alliance" ->
"coalition"), so the same swaps recur through one copy and across every copy one tool produced:
counted, they fingerprint the tool. Names and numbers are left out: a changed name or figure is a
changed *fact*, reported as a ``Change``, not a matter of style.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spintrace.classify.changes import MONTHS_AND_DAYS
from spintrace.comparison import Passage, Substitution
from spintrace.normalise import Token
from spintrace.pipeline.analyse import AnalysedText, is_common_word

#: Longest phrase (words, each side) reported as a substitution; longer replacements are rewording.
MAX_PHRASE_WORDS = 3


@dataclass(frozen=True, slots=True)
class Casing:
    """What the two texts say about capitals: stems they ever write in lower case, and where
    sentences start (a capital there says nothing)."""

    lower_stems: frozenset[str] = frozenset()
    sentence_starts: frozenset[int] = frozenset()

    @classmethod
    def of(cls, *texts: AnalysedText) -> Casing:
        lower = {t.stem for text in texts for s in text.sentences for t in s.tokens if not t.is_capitalised}
        starts = {s.tokens[0].start for text in texts for s in text.sentences if s.tokens}
        return cls(frozenset(lower), frozenset(starts))


def _is_name_or_number(tok: Token, casing: Casing) -> bool:
    if tok.is_number or any(ch.isdigit() for ch in tok.norm):
        return True
    if not tok.is_capitalised:
        return False
    if tok.norm in MONTHS_AND_DAYS:
        return True
    if not all(is_common_word(p) for p in tok.norm.replace("'", "-").split("-") if p):
        return True  # a rare capitalised word
    # A common word is a name ("Russia", "Newsweek") when the texts never write it in lower
    # case; spinners' stray capitals ("Said", "Armed") are written lower case elsewhere.
    return tok.start not in casing.sentence_starts and tok.stem not in casing.lower_stems


ARTICLES = frozenset({"a", "an", "the"})


# Words that join a clause to what follows ("told reporters the" -> "told journalists that"):
# left at a phrase's end, they are no part of the word swapped. Prepositions stay ("fall on" ->
# "hit" is a phrasal verb replaced).
CLAUSE_JOINERS = frozenset({"that", "which", "who", "whom", "whose", "and", "but", "or"})


def _strip_articles(words: list[Token]) -> list[Token]:
    while words and words[0].norm in ARTICLES:
        words = words[1:]
    while words and (words[-1].norm in ARTICLES or (len(words) > 1 and words[-1].norm in CLAUSE_JOINERS)):
        words = words[:-1]
    return words


def substitution_phrases(
    source_words: Sequence[Token], suspect_words: Sequence[Token], casing: Casing = Casing()
) -> tuple[str, str] | None:
    """The substitution a ``replace`` edit makes, or None when it is not one (a name, a number,
    only stop words on a side, or longer than ``MAX_PHRASE_WORDS``).

    Stop words that both sides have at the same end are trimmed ("a combined" / "the joint" is the
    swap "combined" -> "joint")."""
    a, b = list(source_words), list(suspect_words)
    while len(a) > 1 and len(b) > 1 and a[0].is_stopword and b[0].is_stopword:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1].is_stopword and b[-1].is_stopword:
        a, b = a[:-1], b[:-1]
    # An article is never part of a synonym ("a dialogue" -> "talks" is "dialogue" -> "talks").
    a = _strip_articles(a)
    b = _strip_articles(b)
    if not a or not b or len(a) > MAX_PHRASE_WORDS or len(b) > MAX_PHRASE_WORDS:
        return None
    if all(t.is_stopword for t in a) or all(t.is_stopword for t in b):
        return None
    if any(_is_name_or_number(t, casing) for t in (*a, *b)):
        return None
    source_phrase = " ".join(t.norm for t in a)
    suspect_phrase = " ".join(t.norm for t in b)
    if source_phrase == suspect_phrase:
        return None
    return source_phrase, suspect_phrase


def document_substitutions(source: AnalysedText, suspect: AnalysedText, passages: Iterable[Passage]) -> list[Substitution]:
    """Every substitution in the links' edit scripts, most frequent first (then first seen).

    A link shared by two overlapping passages is counted once."""
    counts: Counter[tuple[str, str]] = Counter()
    casing = Casing.of(source, suspect)
    seen_links = set()
    for p in passages:
        for link in p.links:
            where = (link.source_start, link.source_end, link.suspect_start, link.suspect_end)
            if where in seen_links:
                continue
            seen_links.add(where)
            for e in link.edits:
                if e.op != "replace":
                    continue
                pair = substitution_phrases(
                    source.tokens_between(e.source_start, e.source_end),
                    suspect.tokens_between(e.suspect_start, e.suspect_end),
                    casing,
                )
                if pair:
                    counts[pair] += 1
    return [Substitution(s, t, n) for (s, t), n in _most_common(counts)]


def _most_common(counts: Counter) -> list:
    # Counter keeps first-seen order, and sorted() is stable: ties stay in reading order.
    return sorted(counts.items(), key=lambda kv: -kv[1])


def merge_substitutions(lists: Iterable[Sequence[Mapping]], top: int = 20) -> list[dict]:
    """The most common substitutions over many pairs (a scan family): ``count`` is the total,
    ``pairs`` how many pairs made the swap; swaps found in more pairs come first."""
    counts: Counter[tuple[str, str]] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for subs in lists:
        for s in subs:
            key = (s["source"], s["suspect"])
            counts[key] += int(s["count"])
            pairs[key] += 1
    ranked = sorted(counts, key=lambda k: (-pairs[k], -counts[k], k))
    return [{"source": s, "suspect": t, "count": counts[(s, t)], "pairs": pairs[(s, t)]} for s, t in ranked[:top]]
