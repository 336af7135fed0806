/*
 * A scenario's page (resources/scenario_detail.html): pinning a project with the "Pin another
 * project" picker adds it to the pinned boxes, ticked, and empties the picker for the next one
 * (a big scenario lists only its pinned projects, issue #6). Without script the picker's text
 * is sent with the form and the server pins the project it names.
 *
 * The Move project box needs no script of its own: its picker's pick fires htmx, which swaps
 * in the chosen project's move in all (partials/_shift_move.html).
 *
 * No inline script (Content-Security-Policy, ADR 0011); the listener sits on the document.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var value = event.target;
    if (!(value instanceof HTMLInputElement) || value.name !== "pin_project") return;
    var root = value.closest("[data-picker]");
    var form = value.closest("form");
    var boxes = form ? form.querySelector(".pins") : null;
    var text = root ? root.querySelector("[data-picker-text]") : null;
    var code = value.value;
    if (!boxes || !text || !code) return;
    var existing = Array.prototype.slice
      .call(boxes.querySelectorAll("input[name=pin]"))
      .filter(function (box) {
        return box.value === code;
      });
    if (existing.length) {
      existing[0].checked = true;
    } else {
      var label = document.createElement("label");
      label.title = text.value;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "pin";
      box.value = code;
      box.checked = true;
      var span = document.createElement("span");
      var b = document.createElement("b");
      b.textContent = code;
      span.appendChild(b);
      var sep = text.value.indexOf(" · ");
      span.appendChild(document.createTextNode(sep < 0 ? "" : text.value.slice(sep)));
      label.appendChild(box);
      label.appendChild(span);
      boxes.appendChild(label);
    }
    // picked and added: the picker is free for the next one, and sends nothing itself
    value.value = "";
    text.value = "";
  });
})();
