"""Compare a pair in which a text mixes English with another language, one language part at a time.

A content-farm page may join an English copy of one article to a translation of another, or run
an article in two languages. Given one language, such a text is judged wrongly on one side: on
the English path its untranslated part reads as text "about something else" around the English
part, the mark of paragraphs planted in another article (an independent report beside a
translation looks like a partial copy), and the translated part's reuse goes unseen; on the
cross-language path its English part is weighed as a translation would be.

So each pair of language parts (``pipeline.analyse.language_parts``; one part for a text in one
language) is judged on its own path (``judge_parts``), each part seen through a view that keeps
the whole text's offsets, and the judgements are combined into one comparison of the whole pair
(``combine``):

- passages: every judgement's, in suspect order (when the source mixes languages, a stretch of
  suspect explained by both source parts keeps the better judgement's passages);
- verdict: reuse when any judgement is reuse; then, over the whole texts as ``decide_verdict``
  says it, a copy (verbatim when every reused part was judged verbatim, else paraphrase) when the reused parts' passages
  cover ``copy_coverage`` of either text, else partial: one reused part covering under half of
  both texts is a partial copy. Without reuse, same-story when any judgement says so, else
  unrelated;
- score, features and direction: the deciding judgement's, the reused one whose passages cover the
  most suspect text (with nothing reused, the highest-scored), so a reused pair's score is a
  reuse judgement's;
- omitted / added: the text no judgement explains, over the whole texts;
- languages: the parts' joined by "+" ("en+fr"), and each judgement in ``Comparison.parts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spintrace.align.insertions import cut_passage
from spintrace.align.passages import coverage, uncovered
from spintrace.classify.verdict import VerdictRules
from spintrace.comparison import REUSE_VERDICTS, Comparison, JudgedPart, Passage, Span, Substitution, Verdict
from spintrace.pipeline.analyse import AnalysedText, LanguagePart, language_view

#: Compares two texts each in one language (``compare_analysed`` with the caller's options).
Judge = Callable[[AnalysedText, AnalysedText], Comparison]


@dataclass(frozen=True, slots=True)
class PartJudgement:
    """A source part and a suspect part, and their comparison (offsets into the whole texts)."""

    source_part: LanguagePart
    suspect_part: LanguagePart
    comparison: Comparison
    passages: tuple[Passage, ...] = ()  # the comparison's, cut to the suspect part (``_within_part``)


def is_mixed(source_parts: Sequence[LanguagePart], suspect_parts: Sequence[LanguagePart]) -> bool:
    return len(source_parts) > 1 or len(suspect_parts) > 1


def judge_parts(
    source: AnalysedText, suspect: AnalysedText, source_parts: Sequence[LanguagePart],
    suspect_parts: Sequence[LanguagePart], judge: Judge,
) -> list[PartJudgement]:
    """Each source part against each suspect part, on the path of their two languages. A text in
    one language is passed whole (its embeddings and translation view are then kept on it for the
    other part)."""

    def seen(text: AnalysedText, parts: Sequence[LanguagePart], part: LanguagePart) -> AnalysedText:
        return text if len(parts) == 1 else language_view(text, part)

    judged = []
    for src in source_parts:
        for sus in suspect_parts:
            comparison = judge(seen(source, source_parts, src), seen(suspect, suspect_parts, sus))
            passages = (comparison.passages if len(suspect_parts) == 1
                        else _within_part(comparison.passages, part_spans(suspect, sus)))
            judged.append(PartJudgement(src, sus, comparison, tuple(passages)))
    return judged


def _across(j: PartJudgement) -> bool:
    return j.source_part.language != j.suspect_part.language


def _within_part(passages: Sequence[Passage], runs: Sequence[Span]) -> list[Passage]:
    """``passages`` cut wherever they reach across the text of another language part: judged on a
    view that blanks that text, a verbatim copy's regions merged across it, and an English copy
    with a translated paragraph pasted into it was one exact passage over the translation."""
    gaps = [(a.end, b.start) for a, b in zip(runs, runs[1:])]
    out: list[Passage] = []
    for p in passages:
        cuts = [g for g in gaps if p.suspect_start < g[0] and g[1] < p.suspect_end]
        for piece in cut_passage(p, cuts) if cuts else [p]:
            # and kept inside the runs its links lie in (a region's edge can reach a word past them)
            first = min((l.suspect_start for l in piece.links), default=piece.suspect_start)
            last = max((l.suspect_end for l in piece.links), default=piece.suspect_end)
            start = next((r.start for r in runs if r.start <= first < r.end), piece.suspect_start)
            end = next((r.end for r in runs if r.start < last <= r.end), piece.suspect_end)
            out.append(replace(piece, suspect_start=max(piece.suspect_start, start), suspect_end=min(piece.suspect_end, end)))
    return out


def _kept_passages(judged: Sequence[PartJudgement]) -> list[tuple[int, Passage]]:
    """(judgement index, passage) for every judgement's passages in suspect order. Suspect parts do
    not overlap; only a source in two languages (an article and its translation) can explain one
    stretch of suspect twice. It goes to a reused judgement before one that is not, to one in one
    language before one across two (its passages carry the words: exact stretches, edits), then to
    the higher score."""
    order = sorted(range(len(judged)), key=lambda k: (not judged[k].comparison.reused, _across(judged[k]),
                                                       -judged[k].comparison.score))
    kept: list[tuple[int, Passage]] = []
    for k in order:
        for p in judged[k].passages:
            if not any(j != k and q.suspect_start < p.suspect_end and p.suspect_start < q.suspect_end for j, q in kept):
                kept.append((k, p))
    return sorted(kept, key=lambda kp: (kp[1].suspect_start, kp[1].source_start))


def _unexplained(text: AnalysedText, judged: Sequence[PartJudgement], side: str) -> list[Span]:
    """``omitted`` (side "source") or ``added`` (side "suspect") over the whole text: the sentences
    that every judgement of their part lists as unexplained."""
    by_part: dict[tuple[int, ...], set[int]] = {}
    for j in judged:
        part = j.source_part if side == "source" else j.suspect_part
        spans = j.comparison.omitted if side == "source" else j.comparison.added
        inside = {k for k in part.sentences
                  if any(s.start <= text.sentences[k].segment.start and text.sentences[k].segment.end <= s.end
                         for s in spans)}
        by_part[part.sentences] = inside if part.sentences not in by_part else by_part[part.sentences] & inside
    unexplained = set().union(*by_part.values())
    return uncovered(text, set(range(len(text.sentences))) - unexplained)


def part_spans(text: AnalysedText, part: LanguagePart) -> tuple[Span, ...]:
    """The runs of consecutive sentences of ``part``, as spans of the whole text."""
    runs: list[Span] = []
    previous = None
    for k in part.sentences:
        segment = text.sentences[k].segment
        if previous is not None and k == previous + 1:
            runs[-1] = Span(runs[-1].start, segment.end)
        else:
            runs.append(Span(segment.start, segment.end))
        previous = k
    return tuple(runs)


def _merged_substitutions(comparisons: Sequence[Comparison]) -> list[Substitution]:
    counts: dict[tuple[str, str], int] = {}
    for c in comparisons:
        for s in c.substitutions:
            counts[s.source, s.suspect] = counts.get((s.source, s.suspect), 0) + s.count
    return [Substitution(a, b, n) for (a, b), n in sorted(counts.items(), key=lambda item: -item[1])]


def combined_verdict(
    source: AnalysedText, suspect: AnalysedText, judged: Sequence[PartJudgement],
    kept: Sequence[tuple[int, Passage]], rules: VerdictRules,
) -> Verdict:
    """The whole pair's verdict from its parts' (module doc)."""
    reused = [k for k, j in enumerate(judged) if j.comparison.reused]
    if not reused:
        return "same-story" if any(j.comparison.verdict == "same-story" for j in judged) else "unrelated"
    copied = [(k, p) for k, p in kept if k in reused]
    share = max(coverage(suspect.text, [(p.suspect_start, p.suspect_end) for _, p in copied]),
                coverage(source.text, [(p.source_start, p.source_end) for _, p in copied]))
    if share < rules.copy_coverage:
        return "partial"
    # Verbatim when every reused judgement with passages here said so (each by the English bar, on
    # passage kinds read before edit scripts relabel an edited exact passage near); never across
    # languages.
    deciding = {k for k, _ in copied}
    return "verbatim" if all(judged[k].comparison.verdict == "verbatim" for k in deciding) else "paraphrase"


def deciding_judgement(judged: Sequence[PartJudgement], kept: Sequence[tuple[int, Passage]]) -> PartJudgement:
    """The judgement whose score, features and direction the whole pair reports: the reused one
    whose kept passages cover the most suspect text, or with nothing reused the highest-scored."""
    reused = [k for k, j in enumerate(judged) if j.comparison.reused]
    if not reused:
        return max(judged, key=lambda j: j.comparison.score)
    covered = {k: sum(p.suspect_end - p.suspect_start for i, p in kept if i == k) for k in reused}
    return judged[max(reused, key=lambda k: (covered[k], judged[k].comparison.score))]


def combine(
    source: AnalysedText, suspect: AnalysedText, judged: Sequence[PartJudgement], rules: VerdictRules = VerdictRules(),
    *, source_language: str, suspect_language: str,
) -> Comparison:
    """One comparison of the whole pair from its parts' judgements (module doc)."""
    kept = _kept_passages(judged)
    passages = [p for _, p in kept]
    primary = deciding_judgement(judged, kept).comparison
    verdict = combined_verdict(source, suspect, judged, kept, rules)
    added = _unexplained(suspect, judged, "suspect")
    return Comparison(
        verdict=verdict,
        score=primary.score,
        # as for one-language pairs, the suspect's reused share leaves out what is marked added
        suspect_coverage=coverage(suspect.text, [(p.suspect_start, p.suspect_end) for p in passages],
                                  minus=[(s.start, s.end) for s in added]),
        source_coverage=coverage(source.text, [(p.source_start, p.source_end) for p in passages]),
        passages=passages,
        omitted=_unexplained(source, judged, "source"),
        added=added,
        direction=primary.direction,
        source_text=source.text,
        suspect_text=suspect.text,
        features=dict(primary.features),
        substitutions=_merged_substitutions([j.comparison for j in judged]),
        condensed=verdict in REUSE_VERDICTS and any(j.comparison.reused and j.comparison.condensed for j in judged),
        source_language=source_language,
        suspect_language=suspect_language,
        parts=[
            JudgedPart(j.source_part.language, j.suspect_part.language, part_spans(source, j.source_part),
                       part_spans(suspect, j.suspect_part), j.comparison.verdict, j.comparison.score)
            for j in judged
        ],
    )


def compare_mixed(
    source: AnalysedText, suspect: AnalysedText, source_parts: Sequence[LanguagePart],
    suspect_parts: Sequence[LanguagePart], judge: Judge, rules: VerdictRules = VerdictRules(),
) -> Comparison:
    """Compare a pair in which either text mixes English with another language (module doc)."""
    judged = judge_parts(source, suspect, source_parts, suspect_parts, judge)
    return combine(source, suspect, judged, rules,
                   source_language="+".join(p.language for p in source_parts),
                   suspect_language="+".join(p.language for p in suspect_parts))
