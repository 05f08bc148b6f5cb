/* spintrace web page.
   Article text only ever reaches the DOM as textarea values, textContent, or inside the report
   fragment the server rendered and escaped; this script never builds HTML from strings. */
(function () {
  "use strict";

  var KEY_STORE = "spintrace-api-key";
  var VERDICT_TEXT = {
    "verbatim": "Verbatim copy", "paraphrase": "Paraphrased copy", "partial": "Partial reuse",
    "same-story": "Same story", "unrelated": "Unrelated"
  };
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var state = { lastComparison: null, lastLabels: null, searchText: null, searchFile: null };

  /* ---- API ------------------------------------------------------------------------ */
  function apiKey() {
    try { return sessionStorage.getItem(KEY_STORE) || ""; } catch (e) { return ""; }
  }

  function ApiError(status, message) { this.status = status; this.message = message; }

  function call(method, url, body, signal) {
    var headers = { "Accept": "application/json" };
    var key = apiKey();
    if (key) headers["X-API-Key"] = key;
    if (body && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: method, headers: headers, body: body, signal: signal, credentials: "same-origin" })
      .then(function (resp) {
        return resp.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (!resp.ok) {
            var msg = data && typeof data.detail === "string" ? data.detail : ("HTTP " + resp.status);
            if (resp.status === 401) askForKey("This server needs an API key: enter the key you were given.");
            else if (resp.status === 403 && /API key/.test(msg)) askForKey("That API key was not accepted: enter it again.");
            throw new ApiError(resp.status, explain(resp.status, msg));
          }
          return data;
        });
      });
  }

  function explain(status, msg) {
    var lead = {
      401: "API key needed", 403: "Refused", 404: "Not found", 408: "Took too long",
      413: "Too large", 415: "Wrong format", 422: "Cannot use this input", 503: "Not available"
    }[status];
    return lead ? lead + ": " + msg : msg;
  }

  /* ---- API key panel ---------------------------------------------------------------- */
  function askForKey(message) {
    var panel = $("#key-panel");
    panel.hidden = false;
    $("label", panel).textContent = message;
    $("#key-input").focus();
  }
  $("#key-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    try { sessionStorage.setItem(KEY_STORE, $("#key-input").value.trim()); } catch (e) { /* private mode */ }
    $("#key-panel").hidden = true;
    $("#key-button").hidden = false;
    refreshInfo();
  });
  $("#key-button").addEventListener("click", function () { askForKey("Enter the API key for this server."); });

  /* ---- tabs ------------------------------------------------------------------------- */
  /* Each tab, and a search hit's report, is a history entry (#search, #trace, #search-hit), so
     Back and Forward move between them inside the page instead of leaving it. */
  function showTab(name) {
    ["compare", "search", "trace"].forEach(function (n) {
      var on = n === name;
      $("#tab-" + n).setAttribute("aria-selected", on ? "true" : "false");
      $("#view-" + n).hidden = !on;
    });
  }
  function go(hash) {
    if (location.hash !== hash) history.pushState(null, "", hash || location.pathname + location.search);
  }
  function applyLocation() {
    var hash = location.hash;
    var name = hash === "#search" || hash === "#search-hit" ? "search" : hash === "#trace" ? "trace" : "compare";
    showTab(name);
    if (name === "search") {
      var hitShown = hash === "#search-hit" && $("#hit-report").childElementCount > 0;
      $("#hit-result").hidden = !hitShown;
      $("#search-results").hidden = hitShown || $("#hits").childElementCount === 0;
    }
  }
  /* Arrow keys, Home and End move between the tabs, as a tablist's keyboard pattern asks. */
  $(".tabs").addEventListener("keydown", function (ev) {
    var tabs = ["compare", "search", "trace"];
    var at = tabs.indexOf((document.activeElement.id || "").replace("tab-", ""));
    if (at < 0) return;
    var to = ev.key === "ArrowRight" ? (at + 1) % tabs.length : ev.key === "ArrowLeft" ? (at + tabs.length - 1) % tabs.length
      : ev.key === "Home" ? 0 : ev.key === "End" ? tabs.length - 1 : -1;
    if (to < 0) return;
    ev.preventDefault();
    $("#tab-" + tabs[to]).focus();
    $("#tab-" + tabs[to]).click();
  });
  $("#tab-compare").addEventListener("click", function () { go(""); applyLocation(); });
  $("#tab-search").addEventListener("click", function () { go("#search"); applyLocation(); });
  $("#tab-trace").addEventListener("click", function () { go("#trace"); applyLocation(); });
  window.addEventListener("popstate", applyLocation);
  window.addEventListener("hashchange", applyLocation);
  applyLocation();

  /* ---- article inputs (textarea + optional file) ------------------------------------------ */
  function setupArticle(box) {
    var area = $("textarea", box), input = $("input[type=file]", box);
    var name = $(".file-name", box), clear = $(".clear-file", box), count = $(".count", box);
    function update() {
      var file = input.files && input.files[0];
      name.textContent = file ? file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)" : "";
      clear.hidden = !file;
      area.disabled = !!file;
      area.placeholder = file ? "The uploaded file will be used." : area.dataset.placeholder;
      var words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
      count.textContent = file || !words ? "" : words + (words === 1 ? " word" : " words");
    }
    area.dataset.placeholder = area.placeholder;
    area.addEventListener("input", update);
    /* a file dropped on the box is used as if chosen with the upload button */
    box.addEventListener("dragover", function (ev) {
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) {
        ev.preventDefault();
        box.classList.add("drop");
      }
    });
    box.addEventListener("dragleave", function () { box.classList.remove("drop"); });
    box.addEventListener("drop", function (ev) {
      box.classList.remove("drop");
      if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
      ev.preventDefault();
      input.files = ev.dataTransfer.files;
      update();
    });
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        box.closest("form").requestSubmit();
      }
    });
    input.addEventListener("change", update);
    clear.addEventListener("click", function () { input.value = ""; update(); });
    box.spintraceUpdate = update;
    update();
  }
  document.querySelectorAll(".article").forEach(setupArticle);

  function articleValue(box) {
    var file = $("input[type=file]", box).files[0];
    return file ? { file: file, label: file.name } : { text: $("textarea", box).value, label: null };
  }

  function appendArticle(form, field, value) {
    if (value.file) form.append(field, value.file, value.file.name);
    else form.append(field, value.text);
  }

  /* ---- progress --------------------------------------------------------------------- */
  /* One run per progress bar: a new run (Ctrl+Enter while one is running, opening another hit)
     aborts the run in flight, and a run that is no longer current touches nothing, so an older,
     slower answer can never replace a newer one on the page. */
  function startProgress(el, verb) {
    if (el.spintraceRun) el.spintraceRun.abort();
    var controller = new AbortController();
    el.spintraceRun = controller;
    var started = Date.now();
    var text = $(".progress-text", el);
    el.hidden = false;
    function tick() {
      var s = (Date.now() - started) / 1000;
      text.textContent = verb + "… " + s.toFixed(1) + " s" + (s > 8 ? " (long articles take a while)" : "");
    }
    tick();
    var timer = setInterval(tick, 100);
    $(".cancel", el).onclick = function () { controller.abort(); };
    function current() { return el.spintraceRun === controller; }
    return {
      signal: controller.signal,
      current: current,
      done: function () { clearInterval(timer); if (current()) el.hidden = true; }
    };
  }

  function showError(el, err) {
    if (err && err.name === "AbortError") { el.hidden = true; return; }
    el.textContent = err instanceof ApiError ? err.message :
      "Could not reach the spintrace server (" + (err && err.message ? err.message : "network error") + ").";
    el.hidden = false;
    el.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  function mountReport(host, html) {
    /* report_html is the server's escaped report fragment, the same markup as the HTML report */
    host.innerHTML = html;
    window.spintraceReport.init(host);
  }

  /* ---- compare ------------------------------------------------------------------------ */
  var compareForm = $("#compare-form");
  compareForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var source = articleValue($('.article[data-field="source"]', compareForm));
    var suspect = articleValue($('.article[data-field="suspect"]', compareForm));
    var errorEl = $("#compare-error");
    errorEl.hidden = true;
    if (!source.file && !source.text.trim()) { showError(errorEl, new ApiError(0, "Paste or upload the source article.")); return; }
    if (!suspect.file && !suspect.text.trim()) { showError(errorEl, new ApiError(0, "Paste or upload the suspect article.")); return; }
    var form = new FormData();
    appendArticle(form, "source", source);
    appendArticle(form, "suspect", suspect);
    form.append("source_label", source.label || "source");
    form.append("suspect_label", suspect.label || "suspect");
    ["source_published", "suspect_published"].forEach(function (n) {
      var v = compareForm.elements[n].value;
      if (v) form.append(n, v);
    });
    var button = $("#compare-button");
    button.disabled = true;
    /* the report on screen is the previous run's: hidden, so it is never read as this one's */
    $("#compare-result").hidden = true;
    state.lastComparison = null;
    var progress = startProgress($("#compare-progress"), "Comparing");
    call("POST", "/compare?report=true", form, progress.signal)
      .then(function (data) {
        if (!progress.current()) return;
        progress.done();  /* before scrolling: hiding the bar moves the content */
        var html = data.report_html;
        delete data.report_html;
        state.lastComparison = data;
        state.lastLabels = [source.label || "source", suspect.label || "suspect"];
        $("#compare-result").hidden = false;
        mountReport($("#compare-report"), html);
        $("#compare-result").scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function (err) { if (progress.current()) showError(errorEl, err); })
      .then(function () { progress.done(); if (progress.current()) button.disabled = false; });
  });

  $("#swap-button").addEventListener("click", function () {
    var a = $("#source-text"), b = $("#suspect-text");
    var t = a.value; a.value = b.value; b.value = t;
    document.querySelectorAll("#compare-form .article").forEach(function (box) { box.spintraceUpdate(); });
  });
  $("#clear-button").addEventListener("click", function () {
    compareForm.reset();
    document.querySelectorAll("#compare-form .article").forEach(function (box) { box.spintraceUpdate(); });
    $("#compare-result").hidden = true;
    $("#compare-error").hidden = true;
  });

  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  $("#download-json").addEventListener("click", function () {
    if (state.lastComparison) download("spintrace-comparison.json", "application/json",
      JSON.stringify(state.lastComparison, null, 2));
  });
  /* The downloaded file's title names the two texts and the verdict, as the CLI's does. */
  function reportTitle() {
    var labels = state.lastLabels || ["source", "suspect"];
    var verdict = state.lastComparison ? state.lastComparison.verdict : "";
    return "spintrace: " + labels[0] + " vs " + labels[1] + (verdict ? " \u2014 " + verdict : "");
  }
  function escapeText(text) {
    var el = document.createElement("div");
    el.textContent = text;
    return el.innerHTML;
  }
  $("#download-html").addEventListener("click", function () {
    var report = $("#compare-report .spintrace-report");
    if (!report) return;
    Promise.all(["/static/report.css", "/static/report.js"].map(function (u) {
      return fetch(u).then(function (r) { return r.text(); });
    })).then(function (assets) {
      var clone = report.cloneNode(true);
      clone.removeAttribute("data-st-init");
      clone.querySelectorAll(".hl, .sel, .flash, .hl-chg").forEach(function (el) {
        el.classList.remove("hl", "sel", "flash", "hl-chg");
      });
      /* outerHTML re-serialises the escaped DOM, so the text stays text in the file */
      var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">" +
        "<title>" + escapeText(reportTitle()) + "</title><style>\n" + assets[0] + "\n</style></head><body>\n" +
        clone.outerHTML + "\n<script>\n" + assets[1].replace(/<\/script/gi, "<\\/script") + "\n</script></body></html>\n";
      download("spintrace-report.html", "text/html", page);
    });
  });

  /* ---- search ------------------------------------------------------------------------- */
  var searchForm = $("#search-form");
  searchForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var article = articleValue($(".article", searchForm));
    var errorEl = $("#search-error");
    errorEl.hidden = true;
    /* the hits on screen are the previous query's: cleared, so a new search's error or progress is
       never read beside them, nor one of them opened against the new text */
    $("#hit-result").hidden = true;
    $("#search-results").hidden = true;
    $("#hits").textContent = "";
    if (!article.file && !article.text.trim()) { showError(errorEl, new ApiError(0, "Paste or upload an article to search for.")); return; }
    var form = new FormData();
    appendArticle(form, "text", article);
    form.append("limit", searchForm.elements.limit.value);
    var button = $("#search-button");
    button.disabled = true;
    var progress = startProgress($("#search-progress"), "Searching");
    call("POST", "/search", form, progress.signal)
      .then(function (data) {
        if (!progress.current()) return;
        state.searchText = article;
        renderHits(data);
        progress.done();  /* before scrolling: hiding the progress line afterwards shifts the page */
        $("#search-results").scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function (err) { if (progress.current()) showError(errorEl, err); })
      .then(function () { progress.done(); if (progress.current()) button.disabled = false; });
  });

  function pct(v) { return typeof v === "number" ? Math.round(v * 100) + "%" : "–"; }

  function renderHits(data) {
    var list = $("#hits");
    list.textContent = "";
    var hits = (data && data.hits) || [];
    var reused = hits.filter(function (h) { return h.reused; }).length;
    var others = hits.length - reused;
    var summary = reused ? reused + (reused === 1 ? " likely source" : " likely sources") :
      "No indexed article was reused";
    if (others) summary += (reused ? ", and " : "; ") + others + (others === 1 ? " candidate" : " candidates") + " without reuse";
    $("#search-results .results-title").textContent = hits.length ?
      summary + " (" + (data.took_ms / 1000).toFixed(1) + " s)" : "No indexed article shares text with this one.";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      li.className = hit.reused ? "hit reused" : "hit no-reuse";
      var badge = document.createElement("span");
      var verdict = hit.verdict || "candidate";
      badge.className = "badge v-" + verdict.replace(/[^a-z-]/g, "");
      badge.textContent = VERDICT_TEXT[verdict] || verdict;
      var title = document.createElement("span");
      title.className = "hit-title";
      title.textContent = hit.title || hit.id;
      var meta = document.createElement("span");
      meta.className = "hit-meta";
      var parts = ["id " + hit.id];
      if (typeof hit.score === "number") parts.push("score " + hit.score.toFixed(2));
      if (typeof hit.suspect_coverage === "number") parts.push(pct(hit.suspect_coverage) + " of your article reused");
      meta.textContent = parts.join(" · ");
      var open = document.createElement("button");
      open.type = "button";
      open.className = "open-hit";
      open.textContent = "Open report";
      open.addEventListener("click", function () { openHit(hit, open); });
      var head = document.createElement("div");
      head.className = "hit-head";
      head.append(badge, title);
      li.append(head, meta, open);
      list.appendChild(li);
    });
    $("#search-results").hidden = false;
  }

  function openHit(hit, button) {
    var article = state.searchText;
    if (!article) return;
    var form = new FormData();
    form.append("source_id", hit.id);
    appendArticle(form, "suspect", article);
    form.append("source_label", hit.title || hit.id);
    form.append("suspect_label", article.label || "your article");
    var errorEl = $("#search-error");
    errorEl.hidden = true;
    button.disabled = true;
    var progress = startProgress($("#search-progress"), "Comparing with " + (hit.title || hit.id));
    call("POST", "/compare?report=true", form, progress.signal)
      .then(function (data) {
        if (!progress.current()) return;
        progress.done();
        $("#search-results").hidden = true;
        $("#hit-result").hidden = false;
        mountReport($("#hit-report"), data.report_html);
        go("#search-hit");
        $("#hit-result").scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function (err) { if (progress.current()) showError(errorEl, err); })
      .then(function () {
        progress.done();
        button.disabled = false;
        /* this run may have replaced a search in flight, which left its button disabled */
        if (progress.current()) $("#search-button").disabled = false;
      });
  }

  $("#back-to-hits").addEventListener("click", function () {
    if (location.hash === "#search-hit") { history.back(); return; }  /* the hit list is the entry before */
    $("#hit-result").hidden = true;
    $("#search-results").hidden = false;
  });

  /* ---- server info ----------------------------------------------------------------------- */
  function refreshInfo() {
    call("GET", "/health").then(function (h) {
      var info = $("#index-info");
      if (h.auth_required) $("#key-button").hidden = false;
      if (!h.index) info.textContent = "no index loaded (start the server with --index DIR)";
      else if (h.index.error) info.textContent = "index unavailable: " + h.index.error;
      else if (typeof h.index.documents === "number") info.textContent = h.index.documents + " articles indexed";
      else info.textContent = "";
    }).catch(function () { /* the key panel or the error box already says why */ });
  }
  refreshInfo();
  /* shared with trace.js (the Trace tab) */
  window.spintraceApp = { call: call, ApiError: ApiError, articleValue: articleValue, appendArticle: appendArticle,
                          startProgress: startProgress, showError: showError };
})();
