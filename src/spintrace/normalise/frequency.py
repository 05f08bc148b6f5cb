"""English word frequencies from wordfreq's own data, without importing wordfreq at start-up.

``import wordfreq`` pulls in ftfy, langcodes and regex (its tokenizer), a tenth of a second or
more of a one-shot ``spintrace compare``, although spintrace only asks about single, already
tokenised words. For a plain lower-case ASCII word wordfreq's answer is just its frequency band in
the ``large_en`` list, so ``zipf_frequency`` reads that list (wordfreq's data file, the same
gzip+msgpack "cBpack" wordfreq reads) and gives the value wordfreq gives, computed the same way.
Anything else (another language, a word with digits, accents or punctuation, another minimum)
goes to wordfreq itself. ``test_frequency.py`` checks the two agree.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
from importlib.util import find_spec
from pathlib import Path

_PLAIN = re.compile(r"[a-z]+")
_table: dict[str, float] | None = None
_table_failed = False
_lock = threading.Lock()


def _zipf_of_band(index: int) -> float:
    """wordfreq's ``zipf_frequency`` for a one-token word in band ``index`` (-index centibels),
    step by step as wordfreq computes it (``cB_to_freq``, 1/(1/f), rounding to 3 significant
    digits, ``freq_to_zipf``, rounding to 2 decimals), so the floats are identical."""
    freq = 10 ** (-index / 100)
    freq = 1.0 / (1.0 / freq)
    unrounded = max(freq, 10**0.0 / 1e9)
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    freq = round(unrounded, leading_zeroes + 3)
    return round(math.log(freq, 10) + 9, 2)


def _load_english() -> dict[str, float] | None:
    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
    if not path.is_file():
        return None
    import msgpack  # a dependency of wordfreq

    with gzip.open(path, "rb") as fh:
        pack = msgpack.load(fh, raw=False)
    header, bands = pack[0], pack[1:]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    table: dict[str, float] = {}
    for index, words in enumerate(bands):
        zipf = _zipf_of_band(index)
        for word in words:
            table[word] = zipf
    return table


def _english() -> dict[str, float] | None:
    global _table, _table_failed
    if _table is None and not _table_failed:
        with _lock:
            if _table is None and not _table_failed:
                try:
                    _table = _load_english()
                except Exception:  # noqa: BLE001 - any surprise: fall back to wordfreq itself
                    _table = None
                _table_failed = _table is None
    return _table


def zipf_frequency(word: str, lang: str, wordlist: str = "best", minimum: float = 0.0) -> float:
    """Same as ``wordfreq.zipf_frequency``; fast path for plain lower-case English words."""
    if lang == "en" and wordlist in ("best", "large") and minimum == 0.0 and _PLAIN.fullmatch(word):
        table = _english()
        if table is not None:
            return table.get(word, 0.0)
    import wordfreq

    return wordfreq.zipf_frequency(word, lang, wordlist, minimum)
