"""Attribute each suspect passage to one source: the earliest published of those carrying it.

Sources are ranked once (earliest ``published`` first, undated last; then the stronger claim);
each link of each claim, in that order, takes the suspect text no better-ranked source took. A
link whose text was already taken names its source in the taker's ``also_in``. Links kept for one
source and one passage of its comparison are merged back into passages.
"""

from __future__ import annotations

from collections.abc import Sequence

from spintrace.align.insertions import is_one_sided
from spintrace.align.passages import coverage
from spintrace.dates import published_sort_key
from spintrace.trace.model import AttributedPassage, Claim, Link, TracedSource


def source_order(claims: Sequence[Claim]) -> list[Claim]:
    """Earliest published first; among equals the claim supplying more text, then by id."""
    def supplied(claim: Claim) -> int:
        return sum(l.suspect_end - l.suspect_start for l in claim.links)

    return sorted(claims, key=lambda c: (published_sort_key(c.source.published), -supplied(c), -c.score, c.source.id))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def attribute(suspect_text: str, claims: Sequence[Claim]) -> tuple[list[TracedSource], list[AttributedPassage], list[tuple[int, int]], float]:
    """Sources with their shares, attributed passages (suspect order), unattributed spans, attributed share."""
    taken: list[tuple[tuple[int, int], str, list[str]]] = []  # span, source id, also_in
    kept: dict[tuple[str, int], list[Link]] = {}
    ordered = source_order(claims)
    for claim in ordered:
        for link in claim.links:
            span = (link.suspect_start, link.suspect_end)
            length = max(1, span[1] - span[0])
            holders = [entry for entry in taken if _overlap(entry[0], span) * 2 > length]
            if holders:
                for entry in holders:
                    if claim.source.id not in entry[2] and claim.source.id != entry[1]:
                        entry[2].append(claim.source.id)
                continue
            taken.append((span, claim.source.id, []))
            kept.setdefault((claim.source.id, link.passage), []).append(link)
    also: dict[tuple[int, int], list[str]] = {entry[0]: entry[2] for entry in taken}
    by_source = {claim.source.id: claim for claim in ordered}
    passages = []
    for (source_id, n), links in kept.items():
        links.sort(key=lambda l: l.suspect_start)
        elsewhere = [entry[0] for entry in taken if entry[1] != source_id]
        for run in _runs_between(links, elsewhere, suspect_text):
            weights = [max(1, l.suspect_end - l.suspect_start) for l in run]
            others = sorted({o for l in run for o in also[(l.suspect_start, l.suspect_end)]})
            extent = _extent(by_source[source_id], n, run, elsewhere)
            passages.append(AttributedPassage(
                suspect_start=extent[0], suspect_end=extent[1], source_id=source_id, source_start=extent[2],
                source_end=extent[3],
                similarity=sum(w * l.similarity for w, l in zip(weights, run)) / sum(weights), also_in=tuple(others),
            ))
    passages.sort(key=lambda p: (p.suspect_start, p.source_id))
    passages = bridge_gaps(passages, suspect_text)
    sources = []
    for claim in ordered:
        mine = [(p.suspect_start, p.suspect_end) for p in passages if p.source_id == claim.source.id]
        if not mine:
            continue
        sources.append(TracedSource(claim.source, coverage(suspect_text, mine), claim.verdict, claim.score,
                                    claim.judged_on, len(mine)))
    sources.sort(key=lambda s: -s.share)
    spans = [(p.suspect_start, p.suspect_end) for p in passages]
    return sources, passages, unattributed_spans(suspect_text, spans), coverage(suspect_text, spans) if spans else 0.0


def _runs_between(links: Sequence[Link], elsewhere: Sequence[tuple[int, int]], suspect_text: str) -> list[list[Link]]:
    """``links`` (suspect order) cut wherever text attributed to another source lies between two
    of them (one passage of a comparison spanned an update's new paragraph that its later version
    supplied: the two sources' shares overlapped), or text the source has nothing for (a sentence
    inserted between two copied ones, or taken from a source no judge could claim it for)."""
    runs: list[list[Link]] = []
    for link in links:
        last = runs[-1][-1] if runs else None
        if (last is not None and not any(last.suspect_end <= start and end <= link.suspect_start for start, end in elsewhere)
                and _source_has_gap(last, link, suspect_text)):
            runs[-1].append(link)
        else:
            runs.append([link])
    return runs


def _extent(claim: Claim, passage: int, links: Sequence[Link],
            elsewhere: Sequence[tuple[int, int]]) -> tuple[int, int, int, int]:
    """Where the kept links of one passage of ``claim`` came from, suspect and source side.

    The judge's passage as it reported it (widened past its links to the stretch the copy spans:
    a sentence reworded past linking, a paragraph's edges) when this source kept every link of it
    and the passage reaches no text attributed to another source; else the links' own span."""
    whole = [l for l in claim.links if l.passage == passage]
    if passage < len(claim.extents) and len(whole) == len(links):
        extent = claim.extents[passage]
        if not any(_overlap((extent[0], extent[1]), span) for span in elsewhere):
            return extent
    return (min(l.suspect_start for l in links), max(l.suspect_end for l in links),
            min(l.source_start for l in links), max(l.source_end for l in links))


def bridge_gaps(passages: Sequence[AttributedPassage], suspect_text: str | None = None) -> list[AttributedPassage]:
    """Passages (suspect order) with each two neighbours from one source joined across the gap.

    Nothing else was attributed between them, and a piece taken from one source is contiguous: a
    sentence its rewriter reworded past linking, or fused from two, sits between linked ones. A
    gap longer than either passage is not bridged: a stray link far from the source's part would
    otherwise claim everything up to it. Nor is a gap the source has nothing for: where the two
    passages' source text meets (a few characters apart, or in the wrong order), what sits between
    them in the suspect was not taken from that source (text the copier inserted, a sentence of
    another source no judge could claim alone). The source side spans both passages' source text."""
    out: list[AttributedPassage] = []
    for p in passages:
        last = out[-1] if out else None
        a = last.suspect_end - last.suspect_start if last is not None else 0
        b = p.suspect_end - p.suspect_start
        if (last is not None and last.source_id == p.source_id
                and p.suspect_start - last.suspect_end <= min(a, b)
                and _source_has_gap(last, p, suspect_text)):
            out[-1] = AttributedPassage(
                suspect_start=last.suspect_start, suspect_end=max(last.suspect_end, p.suspect_end),
                source_id=p.source_id,
                source_start=min(last.source_start, p.source_start), source_end=max(last.source_end, p.source_end),
                similarity=(a * last.similarity + b * p.similarity) / max(1, a + b),
                also_in=tuple(sorted(set(last.also_in) | set(p.also_in))))
        else:
            out.append(p)
    return out


def _source_has_gap(last: AttributedPassage | Link, nxt: AttributedPassage | Link, suspect_text: str | None) -> bool:
    """Whether the source holds text between two passages that the suspect's gap can stand for:
    at least a quarter as many characters as the gap (a reworded sentence is seldom shorter)."""
    if suspect_text is None:
        return True
    gap = len("".join(suspect_text[last.suspect_end:nxt.suspect_start].split()))
    return not is_one_sided(gap, nxt.source_start - last.source_end)


def unattributed_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches of ``text`` outside ``spans``, trimmed, that hold any non-space character."""
    out = []
    pos = 0
    for start, end in sorted(spans) + [(len(text), len(text))]:
        if start > pos:
            s, e = pos, start
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
        pos = max(pos, end)
    return out
