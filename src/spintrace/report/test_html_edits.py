"""Word-level edit marks and the substitutions table in the HTML report, on real edit scripts,
with hostile article text inside the reworded words; and the same file in headless Chromium."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from spintrace.align.edits import edit_script
from spintrace.comparison import Comparison, Direction, Passage, SentenceLink, Substitution
from spintrace.normalise import tokenize
from spintrace.report import render_html, render_report_fragment
from spintrace.report.test_html import _parse

SOURCE = "The embattled leader asked the alliance for help. In Vienna, the musical opens on Saturday."
SUSPECT = 'The troubled <b onmouseover="alert(1)">chief</b> asked the coalition for help. The musical opens on Saturday in Vienna, officials said.'


def edited_comparison() -> Comparison:
    s_cut, t_cut = SOURCE.index("In Vienna"), SUSPECT.index("The musical")
    links = []
    for s0, s1, t0, t1 in ((0, s_cut - 1, 0, t_cut - 1), (s_cut, len(SOURCE), t_cut, len(SUSPECT))):
        link = SentenceLink(s0, s1, t0, t1, 0.8)
        links.append(replace(link, edits=edit_script(tokenize(SOURCE, s0, s1), tokenize(SUSPECT, t0, t1))))
    return Comparison(
        verdict="paraphrase", score=0.9, suspect_coverage=1.0, source_coverage=1.0,
        passages=[Passage(0, len(SOURCE), 0, len(SUSPECT), 0.8, "paraphrase", (), tuple(links))],
        omitted=[], added=[], direction=Direction("unknown", 0.0),
        source_text=SOURCE, suspect_text=SUSPECT,
        substitutions=[Substitution("alliance", "coalition", 1), Substitution("embattled", "troubled", 1),
                       Substitution("<i>x</i>", "y&z", 1)],
    )


def _edit_elements(fragment: str):
    parsed = _parse(fragment)
    return parsed, [(side, (a.get("class") or "").split(), a) for _, a, side in parsed.elements if side]


def test_edits_are_marked_on_both_sides_with_the_counterpart_in_the_tooltip() -> None:
    parsed, elements = _edit_elements(render_report_fragment(edited_comparison()))
    assert "".join(parsed.text["source"]) == SOURCE and "".join(parsed.text["suspect"]) == SUSPECT
    replaced = [(side, a) for side, cl, a in elements if "ed-replace" in cl]
    # "embattled leader" -> "troubled <b ...>chief</b>" and "alliance" -> "coalition", on both sides
    keys = {a["data-edit"] for _, a in replaced}
    for key in keys:
        assert {side for side, a in replaced if a["data-edit"] == key} == {"source", "suspect"}
    titles = [a["title"] for side, a in replaced if side == "suspect"]
    assert any("\u201calliance\u201d \u2192 \u201ccoalition\u201d" in t for t in titles)
    moved = [side for side, cl, a in elements if "ed-move" in cl]
    assert set(moved) == {"source", "suspect"}  # "In Vienna" moved, not dropped and re-added
    inserted = [side for side, cl, _ in elements if "ed-insert" in cl]
    assert inserted and set(inserted) == {"suspect"}
    # kept words carry no edit mark
    fragment = render_report_fragment(edited_comparison())
    assert not re.search(r'class="[^"]*\bed\b[^"]*"[^>]*>[^<]*\basked\b', fragment)
    assert re.search(r'class="[^"]*\bed\b[^"]*"[^>]*>[^<]*\bembattled\b', fragment)


def test_substitutions_table_and_escaping() -> None:
    page = render_html(edited_comparison())
    assert "<h2>Substitutions</h2>" in page
    assert re.search(r'<td class="st-old">alliance</td><td class="st-new">coalition</td><td>1</td>', page)
    assert "&lt;i&gt;x&lt;/i&gt;" in page and "y&amp;z" in page
    assert "<b " not in page and "<i>" not in page
    assert len(re.findall(r"<script\b", page, flags=re.I)) == 1
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;" in page


CHROMIUM = Path("/usr/bin/chromium")


@contextmanager
def _chromium_page():
    """A page of Debian's headless Chromium (nothing downloaded), closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 800})
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)")
def test_standalone_report_in_chromium(tmp_path: Path) -> None:
    """Marks appear, hovering a reworded word lights its counterpart on the other side, and the
    hostile markup inside a reworded phrase stays text (no element, no dialog)."""
    path = tmp_path / "report.html"
    path.write_text(render_html(edited_comparison()), encoding="utf-8")
    with _chromium_page() as page:
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        suspect = page.locator('.st-text[data-side="suspect"]')
        word = suspect.locator(".ed-replace", has_text="coalition")
        assert word.count() == 1
        word.hover()
        key = word.get_attribute("data-edit")
        counterpart = page.locator(f'.st-text[data-side="source"] .hl-ed[data-edit~="{key}"]')
        assert counterpart.inner_text() == "alliance"
        assert "alliance" in (word.get_attribute("title") or "")
        # hovering the hostile phrase fires nothing: it is text
        suspect.locator(".ed", has_text="onmouseover").first.hover()
        assert page.locator(".st-text b").count() == 0
        assert "<b onmouseover" in suspect.inner_text()
        page.mouse.move(1, 1)
        page.wait_for_timeout(100)
        assert page.locator(".hl-ed").count() == 0
        assert page.locator(".st-substitutions tbody tr").count() == 3
        assert not dialogs and not errors


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)")
def test_a_changed_figure_keeps_its_mark_when_it_is_also_a_reworded_word(tmp_path: Path) -> None:
    """The edit rules' text-decoration shorthand came after the changed-detail rule and replaced
    its wavy underline: a figure changed from 76% to 67% looked merely reworded."""
    import spintrace

    source = ("Turnout reached 76% in the capital on Sunday, officials said. The count will take two days "
              "and results are expected on Wednesday.")
    suspect = source.replace("76%", "67%")
    comparison = spintrace.compare(source, suspect)
    assert [(c.source_text, c.suspect_text) for p in comparison.passages for c in p.changes] == [("76%", "67%")]
    path = tmp_path / "report.html"
    path.write_text(render_html(comparison), encoding="utf-8")
    with _chromium_page() as page:
        page.goto(path.as_uri())
        marks = page.locator(".st-text .chg")
        assert marks.count() == 2
        styles = marks.evaluate_all("els => els.map(e => [e.className, getComputedStyle(e).textDecorationStyle])")
        assert all(style == "wavy" for _, style in styles), styles
        assert any("ed-replace" in cls for cls, _ in styles)  # the case that lost its mark
