"""British and American spellings of one word, folded to one form.

A copy localised for another market ("criticised" -> "criticized", "centre" -> "center",
"travelled" -> "traveled") has not reworded anything: an edit script that calls it a swap fills the
rewriter's dictionary with spelling. Each rule needs enough of the word before the suffix that
short words ("four", "raise", "called") are never touched; two different words of either
spelling never meet in one form.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^([a-z]{3,})is(e|es|ed|ing|er|ers|ation|ations|ational)$", r"\1iz\2"),  # criticise, organisation
    (r"^([a-z]{2,})ys(e|es|ed|ing|er|ers)$", r"\1yz\2"),  # analyse, paralysed
    (r"^([a-z]{2,}[^aeiou])our(s|ed|ing|able|ably|ful|ite|ites|less)?$", r"\1or\2"),  # colour, favourite
    (r"^(?!entre)([a-z]{2,})tre(s|d)?$", r"\1ter\2"),  # centre, metres, theatre (not French "entre")
    (r"^([a-z]{2,}[aeiou])ll(ed|ing|er|ers)$", r"\1l\2"),  # travelled, cancelling, modeller
    (r"^([a-z]{2,})ogue(s)?$", r"\1og\2"),  # catalogue, dialogue
    (r"^(def|off|pret)ence(s)?$", r"\1ense\2"),  # defence, offence
    (r"^programme(s|d)?$", r"program\1"),
))
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def american_spelling(norm: str) -> str:
    """``norm`` (a folded word) in American spelling, where a rule knows it; else ``norm``."""
    for pattern, replacement in _RULES:
        if pattern.match(norm):
            return pattern.sub(replacement, norm)
    return norm


@lru_cache(maxsize=50_000)
def spelling_stem(norm: str, stem: str) -> str:
    """The stem of ``norm`` once spelt the American way (``stem`` when no rule applies)."""
    american = american_spelling(norm)
    return stem if american == norm else _stemmer.stemWord(american)
