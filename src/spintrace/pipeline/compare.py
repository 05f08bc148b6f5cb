"""The compare pipeline: analyse both texts, align, classify, explain.

This is the one place that strings the stages together; the CLI, the HTTP server, search and the
scan engines all call ``compare_analysed`` (or ``compare``) rather than repeating any of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from datetime import date

import numpy as np

from spintrace.align.aligner import DEFAULT_PARAMS, AlignedRun, Alignment, AlignParams, align_sentences
from spintrace.align.edits import with_edit_scripts
from spintrace.align.insertions import explained_spans, split_at_insertions
from spintrace.align.passages import (
    copy_extent, coverage, covered_by_passages, merge_verbatim_regions, runs_to_passages, uncovered,
)
from spintrace.align.verbatim import find_verbatim_regions
from spintrace.align.similarity import DEFAULT_STRENGTH, StrengthModel
from spintrace.classify.changes import detail_changes
from spintrace.classify.direction import infer_direction
from spintrace.classify.substitutions import document_substitutions
from spintrace.classify.derivation import DerivationModel, judge_links
from spintrace.classify.evidence import condensation_features, derivation_features, host_features, source_stretch
from spintrace.classify.features import copied_spans
from spintrace.classify.verdict import (
    ScoreModel, VerdictRules, decide_verdict, document_features, is_condensed, mostly_exact, reported_passages,
    rests_on_copied_text, reuse_score,
)
from spintrace.comparison import REUSE_VERDICTS, Comparison, Passage, Verdict
from spintrace.normalise.quotes import quoted_mask

from spintrace.errors import InputError, SpintraceError
from spintrace.pipeline.analyse import AnalysedText, analyse_text, language_parts, text_view
from spintrace.pipeline.mixed import compare_mixed, is_mixed

COPY_VERDICTS = frozenset({"verbatim", "paraphrase"})

Embed = Callable[[Sequence[str]], np.ndarray]

_score_model: ScoreModel | None = None

# Sentence-pair matrices grow with the product of the two lengths: 4M pairs is ~2,000 sentences
# a side (a 40,000-word document against another), a few hundred MB at most.
MAX_SENTENCE_PAIRS = 4_000_000


def default_embed() -> Embed:
    from spintrace.embed import SentenceEmbedder

    try:
        return SentenceEmbedder.default().encode
    except FileNotFoundError as exc:
        raise SpintraceError(f"sentence-embedding model unavailable ({exc}); reinstall spintrace") from None


def default_score_model() -> ScoreModel:
    global _score_model
    if _score_model is None:
        _score_model = ScoreModel.load_default()
    return _score_model


def _passages(source: AnalysedText, suspect: AnalysedText, runs: list[AlignedRun]) -> list[Passage]:
    """Aligned runs and verbatim regions as passages, with the details each link changed."""
    passages = merge_verbatim_regions(
        source, suspect, runs_to_passages(source, suspect, runs), find_verbatim_regions(source, suspect)
    )
    return [
        Passage(
            p.source_start, p.source_end, p.suspect_start, p.suspect_end, p.similarity, p.kind,
            tuple(c for link in p.links for c in detail_changes(source, suspect, link)),
            p.links,
        )
        for p in passages
    ]


@dataclass(slots=True)
class _Decision:
    alignment: Alignment
    runs: list[AlignedRun]
    passages: list[Passage]
    features: dict[str, float]
    score: float
    verdict: Verdict


def _judge(
    source: AnalysedText, *, suspect: AnalysedText, whole_source: AnalysedText, embed: Embed, strength_model: StrengthModel,
    align_params: AlignParams, score_model: ScoreModel, derivation_model: DerivationModel | None,
    verdict_rules: VerdictRules,
) -> _Decision:
    """Align, weigh the evidence of derivation link by link, score and decide."""
    alignment = align_sentences(source, suspect, embed, model=strength_model, params=align_params)
    runs = alignment.runs
    passages = _passages(source, suspect, runs)
    features = document_features(source, suspect, runs, passages)
    # Evidence of derivation, link by link: was this sentence made from that one?
    links = [link for run in runs for link in run.links]
    derived = judge_links(source, suspect, links, quoted_mask(suspect.text), derivation_model)
    features.update(derivation_features(source, suspect, runs, derived))
    features.update(condensation_features(source, suspect, alignment.matrices["strength"]))
    features.update(source_stretch(source, suspect, alignment.matrices["strength"]))
    # Against the whole source even when judging a part: what the rest of the suspect is about.
    features.update(host_features(whole_source, suspect, runs))
    score = reuse_score(score_model, features, verdict_rules)
    return _Decision(alignment, runs, passages, features, score, decide_verdict(score, features, verdict_rules))


def _weight(text: AnalysedText, sentences: Iterable[int]) -> int:
    return sum(text.sentences[i].segment.end - text.sentences[i].segment.start for i in sentences)


def source_part(source: AnalysedText, runs: Sequence[AlignedRun], rules: VerdictRules = VerdictRules()) -> list[int] | None:
    """The source sentences of the paragraphs the links come from (first to last), when that is a part.

    None when the links are too few to stand for a copied part (``part_min_links``) or reach
    over nearly the whole source (``part_max_share`` of its characters), which the first look
    already judged.
    """
    links = [link for run in runs for link in run.links]
    if len(links) < rules.part_min_links:
        return None
    paragraphs = [source.sentences[k].segment.paragraph for link in links for k in range(link.src_first, link.src_last + 1)]
    first, last = min(paragraphs), max(paragraphs)
    part = [i for i, s in enumerate(source.sentences) if first <= s.segment.paragraph <= last]
    if _weight(source, part) >= rules.part_max_share * _weight(source, range(len(source.sentences))):
        return None
    return part


def compare_analysed(
    source: AnalysedText,
    suspect: AnalysedText,
    *,
    embed: Embed | None = None,
    strength_model: StrengthModel = DEFAULT_STRENGTH,
    align_params: AlignParams = DEFAULT_PARAMS,
    score_model: ScoreModel | None = None,
    derivation_model: DerivationModel | None = None,
    verdict_rules: VerdictRules = VerdictRules(),
    source_published: str | date | None = None,
    suspect_published: str | date | None = None,
    multilingual_embed: Embed | None = None,
) -> Comparison:
    """Compare two already analysed texts (embeddings are computed and cached on them).

    Texts in different languages (or both in a language other than English) go to the
    cross-language pipeline (``pipeline.translated``, with ``multilingual_embed``). A text mixing
    English with another language is compared one language part at a time, each part on its own
    path, and the judgements combined (``pipeline.mixed``).
    """
    source_parts, suspect_parts = language_parts(source), language_parts(suspect)
    if is_mixed(source_parts, suspect_parts):
        judge = partial(
            compare_analysed, embed=embed, strength_model=strength_model, align_params=align_params,
            score_model=score_model, derivation_model=derivation_model, verdict_rules=verdict_rules,
            source_published=source_published, suspect_published=suspect_published,
            multilingual_embed=multilingual_embed,
        )
        return compare_mixed(source, suspect, source_parts, suspect_parts, judge, verdict_rules)
    languages = source_parts[0].language, suspect_parts[0].language
    if languages != ("en", "en"):
        from spintrace.pipeline.translated import compare_translated

        result = compare_translated(source, suspect, embed=multilingual_embed,
                                    source_published=source_published, suspect_published=suspect_published)
        result.source_language, result.suspect_language = languages
        if languages[0] == languages[1] and result.verdict == "paraphrase" and mostly_exact(result.passages, verdict_rules):
            # Two texts in one language other than English: a word-for-word copy is verbatim
            # there too, not the paraphrase a translation is (an identical French text was one).
            result.verdict = "verbatim"
        return result
    pairs = len(source.sentences) * len(suspect.sentences)
    if pairs > MAX_SENTENCE_PAIRS:
        raise InputError(
            "input",
            f"too long to compare whole ({len(source.sentences)} x {len(suspect.sentences)} sentences); "
            "split it into articles",
        )
    embed = embed or default_embed()
    score_model = score_model or default_score_model()
    judge = partial(_judge, suspect=suspect, whole_source=source, embed=embed, strength_model=strength_model, align_params=align_params,
                    score_model=score_model, derivation_model=derivation_model,
                    verdict_rules=verdict_rules)
    decision, basis = judge(source), source
    part = (None if decision.verdict in REUSE_VERDICTS or not verdict_rules.second_look
            else source_part(source, decision.runs, verdict_rules))
    if part is not None:
        # A short copy of one part of a long source: judged against the whole, most of the source
        # is missing from it and it looks like a report of the same story; judged against the part
        # its links come from, it is a copy of all of it. Offsets stay the whole source's.
        view = text_view(source, part)
        # The 8-gram rule is a share of the texts compared: a quote both outlets carry is a
        # twentieth of a part more easily than of the whole, which the first look already judged.
        second = judge(view, verdict_rules=replace(verdict_rules, copied_long_ngram_share=float("inf"),
                                                   reuse_probability=verdict_rules.part_reuse_probability))
        if second.verdict in REUSE_VERDICTS:
            decision, basis = second, view
            decision.features["source_part_share"] = _weight(source, part) / max(_weight(source, range(len(source.sentences))), 1)
            # Copy or partial copy is said of the whole source: two paragraphs of it are partial.
            whole_coverage = coverage(source.text, [(p.source_start, p.source_end) for p in decision.passages])
            decision.verdict = decide_verdict(decision.score, {**decision.features, "source_coverage": whole_coverage},
                                              verdict_rules)
    alignment, runs, passages, features = decision.alignment, decision.runs, decision.passages, decision.features
    score, verdict = decision.score, decision.verdict
    copied: list[tuple[int, int]] | None = None
    if verdict in REUSE_VERDICTS and rests_on_copied_text(score_model, features, verdict_rules):
        features["copied_text_decides"] = 1.0  # read by the reports' note
    if verdict in COPY_VERDICTS and features.get("copied_text_decides"):
        # Reuse only because text was copied (near-)verbatim, the models reading the rest of the
        # links as what two reports of one story share: a site's own report with a wire paragraph
        # pasted in. The copy is that text, so the coverage that makes it a copy of the article is
        # the copied text's, and the report shows the copied text and what adjoins it, not the
        # report's own sentences on the same facts.
        spans = copied_spans(basis, suspect, runs, passages, verdict_rules.copied_passage_words)
        if max(coverage(suspect.text, [(a, b) for a, b, _, _ in spans]),
               coverage(source.text, [(c, d) for _, _, c, d in spans])) < verdict_rules.copy_coverage:
            verdict, copied = "partial", [(a, b) for a, b, _, _ in spans]
    reused = verdict in REUSE_VERDICTS
    if verdict in COPY_VERDICTS and features["suspect_coverage"] >= verdict_rules.copy_coverage:
        # Known to be mostly a copy, the suspect's weakly linked sentences are reworded copies far
        # more often than shared facts: reselect links with the copy thresholds (score and verdict
        # stand). Not when only the source is mostly covered (a short source lifted into a long
        # page): the rest of that suspect is its own text.
        copy_params = replace(align_params, supported=align_params.supported_in_copy,
                              isolated=align_params.isolated_in_copy)
        runs = alignment.relinked(basis, suspect, copy_params)
        passages = _passages(basis, suspect, runs)
    passages = split_at_insertions(basis, suspect, reported_passages(passages, verdict, suspect, copied=copied))
    # Omitted and added text is what no link explains, so it is taken before gaps are bridged.
    src_cov = covered_by_passages(source, explained_spans(passages, "source", source, suspect))
    sus_cov = covered_by_passages(suspect, explained_spans(passages, "suspect", source, suspect))
    condensed = is_condensed(verdict, score_model, features, verdict_rules)
    if reused:
        # A condensed copy's sentences that retell the source without links still widen its
        # passages (``copy_extent``); for other copies that gained nothing in grouped CV.
        passages = copy_extent(basis, suspect, passages, condensed=condensed,
                               strength=alignment.matrices["strength"] if condensed else None)
        if condensed:
            # Its passages now reach over the sentences that retell the source in its order
            # without becoming links: those were made from the source, not added (a summary was
            # one passage over the whole suspect with two of its three paragraphs marked added).
            sus_cov = covered_by_passages(suspect, explained_spans(passages, "suspect", source, suspect))
    passages = with_edit_scripts(basis, suspect, passages)
    direction = infer_direction(
        basis,
        suspect,
        runs,
        passages,
        source_published=source_published,
        suspect_published=suspect_published,
        reused=reused,
    )
    omitted, added = uncovered(source, src_cov), uncovered(suspect, sus_cov)
    return Comparison(
        verdict=verdict,
        score=score,
        # The suspect's reused share: its passages (widened over reworded sentences) less what the
        # report marks as added inside them, so the share and the marks never disagree. The
        # source's share stays the stretch the copy spans: a condensed copy retells a stretch
        # whose dropped sentences are listed as omitted.
        suspect_coverage=coverage(suspect.text, [(p.suspect_start, p.suspect_end) for p in passages],
                                  minus=[(s.start, s.end) for s in added]),
        source_coverage=coverage(source.text, [(p.source_start, p.source_end) for p in passages]),
        passages=passages,
        omitted=omitted,
        added=added,
        direction=direction,
        source_text=source.text,
        suspect_text=suspect.text,
        features=features,
        substitutions=document_substitutions(basis, suspect, passages),
        condensed=condensed,
        source_language=languages[0],
        suspect_language=languages[1],
    )


def compare(source: str, suspect: str, **options) -> Comparison:
    """Compare a SOURCE article with a SUSPECT article and explain any reuse.

    ``options`` are those of ``compare_analysed`` (``source_published``/``suspect_published``
    as ISO dates let direction use publication order; ``embed`` swaps the sentence embedder).
    Raises ``InputError`` for an empty text.
    """
    for name, text in (("source", source), ("suspect", suspect)):
        if not isinstance(text, str) or not text.strip():
            raise InputError(name, "empty text")
    return compare_analysed(analyse_text(source), analyse_text(suspect), **options)
