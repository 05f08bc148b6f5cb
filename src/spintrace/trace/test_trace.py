"""Trace: attribution rules on hand-built claims, and whole traces against a real index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from spintrace.evaluation.trace_cases import compilations, read_variant_records
from spintrace.pipeline.analyse import analyse_text, text_view
from spintrace.trace.attribute import attribute, unattributed_spans
from spintrace.trace.evidence import best_region, sentence_evidence
from spintrace.trace.model import Claim, Link, SourceDocument

HANDMADE = sorted((Path(__file__).resolve().parents[3] / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl"))


def _claim(doc_id: str, published: str | None, spans: list[tuple[int, int]], score: float = 0.9) -> Claim:
    links = tuple(Link(s, e, 0, e - s, 0.8, 0) for s, e in spans)
    return Claim(SourceDocument(doc_id, "x" * 1000, published=published), "paraphrase", score, "whole", links)


def test_earliest_published_source_takes_a_shared_passage_and_the_other_is_listed():
    text = "a" * 100 + " " + "b" * 100
    later = _claim("later", "2005-03-01", [(0, 100)])
    earlier = _claim("earlier", "2005-01-01", [(0, 100)])
    other = _claim("other", None, [(101, 201)])
    sources, passages, unattributed, share = attribute(text, [later, other, earlier])
    assert [p.source_id for p in passages] == ["earlier", "other"]
    assert passages[0].also_in == ("later",)
    assert {s.source.id for s in sources} == {"earlier", "other"}  # "later" supplied nothing of its own
    assert share == pytest.approx(1.0)
    assert unattributed == []


def test_a_passage_keeps_the_stretch_its_judge_reported_unless_another_source_holds_part_of_it():
    """Compare widens a copy's passage past its links (a sentence reworded past linking, a
    paragraph's edges): attribution keeps that stretch when the source kept every link of the
    passage and the stretch reaches no text attributed to another source."""
    text = "a" * 300
    links = (Link(0, 50, 0, 50, 0.8, 0), Link(100, 150, 100, 150, 0.8, 0))
    widened = Claim(SourceDocument("s", "x" * 1000), "paraphrase", 0.9, "whole", links, ((0, 200, 0, 220),))
    _, passages, _, _ = attribute(text, [widened])
    assert [(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in passages] == [(0, 200, 0, 220)]
    # An earlier source holds text inside the stretch: each source keeps only what its links cover.
    earlier = Claim(SourceDocument("e", "y" * 1000, published="2004-01-01"), "paraphrase", 0.9, "whole",
                    (Link(160, 190, 0, 30, 0.9, 0),))
    _, passages, _, _ = attribute(text, [widened, earlier])
    assert [(p.source_id, p.suspect_start, p.suspect_end) for p in passages] == [("s", 0, 150), ("e", 160, 190)]


def test_unattributed_spans_are_trimmed_gaps():
    text = "one two.  three four.  five six."
    assert unattributed_spans(text, [(0, 8)]) == [(10, len(text))]
    assert unattributed_spans(text, []) == [(0, len(text))]


def test_text_view_keeps_offsets_and_blanks_the_rest():
    text = "First paragraph about Yukos and Gazprom.\n\nSecond paragraph about Gerrard and Liverpool."
    analysed = analyse_text(text)
    view = text_view(analysed, [1])
    assert len(view.text) == len(text)
    seg = view.sentences[0].segment
    assert view.text[seg.start:seg.end] == text[seg.start:seg.end]
    assert view.text[:10].strip() == ""


def test_best_region_is_the_part_a_source_explains():
    source = analyse_text("Yukos shareholders sued Gazprom in Houston over the Yuganskneftegaz auction. "
                          "Rosneft bought Baikal Finance Group after the auction in Moscow.")
    suspect = analyse_text("Gerrard scored twice as Liverpool beat Olympiakos at Anfield on Wednesday night.\n\n"
                           "Shareholders of Yukos took Gazprom to a Houston court over the Yuganskneftegaz sale. "
                           "Baikal Finance Group was bought by Rosneft after the Moscow auction.")
    evidence = sentence_evidence(source, suspect)
    region = best_region(evidence, [s.segment.paragraph for s in suspect.sentences])
    assert region == [1, 2]


@pytest.fixture(scope="module")
def traced_index(tmp_path_factory):
    from spintrace.index import Index

    articles = {}
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            rec = json.loads(line)
            articles[rec["id"]] = rec
    records = read_variant_records(HANDMADE)
    wanted = {r["id"] for r in records}
    distractors = [a for a in articles.values() if a["id"] not in wanted][:300]
    path = tmp_path_factory.mktemp("trace") / "index"
    with Index(path) as index:
        for rec in [articles[i] for i in sorted(wanted)] + distractors:
            index.add(rec["text"], id=rec["id"], title=rec["title"])
    return path, {k: v["text"] for k, v in articles.items()}, records


@pytest.mark.shared_data
def test_trace_finds_both_sources_of_a_compilation(traced_index):
    from spintrace.index import Index

    path, articles, records = traced_index
    case = compilations(records, articles, 2, 1, seed=3)[0]
    with Index(path, create=False) as index:
        result = index.trace(case.text)
    assert set(case.sources) <= {s.source.id for s in result.sources}
    for source in result.sources:
        assert 0.0 < source.share < 1.0
    assert result.attributed_share > 0.6
    # every attributed passage points at the source it names, inside that source's text
    for p in result.passages:
        assert 0 <= p.source_start < p.source_end <= len(articles[p.source_id])
    payload = result.to_dict()
    assert {"sources", "passages", "unattributed", "attributed_share", "suspect_text"} <= set(payload)


@pytest.mark.shared_data
def test_trace_leaves_an_independent_report_unattributed_and_finds_a_rewrite(traced_index):
    from spintrace.index import Index

    path, articles, records = traced_index
    independent = next(r for r in records if r["variant"] == "independent")
    rewrite = next(r for r in records if r["variant"] == "rewrite" and r["id"] != independent["id"])
    with Index(path, create=False) as index:
        assert index.trace("\n\n".join(independent["paragraphs"])).sources == []
        result = index.trace("\n\n".join(rewrite["paragraphs"]))
    assert result.sources[0].source.id == rewrite["id"]
    assert result.sources[0].share > 0.5


@pytest.mark.shared_data
def test_a_paragraph_of_an_independent_report_is_not_attributed_to_a_related_article(tmp_path):
    """The development set's wire-style report on the Livingstone probe retells, in one paragraph,
    facts a related BBC article (the mayor refusing to retract) also tells. The document model
    alone called that paragraph a paraphrase (0.79); its links are not judged derived."""
    from spintrace.index import Index

    wanted = {"bbc/politics/mayor-will-not-retract-nazi-jibe", "bbc/politics/probe-launched-on-ken-nazi-jibe"}
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = [rec for rec in map(json.loads, fh) if rec["id"] in wanted]
    with shared_path("rewrites-dev", "variants-more.jsonl").open(encoding="utf-8") as fh:
        report = next(r for r in map(json.loads, fh)
                      if r["id"] == "bbc/politics/probe-launched-on-ken-nazi-jibe" and r["variant"] == "independent2")
    with Index(tmp_path / "index") as index:
        for rec in articles:
            index.add(rec["text"], id=rec["id"], title=rec["title"])
        result = index.trace("\n\n".join(report["paragraphs"]))
    assert result.sources == []
    assert result.candidates_judged >= 1  # the related articles were judged, not missed


@pytest.mark.shared_data
def test_sources_ranked_below_two_rejected_candidates_are_still_judged(traced_index):
    """At archive scale a compilation's best-ranked candidates can both be rejected; the search
    goes on for another round before it gives up (``PATIENCE``)."""
    from spintrace.pipeline.compare import default_embed
    from spintrace.trace import trace_analysed

    _, articles, records = traced_index
    case = compilations(records, articles, 2, 1, seed=3)[0]
    decoys = [i for i in sorted(articles) if i.split("/")[1] not in {s.split("/")[1] for s in case.sources}][:2]
    ranked = [SourceDocument(i, articles[i]) for i in [*decoys, *case.sources]]

    def provider(sentences, exclude):
        return [d for d in ranked if d.id not in exclude]

    result = trace_analysed(analyse_text(case.text), provider, embed=default_embed())
    assert set(result.rejected[:2]) == set(decoys)
    assert set(case.sources) <= {s.source.id for s in result.sources}


@pytest.mark.shared_data
def test_a_part_judged_alone_as_the_same_story_is_accepted_when_compare_calls_the_pair_a_partial_copy():
    """Development compilation 2/002: a rewrite of the Neeson article followed by a spun copy of
    another. The rewritten part alone reads like a short report of the same facts (same-story,
    0.46); the whole suspect against the Neeson article is a partial copy (0.97), as `compare`
    says, and trace must say so too."""
    from spintrace.evaluation.trace_cases import build_trace_cases, read_bbc_articles
    from spintrace.pipeline.compare import default_embed
    from spintrace.trace.judge import judge_candidate

    articles = read_bbc_articles(shared_path("bbc-news", "articles.jsonl"))
    files = [shared_path("rewrites-dev", "variants.jsonl"), shared_path("rewrites-dev", "variants-more.jsonl")]
    case = next(c for c in build_trace_cases(files, articles, compilations_each=30)
                if c.case_id.startswith("compilation2/002/"))
    source_id = "bbc/entertainment/neeson-in-bid-to-revive-theatre"
    suspect = analyse_text(case.text)
    judgement = judge_candidate(SourceDocument(source_id, articles[source_id]), analyse_text(articles[source_id]),
                                suspect, set(range(len(suspect.sentences))), embed=default_embed())
    assert judgement.claim is not None
    # Its links are the rewritten part (the first paragraphs), not the spun copy after them.
    part_end = max(t.this_offset + t.this_length for t in case.truth if t.source_reference == source_id)
    assert all(link.suspect_end <= part_end + 2 for link in judgement.claim.links)


def test_a_part_rests_on_as_many_derived_links_as_a_part_has_sentences():
    from spintrace.trace.judge import MIN_PART_DERIVED_LINKS, MIN_PART_SENTENCES, _derived_part

    assert MIN_PART_DERIVED_LINKS >= MIN_PART_SENTENCES
    # Two sentences of facts judged derived (features as compare reports them: derived_links is
    # min(count, 10) / 10) are not a copied part; three are.
    assert not _derived_part({"mean_derivation": 0.78, "derived_links": 0.2})
    assert _derived_part({"mean_derivation": 0.78, "derived_links": 0.3})
    assert not _derived_part({"mean_derivation": 0.3, "derived_links": 0.5})


@pytest.mark.shared_data
def test_a_source_that_supplied_two_sentences_is_found_once_another_source_is_attributed():
    """Hand-made compilation 3/001 of seed 10: the Wenger rewrite supplies two sentences between
    two longer parts. A part that short is never judged on its own (two sentences of an
    independent report can tell two facts of a related article); once the suspect is known to be
    made of copied text, compare judges that source on the whole pair, and its passages must
    reach into the two sentences."""
    from spintrace.pipeline.compare import default_embed
    from spintrace.trace import trace_analysed

    articles = {}
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        for rec in map(json.loads, fh):
            articles[rec["id"]] = rec["text"]
    records = read_variant_records(HANDMADE)
    case = compilations(records, articles, 3, 3, seed=10)[1]
    short = "bbc/sport/wenger-signs-new-deal"
    assert short in case.sources
    ranked = [SourceDocument(i, articles[i]) for i in case.sources]

    def provider(sentences, exclude):
        return [d for d in ranked if d.id not in exclude]

    suspect = analyse_text(case.text)
    part = [i for i, s in enumerate(suspect.sentences) for t in case.truth
            if t.source_reference == short and t.this_offset <= s.segment.start < t.this_offset + t.this_length]
    assert len(part) <= 2
    result = trace_analysed(suspect, provider, embed=default_embed())
    assert set(case.sources) <= {s.source.id for s in result.sources}
    assert any(p.source_id == short for p in result.passages)


def test_two_passages_of_one_source_are_joined_across_a_short_unattributed_gap():
    from spintrace.trace.attribute import bridge_gaps
    from spintrace.trace.model import AttributedPassage

    def passage(start, end, source, src_start=0):
        return AttributedPassage(start, end, source, src_start, src_start + end - start, 0.8)

    # A sentence reworded past linking between two linked runs of one source's part.
    joined = bridge_gaps([passage(0, 300, "a"), passage(380, 700, "a", 400)])
    assert [(p.suspect_start, p.suspect_end, p.source_start, p.source_end) for p in joined] == [(0, 700, 0, 720)]
    # Another source's passage between them, or a gap longer than either passage (a stray link
    # far from the part), keeps them apart.
    assert len(bridge_gaps([passage(0, 300, "a"), passage(320, 360, "b"), passage(380, 700, "a")])) == 3
    assert len(bridge_gaps([passage(0, 300, "a"), passage(900, 960, "a")])) == 2


@pytest.mark.shared_data
def test_a_passage_goes_to_the_earliest_carrier_even_when_a_later_copy_is_judged_first():
    """A scraper's verbatim copy of the seed pair's source, and two stored carriers of it: the
    original and a later republication (a credit line added), which ranks first. Once the later
    copy has taken every sentence, the original explains nothing that is left; it is still judged
    on the part the copy took, so that the passage goes to the earliest published carrier and the
    later one is listed with it (before: the later copy was named the source)."""
    from spintrace.pipeline.compare import default_embed
    from spintrace.trace import trace_analysed

    original = shared_path("seed-pair", "source.txt").read_text(encoding="utf-8")
    republished = "Reporting by our partners.\n\n" + original
    ranked = [SourceDocument("republished", republished, published="2024-05-03"),
              SourceDocument("original", original, published="2024-05-01")]

    def provider(sentences, exclude):
        return [d for d in ranked if d.id not in exclude]

    suspect = "Shared from the web.\n\n" + original
    result = trace_analysed(analyse_text(suspect), provider, embed=default_embed())
    assert [s.source.id for s in result.sources] == ["original"]
    assert result.sources[0].share > 0.9
    assert all("republished" in p.also_in for p in result.passages)


def test_attribution_never_overlaps_and_leaves_out_text_no_source_has():
    """An audit's cases. (1) The suspect is an update of an article: the original's one passage
    spans the update's new paragraph, which the later version supplied; the shares added up to
    107%. (2) Text between two copied sentences that the source has nothing for (a paragraph the
    copier inserted, a sentence of a source no judge could claim alone) was reported as copied."""
    from spintrace.trace.attribute import attribute
    from spintrace.trace.model import Claim, Link

    text = "a" * 300 + " " + "b" * 99 + " " + "c" * 300
    original = SourceDocument("original", "x", published="2005-01-10")
    update = SourceDocument("update", "y", published="2005-01-12")
    # the original's passage: two links, source text contiguous (0-300, 301-601); its extent spans them
    first = Claim(original, "verbatim", 1.0, "whole", (Link(0, 300, 0, 300, 1.0, 0), Link(401, 701, 301, 601, 1.0, 0)),
                  extents=((0, 701, 0, 601),))
    second = Claim(update, "verbatim", 1.0, "whole", (Link(0, 300, 0, 300, 1.0, 0), Link(301, 400, 301, 400, 1.0, 0),
                                                     Link(401, 701, 401, 701, 1.0, 0)), extents=((0, 701, 0, 701),))
    sources, passages, unattributed, share = attribute(text, [first, second])
    assert [(p.suspect_start, p.suspect_end, p.source_id) for p in passages] == [
        (0, 300, "original"), (301, 400, "update"), (401, 701, "original")]
    assert abs(sum(s.share for s in sources) - share) < 1e-9 and share == pytest.approx(1.0)

    sources, passages, unattributed, share = attribute(text, [first])
    assert [(p.suspect_start, p.suspect_end) for p in passages] == [(0, 300), (401, 701)]
    assert unattributed == [(301, 400)]


@pytest.mark.shared_data
def test_a_source_published_after_the_suspect_is_flagged_as_possibly_the_copy():
    from spintrace.pipeline.compare import default_embed
    from spintrace.report.trace import render_trace_text
    from spintrace.trace import trace_analysed

    original = shared_path("seed-pair", "source.txt").read_text(encoding="utf-8")
    ranked = [SourceDocument("indexed", original, published="2024-05-01")]

    def provider(sentences, exclude):
        return [d for d in ranked if d.id not in exclude]

    suspect = analyse_text(original)
    for published, flagged in (("2024-04-01", True), ("2024-06-01", False), (None, False)):
        result = trace_analysed(suspect, provider, embed=default_embed(), suspect_published=published)
        assert [s.published_after_suspect for s in result.sources] == [flagged]
        assert result.to_dict()["sources"][0]["published_after_suspect"] is flagged
        assert ("this may be the copy" in render_trace_text(result, "mine.txt")) is flagged


@pytest.mark.shared_data
def test_a_copy_with_another_articles_paragraphs_pasted_into_it_is_attributed_on_both_sides(traced_index):
    """Only the source's best run of paragraphs was judged: the copy's opening paragraphs, before
    the pasted ones, stayed unattributed (found by an audit of the Trace tab)."""
    from spintrace.index import Index

    path, articles, records = traced_index
    ids = sorted({r["id"] for r in records})
    first = next(i for i in ids if len(articles[i].split("\n\n")) >= 6)
    other = next(i for i in ids if i != first and i.split("/")[1] != first.split("/")[1])
    host, pasted = articles[first].split("\n\n"), articles[other].split("\n\n")[1:]
    # more of the other article than of the copy's opening, so that the copy's best single run of
    # paragraphs is its second stretch alone
    while len("".join(pasted)) > 1.5 * len("".join(host[:2])) + 400 and len(pasted) > 2:
        pasted = pasted[:-1]
    assert len("".join(pasted)) > 1.2 * len("".join(host[:2]))
    suspect = "\n\n".join(host[:2] + pasted + host[2:])
    with Index(path, create=False) as index:
        result = index.trace(suspect)
    spans = sorted((p.suspect_start, p.source_id) for p in result.passages)
    assert [source for _, source in spans] == [first, other, first]
    assert spans[0][0] == 0
    assert result.unattributed == []


def test_a_whole_copy_is_judged_by_trace_exactly_as_compare_judges_the_pair(tmp_path):
    """Trace embeds the suspect's sentences as compare does (the int8 model quantises per batch):
    with one- and two-word lines in the suspect, which compare leaves unembedded, trace embedded
    them too and its score for the same pair came out 0.99809 against compare's 0.99756."""
    import spintrace
    from spintrace.index import Index

    seed = Path(shared_path("seed-pair"))
    source = (seed / "source.txt").read_text(encoding="utf-8")
    paragraphs = (seed / "suspect.txt").read_text(encoding="utf-8").split("\n\n")
    suspect = "\n\n".join(p + "\n\nRead more." if k % 2 else p for k, p in enumerate(paragraphs))
    index = Index(tmp_path / "index")
    index.add(source, id="source")
    (traced,) = index.trace(suspect).sources
    assert traced.judged_on == "whole"
    assert traced.score == spintrace.compare(source, suspect).score
