"""The start-up shortcut for English word frequencies gives exactly wordfreq's values."""

from __future__ import annotations

import random
import string

import wordfreq

from conftest import SHARED_DATA
from spintrace.normalise import frequency, tokenize


def _words() -> list[str]:
    words = list(wordfreq.iter_wordlist("en"))[:60_000:3]
    rng = random.Random(13)
    words += ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    words += ["kazakhstan's", "russian-led", "3,600", "70%", "naïve", "Hello", "tokayev", "csto", "", "don't", "e-mail"]
    seed = SHARED_DATA / "seed-pair" / "source.txt"
    if seed.exists():
        words += [t.norm for t in tokenize(seed.read_text(encoding="utf-8"))]
    return words


def test_same_values_as_wordfreq() -> None:
    mismatches = [(w, frequency.zipf_frequency(w, "en"), wordfreq.zipf_frequency(w, "en"))
                  for w in _words() if frequency.zipf_frequency(w, "en") != wordfreq.zipf_frequency(w, "en")]
    assert not mismatches, mismatches[:10]
    assert frequency._table is not None  # the fast path was used, not only the fallback
    assert frequency.zipf_frequency("haus", "de") == wordfreq.zipf_frequency("haus", "de")
