"""The web page shows the word-level marks of the report: reworded words on both sides, hover lights
the counterpart, the Substitutions table, hostile text kept as text (real server, headless Chromium)."""

from __future__ import annotations

import pytest

from spintrace.serve.conftest import ServerProcess
from spintrace.serve.test_browser import CHROMIUM, _compare, _page, browser  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)"),
]


def test_word_edits_in_the_page(server: ServerProcess, browser, seed_pair):  # noqa: F811
    source, suspect = seed_pair
    hostile = ' The <img src=x onerror="alert(7)"> embattled leader spoke.'
    page = _page(browser, 1366, 900)
    page.set_default_timeout(300_000)  # the shared 2-core machine can be slow to compare
    page.goto(server.url + "/")
    _compare(page, source + hostile, suspect + ' The <img src=x onerror="alert(7)"> troubled leader spoke.')
    report = page.locator("#compare-report")
    for op in ("replace", "move", "delete", "insert"):
        assert report.locator(f".st-text .ed-{op}").count() > 0, op
    word = report.locator('.st-text[data-side="suspect"] .ed-replace', has_text="troubled").first
    word.scroll_into_view_if_needed()
    word.hover()
    key = word.get_attribute("data-edit")
    lit = report.locator(f'.st-text[data-side="source"] .hl-ed[data-edit~="{key}"]')
    assert lit.count() >= 1 and "embattled" in lit.first.inner_text()
    assert "\u201cembattled\u201d \u2192 \u201ctroubled\u201d" in (word.get_attribute("title") or "")
    table = report.locator(".st-substitutions")
    assert table.is_visible()
    assert table.locator("td", has_text="coalition").count() >= 1
    # the hostile markup is text in both panes: no element, no script run
    assert report.locator(".st-text img").count() == 0
    assert '<img src=x onerror="alert(7)">' in report.locator('.st-text[data-side="suspect"]').inner_text()
    assert not page.dialogs and not page.errors  # type: ignore[attr-defined]
