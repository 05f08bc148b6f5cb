"""Site boilerplate: a site's template sentences are found per site and blanked in place."""

from __future__ import annotations

from spintrace.ingest.boilerplate import BoilerplateParams, blank_spans, find_site_boilerplate, sentence_keys

FOOTER = ("Sign up for our daily newsletter to get the top stories every morning. "
          "This material may not be published, broadcast or redistributed without permission.")
# Six unrelated stories, each as long as a short news item, so a footer is a small part of a page.
_LEADS = [
    "The council approved a new budget for the city library on Monday evening after a long debate.",
    "Heavy rain flooded three roads near the river and closed the northern bridge for two days.",
    "The striker scored twice in the second half as the home side came back to win the cup tie.",
    "Shares in the carmaker fell sharply after it warned that profits would miss the forecast.",
    "A new exhibition of early photographs opens at the museum next week with free entry for pupils.",
    "Doctors say the winter vaccine campaign has reached more older people than in any year so far.",
]
_PLACES = ["Leeds", "Bristol", "Derby", "Exeter", "Norwich", "Carlisle"]
_PEOPLE = ["a baker", "two nurses", "the mayor", "a bus driver", "several pupils", "a retired judge"]
STORIES = [
    f"{lead} In {place}, {who} described what happened in some detail to reporters at the scene. "
    f"Officials in {place} expect a fuller statement later in the week, once figures are checked. "
    f"People who know {who.split()[-1]} well said the news was the talk of {place} for days afterwards."
    for lead, place, who in zip(_LEADS, _PLACES, _PEOPLE)
]


def test_a_footer_on_five_pages_of_one_site_is_blanked_in_place():
    pages = [("courier.example", f"{story}\n\n{FOOTER}\n") for story in STORIES[:5]]
    pages.append(("courier.example", STORIES[5]))
    spans = find_site_boilerplate(pages)
    assert all(len(s) == 2 for s in spans[:5]) and spans[5] == []
    text = pages[0][1]
    assert [text[a:b] for a, b in spans[0]] == [
        "Sign up for our daily newsletter to get the top stories every morning.",
        "This material may not be published, broadcast or redistributed without permission.",
    ]
    blanked = blank_spans(text, spans[0])
    assert len(blanked) == len(text) and blanked.startswith(STORIES[0] + "\n\n")
    assert blanked.strip() == STORIES[0] and blanked.count("\n") == text.count("\n")


def test_repetition_counts_per_site_not_across_sites():
    # A wire paragraph that five outlets each reuse once is evidence, not a template.
    pages = [(f"outlet{n}.example", f"{story}\n\n{FOOTER}") for n, story in enumerate(STORIES[:5])]
    assert find_site_boilerplate(pages) == [[]] * 5


def test_fewer_pages_than_the_bound_and_pages_without_a_site_keep_everything():
    assert find_site_boilerplate([("courier.example", f"{s}\n\n{FOOTER}") for s in STORIES[:4]]) == [[]] * 4
    assert find_site_boilerplate([(None, f"{s}\n\n{FOOTER}") for s in STORIES]) == [[]] * 6


def test_a_story_a_site_runs_again_and_again_stays_a_copy():
    # Five versions of one story on one site repeat most of each page: copies of each other.
    story = " ".join(STORIES)
    pages = [("courier.example", f"Update {n}: {story}\n\n{FOOTER}") for n in range(5)]
    assert find_site_boilerplate(pages) == [[]] * 5


def test_sentence_keys_ignore_case_punctuation_and_spacing_but_not_short_sentences():
    a = sentence_keys("Sign up for our NEWSLETTER today!  Read more.")
    b = sentence_keys("sign up  for our newsletter, today.")
    assert [k.key for k in a] == [k.key for k in b] and len(a) == 1
    assert sentence_keys("Read more.", BoilerplateParams(min_words=2))[0].words == 2


def test_a_template_is_left_out_wherever_it_occurs_once_a_site_has_shown_it():
    # A scraper's copy (another site, or none) that kept the footer must not differ from its
    # source by the footer alone.
    pages = [("courier.example", f"{story}\n\n{FOOTER}") for story in STORIES[:5]]
    pages += [("scraper.example", f"{STORIES[0]}\n\n{FOOTER}"), (None, f"{STORIES[5]}\n\n{FOOTER}")]
    spans = find_site_boilerplate(pages)
    assert all(len(s) == 2 for s in spans)


def test_a_template_line_whose_date_changes_is_one_template():
    pages = [("courier.example", f"Last updated {n + 1} May 2024 at 10:{n}5 GMT by the Courier news desk.\n\n{story}")
             for n, story in enumerate(STORIES[:5])]
    assert all(len(s) == 1 and pages[0][1][s[0][0]:s[0][1]].startswith("Last updated") for s in find_site_boilerplate(pages))
