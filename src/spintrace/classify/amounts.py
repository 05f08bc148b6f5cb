"""What a number in a sentence says: its value, with its currency, magnitude and percent sign.

A fact-checker asks whether a copy changed a figure, not whether it wrote it differently:
"1,200" and "1200", "70%" and "70 per cent", "£5m" and "5 million pounds" are the same figure;
"£14bn" and "£14m", "£500m" and "$500m" are not, though their digits agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from spintrace.normalise import Token

MAGNITUDES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "bn": 1e9, "billion": 1e9, "billions": 1e9, "tn": 1e12, "trillion": 1e12,
}
CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY"}
CURRENCY_WORDS = {
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "dollar": "USD", "dollars": "USD",
    "euro": "EUR", "euros": "EUR", "yen": "JPY",
}
PERCENT_WORDS = (("per", "cent"), ("percent",))
YEARS = range(1800, 2101)


@dataclass(frozen=True, slots=True)
class Amount:
    """One figure: ``key`` is equal for two figures that say the same; ``start``/``end`` cover
    its whole written form (currency sign, digits, magnitude, "per cent")."""

    key: str
    start: int
    end: int
    is_year: bool


def amount_at(tokens: list[Token], k: int, text: str) -> Amount:
    """The figure whose digits are ``tokens[k]`` (a number token), read with its neighbours."""
    tok = tokens[k]
    start = tok.start
    digits = tok.norm.rstrip("%").replace(",", "")
    currency = ""
    before = text[max(0, start - 3):start]
    for sign, code in CURRENCY_SIGNS.items():
        if before.endswith(sign) or before.endswith(sign + " "):
            currency, start = code, start - len(before) + before.rindex(sign)
            break
    key, end = _with_suffixes(tokens, k + 1, tok.end, _number(digits), digits, currency, tok.norm.endswith("%"))
    is_year = (digits.isdigit() and len(digits) == 4 and "," not in tok.norm and int(digits) in YEARS
               and key == digits)
    return Amount(key, start, end, is_year)


def worded_amounts(tokens: list[Token]) -> set[str]:
    """The keys of the figures written in words ("seventy per cent", "one thousand two hundred"):
    a figure the other side writes in digits is kept if it is among them. Worded numbers are not
    details themselves: "one of the biggest" is no figure a copy could change."""
    keys = set()
    k = 0
    while k < len(tokens):
        value, j = _worded_number(tokens, k)
        if j > k:
            keys.add(_with_suffixes(tokens, j, tokens[j - 1].end, value, "", "", False)[0])
            k = j
        else:
            k += 1
    return keys


def _with_suffixes(tokens: list[Token], j: int, end: int, value: float | None, digits: str, currency: str,
                   percent: bool) -> tuple[str, int]:
    """The key of a figure whose number ends at ``end`` (next token ``j``), read with the
    magnitude, currency word and "per cent" that follow it; and where its written form ends."""
    if j < len(tokens) and tokens[j].norm in MAGNITUDES and tokens[j].start - end <= 1 and value is not None:
        value *= MAGNITUDES[tokens[j].norm]
        end = tokens[j].end
        j += 1
    if j < len(tokens) and tokens[j].norm in CURRENCY_WORDS and tokens[j].start - end <= 1:
        currency = currency or CURRENCY_WORDS[tokens[j].norm]
        end = tokens[j].end
        j += 1
    for words in PERCENT_WORDS:
        if not percent and [t.norm for t in tokens[j:j + len(words)]] == list(words) and tokens[j].start - end <= 1:
            percent, end = True, tokens[j + len(words) - 1].end
    shown = f"{value:.12g}" if value is not None else digits
    return f"{currency}{shown}{'%' if percent else ''}", end


UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def _worded_number(tokens: list[Token], k: int) -> tuple[float, int]:
    """The value of the number words from ``tokens[k]`` on, and the index after them (``k`` when
    none). A scale word ends the number when a magnitude may follow ("seventy million")."""
    total, current, j = 0.0, 0.0, k
    while j < len(tokens):
        word = tokens[j].norm
        parts = word.split("-")
        if all(p in UNITS or p in TENS for p in parts) and parts:
            current += sum(UNITS.get(p, 0) + TENS.get(p, 0) for p in parts)
        elif word == "hundred" and j > k:
            current *= 100
        elif word in ("thousand",) and j > k:
            total, current = total + current * SCALES[word], 0.0
        elif word == "and" and j > k and j + 1 < len(tokens) and (tokens[j + 1].norm in UNITS or tokens[j + 1].norm in TENS):
            pass
        else:
            break
        j += 1
    return total + current, j


def _number(digits: str) -> float | None:
    try:
        return float(digits)
    except ValueError:
        return None
