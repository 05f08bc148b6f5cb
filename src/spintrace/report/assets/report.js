/* spintrace report behaviour.
   Only reads data-* attributes and toggles classes: article text is never written into the DOM
   from script (no HTML parsing of strings), so escaping on the server side stays the single line of defence
   that has to be right. init(root) may be called again after a fragment is re-inserted. */
(function () {
  "use strict";

  function sides(root) {
    return {
      source: root.querySelector('.st-text[data-side="source"]'),
      suspect: root.querySelector('.st-text[data-side="suspect"]')
    };
  }

  function cssToken(value) {
    /* Keys are digits or "c"+digits; anything else is refused rather than quoted. */
    return /^[a-z]?[0-9]+$/.test(value) ? value : null;
  }

  function clearClass(root, cls) {
    root.querySelectorAll("." + cls).forEach(function (el) { el.classList.remove(cls); });
  }

  function mark(root, selector, cls) {
    root.querySelectorAll(selector).forEach(function (el) { el.classList.add(cls); });
  }

  function isScrollable(pane) {
    if (!pane) return false;
    var style = window.getComputedStyle(pane);
    return (style.overflowY === "auto" || style.overflowY === "scroll") &&
      pane.scrollHeight > pane.clientHeight + 1;
  }

  function visibleIn(pane, el) {
    var p = pane.getBoundingClientRect();
    var r = el.getBoundingClientRect();
    return r.top >= p.top && r.bottom <= p.bottom;
  }

  function onScreen(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < (window.innerHeight || document.documentElement.clientHeight);
  }

  function inViewport(el) {
    var r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  /* Scroll only the pane holding el when possible, so the text the user is pointing at on the
     other side does not move; fall back to the page when the pane is not a scroll box. */
  function reveal(pane, el, force) {
    if (!pane || !el) return;
    if (isScrollable(pane)) {
      if (force || !visibleIn(pane, el)) {
        var p = pane.getBoundingClientRect();
        var r = el.getBoundingClientRect();
        pane.scrollTo({ top: pane.scrollTop + (r.top - p.top) - pane.clientHeight / 4, behavior: "smooth" });
      }
      if (force && !onScreen(pane)) pane.scrollIntoView({ block: "nearest", behavior: "smooth" });
    } else if (!inViewport(el)) {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function flash(el) {
    if (!el) return;
    el.classList.remove("flash");
    void el.offsetWidth; /* restart the animation */
    el.classList.add("flash");
  }

  function passageKeys(el) {
    var raw = el.dataset.passages || el.dataset.passage || "";
    return raw.split(/\s+/).map(cssToken).filter(Boolean);
  }

  function highlight(root, keys, cls) {
    clearClass(root, cls);
    keys.forEach(function (k) { mark(root, '.st-text [data-passages~="' + k + '"]', cls); });
  }

  function counterpartOf(el) {
    var side = el.closest(".st-text");
    return side && side.dataset.side === "source" ? "suspect" : "source";
  }

  function init(root) {
    if (!root) return;
    if (!root.classList.contains("spintrace-report")) {
      /* a container the fragment was inserted into */
      root.querySelectorAll(".spintrace-report").forEach(init);
      return;
    }
    if (root.dataset.stInit === "1") return;
    root.dataset.stInit = "1";
    var panes = sides(root);

    /* A reworded, moved, dropped or inserted run: light it and its counterpart on the other side. */
    root.addEventListener("mouseover", function (ev) {
      var ed = ev.target.closest && ev.target.closest(".st-text .ed");
      clearClass(root, "hl-ed");
      if (!ed || !root.contains(ed) || !ed.dataset.edit) return;
      ed.dataset.edit.split(/\s+/).map(cssToken).filter(Boolean).forEach(function (k) {
        mark(root, '.st-text [data-edit~="' + k + '"]', "hl-ed");
      });
    });
    root.addEventListener("mouseleave", function () { clearClass(root, "hl-ed"); });

    root.addEventListener("mouseover", function (ev) {
      var seg = ev.target.closest && ev.target.closest(".st-text .psg");
      if (!seg || !root.contains(seg)) return;
      var keys = passageKeys(seg);
      highlight(root, keys, "hl");
      clearClass(root, "hl-chg");
      var chg = ev.target.closest(".chg");
      if (chg && chg.dataset.change) {
        chg.dataset.change.split(/\s+/).map(cssToken).filter(Boolean).forEach(function (k) {
          mark(root, '.st-text [data-change~="' + k + '"]', "hl-chg");
        });
      }
      if (keys.length) {
        var other = counterpartOf(seg);
        var target = panes[other] && panes[other].querySelector('[data-passages~="' + keys[0] + '"]');
        reveal(panes[other], target, false);
      }
    });
    root.addEventListener("mouseout", function (ev) {
      var seg = ev.target.closest && ev.target.closest(".st-text .psg");
      if (!seg) return;
      var to = ev.relatedTarget;
      if (to && to.closest && to.closest(".st-text .psg")) return;
      clearClass(root, "hl");
      clearClass(root, "hl-chg");
    });

    /* Select a passage: it and its counterpart stay lit, the other pane scrolls to it. */
    function select(seg) {
      var keys = passageKeys(seg);
      var already = seg.classList.contains("sel");
      clearClass(root, "sel");
      if (already || !keys.length) return;
      highlight(root, keys, "sel");
      var other = counterpartOf(seg);
      var target = panes[other] && panes[other].querySelector('[data-passages~="' + keys[0] + '"]');
      reveal(panes[other], target, true);
      flash(target);
    }
    /* Keyboard users reach each passage once per pane (its first segment), not every segment. */
    ["source", "suspect"].forEach(function (side) {
      var seen = {};
      if (!panes[side]) return;
      panes[side].querySelectorAll(".psg[data-passage]").forEach(function (seg) {
        var key = seg.dataset.passage;
        if (seen[key]) return;
        seen[key] = true;
        seg.tabIndex = 0;
        seg.setAttribute("role", "button");
        seg.setAttribute("aria-label", "passage " + (Number(key) + 1) + " (" + side + "): show its counterpart");
      });
    });
    root.addEventListener("click", function (ev) {
      var seg = ev.target.closest && ev.target.closest(".st-text .psg");
      if (seg && root.contains(seg)) { select(seg); return; }
      var row = ev.target.closest && ev.target.closest(".st-jump");
      if (row && root.contains(row)) jump(root, panes, row);
    });
    root.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" && ev.key !== " ") return;
      var seg = ev.target.closest && ev.target.closest(".st-text .psg[tabindex]");
      if (seg && root.contains(seg)) { ev.preventDefault(); select(seg); return; }
      var row = ev.target.closest && ev.target.closest(".st-jump");
      if (row && root.contains(row)) { ev.preventDefault(); jump(root, panes, row); }
    });
  }

  /* Table rows: show the passage / change / omitted / added run in the text panes. */
  function jump(root, panes, row) {
    var kind = row.dataset.jump;
    var key = cssToken(row.dataset.key || "");
    if (!key) return;
    var targets = [];
    clearClass(root, "sel");
    if (kind === "p") {
      highlight(root, [key], "sel");
      targets = [panes.source && panes.source.querySelector('[data-passages~="' + key + '"]'),
                 panes.suspect && panes.suspect.querySelector('[data-passages~="' + key + '"]')];
    } else if (kind === "c") {
      var pk = cssToken(row.dataset.passageKey || "");
      if (pk) highlight(root, [pk], "sel");
      clearClass(root, "hl-chg");
      mark(root, '.st-text [data-change~="' + key + '"]', "hl-chg");
      targets = [panes.source && panes.source.querySelector('[data-change~="' + key + '"]'),
                 panes.suspect && panes.suspect.querySelector('[data-change~="' + key + '"]')];
      if (pk) {
        /* a detail present on one side only: show the passage on the other side instead */
        if (!targets[0] && panes.source) targets[0] = panes.source.querySelector('[data-passages~="' + pk + '"]');
        if (!targets[1] && panes.suspect) targets[1] = panes.suspect.querySelector('[data-passages~="' + pk + '"]');
      }
    } else if (kind === "o") {
      targets = [panes.source && panes.source.querySelector('[data-omitted~="' + key + '"]'), null];
    } else if (kind === "a") {
      targets = [null, panes.suspect && panes.suspect.querySelector('[data-added~="' + key + '"]')];
    }
    var first = targets[0] || targets[1];
    if (!first) return;
    var pane = first.closest(".st-text");
    /* bring the panes on screen once, then scroll inside each pane */
    if (pane && !onScreen(pane)) pane.scrollIntoView({ block: "start", behavior: "smooth" });
    if (targets[0]) { reveal(panes.source, targets[0], true); flash(targets[0]); }
    if (targets[1]) { reveal(panes.suspect, targets[1], true); flash(targets[1]); }
  }

  function initAll(scope) {
    (scope || document).querySelectorAll(".spintrace-report").forEach(init);
  }

  window.spintraceReport = { init: init, initAll: initAll };
  /* The standalone page puts this script after the report, so init now; the DOMContentLoaded
     pass catches reports parsed later (init is idempotent per element). */
  initAll(document);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  }
})();
