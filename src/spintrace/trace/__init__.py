"""Trace a suspect to all of its sources: which passage came from which, and what is left.

The loop, independent of where candidates come from:

1. ask the candidate provider for the documents best explaining the suspect sentences not yet
   attributed (all of them in the first round);
2. judge the few best with the compare engine, on the part of the suspect each explains
   (``judge``), accepting those it calls reuse (or a condensed copy);
3. mark the sentences their passages cover as attributed and go again with what is left, which
   finds a compilation's second and third sources (once one is attributed, a candidate explaining
   only one or two sentences is judged on the whole pair); stop when rounds attribute nothing.

Finally each passage goes to one source, the earliest published of those carrying it
(``attribute``). Independent reports stay unattributed because every candidate is judged by
compare's reuse decision, which shared facts do not pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from spintrace.dates import published_order
from spintrace.pipeline.analyse import AnalysedText, analyse_text, ensure_embeddings
from spintrace.pipeline.compare import Embed
from spintrace.trace.attribute import attribute
from spintrace.trace.evidence import MIN_CONTENT
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES, MIN_PART_SENTENCES, judge_candidate
from spintrace.trace.model import AttributedPassage, Claim, SourceDocument, TracedSource, TraceResult

__all__ = [
    "AttributedPassage", "CandidateProvider", "CarrierProvider", "Claim", "SourceDocument", "TraceResult", "TracedSource",
    "trace_analysed",
]

#: ``provider(sentence_indices, exclude_ids)``: candidate sources best explaining those suspect
#: sentences, best first.
CandidateProvider = Callable[[Sequence[int], frozenset[str]], list[SourceDocument]]

#: ``carriers(sentences, source_id, exclude_ids)``: documents other than ``source_id`` that hold
#: about as much of those suspect sentences as it does (the same wire story run by several
#: sites), best first: judged after the rounds, so the earliest published carrier gets the passage.
CarrierProvider = Callable[[Sequence[int], str, frozenset[str]], list[SourceDocument]]

MAX_ROUNDS = 4
PER_ROUND = 2
#: Other carriers judged per accepted source (each costs a comparison; most texts have none).
MAX_CARRIERS = 2
# Rounds in a row that attribute nothing before the search stops: at 1M documents a
# compilation's best-ranked candidates can both be rejected (a related article, the other
# source's part judged alone) while its sources rank just below them.
PATIENCE = 2


def _covered_sentences(suspect: AnalysedText, claim: Claim) -> set[int]:
    covered = set()
    for i, sentence in enumerate(suspect.sentences):
        seg = sentence.segment
        length = max(1, seg.end - seg.start)
        inside = sum(max(0, min(seg.end, l.suspect_end) - max(seg.start, l.suspect_start)) for l in claim.links)
        if inside * 2 >= length:
            covered.add(i)
    return covered


def trace_analysed(
    suspect: AnalysedText,
    provider: CandidateProvider,
    *,
    embed: Embed,
    suspect_published: str | None = None,
    exclude_ids: frozenset[str] = frozenset(),
    max_rounds: int = MAX_ROUNDS,
    per_round: int = PER_ROUND,
    carriers: CarrierProvider | None = None,
) -> TraceResult:
    """Every source ``provider`` can offer that the suspect really uses, with the attribution.

    ``carriers``: where given, each accepted source's part is offered to the other documents
    holding it too, so that a passage several sites carry goes to the earliest published (with
    the others in ``also_in``) and not to whichever ranked first."""
    started = time.perf_counter()
    ensure_embeddings(suspect, embed)
    evidence_sentences = {i for i, s in enumerate(suspect.sentences) if len(s.content) >= MIN_CONTENT}
    unattributed = set(evidence_sentences)
    judged: set[str] = set(exclude_ids)
    claims: list[Claim] = []
    claimed: list[set[int]] = []  # the evidence sentences each accepted claim covers
    rejected: list[str] = []
    rounds = idle = 0
    for _ in range(max_rounds):
        # A source must explain at least MIN_EXPLAINED_SENTENCES of what is left.
        if len(unattributed) < MIN_EXPLAINED_SENTENCES:
            break
        rounds += 1
        fresh = [d for d in provider(sorted(unattributed), frozenset(judged)) if d.id not in judged][:per_round]
        if not fresh:
            break
        gained = False
        for document in fresh:
            judged.add(document.id)
            judgement = judge_candidate(document, analyse_text(document.text), suspect, unattributed,
                                        embed=embed, suspect_published=suspect_published,
                                        short_parts=bool(claims), claimed=claimed)
            if judgement.claim is None:
                rejected.append(document.id)
                continue
            claims.append(judgement.claim)
            covered = _covered_sentences(suspect, judgement.claim)
            claimed.append(covered & evidence_sentences)
            newly = covered & unattributed
            if newly:
                gained = True
                unattributed -= newly
        idle = 0 if gained else idle + 1
        if idle >= PATIENCE:
            break
    if carriers is not None:
        for claim, part in list(zip(claims, claimed)):
            if len(part) < MIN_PART_SENTENCES:
                continue  # a part this short is never judged as carried (``judge._carried_part``)
            for document in carriers(sorted(part), claim.source.id, frozenset(judged))[:MAX_CARRIERS]:
                judged.add(document.id)
                # judged on the accepted part alone: nothing is left unattributed for it to take
                judgement = judge_candidate(document, analyse_text(document.text), suspect, set(), embed=embed,
                                            suspect_published=suspect_published, short_parts=True, claimed=[part])
                if judgement.claim is not None:
                    claims.append(judgement.claim)
    sources, passages, unattributed_spans, share = attribute(suspect.text, claims)
    sources = [replace(s, published_after_suspect=published_order(s.source.published, suspect_published) > 0)
               for s in sources]
    return TraceResult(
        suspect_text=suspect.text, sources=sources, passages=passages, unattributed=unattributed_spans,
        attributed_share=share, candidates_judged=len(judged) - len(exclude_ids), rounds=rounds,
        took_ms=(time.perf_counter() - started) * 1000, rejected=rejected,
    )


def trace_text(suspect: str, provider: CandidateProvider, **options) -> TraceResult:
    """``trace_analysed`` on a raw text."""
    return trace_analysed(analyse_text(suspect), provider, **options)
