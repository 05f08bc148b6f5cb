"""Is this candidate a source of the suspect, and of which part? The compare engine decides.

A compilation's source explains only its own part of the suspect, so comparing it with the
whole suspect asks the wrong question (half the suspect is unrelated to it, and compare then
rightly refuses to call the whole a copy). The candidate is compared with the part it explains
(the contiguous paragraphs that ``evidence.best_region`` picks), through a *view* of the suspect
that keeps every offset and embedding of the whole. A condensed copy is one compare calls reuse
and flags condensed (its condensed-copy model); trace has no rule of its own for them any more:
its ordered-containment rule also attributed 55% of the development sets' independent news
briefs (same facts, as short as a summary) and 11 of 40 never-tuned ones to their event's article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spintrace.align.aligner import align_sentences
from spintrace.classify.evidence import DERIVED, derived_link_count
from spintrace.comparison import Comparison
from spintrace.pipeline.analyse import AnalysedText, text_language, text_view
from spintrace.pipeline.compare import MAX_SENTENCE_PAIRS, Embed, compare_analysed
from spintrace.trace.evidence import best_region, sentence_evidence
from spintrace.trace.model import Claim, JudgedOn, Link, SourceDocument

# The few thresholds trace adds to compare's decision.
MIN_EXPLAINED_SENTENCES = 2  # a candidate explaining fewer suspect sentences is not compared
GATE_CONTAINMENT = 0.25  # ... where a sentence counts when this share of its content weight is in the candidate
WHOLE_SHARE = 0.8  # a region holding this share of the suspect's weight is judged as the whole
MIN_PART_SENTENCES = 3  # a part judged on its own has at least this many sentences
# ... and as many links judged derived. With two, a few sentences of an independent report telling
# the facts of two sentences that a recombined document holds were taken for that document's part
# (at 1M documents, once trace ranked such documents by the part they explain, session 18).
MIN_PART_DERIVED_LINKS = 3
# A candidate explaining this share of an accepted source's sentences carries the same passage (a
# wire copy, an update of the story): it is judged on that part too, so that attribution can give
# the passage to the earliest published carrier and list the others, whichever was judged first.
CARRIER_SHARE = 0.6
# Further parts of the suspect an accepted source is asked about (``_other_parts``).
MAX_OTHER_PARTS = 2


def _derived_part(features: dict[str, float]) -> bool:
    return features.get("mean_derivation", 0.0) >= DERIVED and derived_link_count(features) >= MIN_PART_DERIVED_LINKS


@dataclass(frozen=True, slots=True)
class Judgement:
    claim: Claim | None
    explained: int  # suspect sentences the candidate explains lexically
    compared: bool


def _claim(document: SourceDocument, comparison: Comparison, judged_on: JudgedOn) -> Claim:
    """The claim of an accepted candidate: compare's sentence links, by passage, and the passages' extents."""
    links = []
    for n, p in enumerate(comparison.passages):
        if p.links:
            links.extend(Link(l.suspect_start, l.suspect_end, l.source_start, l.source_end, l.similarity, n)
                         for l in p.links)
        else:
            links.append(Link(p.suspect_start, p.suspect_end, p.source_start, p.source_end, p.similarity, n))
    extents = tuple((p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in comparison.passages)
    return Claim(document, comparison.verdict, comparison.score, judged_on, tuple(links), extents)


def _char_weight(suspect: AnalysedText, sentences: list[int]) -> int:
    return sum(suspect.sentences[i].segment.end - suspect.sentences[i].segment.start for i in sentences)


def judge_candidate(
    document: SourceDocument,
    source: AnalysedText,
    suspect: AnalysedText,
    unattributed: set[int],
    *,
    embed: Embed,
    suspect_published: str | None = None,
    short_parts: bool = False,
    claimed: Sequence[set[int]] = (),
) -> Judgement:
    """Accept ``document`` as a source of (part of) the suspect, or not, with the text it supplied.

    ``short_parts``: a part shorter than ``MIN_PART_SENTENCES`` is not rejected unread but left to
    compare's decision on the whole pair (its partial-copy rules read the part in its context).
    Trace allows it once another source is attributed: a compilation's third source may supply
    two sentences, while two sentences of an uncopied report telling shared facts must never be
    enough to start an accusation.

    ``claimed``: the suspect sentences each accepted source covers. A candidate that explains too
    little of what is left but most of one of those parts is judged on that part (a second
    carrier of the same passage, ``CARRIER_SHARE``)."""
    if text_language(source) != text_language(suspect):
        # A translation shares no words with its source, so neither the lexical gate nor the
        # region a candidate explains lexically applies: compare (its cross-language pipeline)
        # judges the whole pair, and a partial translated copy's passages cover just its part.
        comparison = compare_analysed(source, suspect, embed=embed, source_published=document.published,
                                      suspect_published=suspect_published)
        claim = _claim(document, comparison, "whole") if comparison.reused else None
        return Judgement(claim, 0, True)  # nothing is explained lexically across languages
    evidence = sentence_evidence(source, suspect)
    # A cheap gate before the alignment, set low: spun sentences keep few of their words.
    explained = [i for i, c in enumerate(evidence.containment) if c >= GATE_CONTAINMENT and i in unattributed]
    if len(explained) < MIN_EXPLAINED_SENTENCES:
        carried = _carried_part(evidence.containment, claimed)
        if carried is None:
            return Judgement(None, len(explained), False)
        claim = _judge_part(document, source, suspect, carried, embed, suspect_published)
        return Judgement(claim, len(explained), True)
    # The aligner's links (before any verdict) mark the reworded sentences lexical containment misses.
    alignment = align_sentences(source, suspect, embed)
    linked = {k for run in alignment.runs for l in run.links for k in range(l.sus_first, l.sus_last + 1)}
    paragraph_of = [s.segment.paragraph for s in suspect.sentences]
    region = best_region(evidence, paragraph_of, within=unattributed, linked=linked)
    everything = list(range(len(suspect.sentences)))
    whole = not region or _char_weight(suspect, region) >= WHOLE_SHARE * _char_weight(suspect, everything)
    short = not whole and len(region) < MIN_PART_SENTENCES
    if whole:
        region = everything
    elif short and not short_parts:
        return Judgement(None, len(explained), False)
    if not short:
        claim = _judge_part(document, source, suspect, region, embed, suspect_published, whole)
        if claim is not None:
            if not whole:
                claim = _other_parts(claim, document, source, suspect, evidence, paragraph_of,
                                     set(unattributed) - set(region), linked, embed, suspect_published)
            return Judgement(claim, len(explained), True)
    if not whole and len(source.sentences) * len(suspect.sentences) <= MAX_SENTENCE_PAIRS:
        # The part alone can look like a short report of the same facts where the whole suspect,
        # with the rest of it about something else, is plainly a partial copy: ask what `compare`
        # itself says of the pair. It was judged on the whole suspect, but its passages are only the
        # copied text, so the claim covers just that part.
        comparison = compare_analysed(source, suspect, embed=embed, source_published=document.published,
                                      suspect_published=suspect_published)
        # A short part is this source's only when compare's passages reach into it.
        if comparison.reused and (not short or _reaches(comparison, suspect, region)):
            return Judgement(_claim(document, comparison, "whole"), len(explained), True)
    return Judgement(None, len(explained), True)


def _judge_part(document: SourceDocument, source: AnalysedText, suspect: AnalysedText, region: list[int],
                embed: Embed, suspect_published: str | None, whole: bool | None = None) -> Claim | None:
    """Compare's judgement of ``source`` against the ``region`` of the suspect (all of it when
    ``whole``; by default when the region is nearly all of it)."""
    if whole is None:
        everything = list(range(len(suspect.sentences)))
        whole = _char_weight(suspect, region) >= WHOLE_SHARE * _char_weight(suspect, everything)
    target = suspect if whole else text_view(suspect, region)
    comparison = compare_analysed(source, target, embed=embed, source_published=document.published,
                                  suspect_published=suspect_published)
    # A part of a compilation is a copied passage, so the derivation judge must find its links
    # made from the source on balance (mean confidence at the judge's own bar, and
    # MIN_PART_DERIVED_LINKS links so judged). The document model alone is not enough there:
    # fitted on whole suspects, it reads a few sentences telling a paragraph's facts in its order
    # as a summary, and attributed paragraphs of independent reports to related articles (session 16).
    if comparison.reused and (whole or _derived_part(comparison.features)):
        judged_on: JudgedOn = ("condensed" if comparison.condensed else "whole") if whole else "part"
        return _claim(document, comparison, judged_on)
    return None


def _other_parts(claim: Claim, document: SourceDocument, source: AnalysedText, suspect: AnalysedText, evidence,
                 paragraph_of: list[int], rest: set[int], linked: set[int], embed: Embed,
                 suspect_published: str | None) -> Claim:
    """``claim`` with the source's other parts of the suspect: a copy with someone else's
    paragraphs pasted into its middle is two runs of one source. Only the best run was judged,
    the source was then never asked about the rest, and its first paragraphs stayed unattributed.
    Each further run (``best_region`` of what is left, ``MIN_PART_SENTENCES`` or more) is judged
    as a part; the first one rejected ends the search."""
    for _ in range(MAX_OTHER_PARTS):
        region = best_region(evidence, paragraph_of, within=rest, linked=linked)
        region = [i for i in region if i in rest]
        if len(region) < MIN_PART_SENTENCES:
            break
        more = _judge_part(document, source, suspect, region, embed, suspect_published, whole=False)
        if more is None:
            break
        claim = joined_claims(claim, more)
        rest -= set(region)
    return claim


def joined_claims(first: Claim, second: Claim) -> Claim:
    """One claim of a source accepted on two parts of the suspect: both parts' links (the second
    one's passages numbered after the first's), the higher score, and the verdict of the part
    that supplied more text."""
    def supplied(claim: Claim) -> int:
        return sum(l.suspect_end - l.suspect_start for l in claim.links)

    offset = len(first.extents)
    return replace(first, score=max(first.score, second.score),
                   verdict=first.verdict if supplied(first) >= supplied(second) else second.verdict,
                   judged_on="part",
                   links=first.links + tuple(replace(l, passage=l.passage + offset) for l in second.links),
                   extents=first.extents + second.extents)


def _carried_part(containment: Sequence[float], claimed: Sequence[set[int]]) -> list[int] | None:
    """The first accepted source's part (its sentences) that this candidate also explains for the
    most part (``CARRIER_SHARE``), if any: the candidate may carry the same passage."""
    for part in claimed:
        carried = [i for i in part if containment[i] >= GATE_CONTAINMENT]
        if len(part) >= MIN_PART_SENTENCES and len(carried) >= CARRIER_SHARE * len(part):
            return sorted(part)
    return None


def _reaches(comparison: Comparison, suspect: AnalysedText, sentences: list[int]) -> bool:
    spans = [(suspect.sentences[i].segment.start, suspect.sentences[i].segment.end) for i in sentences]
    return any(p.suspect_start < end and p.suspect_end > start for p in comparison.passages for start, end in spans)

