/* The Trace tab: every indexed source of an article, the article coloured by source. */
(function () {
  "use strict";
  var app = window.spintraceApp;
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var form = $("#trace-form");
  if (!app || !form) return;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var article = app.articleValue($(".article", form));
    var errorEl = $("#trace-error");
    errorEl.hidden = true;
    if (!article.file && !article.text.trim()) {
      app.showError(errorEl, new app.ApiError(0, "Paste or upload an article to trace."));
      return;
    }
    var body = new FormData();
    app.appendArticle(body, "text", article);
    body.append("text_label", article.label || "your article");
    var button = $("#trace-button");
    button.disabled = true;
    $("#trace-result").hidden = true;
    var progress = app.startProgress($("#trace-progress"), "Tracing");
    app.call("POST", "/trace?report=true", body, progress.signal)
      .then(function (data) {
        if (!progress.current()) return;  /* a newer trace replaced this one */
        /* report_html is the server's report fragment, every piece of text in it escaped */
        $("#trace-report").innerHTML = data.report_html;
        $("#trace-result").hidden = false;
        progress.done();  /* before scrolling: hiding the progress line afterwards shifts the page */
        $("#trace-result").scrollIntoView({ behavior: "smooth", block: "start" });  /* as compare does */
      })
      .catch(function (err) { if (progress.current()) app.showError(errorEl, err); })
      .then(function () { progress.done(); if (progress.current()) button.disabled = false; });
  });
})();
