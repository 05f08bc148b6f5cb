"""Reuse families: connected groups of reused documents, their likely origin and derivation tree.

Split in two so it scales: ``connected_components`` needs every pair but only ids (cheap, done
once), while ``build_family`` needs one component's pairs and runs per component, which the Spark
engine distributes with ``groupBy(component).applyInPandas``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from spintrace.classify.substitutions import merge_substitutions
from spintrace.dates import published_order, published_sort_key
from spintrace.engines.stages import PairRecord


@dataclass(slots=True)
class Family:
    """A connected group of documents linked by reuse pairs."""

    family_id: str
    members: list[str]
    origin: str
    origin_evidence: str  # "published" or "direction" or "undetermined"
    tree: dict[str, Any]  # {"id", "children": [...]} rooted at the origin
    parents: dict[str, str | None] = field(default_factory=dict)  # None for every root
    pair_count: int = 0
    substitutions: list[dict[str, Any]] = field(default_factory=list)  # most common swaps over its pairs
    # Every member's sources by passage attribution (earliest published first): a member built
    # from two sources has two, where the tree can hang it under only one.
    all_parents: dict[str, list[str]] = field(default_factory=dict)
    # Every member no pair shows to be a copy that no other member's tree could take in (the
    # sources of a compilation), origin first, and the tree under each; ``tree`` is the first.
    origins: list[str] = field(default_factory=list)
    trees: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def connected_components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over id pairs: each id -> the smallest id of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {x: find(x) for x in parent}


def determined_source(pair: PairRecord, published: Mapping[str, str | None]) -> str | None:
    """Which side of a pair the evidence names as the original: the earlier published where both
    dates are known and differ, else the pair's source when compare found the copying direction;
    ``None`` when nothing tells (the pair's order is then only the order it was tried in)."""
    order = published_order(published.get(pair.source_id), published.get(pair.suspect_id))
    if order:
        return pair.source_id if order < 0 else pair.suspect_id
    return pair.source_id if pair.direction == "source" else None


def _infer_origin(members: Sequence[str], pairs: Sequence[PairRecord], published: Mapping[str, str | None]
                  ) -> tuple[str, str, list[str]]:
    """The origin, what chose it, and every member no pair shows to be a copy, best first (the
    origin's rivals: a compilation has one per source)."""
    # Direction evidence: each directed pair votes for its source as earlier, against its copy.
    votes = dict.fromkeys(members, 0.0)
    for p in pairs:
        if p.direction == "source":
            votes[p.source_id] += p.direction_confidence
            votes[p.suspect_id] -= p.direction_confidence

    def most_voted(candidates: Sequence[str]) -> str:
        return max(candidates, key=lambda m: (votes[m], -members.index(m)))

    # The origin is never shown to be a copy: no pair's evidence (dates, copying direction) makes
    # it the derived side, so ``parents``, ``tree`` and ``all_parents`` tell one story.
    dates = {m: published[m] for m in members if published_sort_key(published.get(m))[0] == 0}
    derived: set[str] = set()
    bound: dict[str, Any] = {}
    for p in pairs:
        if (source := determined_source(p, published)) is None:
            continue
        copy = p.suspect_id if source == p.source_id else p.source_id
        derived.add(copy)
        if source not in dates and copy in dates and (source not in bound or published_order(dates[copy], bound[source]) < 0):
            # undated, but shown to be the source of a dated copy: published by then at the latest
            bound[source] = dates[copy]
    candidates = [m for m in members if m not in derived] or list(members)
    when = {m: dates.get(m) or bound[m] for m in candidates if m in dates or m in bound}
    # earliest known date first (undated last), then the copying evidence, then id order
    ranked = sorted(candidates, key=lambda m: (published_sort_key(when.get(m)), -votes[m], members.index(m)))
    if when:
        # Members no other is known to precede (several: the same day, or no time to tell them
        # apart): the copying evidence decides between them.
        earliest = [m for m in when if not any(published_order(when[o], when[m]) < 0 for o in when)]
        best = most_voted(earliest or [min(when, key=lambda m: published_sort_key(when[m]))])
    else:
        best = most_voted(candidates)
    others = [m for m in candidates if m != best]
    if not others or all(m in when and published_order(when[best], when[m]) < 0 for m in others):
        evidence = "published" if best in dates else "direction"  # a bound is read from a direction
    elif votes[best] > max(votes[m] for m in others):
        evidence = "direction"
    else:
        # Nothing tells it from a rival: the same day, an undated rival, no copying evidence.
        evidence = "undetermined"
    # Where the evidence makes every member a copy (it contradicts itself), only the origin is a root.
    return best, evidence, [best, *(m for m in ranked if m != best and m not in derived)]


def build_family(family_id: str, pairs: Sequence[PairRecord], published: Mapping[str, str | None]) -> Family:
    """Origin and derivation tree of one connected component.

    The tree is grown from the origin (Prim's algorithm), always attaching next the document whose
    strongest link to the tree is best, over links whose evidence does not say the other way (the
    tree member is that pair's source, or nothing tells). Members only reachable against the
    evidence (the other sources of a compilation: their one link says they were copied *into* a
    member of the tree) start trees of their own, best-ranked original first, so no member ever
    hangs under a copy of itself; only where the evidence contradicts itself does a member attach
    against it.
    """
    members = sorted({p.source_id for p in pairs} | {p.suspect_id for p in pairs})
    origin, evidence, originals = _infer_origin(members, pairs, published)
    links: dict[str, list[tuple[str, PairRecord]]] = {m: [] for m in members}
    for p in pairs:
        links[p.source_id].append((p.suspect_id, p))
        links[p.suspect_id].append((p.source_id, p))

    def strength(parent: str, p: PairRecord) -> tuple[int, float, float]:
        source = determined_source(p, published)
        agrees = source is None or source == parent
        # Scores of copies all round to 1.00: then the parent that holds more of the child wins
        # (a full copy must not hang under a copy that dropped a paragraph).
        covered = p.suspect_coverage if p.source_id == parent else p.source_coverage
        return (1 if agrees else 0, round(p.score, 2), covered)

    parents: dict[str, str | None] = {}
    roots: list[str] = []
    best: dict[str, tuple[tuple[int, float, float], str]] = {}

    def add(node: str, parent: str | None) -> None:
        parents[node] = parent
        for other, p in links[node]:
            if other in parents:
                continue
            cand = (strength(node, p), node)
            if other not in best or cand[0] > best[other][0]:
                best[other] = cand

    add(origin, None)
    roots.append(origin)
    while len(parents) < len(members):
        agreeing = [m for m in best if best[m][0][0] == 1]
        if agreeing:
            nxt = max(agreeing, key=lambda m: (best[m][0], m))
            add(nxt, best.pop(nxt)[1])
            continue
        fresh = next((m for m in originals if m not in parents), None)
        if fresh is not None:
            best.pop(fresh, None)
            roots.append(fresh)
            add(fresh, None)
            continue
        nxt = max(best, key=lambda m: (best[m][0], m))  # the evidence contradicts itself
        add(nxt, best.pop(nxt)[1])

    children: dict[str, list[str]] = {m: [] for m in members}
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)

    def subtree(node: str) -> dict[str, Any]:
        return {"id": node, "children": [subtree(c) for c in sorted(children[node])]}

    depth = dict.fromkeys(roots, 0)
    for root in roots:
        for node in _breadth_first(root, children):
            depth.update({c: depth[node] + 1 for c in children[node]})
    oriented = [_oriented(p, published, depth) for p in pairs]
    all_parents = {m: attributed_parents(m, oriented, published) for m in members}
    trees = [subtree(r) for r in roots]
    return Family(family_id, members, origin, evidence, trees[0], parents, len(pairs),
                  merge_substitutions(p.substitutions for p in pairs), all_parents, roots, trees)


def _breadth_first(root: str, children: Mapping[str, list[str]]) -> Iterable[str]:
    queue = [root]
    for node in queue:
        yield node
        queue.extend(children[node])


def _oriented(pair: PairRecord, published: Mapping[str, str | None], depth: Mapping[str, int]) -> PairRecord:
    """``pair`` with its source the side the evidence names, or where nothing tells, the side
    nearer the family's origin in its tree (the order a pair was tried in is no evidence)."""
    source = determined_source(pair, published)
    if source is None and depth.get(pair.suspect_id, 0) < depth.get(pair.source_id, 0):
        source = pair.suspect_id
    if source is None or source == pair.source_id:
        return pair
    swapped = [{**p, "source_start": p.get("suspect_start"), "source_end": p.get("suspect_end"),
                "suspect_start": p.get("source_start"), "suspect_end": p.get("source_end")} for p in pair.passages]
    return replace(pair, source_id=pair.suspect_id, suspect_id=pair.source_id, passages=swapped,
                   source_coverage=pair.suspect_coverage, suspect_coverage=pair.source_coverage)


def attributed_parents(member: str, pairs: Sequence[PairRecord], published: Mapping[str, str | None],
                       min_chars: int = 100) -> list[str]:
    """The documents ``member`` took text from, each supplying passages no earlier one did.

    The pairs where ``member`` is the copy are taken earliest-published source first (then the
    one covering more of it); each source keeps the passages not already more than half covered,
    and is a parent when what it keeps is at least ``min_chars`` long: the same rule as
    ``spintrace trace``, so a compilation of two articles gets both, a copy of a copy only one.
    """
    claims = [p for p in pairs if p.suspect_id == member and p.source_id != member]
    claims.sort(key=lambda p: (published_sort_key(published.get(p.source_id)), -p.suspect_coverage, p.source_id))
    taken: list[tuple[int, int]] = []
    out = []
    for pair in claims:
        kept = 0
        for passage in pair.passages:
            span = (int(passage.get("suspect_start", 0)), int(passage.get("suspect_end", 0)))
            length = span[1] - span[0]
            if length <= 0:
                continue
            if sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in taken) * 2 > length:
                continue
            taken.append(span)
            kept += length
        if kept >= min_chars:
            out.append(pair.source_id)
    return out


def family_key(pairs: Sequence[PairRecord]) -> str:
    """The component label of a family: its smallest member id."""
    return min(min(p.source_id, p.suspect_id) for p in pairs)


def build_families(pairs: Sequence[PairRecord], published: Mapping[str, str | None]) -> list[Family]:
    """Every family of a scan, largest first (ties by origin id), numbered in that order."""
    component = connected_components(p.key for p in pairs)
    grouped: dict[str, list[PairRecord]] = {}
    for p in pairs:
        grouped.setdefault(component[p.source_id], []).append(p)
    families = [build_family(root, group, published) for root, group in grouped.items()]
    return number_families(families)


def number_families(families: list[Family]) -> list[Family]:
    """Order families largest first and give them stable ids ``F000001``...."""
    families.sort(key=lambda f: (-len(f.members), f.members[0]))
    for n, fam in enumerate(families, 1):
        fam.family_id = f"F{n:06d}"
    return families
