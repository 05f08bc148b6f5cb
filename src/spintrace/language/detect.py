"""Language identification of a whole text (py3langid, restricted to the languages we align).

English is decided without the classifier when English function words are frequent: that is
every English news text, and it keeps loading py3langid's model (about a second) off the
English-only path. Anything else goes to py3langid, restricted to a few European languages so
that short or name-heavy texts are not labelled with an exotic language.
"""

from __future__ import annotations

import re
import threading

#: Languages spintrace aligns across (any pair of them); others are reported but unsupported.
SUPPORTED: tuple[str, ...] = ("en", "es", "de", "fr", "ru")
# The classifier may also say these (close neighbours of the supported ones): a Portuguese or
# Italian page is then reported as such rather than forced into Spanish.
CANDIDATES: tuple[str, ...] = SUPPORTED + ("it", "pt", "nl")

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Frequent in any English text, rare as words of es/de/fr/ru ("in", "a", "die", "was" left out).
_ENGLISH_MARKERS = frozenset(
    "the of and to that for with said from has have by it be are were his her which this".split()
)
ENGLISH_MARKER_SHARE = 0.05  # English news: 0.07-0.30; es/fr translations: under 0.01
MIN_WORDS_FOR_SHORTCUT = 20
# A text with fewer lower-case words than this is names and numbers only (a results table, a list
# of teams): it has no language of its own, and the classifier's guess from the names ("Portugal",
# "Samoa" -> Portuguese) would send an English pair down the cross-language path.
MIN_LANGUAGE_WORDS = 3
SAMPLE_CHARS = 4000  # enough for a confident decision; keeps detection O(1) per document

_identifier = None
_lock = threading.Lock()


def _classifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(list(CANDIDATES))
                _identifier = ident
    return _identifier


def english_marker_share(text: str) -> tuple[float, int]:
    words = _WORD_RE.findall(text[:SAMPLE_CHARS].lower())
    return (sum(w in _ENGLISH_MARKERS for w in words) / len(words) if words else 0.0), len(words)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language ("en", "es", "de", "fr", "ru", "it", "pt", "nl").

    A text of names and numbers only (or nothing) is taken as English, like the rest of an English
    corpus: it then meets an English text on the English path, and a foreign one on the
    cross-language path, whose anchors are exactly its names and numbers.
    """
    share, words = english_marker_share(text)
    if words >= MIN_WORDS_FOR_SHORTCUT and share >= ENGLISH_MARKER_SHARE:
        return "en"
    sample = text[:SAMPLE_CHARS]
    if sum(1 for w in _WORD_RE.findall(sample) if w.isalpha() and w[0].islower()) < MIN_LANGUAGE_WORDS:
        return "en"
    return str(_classifier().classify(sample)[0])
