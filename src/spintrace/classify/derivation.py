"""Was this sentence made from that one? A learned judge of derivation for each aligned link.

Two reports of one event share facts: names, numbers, often a quote. A copy shares more than
facts: a spinner keeps the sentence skeleton and word order while swapping words; a rewriter keeps
the order of the clauses and the ordinary words that carry them; a summary keeps the order of
facts inside a sentence built from two or three. The judge reads each link's construction, not
only its meaning: in-order content-word overlap, shared word bigrams (function words included),
the share of the overlap made of ordinary words rather than names and numbers, and how much of the
sentence sits inside quotation marks (a shared quote is a shared fact). It is a logistic model
fitted by ``scripts/fit_models.py`` on links labelled from paragraph ground truth: links inside
derived paragraph pairs are positives, links of independent reports of the same event are the
hard negatives.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources

from rapidfuzz.distance import LCSseq

from spintrace.align.aligner import Link
from spintrace.normalise import Token
from spintrace.pipeline.analyse import AnalysedText, word_weight

DERIVATION_FEATURES: tuple[str, ...] = (
    "cosine",
    "dice",
    "content_order",
    "skeleton_bigrams",
    "ordinary_dice",
    "fact_share",
    "quoted",
    "length_ratio",
    "merged",
)

#: Words at or above this weight (zipf <= 4: "Okafor", "tribunal") are the facts of a story.
FACT_WEIGHT = 3.5


def _tokens(text: AnalysedText, first: int, last: int) -> list[Token]:
    return [t for k in range(first, last + 1) for t in text.sentences[k].tokens]


def _is_fact(tok: Token) -> bool:
    return tok.is_number or word_weight(tok.norm) >= FACT_WEIGHT


def _content(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not t.is_stopword and (len(t.norm) > 1 or t.is_number)]


def link_features(source: AnalysedText, suspect: AnalysedText, link: Link, quotes: bytearray) -> dict[str, float]:
    """The judge's inputs for one link; ``quotes`` marks the suspect's quoted characters."""
    a = _tokens(source, link.src_first, link.src_last)
    b = _tokens(suspect, link.sus_first, link.sus_last)
    ca, cb = _content(a), _content(b)
    sa, sb = [t.stem for t in ca], [t.stem for t in cb]
    shorter = max(1, min(len(sa), len(sb)))
    content_order = LCSseq.similarity(sa, sb) / shorter
    bigrams_a = {(x.norm, y.norm) for x, y in zip(a, a[1:])}
    bigrams_b = {(x.norm, y.norm) for x, y in zip(b, b[1:])}
    skeleton = len(bigrams_a & bigrams_b) / max(1, min(len(bigrams_a), len(bigrams_b)))
    ordinary_a = {t.stem: word_weight(t.norm) for t in ca if not _is_fact(t)}
    ordinary_b = {t.stem: word_weight(t.norm) for t in cb if not _is_fact(t)}
    shared_ordinary = sum(w for s, w in ordinary_a.items() if s in ordinary_b)
    total_ordinary = sum(ordinary_a.values()) + sum(ordinary_b.values())
    ordinary_dice = 2 * shared_ordinary / total_ordinary if total_ordinary else 0.0
    facts_a = {t.stem: word_weight(t.norm) for t in ca if _is_fact(t)}
    facts_b = {t.stem for t in cb if _is_fact(t)}
    shared_facts = sum(w for s, w in facts_a.items() if s in facts_b)
    shared_all = shared_facts + shared_ordinary
    quoted = sum(1 for t in b if quotes[t.start]) / max(1, len(b))
    return {
        "cosine": link.cosine,
        "dice": link.dice,
        "content_order": content_order,
        "skeleton_bigrams": skeleton,
        "ordinary_dice": ordinary_dice,
        "fact_share": shared_facts / shared_all if shared_all else 0.0,
        "quoted": quoted,
        "length_ratio": min(len(a), len(b)) / max(1, len(a), len(b)),
        "merged": float((link.src_last - link.src_first) + (link.sus_last - link.sus_first)),
    }


@dataclass(frozen=True, slots=True)
class DerivationModel:
    """Logistic regression over ``DERIVATION_FEATURES`` (standardised inside the weights)."""

    bias: float = -4.0
    weights: dict[str, float] = field(default_factory=lambda: {"cosine": 3.0, "dice": 3.0, "content_order": 2.0,
                                                                "skeleton_bigrams": 2.0, "quoted": -1.5})

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def load_default(cls) -> "DerivationModel":
        try:
            data = json.loads(resources.files("spintrace.classify").joinpath("derivation_model.json").read_text())
        except FileNotFoundError:
            return cls()
        return cls(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


_default: DerivationModel | None = None


def default_derivation_model() -> DerivationModel:
    global _default
    if _default is None:
        _default = DerivationModel.load_default()
    return _default


def judge_links(
    source: AnalysedText, suspect: AnalysedText, links: list[Link], quotes: bytearray,
    model: DerivationModel | None = None,
) -> list[float]:
    """P(derived) for each link."""
    model = model or default_derivation_model()
    return [model.probability(link_features(source, suspect, link, quotes)) for link in links]
