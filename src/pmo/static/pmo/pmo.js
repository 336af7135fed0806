/*
 * PMO Hub's small page behaviours, wired by data attributes.
 *
 * The Content-Security-Policy allows scripts from this site's files only (ADR 0011), so
 * templates carry no onclick="..." handlers or javascript: links; they mark elements instead:
 *
 *   data-autosubmit      on a <select> or <input>: submit its form when the value changes
 *   data-check-all="NAME"
 *                        on a checkbox: ticks or unticks every checkbox named NAME of its form
 *                        with it (a list's "choose all shown")
 *   data-confirm="TEXT"  on a button or link: ask TEXT first and do nothing on Cancel
 *   data-next-from-location
 *                        on a form: its "next" field gets the address bar's path and query
 *                        when submitted (htmx may have changed them since the page was served)
 *   data-history-back    on a link: go back in the browser's history when there is one,
 *                        else follow the link
 *   details.more         a drop-down of the page header: closes on a click elsewhere or Escape
 *   data-rag-check       on the status report form: shows its [data-rag-warning] element while
 *                        Overall is rated better than the worst dimension (a warning only)
 *   .table-wrap          a box that scrolls sideways: while its content is wider than it, it
 *                        takes the keyboard focus, so arrow keys scroll it (WCAG 2.1.1, ADR 0012)
 *
 * Listeners sit on the document, so content htmx swaps in later works the same way.
 */
(function () {
  "use strict";

  function marked(event, attribute) {
    var target = event.target;
    return target instanceof Element ? target.closest("[" + attribute + "]") : null;
  }

  document.addEventListener("change", function (event) {
    var all = marked(event, "data-check-all");
    if (all && all.form) {
      var name = all.getAttribute("data-check-all");
      Array.prototype.forEach.call(all.form.elements, function (box) {
        if (box.type === "checkbox" && box.name === name) box.checked = all.checked;
      });
      return;
    }
    var field = marked(event, "data-autosubmit");
    if (!field || !field.form) return;
    if (typeof field.form.requestSubmit === "function") field.form.requestSubmit();
    else field.form.submit();
  });

  // Capture phase: the question comes before any other handler (htmx's included) sees the click.
  document.addEventListener(
    "click",
    function (event) {
      var element = marked(event, "data-confirm");
      if (element && !window.confirm(element.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    var link = marked(event, "data-history-back");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  function closeMenus(except) {
    document.querySelectorAll("details.more[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    closeMenus(target instanceof Element ? target.closest("details.more") : null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    // the focus goes back to the menu's own button rather than to the page's start
    var active = document.activeElement;
    var menu = active instanceof Element ? active.closest("details.more[open]") : null;
    closeMenus(null);
    if (menu) menu.querySelector("summary").focus();
  });

  function focusableScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(focusableScrollers, 150);
  });
  window.addEventListener("load", focusableScrollers); // images and fonts may widen a table
  document.addEventListener("htmx:afterSettle", focusableScrollers);

  function checkRag(form) {
    var warning = form.querySelector("[data-rag-warning]");
    if (!warning) return;
    var rated = function (name) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      return checked ? parseInt(checked.value, 10) : 0;
    };
    var names = (form.getAttribute("data-rag-check") || "").split(" ").filter(Boolean);
    var worst = Math.max.apply(null, [0].concat(names.map(rated)));
    var overall = rated("overall");
    warning.hidden = !(overall && overall < worst);
  }

  document.addEventListener("change", function (event) {
    var form = marked(event, "data-rag-check");
    if (form) checkRag(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rag-check]").forEach(checkRag);
    focusableScrollers();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-next-from-location")) {
      var next = form.elements.namedItem("next");
      if (next) next.value = window.location.pathname + window.location.search;
    }
  });
})();
