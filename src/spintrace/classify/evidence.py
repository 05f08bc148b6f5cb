"""Document evidence of derivation: how much of each text was *made from* the other.

The judge (``classify/derivation.py``) says, link by link, whether a suspect sentence was built
from its source sentence. Summed over the document this separates the three cases the verdict
must tell apart: a copy (most of the suspect derived), a partial copy (a run of derived sentences
inside otherwise unrelated text) and independent coverage (sentences on the same facts, none
derived).
"""

from __future__ import annotations

import numpy as np

from spintrace.align.aligner import AlignedRun, Link
from spintrace.align.ordered import ORDER_MATCH_STRENGTH, heaviest_ordered_chain
from spintrace.pipeline.analyse import AnalysedText

DERIVED = 0.5  # a link judged more likely derived than not
RUN_WORDS_CAP = 120  # a derived passage this long is as telling as a longer one
EXPLAINING_SENTENCES = 3  # a summary sentence is built from up to this many source sentences
ORDER_LINK_STRENGTH = ORDER_MATCH_STRENGTH  # a match weak enough to be chance does not count for or against order
MATCHED_STRENGTH = 0.5  # a suspect sentence matched this well has a source position
FUSION_WINDOW = 3  # consecutive source sentences a summary sentence may fuse
FUSION_MIN_CONTENT = 4  # content stems a suspect sentence needs to count for fusion


def _words(text: AnalysedText, first: int, last: int) -> int:
    return sum(len(text.sentences[k].tokens) for k in range(first, last + 1))


def _derived_runs(links: list[Link], probabilities: list[float]) -> list[list[int]]:
    """Consecutive derived links (suspect order) that also move forward in the source, allowing
    one skipped sentence on either side: the passages that were copied."""
    order = sorted(range(len(links)), key=lambda k: links[k].sus_first)
    runs: list[list[int]] = []
    for k in order:
        if probabilities[k] < DERIVED:
            continue
        if runs:
            prev = links[runs[-1][-1]]
            cur = links[k]
            if cur.sus_first - prev.sus_last <= 2 and 0 < cur.src_first - prev.src_last <= 3:
                runs[-1].append(k)
                continue
        runs.append([k])
    return runs


def derivation_features(
    source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun], probabilities: list[float]
) -> dict[str, float]:
    """``probabilities`` belong to the links of ``runs`` in order (``[l for r in runs for l in r.links]``)."""
    links = [l for r in runs for l in r.links]
    sus_total = max(1, suspect.token_count)
    src_total = max(1, source.token_count)
    sus_words = [_words(suspect, l.sus_first, l.sus_last) for l in links]
    src_words = [_words(source, l.src_first, l.src_last) for l in links]
    derived = [p >= DERIVED for p in probabilities]
    linked = sum(sus_words)
    derived_runs = _derived_runs(links, probabilities)
    run_words = [sum(sus_words[k] for k in run) for run in derived_runs if len(run) >= 2]
    best_run = max(run_words, default=0)
    return {
        "derived_suspect": sum(w for w, d in zip(sus_words, derived) if d) / sus_total,
        "derived_source": sum(w for w, d in zip(src_words, derived) if d) / src_total,
        "derived_mass": sum(w * p for w, p in zip(sus_words, probabilities)) / sus_total,
        "mean_derivation": sum(w * p for w, p in zip(sus_words, probabilities)) / linked if linked else 0.0,
        "derived_run_words": min(best_run, RUN_WORDS_CAP) / RUN_WORDS_CAP,
        "derived_run_coverage": sum(run_words) / sus_total,
        "derived_links": min(sum(derived), 10) / 10,
        "length_ratio": suspect.token_count / src_total,
        "linked_sentences": float(len({k for l in links for k in range(l.sus_first, l.sus_last + 1)})),
    }


def derived_link_count(features: dict[str, float]) -> int:
    """How many links the judge called derived, from ``derived_links`` (min(count, 10) / 10)."""
    return round(features.get("derived_links", 0.0) * 10)


def host_features(source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun]) -> dict[str, float]:
    """How like the source the suspect's *unlinked* text is, and how much of the suspect it is.

    Two reports of one event are about it from end to end: what one links to the other is
    surrounded by more of the same story. Paragraphs lifted into another article sit in text about
    something else. ``unlinked_similarity`` is each unlinked suspect sentence's best cosine with any
    source sentence, averaged by words (1.0 when nothing is left unlinked); ``unlinked_share`` is
    the unlinked sentences' share of the suspect's words. Only embedded sentences take part.
    """
    linked = {k for run in runs for link in run.links for k in range(link.sus_first, link.sus_last + 1)}
    total = max(1, suspect.token_count)
    rest = [j for j in range(len(suspect.sentences)) if j not in linked]
    share = sum(len(suspect.sentences[j].tokens) for j in rest) / total
    if source.embeddings is None or suspect.embeddings is None or source.embedded_mask is None:
        return {"unlinked_similarity": 1.0, "unlinked_share": share}
    embedded = [j for j in rest if suspect.embedded_mask[j]]
    source_rows = source.embeddings[source.embedded_mask]
    if not embedded or not len(source_rows):
        return {"unlinked_similarity": 1.0, "unlinked_share": share}
    best = (suspect.embeddings[embedded] @ source_rows.T).max(axis=1)
    words = np.array([len(suspect.sentences[j].tokens) for j in embedded], dtype=float)
    return {"unlinked_similarity": float((best * words).sum() / words.sum()), "unlinked_share": share}


def condensation_features(source: AnalysedText, suspect: AnalysedText, strength: np.ndarray) -> dict[str, float]:
    """How much of each suspect sentence is explained by the source sentences it matches best.

    A summary builds each sentence from two or three source sentences, often not adjacent ones, so
    one-to-one links miss it; but nearly every word it keeps comes from those sentences. An
    independent report adds its own background, which no source sentence explains. Also the
    order the suspect tells the facts in (``fact_order_features``) and how much its sentences
    fuse neighbouring source sentences (``fusion_gain``).
    """
    shares, weights = [], []
    for j, sent in enumerate(suspect.sentences):
        if len(sent.tokens) < 4 or not sent.total_weight or not len(source.sentences):
            continue
        best = np.argsort(-strength[:, j])[:EXPLAINING_SENTENCES]
        union: set[str] = set()
        for i in best:
            union.update(source.sentences[int(i)].content)
        shares.append(sum(w for stem, w in sent.content.items() if stem in union) / sent.total_weight)
        weights.append(len(sent.tokens))
    shape = {**fact_order_features(suspect, strength), **fusion_gain(source, suspect)}
    if not shares:
        return {"explained_suspect": 0.0, "explained_floor": 0.0, **shape}
    values, w = np.array(shares), np.array(weights, dtype=float)
    return {
        "explained_suspect": float((values * w).sum() / w.sum()),
        "explained_floor": float(np.quantile(values, 0.2)),
        **shape,
    }


def fusion_gain(source: AnalysedText, suspect: AnalysedText) -> dict[str, float]:
    """How much more of each suspect sentence three consecutive source sentences explain than the
    best one alone: a summary fuses neighbouring source sentences into one of its own, so its
    sentences' words sit in a short stretch of the source together. A report written from the
    facts takes each of its sentences' facts from wherever they stand, and a copy's sentences
    each match one source sentence. Content-weight containment, weighed by the suspect sentence's
    length; sentences with fewer than ``FUSION_MIN_CONTENT`` content stems are left out.
    """
    rows = [s for s in suspect.sentences if len(s.content) >= FUSION_MIN_CONTENT and s.total_weight > 0]
    n = len(source.sentences)
    if not rows or not n:
        return {"fusion_gain": 0.0}
    # Sorted: a set's order changes with each process's string hashing, and the order of the
    # sums below with it (the last bit of the feature, and so of refitted models).
    vocabulary = {stem: k for k, stem in enumerate(sorted({stem for s in rows for stem in s.content}))}
    weights = np.zeros((len(rows), len(vocabulary)))
    for r, sentence in enumerate(rows):
        for stem, w in sentence.content.items():
            weights[r, vocabulary[stem]] = w / sentence.total_weight
    held = np.zeros((n, len(vocabulary)), dtype=bool)
    for i, sentence in enumerate(source.sentences):
        for stem in sentence.content:
            k = vocabulary.get(stem)
            if k is not None:
                held[i, k] = True
    window = held.copy()
    for shift in range(1, FUSION_WINDOW):
        window[: n - shift] |= held[shift:]
    single = (weights @ held.T).max(axis=1)
    fused = (weights @ window.T).max(axis=1)
    lengths = np.array([len(s.tokens) for s in rows], dtype=float)
    return {"fusion_gain": float(((fused - single) * lengths).sum() / lengths.sum())}


def fact_order_features(suspect: AnalysedText, strength: np.ndarray) -> dict[str, float]:
    """Whether the suspect tells the source's facts in the source's order, and how much of it does.

    A summary is written down the source, so the source sentences its sentences match best never
    go back (``in_source_order`` near 1) and a chain that keeps the source's order explains nearly
    all its matched words (``ordered_explained``). An independent report picks its own lead and
    brings facts back in where its own story needs them.  ``source_reach`` is the share of source
    sentences some suspect sentence matches well: a digest touches a few, a retelling most.
    """
    if strength.size == 0:
        return {"ordered_explained": 0.0, "in_source_order": 0.0, "source_reach": 0.0}
    weights = np.array([len(s.tokens) for s in suspect.sentences], dtype=float)
    value = np.where(strength >= ORDER_LINK_STRENGTH, strength, 0.0) * weights[None, :]
    total = float(value.max(axis=0).sum())
    chained = heaviest_ordered_chain(strength, weights, ORDER_LINK_STRENGTH, with_pairs=False).value
    matched = np.nonzero(strength.max(axis=0) >= MATCHED_STRENGTH)[0]
    positions = strength.argmax(axis=0)[matched]
    return {
        "ordered_explained": chained / total if total > 0 else 0.0,
        "in_source_order": float(np.mean(np.diff(positions) >= 0)) if len(positions) >= 2 else 0.0,
        "source_reach": float((strength.max(axis=1) >= MATCHED_STRENGTH).mean()),
    }


def source_stretch(source: AnalysedText, suspect: AnalysedText, strength: np.ndarray) -> dict[str, float]:
    """How much longer than the suspect is the source stretch its sentences match.

    A condensed copy retells a long stretch of the source (most of it) in far fewer words, each of
    its sentences matching, at least weakly, a source sentence further on; an excerpt, verbatim or
    reworded, is about as long as the stretch it reproduces. Matches are each suspect sentence's
    best source sentence at ``ORDER_LINK_STRENGTH`` or more: a summary's fused sentences rarely
    become links.
    """
    length = sum(s.segment.end - s.segment.start for s in suspect.sentences)
    if strength.size == 0 or not length:
        return {"source_stretch": 0.0}
    matched = np.nonzero(strength.max(axis=0) >= ORDER_LINK_STRENGTH)[0]
    if not len(matched):
        return {"source_stretch": 0.0}
    positions = strength.argmax(axis=0)[matched]
    start = source.sentences[int(positions.min())].segment.start
    end = source.sentences[int(positions.max())].segment.end
    return {"source_stretch": (end - start) / length}
