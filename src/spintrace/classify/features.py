"""Document-level features of an aligned pair: what the score model and the verdict rules read.

How much of each text is aligned, how much of the narrator's own wording (quotes excluded), how
strong and how ordered the links are, what verbatim text and long n-grams the two share, and how
alike their topics and names are. Independent reports of one event share facts and sometimes a
quote, but not runs of reworded sentences in the source's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from rapidfuzz.distance import Indel

from spintrace.align.aligner import AlignedRun
from spintrace.align.passages import coverage
from spintrace.align.verbatim import SEED_WORDS, fact_words, shared_ngram_sentences, shared_ngram_shares
from spintrace.comparison import Passage
from spintrace.normalise.quotes import quoted_mask
from spintrace.pipeline.analyse import AnalysedText, word_weight


FEATURE_NAMES: tuple[str, ...] = (
    "suspect_coverage",
    "source_coverage",
    "own_words_coverage",
    "mean_strength",
    "order_consistency",
    "exact_share",
    "longest_run_share",
    "run_coverage",
    "longest_run",
    "verbatim_words",
    "topic_cosine",
    "shared_names",
    "near_verbatim_words",
    "shared_5grams",
    "shared_8grams",
)

RARE_NAME_WEIGHT = 3.5  # zipf <= 4: "Okafor", "Walsh", "Tokayev"; not "London", "Norway"

# Eight words in a row: longer than the names and stock phrases ("said in a statement on Tuesday")
# that independent reports of one event share by the dozen.
LONG_NGRAM = 8

# Unquoted words copied word for word: 50 in a row do not happen by chance, even on one topic.
VERBATIM_WORDS_CAP = 50

# A linked sentence that keeps four in five of its source's words in order (word-level edit
# similarity, function words included) is the source's sentence lightly edited: a copy desk's
# "says" for "said", a word dropped or swapped every clause. A report written from the same
# facts builds its own sentences: no development or real independent pair (1,510 of them) has
# two such sentences in a row, while a wire paragraph pasted with light edits is nothing else.
NEAR_VERBATIM_LINK = 0.8


def _order_consistency(runs: list[AlignedRun]) -> float:
    """Share of consecutive links (suspect order) that also move forward in the source."""
    links = sorted((l for r in runs for l in r.links), key=lambda l: l.sus_first)
    if len(links) < 2:
        return 0.0
    forward = sum(1 for a, b in zip(links, links[1:]) if b.src_first > a.src_last)
    return forward / (len(links) - 1)


def _link_tokens(text: AnalysedText, first: int, last: int) -> list[str]:
    return [t.norm for k in range(first, last + 1) for t in text.sentences[k].tokens]


@dataclass(frozen=True, slots=True)
class NearVerbatimRun:
    """Consecutive links each of which is its source sentence lightly edited: sentence ranges on
    both sides and the suspect's unquoted narration words in them (``align.verbatim.fact_words``)."""

    sus_first: int
    sus_last: int
    src_first: int
    src_last: int
    words: int


def near_verbatim_runs(source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun],
                       quotes: bytearray) -> list[NearVerbatimRun]:
    """Stretches of consecutive links each keeping ``NEAR_VERBATIM_LINK`` of its source sentence's
    words in order, in the source's order (one source sentence may be skipped): a copied passage
    whose edits are too dense for the verbatim regions (an edit every few words leaves few 5-word
    seeds) and whose sentences the aligner still links one by one."""
    links = sorted((l for r in runs for l in r.links), key=lambda l: l.sus_first)
    facts = fact_words(suspect)
    first_word = [0, *accumulate(len(s.tokens) for s in suspect.sentences)]
    found: list[NearVerbatimRun] = []
    current: NearVerbatimRun | None = None
    for link in links:
        kept = Indel.normalized_similarity(_link_tokens(source, link.src_first, link.src_last),
                                           _link_tokens(suspect, link.sus_first, link.sus_last))
        if kept < NEAR_VERBATIM_LINK:
            current = None
            continue
        # Narration only, as for the shared 8-grams: a team line-up or a list of names is a fact
        # both reports give in full.
        words = sum(1 for k in range(link.sus_first, link.sus_last + 1)
                    for n, t in enumerate(suspect.sentences[k].tokens)
                    if not quotes[t.start] and not facts[first_word[k] + n])
        if (current is not None and link.sus_first == current.sus_last + 1
                and current.src_last < link.src_first <= current.src_last + 2):
            current = NearVerbatimRun(current.sus_first, link.sus_last, current.src_first, link.src_last,
                                      current.words + words)
            found[-1] = current
        else:
            current = NearVerbatimRun(link.sus_first, link.sus_last, link.src_first, link.src_last, words)
            found.append(current)
    return found


def copied_spans(source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun], passages: list[Passage],
                 min_run_words: int) -> list[tuple[int, int, int, int]]:
    """(suspect start, end, source start, end) of the text copied (near-)verbatim: the passages
    the verbatim regions made, and the near-verbatim runs of at least ``min_run_words`` words."""
    spans = [(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in passages if p.kind != "paraphrase"]
    quotes = quoted_mask(suspect.text)
    for run in near_verbatim_runs(source, suspect, runs, quotes):
        if run.words >= min_run_words:
            spans.append((suspect.sentences[run.sus_first].segment.start, suspect.sentences[run.sus_last].segment.end,
                          source.sentences[run.src_first].segment.start, source.sentences[run.src_last].segment.end))
    return spans


def _topic_cosine(source: AnalysedText, suspect: AnalysedText) -> float:
    if source.embeddings is None or suspect.embeddings is None:
        return 0.0
    # Mean over the sentences actually embedded (lexically decided ones are skipped).
    a = source.embeddings[source.embedded_mask].mean(axis=0) if source.embedded_mask.any() else source.embeddings.mean(axis=0)
    b = suspect.embeddings[suspect.embedded_mask].mean(axis=0) if suspect.embedded_mask.any() else suspect.embeddings.mean(axis=0)
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b / (na * nb)) if na and nb else 0.0


def _rare_names(text: AnalysedText) -> set[str]:
    """Capitalised mid-sentence words rare in general English: the people and places of a story."""
    return {
        tok.norm
        for sent in text.sentences
        for tok in sent.tokens[1:]
        if tok.is_capitalised and len(tok.norm) > 2 and word_weight(tok.norm) >= RARE_NAME_WEIGHT
    }


def document_features(
    source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun], passages: list[Passage]
) -> dict[str, float]:
    """The features the score model and the verdict rules read."""
    sus_spans = [(p.suspect_start, p.suspect_end) for p in passages]
    src_spans = [(p.source_start, p.source_end) for p in passages]
    sus_cov = coverage(suspect.text, sus_spans)
    src_cov = coverage(source.text, src_spans)
    quotes = quoted_mask(suspect.text)
    forward = shared_ngram_shares(source, suspect, quotes, (SEED_WORDS, LONG_NGRAM))
    backward = shared_ngram_shares(suspect, source, quoted_mask(source.text), (SEED_WORDS, LONG_NGRAM))
    own = coverage(suspect.text, sus_spans, quotes)
    links = [l for r in runs for l in r.links]
    weights = [l.sus_last - l.sus_first + 1 for l in links]
    mean_strength = sum(w * l.strength for w, l in zip(weights, links)) / sum(weights) if links else 0.0
    exact = coverage(suspect.text, [(p.suspect_start, p.suspect_end) for p in passages if p.kind != "paraphrase"])
    n_sus = max(1, len(suspect.sentences))
    longest_sentences = max((r.sus_last - r.sus_first + 1 for r in runs), default=0)
    # Runs of two or more links: copied text comes in runs, shared facts come one sentence at a time.
    run_spans = [
        (p.suspect_start, p.suspect_end)
        for p in passages
        if len(p.links) >= 2 or (p.kind != "paraphrase" and p.suspect_end - p.suspect_start >= 150)
    ]
    run_cov = coverage(suspect.text, run_spans)

    def unquoted_words(p: Passage) -> int:
        return sum(1 for tok in suspect.tokens_between(p.suspect_start, p.suspect_end) if not quotes[tok.start])

    verbatim_words = max((unquoted_words(p) for p in passages if p.kind == "exact"), default=0)
    near_verbatim_words = max((unquoted_words(p) for p in passages if p.kind != "paraphrase"), default=0)
    return {
        "suspect_coverage": sus_cov,
        "source_coverage": src_cov,
        "own_words_coverage": own,
        "mean_strength": mean_strength,
        "order_consistency": _order_consistency(runs),
        "exact_share": exact,
        "longest_run_share": longest_sentences / n_sus,
        "run_coverage": run_cov,
        "longest_run": min(longest_sentences, 8) / 8,
        "verbatim_words": min(verbatim_words, VERBATIM_WORDS_CAP) / VERBATIM_WORDS_CAP,
        "topic_cosine": _topic_cosine(source, suspect),
        "shared_names": float(len(_rare_names(source) & _rare_names(suspect))),
        "near_verbatim_words": float(near_verbatim_words),
        "shared_5grams": max(forward[SEED_WORDS], backward[SEED_WORDS]),
        "shared_8grams": max(forward[LONG_NGRAM], backward[LONG_NGRAM]),
        # read by the 8-gram rule only (not a model feature): one shared stock sentence is not a copy
        "shared_8gram_sentences": float(shared_ngram_sentences(source, suspect, quotes, LONG_NGRAM)),
        # read by the copied-passage rule only (not a model feature)
        "near_verbatim_run_words": float(max((r.words for r in near_verbatim_runs(source, suspect, runs, quotes)),
                                             default=0)),
    }
