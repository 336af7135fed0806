/*
 * PMO Hub's small page behaviours, wired by data attributes.
 *
 * The Content-Security-Policy allows scripts from this site's files only (ADR 0011), so
 * templates carry no onclick="..." handlers or javascript: links; they mark elements instead:
 *
 *   data-autosubmit      on a <select> or <input>: submit its form when the value changes
 *   data-confirm="TEXT"  on a button or link: ask TEXT first and do nothing on Cancel
 *   data-next-from-location
 *                        on a form: its "next" field gets the address bar's path and query
 *                        when submitted (htmx may have changed them since the page was served)
 *   data-history-back    on a link: go back in the browser's history when there is one,
 *                        else follow the link
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

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-next-from-location")) {
      var next = form.elements.namedItem("next");
      if (next) next.value = window.location.pathname + window.location.search;
    }
  });
})();
