"""Families: connected components of reuse pairs, their origin and derivation tree."""

from __future__ import annotations

from spintrace.engines.families import build_families, connected_components
from spintrace.engines.stages import PairRecord


def pair(source: str, suspect: str, score: float = 0.9, direction: str = "source", confidence: float = 0.8) -> PairRecord:
    return PairRecord(source, suspect, "paraphrase", score, 0.8, 0.8, direction, confidence, [], [])


def test_components_join_chains_and_keep_islands_apart():
    comp = connected_components([("b", "c"), ("a", "b"), ("x", "y")])
    assert comp == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}


def test_origin_is_the_earliest_published_member_whatever_the_pair_directions_say():
    pairs = [pair("copy1", "orig", direction="source"), pair("orig", "copy2")]
    published = {"orig": "2024-01-01", "copy1": "2024-01-03", "copy2": "2024-01-02"}
    (fam,) = build_families(pairs, published)
    assert fam.origin == "orig" and fam.origin_evidence == "published"
    assert fam.members == ["copy1", "copy2", "orig"]
    assert fam.tree["id"] == "orig"
    assert {c["id"] for c in fam.tree["children"]} == {"copy1", "copy2"}


def test_without_dates_direction_evidence_picks_the_origin_and_copies_of_copies_hang_below():
    # orig -> spun -> respun, plus a weaker direct orig/respun link
    pairs = [pair("orig", "spun", 0.95), pair("spun", "respun", 0.9), pair("orig", "respun", 0.6)]
    (fam,) = build_families(pairs, {})
    assert fam.origin == "orig" and fam.origin_evidence == "direction"
    assert fam.parents == {"orig": None, "spun": "orig", "respun": "spun"}
    assert fam.tree == {"id": "orig", "children": [{"id": "spun", "children": [{"id": "respun", "children": []}]}]}


def test_families_are_numbered_largest_first_and_undirected_pairs_say_so():
    pairs = [pair("p", "q", direction="unknown", confidence=0.0), pair("a", "b"), pair("b", "c")]
    fams = build_families(pairs, {})
    assert [f.family_id for f in fams] == ["F000001", "F000002"]
    assert [len(f.members) for f in fams] == [3, 2]
    assert fams[1].origin_evidence == "undetermined"


def test_members_published_the_same_earliest_day_are_told_apart_by_direction_evidence():
    # Two same-day articles on one story, and a later copy of the second one.
    pairs = [pair("a-report", "b-report", direction="unknown", confidence=0.5), pair("b-report", "copy")]
    published = {"a-report": "2005-01-10", "b-report": "2005-01-10", "copy": "2005-01-12"}
    (fam,) = build_families(pairs, published)
    # the date ties the two; what chose b-report is the copying evidence, and the label says so
    assert fam.origin == "b-report" and fam.origin_evidence == "direction"


def test_a_family_lists_the_substitutions_its_copies_share_most():
    a, b, c = pair("orig", "copy1"), pair("orig", "copy2"), pair("copy2", "copy3")
    a.substitutions = [{"source": "alliance", "suspect": "coalition", "count": 3}, {"source": "hike", "suspect": "rise", "count": 5}]
    b.substitutions = [{"source": "alliance", "suspect": "coalition", "count": 1}]
    c.substitutions = [{"source": "alliance", "suspect": "coalition", "count": 2}, {"source": "said", "suspect": "stated", "count": 1}]
    (family,) = build_families([a, b, c], {})
    assert family.substitutions[0] == {"source": "alliance", "suspect": "coalition", "count": 6, "pairs": 3}
    assert [s["source"] for s in family.substitutions] == ["alliance", "hike", "said"]
    # records written before the field existed still load (a resumed scan)
    old = {k: v for k, v in a.to_dict().items() if k != "substitutions"}
    assert PairRecord.from_dict(old).substitutions == []


def _with_passages(source: str, suspect: str, spans: list[tuple[int, int]], coverage: float = 0.5) -> PairRecord:
    passages = [{"source_start": 0, "source_end": e - s, "suspect_start": s, "suspect_end": e,
                 "similarity": 0.8, "kind": "paraphrase"} for s, e in spans]
    return PairRecord(source, suspect, "paraphrase", 0.9, 0.5, coverage, "source", 0.8, [], passages)


def test_a_member_built_from_two_sources_has_two_parents():
    # "mix" takes its first half from a, its second from b; "copy" is a plain copy of a
    pairs = [_with_passages("a", "mix", [(0, 900)]), _with_passages("b", "mix", [(950, 1800)]),
             _with_passages("a", "copy", [(0, 1500)], 0.9)]
    (fam,) = build_families(pairs, {"a": "2024-01-01", "b": "2024-01-02", "mix": "2024-01-05", "copy": "2024-01-04"})
    assert fam.all_parents["mix"] == ["a", "b"]
    assert fam.all_parents["copy"] == ["a"]
    assert fam.all_parents["a"] == [] and fam.all_parents["b"] == []
    assert fam.parents["mix"] in {"a", "b"}  # the tree still hangs it under one


def test_a_source_whose_passages_an_earlier_one_already_supplied_is_not_a_second_parent():
    # "dup" is a later duplicate of "a" (same passages of "mix"): "a" was published first
    pairs = [_with_passages("dup", "mix", [(0, 900)]), _with_passages("a", "mix", [(0, 900)]),
             _with_passages("a", "dup", [(0, 900)], 0.9)]
    (fam,) = build_families(pairs, {"a": "2024-01-01", "dup": "2024-01-03", "mix": "2024-01-05"})
    assert fam.all_parents["mix"] == ["a"]


def _passage(length: int = 400) -> list[dict]:
    return [{"source_start": 0, "source_end": length, "suspect_start": 0, "suspect_end": length}]


def test_the_origin_tree_and_all_parents_tell_one_story():
    """An audit found a family whose origin (its one dated member, a rewrite) had the original
    article as its parent in ``all_parents``, while ``parents`` hung the article under its own
    rewrite: ``all_parents`` followed the order the pair was tried in (no dates on one side, no
    copying direction), the origin the one date."""
    undirected = pair("bbc-article", "z-rewrite", direction="unknown", confidence=0.0)
    undirected.passages = _passage()
    (fam,) = build_families([undirected], {"z-rewrite": "2005-03-01"})
    assert fam.all_parents[fam.origin] == []
    (child,) = [m for m in fam.members if m != fam.origin]
    assert fam.parents[child] == fam.origin and fam.all_parents[child] == [fam.origin]

    # Copying direction found by compare outranks a date on one side only: the undated original.
    directed = pair("bbc-article", "z-rewrite", direction="source")
    directed.passages = _passage()
    (fam,) = build_families([directed], {"z-rewrite": "2005-03-01"})
    assert fam.origin == "bbc-article" and fam.all_parents == {"bbc-article": [], "z-rewrite": ["bbc-article"]}

    # Dates on both sides outrank the order a pair was tried in, in all_parents too.
    backwards = pair("late-copy", "original", direction="unknown", confidence=0.0)
    backwards.passages = _passage()
    (fam,) = build_families([backwards], {"original": "2024-01-01", "late-copy": "2024-01-05"})
    assert fam.origin == "original" and fam.all_parents == {"original": [], "late-copy": ["original"]}


def test_an_undated_member_shown_to_be_the_source_of_an_earlier_copy_precedes_a_later_member():
    """A review's case: X (undated) is the source of A (2020-01-01) by compare's direction, and
    X-C is undirected with C dated 2020-01-05; any dated candidate outranked the undated X, so C
    became the origin although X is older than A, which is older than C."""
    pairs = [pair("x", "a", direction="source"), pair("c", "x", direction="unknown", confidence=0.0)]
    for p in pairs:
        p.passages = _passage()
    (fam,) = build_families(pairs, {"a": "2020-01-01", "c": "2020-01-05"})
    assert fam.origin == "x" and fam.origin_evidence == "direction"
    assert fam.all_parents["x"] == [] and fam.all_parents["a"] == ["x"]


def test_the_sources_of_a_compilation_never_hang_under_it():
    """An audit's case (a digest page of ten articles' opening paragraphs, published the day
    after them): the tree hung nine of the ten articles under the digest, as if copied from it."""
    pairs = [_with_passages(f"article{n}", "digest", [(n * 1000, n * 1000 + 900)]) for n in range(4)]
    pairs.append(_with_passages("article0", "reprint", [(0, 2000)], 0.9))
    published = {f"article{n}": f"2024-05-0{n + 1}" for n in range(4)} | {"digest": "2024-05-09", "reprint": "2024-05-08"}
    (fam,) = build_families(pairs, published)
    assert fam.origin == "article0" and fam.origins == ["article0", "article1", "article2", "article3"]
    assert all(fam.parents[f"article{n}"] is None for n in range(4))
    assert fam.parents["digest"] == "article0" and fam.parents["reprint"] == "article0"
    assert fam.tree is fam.trees[0] and [t["id"] for t in fam.trees] == fam.origins
    assert fam.trees[1:] == [{"id": f"article{n}", "children": []} for n in (1, 2, 3)]
    assert fam.all_parents["digest"] == ["article0", "article1", "article2", "article3"]


def test_times_and_time_zones_order_members_published_the_same_day():
    """An audit's case: a wire item at 07:00 UTC and its copies later the same day; the calendar
    date alone made the first copy by id the origin, labelled "published". A copy published at
    20:00-05:00 is 9 hours after a source published at 01:00+09:00 the next calendar day."""
    pairs = [pair("copy-a", "wire", direction="unknown", confidence=0.0),
             pair("copy-b", "wire", direction="unknown", confidence=0.0)]
    published = {"wire": "2005-03-01T07:00Z", "copy-a": "2005-03-01T09:00Z", "copy-b": "2005-03-01T16:00+01:00"}
    (fam,) = build_families(pairs, published)
    assert fam.origin == "wire" and fam.origin_evidence == "published"
    assert fam.parents == {"wire": None, "copy-a": "wire", "copy-b": "wire"}
    (fam,) = build_families([pair("tokyo", "newyork", direction="unknown", confidence=0.0)],
                            {"tokyo": "2005-02-11T01:00+09:00", "newyork": "2005-02-10T20:00-05:00"})
    assert fam.origin == "tokyo" and fam.parents["newyork"] == "tokyo"


def test_a_tie_nothing_breaks_is_undetermined_and_an_undated_rival_is_not_beaten_by_a_date():
    undirected = [pair("copy", "wire", direction="unknown", confidence=0.0)]
    (fam,) = build_families(undirected, {"wire": "2005-03-01", "copy": "2005-03-01"})
    assert fam.origin_evidence == "undetermined"
    (fam,) = build_families(undirected, {"copy": "2005-03-01"})  # the original undated
    assert fam.origin_evidence == "undetermined"


def test_a_full_copy_hangs_under_the_original_not_under_a_copy_that_dropped_a_paragraph():
    """An audit's case: scores of verbatim copies all round to 1.00, so the tree took whichever
    parent scored 0.0001 higher, often a shortened copy that covers only part of the child."""
    def verbatim(source: str, suspect: str, score: float, covered: float) -> PairRecord:
        return PairRecord(source, suspect, "verbatim", score, covered, covered, "source", 0.95, [], [])

    pairs = [verbatim("wire", "short", 0.9999, 0.75), verbatim("wire", "full", 0.9996, 1.0),
             verbatim("short", "full", 0.9997, 0.75)]
    published = {"wire": "2005-03-01", "short": "2005-03-02", "full": "2005-03-03"}
    (fam,) = build_families(pairs, published)
    assert fam.parents == {"wire": None, "short": "wire", "full": "wire"}


def test_dates_a_day_apart_across_time_zones_never_leave_a_family_without_an_origin():
    """A review's case: a local date beside UTC instants made the order cyclic, and three such
    originals of one copy left no earliest member (max() of an empty list)."""
    published = {"a": "2005-03-01T23:59-12:00", "b": "2005-03-02", "c": "2005-03-03T00:00+14:00", "copy": "2005-03-09"}
    pairs = [pair(source, "copy") for source in ("a", "b", "c")]
    (fam,) = build_families(pairs, published)
    assert fam.origin in {"a", "b", "c"} and set(fam.origins) == {"a", "b", "c"}
