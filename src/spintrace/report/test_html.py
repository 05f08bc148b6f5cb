"""HTML report tests on hand-built comparisons with real offsets.

The security tests matter most: report files are opened by people in browsers, and the input
articles are scraped from anywhere.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import pytest

from spintrace.comparison import Change, Comparison, Direction, Passage, SentenceLink, Span
from spintrace.report import render_html, render_report_fragment, report_css, report_js

SOURCE = (
    "Kazakhstan's President Kassym-Jomart Tokayev met foreign investors in Astana on Tuesday.\n\n"
    "He said the economy grew by 4.8% in 2023 and promised new reforms.\n\n"
    "The meeting was closed to the press. Officials did not comment further."
)
SUSPECT = (
    "President Kasim-Jomart Tokayev of Kazakhstan met foreign investors in Astana on Tuesday.\n\n"
    "He said the economy grew by 5.1% in 2023 and promised new reforms.\n\n"
    'Critics <script>alert(1)</script> say <img src=x onerror=alert(1)> "the reforms" are cosmetic & late.'
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def sample_comparison(source: str = SOURCE, suspect: str = SUSPECT) -> Comparison:
    """Two passages with a name and a number change, one omitted and one added run."""
    s1, s2 = _span(source, source.split("\n\n")[0]), _span(source, source.split("\n\n")[1])
    t1, t2 = _span(suspect, suspect.split("\n\n")[0]), _span(suspect, suspect.split("\n\n")[1])
    name_src, name_sus = _span(source, "Kassym-Jomart"), _span(suspect, "Kasim-Jomart")
    num_src, num_sus = _span(source, "4.8%"), _span(suspect, "5.1%")
    om = _span(source, source.split("\n\n")[2])
    ad = _span(suspect, suspect.split("\n\n")[2])
    return Comparison(
        verdict="partial",
        score=0.71,
        suspect_coverage=0.62,
        source_coverage=0.66,
        passages=[
            Passage(
                *s1, *t1, similarity=0.86, kind="paraphrase",
                changes=(Change("name", "Kassym-Jomart", "Kasim-Jomart", *name_src, *name_sus),),
                links=(SentenceLink(*s1, *t1, 0.86),),
            ),
            Passage(
                *s2, *t2, similarity=0.95, kind="near",
                changes=(
                    Change("number", "4.8%", "5.1%", *num_src, *num_sus),
                    Change("date", "2023", None, *_span(source, "2023"), None, None),
                ),
            ),
        ],
        omitted=[Span(*om)],
        added=[Span(*ad)],
        direction=Direction("source", 0.8, ("suspect re-transliterates names", "suspect adds commentary")),
        source_text=source,
        suspect_text=suspect,
    )


class _PaneText(HTMLParser):
    """Collects each pane's text content and every element's attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.side: str | None = None
        self.depth = 0
        self.text: dict[str, list[str]] = {"source": [], "suspect": []}
        self.elements: list[tuple[str, dict[str, str | None], str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a, self.side))
        if self.side is not None:
            self.depth += 1
        elif tag == "div" and "st-text" in (a.get("class") or "").split():
            self.side, self.depth = a["data-side"], 1

    def handle_endtag(self, tag: str) -> None:
        if self.side is not None:
            self.depth -= 1
            if self.depth == 0:
                self.side = None

    def handle_data(self, data: str) -> None:
        if self.side is not None:
            self.text[self.side].append(data)


def _parse(page: str) -> _PaneText:
    p = _PaneText()
    p.feed(page)
    p.close()
    return p


def test_page_is_complete_and_panes_hold_exact_texts() -> None:
    page = render_html(sample_comparison(), source_label="tass.ru", suspect_label="copy.example")
    assert page.startswith("<!DOCTYPE html>")
    assert "Partial reuse" in page and "0.71" in page and "62%" in page and "66%" in page
    assert "80%" in page  # direction confidence
    parsed = _parse(page)
    # the marked-up panes must read back as exactly the article texts (paragraphs included)
    assert "".join(parsed.text["source"]) == SOURCE
    assert "".join(parsed.text["suspect"]) == SUSPECT
    assert "white-space: pre-wrap" in page


def test_hostile_article_text_is_escaped() -> None:
    page = render_html(sample_comparison())
    # only our own script element, none from the article
    assert len(re.findall(r"<script\b", page, flags=re.I)) == 1
    assert "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&quot;the reforms&quot;" in page and "&amp; late" in page


def test_hostile_labels_and_title_are_escaped() -> None:
    evil = '"><script>alert(2)</script>'
    page = render_html(sample_comparison(), source_label=evil, suspect_label=evil, title=evil)
    assert len(re.findall(r"<script\b", page, flags=re.I)) == 1
    assert "alert(2)" in page  # visible as text
    assert "<script>alert(2)" not in page


def test_no_external_resources() -> None:
    page = render_html(sample_comparison())
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, flags=re.I)
    assert "@import" not in page and "url(" not in report_css()
    assert "innerHTML" not in report_js() and "insertAdjacentHTML" not in report_js()
    assert "Content-Security-Policy" in page


def test_each_passage_on_both_sides_with_same_colour() -> None:
    parsed = _parse(render_report_fragment(sample_comparison()))
    for key in ("0", "1"):
        sides = {
            (side, a.get("class"))
            for _, a, side in parsed.elements
            if side and a.get("data-passage") == key and "data-pstart" in a
        }
        assert {s for s, _ in sides} == {"source", "suspect"}
        colours = {c.split()[2] for _, c in sides if c}  # "seg psg pc-N ..."
        assert colours == {f"pc-{key}"}


def test_omitted_added_and_changes_marked() -> None:
    c = sample_comparison()
    parsed = _parse(render_report_fragment(c))
    classes = [(side, (a.get("class") or "").split(), a) for _, a, side in parsed.elements if side]
    assert any(s == "source" and "omitted" in cl for s, cl, _ in classes)
    assert any(s == "suspect" and "added" in cl for s, cl, _ in classes)
    assert not any(s == "suspect" and "omitted" in cl for s, cl, _ in classes)
    titles = {(s, a.get("title")) for s, cl, a in classes if "chg" in cl}
    name = "name: Kassym-Jomart \u2192 Kasim-Jomart"
    assert any(s == "source" and t and t.startswith(name) for s, t in titles)
    assert any(s == "suspect" and t and t.startswith(name) for s, t in titles)
    # a change present on the source side only is marked there and not invented on the other
    assert any(s == "source" and t and "2023 \u2192 (dropped)" in t for s, t in titles)
    fragment = render_report_fragment(c)
    assert 'data-jump="c"' in fragment and 'data-jump="o"' in fragment and 'data-jump="a"' in fragment


def test_overlapping_and_out_of_range_spans_do_not_crash() -> None:
    c = sample_comparison()
    first = c.passages[0]
    # a second suspect passage aligned to the same source text, plus garbage offsets
    c.passages.append(
        Passage(first.source_start + 5, first.source_end, c.passages[1].suspect_start,
                c.passages[1].suspect_end, 0.5, "paraphrase")
    )
    c.passages.append(Passage(-10, 5, 3, 10_000, 0.4, "near"))
    c.passages.append(Passage(20, 10, 5, 5, 0.4, "near"))  # inverted / empty
    c.omitted.append(Span(0, 10**6))
    parsed = _parse(render_html(c))
    assert "".join(parsed.text["source"]) == SOURCE
    assert "".join(parsed.text["suspect"]) == SUSPECT
    overlaps = [a for _, a, side in parsed.elements if side == "source" and "overlap" in (a.get("class") or "")]
    assert overlaps
    assert all(a["data-passage"] == a["data-passages"].split()[0] for a in overlaps)
    assert any("2" in a["data-passages"].split() for a in overlaps)


@pytest.mark.parametrize("verdict", ["verbatim", "paraphrase", "partial", "same-story", "unrelated"])
def test_empty_and_unrelated_comparisons_render(verdict: str) -> None:
    c = Comparison(
        verdict=verdict,  # type: ignore[arg-type]
        score=0.0, suspect_coverage=0.0, source_coverage=0.0,
        passages=[], omitted=[], added=[], direction=Direction("unknown", 0.0),
        source_text="", suspect_text="Ünïcödé — text\nwith lines",
    )
    page = render_html(c)
    assert f"v-{verdict}" in page
    assert html_lib.escape("Ünïcödé — text\nwith lines") in page


def test_a_verdict_made_on_part_of_the_source_says_so_escaped() -> None:
    c = sample_comparison()
    assert '<span class="st-part"' not in render_html(c)
    c.features["source_part_share"] = 0.31
    page = render_html(c, source_label="<b>src</b>")
    assert '<span class="st-part"' in page
    assert "judged against the part of &lt;b&gt;src&lt;/b&gt; the suspect copies (31% of &lt;b&gt;src&lt;/b&gt;)" in page
    assert "<b>src</b>" not in page


def test_an_excerpt_made_from_the_source_says_so_escaped() -> None:
    import dataclasses

    c = dataclasses.replace(sample_comparison(), source_coverage=0.3)
    assert "st-grounds" not in render_html(c)
    c.features.update(mean_derivation=0.8, derived_links=0.5, derived_suspect=0.9)
    page = render_html(c, source_label="<b>src</b>")
    assert ('<span class="st-part st-grounds"' in page and "90% of the suspect was made from &lt;b&gt;src&lt;/b&gt; "
            "sentence by sentence, though it covers 30% of &lt;b&gt;src&lt;/b&gt;") in page
    assert "<b>src</b>" not in page
    # Covering most of the source, a copy needs no such note.
    assert "st-grounds" not in render_html(dataclasses.replace(c, source_coverage=0.8))


def test_an_unrelated_pair_is_shown_without_copy_edit_marks() -> None:
    """Without reuse every word is "omitted" and "added": the texts stay readable, unmarked, and
    the JSON keeps the lists."""
    source, suspect = "The council met on Monday to discuss the harbour.", "A new bakery opened in the old town."
    c = Comparison(
        verdict="unrelated", score=0.01, suspect_coverage=0.0, source_coverage=0.0, passages=[],
        omitted=[Span(0, len(source))], added=[Span(0, len(suspect))], direction=Direction("unknown", 0.0),
        source_text=source, suspect_text=suspect,
    )
    page = render_report_fragment(c)
    assert "data-omitted" not in page and "data-added" not in page
    assert "Omitted from" not in page and "Added by" not in page
    assert c.to_dict()["omitted"] == [{"start": 0, "end": len(source)}]


def test_texts_and_excerpts_take_their_own_direction() -> None:
    """Arabic or Hebrew text reads right to left in the panes and the tables."""
    page = render_html(Comparison(
        verdict="unrelated", score=0.0, suspect_coverage=0.0, source_coverage=0.0, passages=[], omitted=[],
        added=[], direction=Direction("unknown", 0.0), source_text="مرحبا بالعالم.", suspect_text="שלום עולם."))
    assert page.count('class="st-text" dir="auto"') == 2
