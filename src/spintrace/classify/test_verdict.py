"""Verdict, score and reported passages for the case the score model never sees whole-article
evidence for: one paragraph lifted into an otherwise unrelated page."""

from __future__ import annotations

import spintrace
from spintrace.classify.verdict import (
    ReportRules, ScoreModel, VerdictRules, decide_verdict, derivation_grounds, reported_passages, reuse_score,
)
from spintrace.comparison import Passage, SentenceLink
from spintrace.pipeline.analyse import analyse_text

LIFTED = (
    "The harbour authority confirmed on Tuesday that the northern breakwater, built in 1891 from "
    "granite quarried on the island, will be closed to walkers for at least eighteen months while "
    "engineers replace the eroded foundations, reinforce the seaward face with concrete armour units "
    "and rebuild the lighthouse steps that were washed away during the storms of last February."
)

SOURCE = (
    "Fishing crews in the town have warned that the winter season could be the worst in a decade, "
    "with boats forced to land their catch at ports further along the coast.\n\n"
    + LIFTED
    + "\n\nLocal councillors said the repair bill, estimated at four million pounds, would be shared "
    "with the national government, which has promised a decision before the summer recess.\n\n"
    "The harbour master, Eilidh Grant, said the closure was disappointing but unavoidable. "
    "\"Safety has to come first, and the old stones simply cannot take another winter,\" she said.\n\n"
    "Ferry services to the outer islands will continue to run from the southern pier, although "
    "passengers have been warned to expect delays during the busiest weeks of the tourist season."
)

HOST_PARAGRAPHS = [
    "Gardeners across the region are being urged to plant early varieties of potato this spring, "
    "after two wet summers left many allotments struggling with blight.",
    "The horticultural society's annual show will return to the park in July, with new classes "
    "for children and for vegetables grown in containers on balconies.",
    "Volunteers have spent the winter clearing brambles from the old orchard behind the library, "
    "where apple trees planted a century ago are still bearing fruit.",
    "Seed swaps will be held every Saturday morning in the community hall until the end of April, "
    "and organisers say demand for heritage tomatoes has doubled.",
    "Experts recommend mulching beds with leaf mould to keep moisture in the soil during dry spells, "
    "and rotating crops each year to keep pests from building up.",
]

# Says "not reuse" to everything: only the verdict rules can lift a pair.
RULES_ONLY = ScoreModel(-10.0, {})


def _host_with(paragraph: str) -> str:
    return "\n\n".join(HOST_PARAGRAPHS[:3] + [paragraph] + HOST_PARAGRAPHS[3:])


def test_one_paragraph_lifted_with_a_typo_into_an_unrelated_page_is_partial_reuse() -> None:
    lifted = LIFTED.replace("quarried", "quaried").replace("engineers", "engineer's")
    suspect = _host_with(lifted)
    result = spintrace.compare(SOURCE, suspect)
    assert result.verdict == "partial"
    assert result.score >= VerdictRules().copied_passage_score
    start = suspect.index(lifted)
    [passage] = [p for p in result.passages if p.suspect_start < start + len(lifted) and p.suspect_end > start]
    assert passage.kind == "near"
    assert abs(passage.suspect_start - start) <= 2 and abs(passage.suspect_end - (start + len(lifted))) <= 2
    # Nothing of the gardening text is reported as reused.
    assert result.suspect_coverage < 0.5 and len(result.passages) == 1


def test_a_short_shared_phrase_is_not_a_lifted_paragraph() -> None:
    # Under the copied-passage length the rule does not fire: two stories of one topic may share
    # a phrase without either being a copy.
    phrase = "will be closed to walkers for at least eighteen months"
    suspect = _host_with(f"The riverside path {phrase}, the council said.")
    result = spintrace.compare(SOURCE, suspect)
    assert not result.reused


def _passage(text: str, fragment: str, kind: str, strength: float) -> Passage:
    start = text.index(fragment)
    link = SentenceLink(0, 10, start, start + len(fragment), strength)
    return Passage(0, 10, start, start + len(fragment), strength, kind, (), (link,))  # type: ignore[arg-type]


def test_partial_copy_reports_a_lone_reworded_fragment_only_when_it_stands_on_its_own() -> None:
    text = _host_with(LIFTED)
    suspect = analyse_text(text)
    copied = _passage(text, LIFTED, "exact", 1.0)
    weak = _passage(text, "after two wet summers left many allotments struggling with blight", "paraphrase", 0.52)
    short = _passage(text, "doubled", "paraphrase", 0.9)
    strong = _passage(text, "Experts recommend mulching beds with leaf mould to keep moisture in the soil", "paraphrase", 0.8)
    beside = _passage(text, "Seed swaps will be held every Saturday morning", "paraphrase", 0.5)
    passages = [copied, weak, beside, short, strong]
    rules = ReportRules(neighbour_gap_chars=50)
    assert reported_passages(passages, "partial", suspect, rules) == [copied, beside, strong]
    # A whole-article rewrite keeps every aligned passage; no reuse keeps only verbatim ones.
    assert reported_passages(passages, "paraphrase", suspect, rules) == passages
    assert reported_passages(passages, "same-story", suspect, rules) == [copied]


def _features(**overrides: float) -> dict[str, float]:
    from spintrace.classify.verdict import FEATURE_NAMES

    features = dict.fromkeys(FEATURE_NAMES, 0.0)
    features.update(overrides)
    return features


def test_runs_of_eight_copied_words_make_copied_text_and_shared_five_word_phrases_do_not() -> None:
    model, rules = RULES_ONLY, VerdictRules()
    # Wire-style independent reports share names and stock phrases: many 5-grams, few 8-grams.
    assert reuse_score(model, _features(shared_5grams=0.14, shared_8grams=0.02), rules) < 0.01
    assert reuse_score(model, _features(shared_5grams=0.14, shared_8grams=0.06), rules) >= rules.copied_passage_score


def test_the_condensed_model_decides_only_from_its_own_bar() -> None:
    # Off by default since the boosted-trees document model decides summaries itself.
    rules = VerdictRules(condensed_model_decides=True)
    below = ScoreModel(-10.0, {}, 0.5, {})  # condensed probability 0.62
    above = ScoreModel(-10.0, {}, 1.0, {})  # condensed probability 0.73
    short = _features(length_ratio=0.3)
    assert reuse_score(below, short, rules) < rules.reuse_probability
    assert reuse_score(above, short, rules) >= rules.condensed_reuse_probability
    # A suspect as long as its source is never judged as a condensed copy.
    assert reuse_score(above, _features(length_ratio=0.9), rules) < 0.01


def test_a_suspect_made_from_the_source_is_reuse_whatever_share_of_the_source_it_covers() -> None:
    # The derivation rules decide only when asked (the boosted-trees model weighs this evidence).
    model, rules = RULES_ONLY, VerdictRules(derivation_rules_decide=True)
    assert derivation_grounds(_features(mean_derivation=0.8, derived_suspect=0.9, derived_links=0.5), rules)
    # An excerpt: 90% of its words in five links judged derived at 0.8 on average; a fifth of the source.
    excerpt = _features(mean_derivation=0.8, derived_suspect=0.9, derived_links=0.5,
                        suspect_coverage=0.95, source_coverage=0.2, exact_share=0.0)
    score = reuse_score(model, excerpt, rules)
    assert score == 0.8
    assert decide_verdict(score, excerpt, rules) == "paraphrase"
    # Each condition is needed: a report on the same facts links as much, judged less surely ...
    assert reuse_score(model, {**excerpt, "mean_derivation": 0.7}, rules) < 0.01
    # ... or a copied sentence or two inside the suspect's own text ...
    assert reuse_score(model, {**excerpt, "derived_suspect": 0.6}, rules) < 0.01
    # ... or two shared sentences, which are not a part of anything.
    assert reuse_score(model, {**excerpt, "derived_links": 0.2}, rules) < 0.01


def test_linked_text_inside_an_article_about_something_else_is_a_partial_copy() -> None:
    model, rules = RULES_ONLY, VerdictRules(derivation_rules_decide=True)
    planted = _features(unlinked_similarity=0.2, unlinked_share=0.7, mean_derivation=0.7, derived_links=0.4,
                        derived_suspect=0.3, suspect_coverage=0.3, source_coverage=0.25)
    score = reuse_score(model, planted, rules)
    assert score == 0.7
    assert decide_verdict(score, planted, rules) == "partial"
    # Text around the links that is about the same story: two reports sharing facts.
    assert reuse_score(model, {**planted, "unlinked_similarity": 0.5}, rules) < 0.01
    # Links the judge doubts, or too few of them, are not a copied passage.
    assert reuse_score(model, {**planted, "mean_derivation": 0.6}, rules) < 0.01
    assert reuse_score(model, {**planted, "derived_links": 0.2}, rules) < 0.01
    # Nearly everything linked: no host article, the derived-copy rule's case, not this one.
    assert reuse_score(model, {**planted, "unlinked_share": 0.1}, rules) < 0.01


def test_the_derivation_rules_name_grounds_without_deciding_by_default() -> None:
    excerpt = _features(mean_derivation=0.8, derived_suspect=0.9, derived_links=0.5,
                        suspect_coverage=0.95, source_coverage=0.2, exact_share=0.0)
    assert derivation_grounds(excerpt) == "made from the source"
    assert reuse_score(RULES_ONLY, excerpt, VerdictRules()) < 0.01


# Two columns by one writer on unrelated subjects, each closing with the same contributor's note:
# the one sentence they share was copied, but neither column is a copy of the other.
BIO = ("Mara Lindqvist is a regular commentator on the Radio North programme Digital Lives "
       "and writes about technology and society.")
COLUMN_ON_PASSWORDS = (
    "Every few months another company admits that the passwords of its customers have leaked, and "
    "every few months we are told to choose longer ones and never to reuse them.\n\n"
    "The advice is sound but almost nobody follows it. Most people juggle dozens of accounts, and "
    "remembering a different string of twenty random characters for each is beyond anyone.\n\n"
    "Password managers solve part of the problem, yet they ask users to trust a single vault with "
    "everything, and many older people find them baffling to set up on a new phone.\n\n"
    "The better answer is to stop relying on secrets that can be stolen in bulk. Passkeys, which "
    "tie a login to a device the user already carries, are finally arriving in banking apps.\n\n"
    + BIO
)
COLUMN_ON_REPAIR = (
    "My kitchen radio stopped working last winter, and the shop that sold it offered to recycle it "
    "for a small fee rather than open the case and replace a part worth a few pence.\n\n"
    "That is the quiet scandal of modern electronics: devices glued shut, screws with unusual heads "
    "and spare parts that manufacturers will not sell to independent repairers.\n\n"
    "Campaigners in several European countries have pushed for a legal right to repair, and some "
    "governments now require makers to supply parts and manuals for a decade after a sale.\n\n"
    "A repair cafe in my town opens on the first Saturday of each month, where retired engineers fix "
    "toasters, lamps and bicycles for free and teach visitors how to do it themselves.\n\n"
    + BIO
)


def test_one_shared_sentence_cannot_reach_the_reuse_bar_but_a_long_copied_passage_still_can() -> None:
    says_reuse = ScoreModel(10.0, {})  # the model alone would call anything reuse
    rules = VerdictRules()
    one = _features(linked_sentences=1.0)
    assert reuse_score(says_reuse, one, rules) <= rules.thin_evidence_score < rules.reuse_probability
    assert reuse_score(says_reuse, _features(linked_sentences=2.0), rules) >= rules.reuse_probability
    # Forty words copied word for word are reuse however few sentences hold them.
    long_copy = _features(linked_sentences=1.0, near_verbatim_words=45.0)
    assert reuse_score(says_reuse, long_copy, rules) >= rules.copied_passage_score


def test_unrelated_columns_sharing_a_contributor_note_are_not_reuse() -> None:
    result = spintrace.compare(COLUMN_ON_PASSWORDS, COLUMN_ON_REPAIR)
    assert not result.reused
    assert result.features["linked_sentences"] <= 1
    # The shared note is still shown: it is text both carry word for word.
    start = COLUMN_ON_REPAIR.index(BIO)
    assert any(p.kind != "paraphrase" and p.suspect_start <= start + 5 and p.suspect_end >= start + len(BIO) - 5
               for p in result.passages)
