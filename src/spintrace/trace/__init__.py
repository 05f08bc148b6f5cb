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

A suspect mixing English with another language (``pipeline.analyse.language_parts``) goes through
steps 1-3 once per language part (``trace_parts``), each part seen through a view that keeps the
whole's offsets and judged on its own language's path; the claims of all parts are attributed
together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spintrace.dates import published_order
from spintrace.align.aligner import DEFAULT_PARAMS, sentences_to_embed
from spintrace.pipeline.analyse import AnalysedText, LanguagePart, analyse_text, ensure_embeddings, language_view
from spintrace.pipeline.compare import Embed
from spintrace.trace.attribute import attribute
from spintrace.trace.evidence import MIN_CONTENT
from spintrace.trace.judge import MIN_EXPLAINED_SENTENCES, MIN_PART_SENTENCES, joined_claims, judge_candidate
from spintrace.trace.model import AttributedPassage, Claim, SourceDocument, TracedSource, TraceResult

__all__ = [
    "AttributedPassage", "CandidateProvider", "CarrierProvider", "Claim", "PartProviders", "SourceDocument",
    "TraceResult", "TracedSource", "trace_analysed", "trace_parts",
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


@dataclass(slots=True)
class _Search:
    """What the rounds of one trace found: the accepted claims and what it cost."""

    claims: list[Claim]
    judged: int  # candidates judged, ``exclude_ids`` not counted
    rounds: int
    rejected: list[str]


def _embed_as_compare_does(suspect: AnalysedText, embed: Embed) -> None:
    """The suspect's sentences that ``compare`` embeds, in one call as it makes it: the int8 model
    quantises per batch, so embedding more of them (the one- to three-word lines) shifted every
    vector, and trace's judgement of a candidate differed slightly from compare's of the same pair."""
    ensure_embeddings(suspect, embed, sentences_to_embed(suspect, DEFAULT_PARAMS))


def _find_claims(
    suspect: AnalysedText,
    provider: CandidateProvider,
    *,
    embed: Embed,
    suspect_published: str | None,
    exclude_ids: frozenset[str],
    max_rounds: int,
    per_round: int,
    carriers: CarrierProvider | None,
) -> _Search:
    """The rounds (module doc, steps 1-3) and the carriers of each accepted part."""
    _embed_as_compare_does(suspect, embed)
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
    return _Search(claims, len(judged) - len(exclude_ids), rounds, rejected)


def _attributed(suspect: AnalysedText, searches: Sequence[_Search], suspect_published: str | None,
                started: float) -> TraceResult:
    """Every search's claims attributed at once over the whole suspect (``attribute``). A source
    accepted for two language parts (an article copied half in English, half translated) is one
    claim: attribution keeps one claim per source."""
    claims: list[Claim] = []
    for claim in (claim for search in searches for claim in search.claims):
        same = next((k for k, c in enumerate(claims) if c.source.id == claim.source.id), None)
        if same is None:
            claims.append(claim)
        else:
            claims[same] = joined_claims(claims[same], claim)
    sources, passages, unattributed_spans, share = attribute(suspect.text, claims)
    sources = [replace(s, published_after_suspect=published_order(s.source.published, suspect_published) > 0)
               for s in sources]
    return TraceResult(
        suspect_text=suspect.text, sources=sources, passages=passages, unattributed=unattributed_spans,
        attributed_share=share, candidates_judged=sum(s.judged for s in searches),
        rounds=sum(s.rounds for s in searches), took_ms=(time.perf_counter() - started) * 1000,
        rejected=[doc for s in searches for doc in s.rejected],
    )


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
    search = _find_claims(suspect, provider, embed=embed, suspect_published=suspect_published,
                          exclude_ids=exclude_ids, max_rounds=max_rounds, per_round=per_round, carriers=carriers)
    return _attributed(suspect, [search], suspect_published, started)


#: ``providers(view)``: the candidate and carrier providers serving one language part of a suspect,
#: given its view (``pipeline.analyse.language_view``: the part's sentences and language, the
#: whole's offsets), whose sentence indices they are asked about.
PartProviders = Callable[[AnalysedText], tuple[CandidateProvider, CarrierProvider | None]]


def trace_parts(
    suspect: AnalysedText,
    parts: Sequence[LanguagePart],
    providers: PartProviders,
    *,
    embed: Embed,
    suspect_published: str | None = None,
    exclude_ids: frozenset[str] = frozenset(),
    max_rounds: int = MAX_ROUNDS,
    per_round: int = PER_ROUND,
) -> TraceResult:
    """``trace_analysed`` of a suspect written in several languages (``pipeline.analyse.language_parts``),
    one language part at a time.

    Labelled with one language, such a suspect is judged wrongly on one side. As English, its
    translated part shares no words with its source, which the lexical gate rejects unread; and
    the English judge reads the untranslated text as text "about something else" around the
    English part, the mark of paragraphs planted in another article, so an independent report
    beside a translation looks like a partial copy. As a translation, its English part is weighed
    as a translation would be. Each part is traced as a text of its own on its language's path,
    through a view keeping the whole's offsets (so every claim's links are the suspect's), and
    all claims are attributed together, as one trace's are. Each part has its own rounds: a
    document rejected for one part may still supply the other.
    """
    started = time.perf_counter()
    _embed_as_compare_does(suspect, embed)  # once for the whole: each view takes its rows
    searches = []
    for part in parts:
        view = language_view(suspect, part)
        provider, carriers = providers(view)
        search = _find_claims(view, provider, embed=embed, suspect_published=suspect_published,
                              exclude_ids=exclude_ids, max_rounds=max_rounds, per_round=per_round, carriers=carriers)
        # Judged on the whole of its part is judged on a part of the suspect (as the reports say).
        search.claims = [replace(c, judged_on="part") if c.judged_on == "whole" else c for c in search.claims]
        searches.append(search)
    return _attributed(suspect, searches, suspect_published, started)


def trace_text(suspect: str, provider: CandidateProvider, **options) -> TraceResult:
    """``trace_analysed`` on a raw text."""
    return trace_analysed(analyse_text(suspect), provider, **options)
