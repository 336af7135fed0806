/*
 * Gantt charts: open the time line at today, keep the date in view across htmx swaps, pan.
 *
 * The chart's scrolling box is marked, and says how to turn a date into pixels:
 *
 *   data-gantt-scroll   the box that scrolls sideways (its SVG starts at data-origin)
 *   data-origin         the date (YYYY-MM-DD) at x = 0
 *   data-scale          pixels per calendar day
 *   data-today          today's date when it lies on the chart
 *   data-gantt-pan      on a button in the same [data-gantt]: -1 earlier, 1 later, 0 today
 *   data-gantt-period   in the same [data-gantt]: shows the upper axis label (with its year)
 *                       of the period at the box's left edge; the SVG's labels are text.period
 *   data-swap-refusals  on an htmx target: a 409 or 422 answer (an edit refused, the plan
 *                       drawn again with the error at its field or in its row) is swapped
 *                       in like a 200 (htmx leaves 4xx answers out by default), and the
 *                       refused row's (or the link form's) message is scrolled into view
 *   data-testid         an edit posted from inside the target (Enter in a row's input, a
 *                       Save button) puts the focus back on the element with the same
 *                       data-testid once the plan is drawn again, so the keyboard keeps its
 *                       place; a saved edit is announced in #plan-live ("Saved.", its
 *                       data-saved) for screen readers
 *   data-baseline-form  the Set baseline form: choosing a baseline that exists puts its
 *                       option's data-confirm question on the submit button (pmo.js asks it)
 *                       and its number in the form's "overwrite" field, which the server
 *                       needs to save over a baseline
 *
 * On load the box is scrolled so that today sits 40 % from its left edge (a chart that fits
 * does not move). When htmx replaces a chart (zoom, an edit), today is brought back into view
 * if it was in view; otherwise the date that was in the middle of the view stays there. The
 * pan buttons are hidden until this script shows them (and stay hidden when the chart fits).
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var TODAY_AT = 0.4;
  var PERIOD_WIDTH = 75; // pixels the left-edge period label covers
  var kept = null; // date (ms) in the middle of the view before an htmx swap, unless today was in view

  function number(box, name) {
    return parseFloat(box.getAttribute(name));
  }

  function dateMs(text) {
    return text ? Date.parse(text + "T00:00:00Z") : NaN;
  }

  function xOf(box, ms) {
    return ((ms - dateMs(box.getAttribute("data-origin"))) / DAY_MS) * number(box, "data-scale");
  }

  function middleMs(box) {
    var x = box.scrollLeft + box.clientWidth / 2;
    return dateMs(box.getAttribute("data-origin")) + (x / number(box, "data-scale")) * DAY_MS;
  }

  function show(box, x, at, smooth) {
    var left = Math.max(0, Math.min(x - box.clientWidth * at, box.scrollWidth - box.clientWidth));
    if (smooth && typeof box.scrollTo === "function") box.scrollTo({ left: left, behavior: "smooth" });
    else box.scrollLeft = left;
  }

  function todayInView(box) {
    var today = dateMs(box.getAttribute("data-today"));
    if (isNaN(today)) return false;
    var x = xOf(box, today);
    return x >= box.scrollLeft && x <= box.scrollLeft + box.clientWidth;
  }

  function toToday(box, smooth) {
    var today = dateMs(box.getAttribute("data-today"));
    if (!isNaN(today)) show(box, xOf(box, today), TODAY_AT, smooth);
  }

  function labelPeriod(box) {
    var frame = box.closest("[data-gantt]");
    var sticky = frame && frame.querySelector("[data-gantt-period]");
    if (!sticky) return;
    var left = box.scrollLeft + 1;
    var current = null;
    var next = null;
    var labels = box.querySelectorAll("text.period");
    for (var i = 0; i < labels.length && next === null; i++) {
      if (number(labels[i], "x") - 3 <= left) current = labels[i];
      else next = labels[i];
    }
    // Hidden when the chart's own label is at the edge or the next one would be covered.
    var covered = next !== null && number(next, "x") - box.scrollLeft < PERIOD_WIDTH;
    sticky.hidden = current === null || box.scrollLeft < 1 || covered;
    if (current !== null) sticky.textContent = current.textContent;
  }

  function armBaseline(form) {
    var select = form.querySelector("select[name=number]");
    var button = form.querySelector("button[type=submit]");
    var overwrite = form.querySelector("input[name=overwrite]");
    if (!select || !button || !overwrite) return;
    var option = select.options[select.selectedIndex];
    var question = option ? option.getAttribute("data-confirm") : null;
    if (question) button.setAttribute("data-confirm", question);
    else button.removeAttribute("data-confirm");
    overwrite.value = question ? select.value : "";
  }

  function setUp(root) {
    root.querySelectorAll("[data-baseline-form]").forEach(armBaseline);
    var boxes = root.querySelectorAll("[data-gantt-scroll]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (kept !== null && !isNaN(number(box, "data-scale"))) show(box, xOf(box, kept), 0.5, false);
      else toToday(box, false);
      var frame = box.closest("[data-gantt]");
      var tools = frame && frame.querySelector("[data-gantt-tools]");
      if (tools) tools.hidden = box.scrollWidth <= box.clientWidth; // nothing to pan
      labelPeriod(box);
    }
    kept = null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target instanceof Element ? target.closest("[data-gantt-pan]") : null;
    var frame = button && button.closest("[data-gantt]");
    var box = frame && frame.querySelector("[data-gantt-scroll]");
    if (!box) return;
    var step = parseInt(button.getAttribute("data-gantt-pan"), 10);
    if (step === 0) toToday(box, true);
    else show(box, box.scrollLeft + step * box.clientWidth * 0.8, 0, true);
  });

  // Scroll events do not bubble: listen in the capture phase.
  document.addEventListener(
    "scroll",
    function (event) {
      var box = event.target;
      if (box instanceof Element && box.hasAttribute("data-gantt-scroll")) labelPeriod(box);
    },
    true
  );

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail && detail.xhr ? detail.xhr.status : 0;
    var into = detail && detail.target;
    if ((status === 409 || status === 422) && into instanceof Element && into.hasAttribute("data-swap-refusals")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    var box = target instanceof Element ? target.querySelector("[data-gantt-scroll]") : null;
    kept = box && box.hasAttribute("data-origin") && !todayInView(box) ? middleMs(box) : null;
  });

  document.addEventListener("change", function (event) {
    var form = event.target instanceof Element ? event.target.closest("[data-baseline-form]") : null;
    if (form) armBaseline(form);
  });

  var focusKey = null; // data-testid of the element an edit was posted from
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    var active = document.activeElement;
    focusKey = null;
    if (target instanceof Element && target.hasAttribute("data-swap-refusals") &&
        active instanceof Element && target.contains(active)) {
      focusKey = active.getAttribute("data-testid");
    }
  });

  function announce(text) {
    var live = document.getElementById("plan-live");
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 100); // a change after a pause, so the same words are read again
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target instanceof Element) setUp(target);
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    var key = focusKey;
    focusKey = null;
    if (key && target instanceof Element && target.hasAttribute("data-swap-refusals")) {
      var again = target.querySelector('[data-testid="' + key.replace(/["\\]/g, "") + '"]');
      if (again) again.focus();
      var verb = event.detail.requestConfig ? event.detail.requestConfig.verb : "";
      var live = document.getElementById("plan-live");
      if (status === 200 && verb === "post" && live) announce(live.getAttribute("data-saved"));
    }
    if ((status === 409 || status === 422) && target instanceof Element) {
      // a refused row or link: its message (in the row, under an input, at the form) in view
      var refused = target.querySelector(
        "tr [role=alert], tr [aria-invalid=true], #link-form [role=alert], #link-form [aria-invalid=true]"
      );
      if (refused) refused.scrollIntoView({ block: "nearest" });
    }
  });

  // Back/forward over a zoom change: htmx puts the saved page back without a swap.
  document.addEventListener("htmx:historyRestore", function () {
    kept = null;
    setUp(document);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
})();
