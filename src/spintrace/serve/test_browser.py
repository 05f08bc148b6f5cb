"""The web page in real headless Chromium (Debian's, driven by Playwright; nothing downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spintrace.serve.conftest import ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"
VERDICT_TEXT = {"verbatim": "Verbatim copy", "paraphrase": "Paraphrased copy", "partial": "Partial reuse",
                "same-story": "Same story, independent text", "unrelated": "Unrelated"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def _page(browser, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(90_000)
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def _compare(page, source: str, suspect: str) -> None:
    page.fill("#source-text", source)
    page.fill("#suspect-text", suspect)
    page.click("#compare-button")
    _wait_for_report(page, "#compare-report", "#compare-error")


def _wait_for_report(page, report: str, error: str) -> None:
    page.wait_for_selector(f"{report} .spintrace-report .st-verdict, {error}:not([hidden])")
    if page.is_visible(error):
        pytest.fail(f"the page showed an error: {page.inner_text(error)}")


def test_compare_seed_pair_in_the_page(server: ServerProcess, browser, seed_pair):
    source, suspect = seed_pair
    with server.client() as http:
        expected = http.post("/compare", json={"source": source, "suspect": suspect}).json()
    ARTIFACTS.mkdir(exist_ok=True)

    page = _page(browser, 1366, 900)
    page.goto(server.url + "/")
    with page.expect_response(lambda r: "/compare" in r.url and r.request.method == "POST") as answer:
        _compare(page, source, suspect)
    # The page sends a text box's line breaks as CRLF (HTML form rules): the server must read
    # back the text as pasted, or every offset after the first line break is off.
    received = answer.value.json()
    assert received["source_text"] == source and received["suspect_text"] == suspect
    assert received["passages"] == expected["passages"]
    assert page.inner_text("#compare-report .st-verdict-name") == VERDICT_TEXT[expected["verdict"]]
    assert len(page.query_selector_all('#compare-report .st-text[data-side="source"] .psg')) > 0

    # clicking a passage in the source highlights its counterpart in the suspect
    passage = page.locator('.st-text[data-side="source"] .psg[data-passage="1"]').first
    passage.click()
    counterpart = page.locator('.st-text[data-side="suspect"] .psg.sel')
    assert counterpart.count() > 0
    assert all("1" in (c.get_attribute("data-passages") or "").split() for c in counterpart.all())
    assert page.locator('.st-text[data-side="suspect"] .psg.sel').first.is_visible()
    # the same from the keyboard: each passage is reached once per pane, Enter shows its counterpart
    passage.click()  # a second click clears the selection
    assert page.locator("#compare-report .psg.sel").count() == 0
    focusable = page.locator('#compare-report .st-text[data-side="source"] .psg[tabindex="0"]')
    assert focusable.count() == len(expected["passages"])
    key = focusable.nth(1).get_attribute("data-passage")
    focusable.nth(1).focus()
    page.keyboard.press("Enter")
    chosen = page.locator('#compare-report .st-text[data-side="suspect"] .psg.sel')
    assert chosen.count() > 0 and all(key in (c.get_attribute("data-passages") or "").split() for c in chosen.all())
    page.wait_for_timeout(600)  # let the smooth scroll settle for the screenshot
    page.screenshot(path=str(ARTIFACTS / "serve-compare-laptop.png"))
    page.screenshot(path=str(ARTIFACTS / "serve-compare-laptop-full.png"), full_page=True)

    phone = _page(browser, 390, 844)
    phone.goto(server.url + "/")
    _compare(phone, source, suspect)
    assert phone.inner_text("#compare-report .st-verdict-name") == VERDICT_TEXT[expected["verdict"]]
    # nothing wider than the phone screen: no sideways scrolling of the page
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # nor of a table: its last columns were hidden behind a scroll without a visible bar
    hidden = phone.evaluate("""Array.from(document.querySelectorAll('#compare-report .st-table-wrap'))
        .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.scrollWidth + '>' + w.clientWidth)""")
    assert hidden == []
    phone.wait_for_timeout(600)
    phone.screenshot(path=str(ARTIFACTS / "serve-compare-phone.png"))
    assert not page.errors and not phone.errors


def test_hostile_article_renders_as_text(server: ServerProcess, browser, seed_pair):
    source, suspect = seed_pair
    hostile = (
        "<script>window.__pwned = 1; alert('script ran')</script>\n"
        '<img src="x" onerror="window.__pwned = 2; alert(\'onerror ran\')">\n'
        + suspect
    )
    page = _page(browser, 1366, 900)
    page.goto(server.url + "/")
    _compare(page, source, hostile)
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    report = page.locator("#compare-report .spintrace-report")
    assert report.locator("script").count() == 0
    assert report.locator("img").count() == 0
    shown = page.inner_text('#compare-report .st-text[data-side="suspect"]')
    assert "<script>window.__pwned = 1;" in shown
    assert '<img src="x" onerror=' in shown


def _phone_result(browser, server: ServerProcess, tab: str, text: str, ready: str, result: str) -> tuple[float, float, float]:
    """Run a tab's form on a phone-sized page: the result's top and bottom on screen once the
    smooth scroll has settled, and how far the page scrolled."""
    phone = _page(browser, 390, 700)
    phone.goto(f"{server.url}/#{tab}")
    phone.fill(f"#{tab}-text", text)
    phone.click(f"#{tab}-button")
    phone.wait_for_selector(ready)
    phone.wait_for_timeout(800)
    top, bottom = phone.evaluate(f"(() => {{ const r = document.querySelector('{result}').getBoundingClientRect();"
                                 " return [r.top, r.bottom]; })()")
    return top, bottom, phone.evaluate("window.scrollY")


def test_search_then_open_a_hit_report(server: ServerProcess, browser, seed_pair):
    _, suspect = seed_pair
    with server.client() as http:  # a document whose title is markup must show as text
        added = http.post("/documents", json={
            "id": "test/hostile-title", "title": '<img src=x onerror="alert(1)">Hostile title',
            "text": "\n\n".join(suspect.split("\n\n")[:4]) + "\n\nAn unrelated closing paragraph about football."})
        assert added.status_code == 201
    page = _page(browser, 1366, 900)
    page.goto(server.url + "/#search")
    page.fill("#search-text", suspect)
    page.click("#search-button")
    page.wait_for_selector("#hits .hit, #search-error:not([hidden])")
    if page.is_visible("#search-error"):
        pytest.fail(f"the page showed an error: {page.inner_text('#search-error')}")
    titles = page.locator("#hits .hit-title").all_inner_texts()
    assert "Kazakhstan asks CSTO for troops" in titles
    assert '<img src=x onerror="alert(1)">Hostile title' in titles
    assert page.locator("#hits img").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-search-laptop.png"))
    page.locator("#hits .hit").filter(has_text="Kazakhstan asks CSTO for troops").locator(".open-hit").click()
    _wait_for_report(page, "#hit-report", "#search-error")
    assert page.inner_text("#hit-report .st-pane-title").startswith("Kazakhstan asks CSTO for troops")
    assert page.dialogs == [] and not page.errors
    page.click("#back-to-hits")
    assert page.locator("#hits .hit").count() == len(titles)
    assert page.is_visible("#hits") and page.is_hidden("#hit-result")
    # the browser's own Back and Forward move between the hit report, the hits and the tabs,
    # inside the page (Back left it: tabs replaced the history entry)
    page.go_forward()
    page.wait_for_selector("#hit-result:not([hidden])")
    page.go_back()
    page.wait_for_selector("#hit-result", state="hidden")
    assert page.is_visible("#hits")
    page.click("#tab-trace")
    assert page.is_visible("#view-trace")
    page.go_back()
    page.wait_for_selector("#view-search:not([hidden])")
    assert page.is_hidden("#view-trace") and page.url.endswith("#search")
    page.evaluate("location.hash = '#trace'")
    page.wait_for_selector("#view-trace:not([hidden])")
    assert not page.errors
    # a new search that fails shows its error alone: the previous query's hits were still listed
    # under it, and opening one compared the previous text
    page.click("#tab-search")
    assert page.locator("#hits .hit").count() == len(titles)
    page.fill("#search-text", "")
    page.click("#search-button")
    page.wait_for_selector("#search-error:not([hidden])")
    assert page.is_hidden("#search-results") and page.locator("#hits .hit").count() == 0
    # the arrow keys move between the tabs
    page.focus("#tab-search")
    page.keyboard.press("ArrowRight")
    assert page.is_visible("#view-trace") and page.evaluate("document.activeElement.id") == "tab-trace"
    page.keyboard.press("ArrowLeft")
    assert page.is_visible("#view-search")

    # On a phone the hit list opened low on the screen: it is brought up, as compare's report is.
    top, _, scrolled = _phone_result(browser, server, "search", suspect, "#hits .hit", "#search-results")
    # as far as the page scrolls (a short list cannot reach the top of the screen); 447 px before
    assert scrolled > 0 and top < 300, top


def test_page_asks_for_the_api_key_and_shows_errors(strict_server: ServerProcess, browser, seed_pair):
    source, suspect = seed_pair
    page = _page(browser, 390, 844)
    page.goto(strict_server.url + "/")
    page.wait_for_selector("#key-panel:not([hidden])")
    assert "API key" in page.inner_text("#key-panel")
    page.fill("#key-input", "s3cret-key")
    page.click("#key-form button")
    page.wait_for_selector("#key-panel", state="hidden")
    # this server's time limit is too short for any comparison: the page says so in words
    page.fill("#source-text", source)
    page.fill("#suspect-text", suspect)
    page.click("#compare-button")
    page.wait_for_selector("#compare-error:not([hidden])")
    assert page.inner_text("#compare-error").startswith("Took too long:")
    assert page.is_hidden("#compare-progress") and page.is_enabled("#compare-button")
    assert not page.errors


def test_compare_uploaded_files_in_the_page(server: ServerProcess, browser, seed_files, tmp_path):
    suspect_page = tmp_path / "copy.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in seed_files[1].read_text(encoding="utf-8").split("\n\n") if p.strip())
    suspect_page.write_text(f"<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>", encoding="utf-8")
    page = _page(browser, 1366, 900)
    page.goto(server.url + "/")
    page.set_input_files('.article[data-field="source"] input[type=file]', str(seed_files[0]))
    page.set_input_files('.article[data-field="suspect"] input[type=file]', str(suspect_page))
    assert page.is_disabled("#source-text")
    assert "copy.html" in page.inner_text('.article[data-field="suspect"] .file-name')
    page.click("#compare-button")
    _wait_for_report(page, "#compare-report", "#compare-error")
    titles = page.locator("#compare-report .st-pane-title").all_inner_texts()
    assert titles[0].startswith("source.txt") and titles[1].startswith("copy.html")
    assert page.inner_text("#compare-report .st-verdict-name") in (
        VERDICT_TEXT["paraphrase"], VERDICT_TEXT["verbatim"], VERDICT_TEXT["partial"])
    assert "<p>" not in page.inner_text('#compare-report .st-text[data-side="suspect"]')


def test_trace_tab_colours_the_article_by_source(server: ServerProcess, browser, seed_pair):
    from spintrace.serve.test_server import _compilation

    text, bbc_id = _compilation(seed_pair[1])
    page = _page(browser, 1366, 900)
    page.goto(server.url + "/#trace")
    page.fill("#trace-text", text)
    page.click("#trace-button")
    page.wait_for_selector("#trace-report .st-trace, #trace-error:not([hidden])")
    if page.is_visible("#trace-error"):
        pytest.fail(f"the page showed an error: {page.inner_text('#trace-error')}")
    sources = {el.get_attribute("data-source") for el in page.query_selector_all("#trace-report .st-legend li")}
    assert bbc_id in sources and len(sources) >= 2
    # sources are named by title, as search names its hits (the legend showed raw ids)
    legend = page.locator("#trace-report .st-legend li").all_inner_texts()
    assert not any(entry.startswith(bbc_id) for entry in legend), legend
    marks = page.query_selector_all("#trace-report .st-suspect mark.st-passage")
    assert {m.get_attribute("data-source") for m in marks} == sources
    # each source has its own colour (CSS classes: the page's CSP allows no inline styles)
    colours = {m.evaluate("el => getComputedStyle(el).backgroundColor") for m in marks}
    assert len(colours) == len(sources)
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-trace-laptop.png"), full_page=True)

    # On a phone the result opens below the fold: it is brought into view, as compare's is.
    top, bottom, _ = _phone_result(browser, server, "trace", text, "#trace-report .st-trace", "#trace-result")
    assert abs(top) < 40 and bottom > 0, (top, bottom)  # its start at the top of the screen


def test_a_newer_comparison_is_never_replaced_by_an_older_slower_one(server: ServerProcess, browser, seed_pair):
    """An audit's case: a slow comparison (a long source) was running when the user changed the
    source and pressed Ctrl+Enter; the newer answer showed, then the older one replaced it. And a
    failed run left the previous report on screen under its error, as if it were this run's."""
    source, suspect = seed_pair
    page = _page(browser, 1366, 900)
    page.goto(server.url + "/")
    long_source = "\n\n".join([source] * 30)  # seconds of work on the server
    page.fill("#source-text", long_source)
    page.fill("#suspect-text", suspect + "\n\nA line of its own about the weather in the hills.")
    page.click("#compare-button")
    page.wait_for_timeout(300)
    page.fill("#source-text", source)
    page.press("#suspect-text", "Control+Enter")
    _wait_for_report(page, "#compare-report", "#compare-error")
    first_answer = page.inner_text("#compare-report .st-verdict-name")
    page.wait_for_timeout(8000)  # past the time the long comparison took
    assert page.inner_text("#compare-report .st-verdict-name") == first_answer == VERDICT_TEXT["paraphrase"]
    assert page.is_hidden("#compare-progress")

    # a run that fails hides the report of the run before it
    page.set_input_files("#compare-form .article[data-field='source'] input[type=file]",
                         files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 ..."}])
    page.click("#compare-button")
    page.wait_for_selector("#compare-error:not([hidden])")
    assert page.is_hidden("#compare-result")
    assert not page.errors
