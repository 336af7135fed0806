/*
 * Searchable pickers (templates/pmo/picker.html, ADR 0005 "Pickers"): a text box with a list
 * of matches from a JSON search endpoint, keyboard-operable as the WAI-ARIA 1.2 combobox
 * pattern (list autocomplete): type to search, Down/Up move through the matches, Enter or a
 * click picks one, Escape closes the list (a second Escape clears the box), Alt+Down opens it.
 *
 * A picker is a [data-picker="URL"] element holding an input[data-picker-value] (hidden: the
 * value the form takes, e.g. a project's code) and an input[data-picker-text] (what the reader
 * sees and types). Picking sets both and fires "change" on the hidden input, so htmx
 * attributes there react to a pick. Typing clears the hidden value: the server then resolves
 * the typed text itself, as it does when no script runs at all.
 *
 * Typing clears the matches listed (they are the earlier text's): until the new text's
 * arrive, Enter and the arrows pick none of them (Enter then neither picks nor submits), and
 * an answer for an earlier text is never shown (each search has its ticket).
 *
 * Text an input method (IME) is still composing, e.g. the pinyin "he" on its way to 核, is
 * not searched for: the box searches once the composition ends, and keys pressed meanwhile
 * (Enter confirming the IME's text, the arrows choosing its candidates) belong to the IME.
 *
 * No inline script or eval (Content-Security-Policy, ADR 0011); listeners sit on the document,
 * so pickers that htmx swaps in work the same way.
 */
(function () {
  "use strict";

  var DELAY = 150; // ms after the last key before searching
  var counter = 0;
  // the marks a Chinese sentence ends with: no space follows them (pmo.core.sentences)
  var FULL_WIDTH_ENDS = "。！？；：，、）」』】…";

  // the sentences one after the other, empty ones left out: a space after one that ends in
  // half-width punctuation, none after a full-width one (join_sentences on the server)
  function joinSentences(sentences) {
    var text = "";
    sentences.forEach(function (sentence) {
      var piece = String(sentence || "").trim();
      if (!piece) return;
      if (text && FULL_WIDTH_ENDS.indexOf(text.charAt(text.length - 1)) < 0) text += " ";
      text += piece;
    });
    return text;
  }

  function parts(element) {
    var root = element instanceof Element ? element.closest("[data-picker]") : null;
    if (!root) return null;
    var text = root.querySelector("[data-picker-text]");
    var value = root.querySelector("[data-picker-value]");
    var list = root.querySelector("[role=listbox]");
    if (!text || !value || !list) return null;
    return {
      root: root,
      text: text,
      value: value,
      list: list,
      status: root.querySelector("[data-picker-status]"),
    };
  }

  function enhance(scope) {
    (scope || document).querySelectorAll("[data-picker]").forEach(function (root) {
      var p = parts(root);
      if (!p || p.text.hasAttribute("role")) return;
      p.text.setAttribute("role", "combobox");
      p.text.setAttribute("aria-autocomplete", "list");
      p.text.setAttribute("aria-expanded", "false");
      p.text.setAttribute("aria-controls", p.list.id);
      root.classList.add("picker-ready");
    });
  }

  function say(p, message) {
    if (p.status) p.status.textContent = message;
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function active(p) {
    return p.list.querySelector("[role=option][aria-selected=true]");
  }

  function setActive(p, option) {
    options(p).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      p.text.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.text.removeAttribute("aria-activedescendant");
    }
  }

  function close(p) {
    p.list.hidden = true;
    p.text.setAttribute("aria-expanded", "false");
    p.text.removeAttribute("aria-activedescendant");
  }

  function open(p) {
    if (!p.list.children.length) return;
    p.list.hidden = false;
    p.text.setAttribute("aria-expanded", "true");
  }

  // the text changed: the matches listed are for the earlier text, so they go (Enter and the
  // arrows must not pick one of them) and an answer still on its way for it is not shown
  function stale(p) {
    p.root.setAttribute("data-picker-ticket", String(++counter));
    p.root.setAttribute("data-picker-pending", ""); // until the new text's matches arrive
    p.list.textContent = "";
    close(p);
  }

  function render(p, data) {
    p.list.textContent = "";
    var base = p.list.id + "-";
    data.items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = base + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-value", item.value);
      li.textContent = item.label;
      p.list.appendChild(li);
    });
    var note = "";
    if (!data.items.length) note = p.root.getAttribute("data-picker-none") || "";
    else if (data.more) note = p.root.getAttribute("data-picker-more") || "";
    if (note) {
      var li = document.createElement("li");
      li.className = "picker-note";
      li.setAttribute("aria-hidden", "true"); // said by the status region instead
      li.textContent = note;
      p.list.appendChild(li);
    }
    var count = (p.root.getAttribute("data-picker-count") || "").replace(
      "%(count)s",
      String(data.items.length)
    );
    say(p, data.items.length ? joinSentences([count, data.more ? note : ""]) : note);
    open(p);
  }

  function search(p) {
    var url = p.root.getAttribute("data-picker");
    var query = p.text.value.trim();
    var ticket = ++counter;
    p.root.setAttribute("data-picker-ticket", String(ticket));
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    window
      .fetch(url + sep + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        return response.ok ? response.json() : { items: [], more: false };
      })
      .then(function (data) {
        // a later search was started meanwhile: its answer is the one to show
        if (p.root.getAttribute("data-picker-ticket") !== String(ticket)) return;
        p.root.removeAttribute("data-picker-pending");
        if (document.activeElement !== p.text) return;
        render(p, data);
      })
      .catch(function () {
        if (p.root.getAttribute("data-picker-ticket") === String(ticket)) {
          p.root.removeAttribute("data-picker-pending");
        }
        close(p);
      });
  }

  var picked = ""; // the id of the box a pick was made in: htmx may redraw it (impact page)

  function pick(p, option) {
    picked = p.text.id;
    p.value.value = option.getAttribute("data-value");
    p.text.value = option.textContent;
    p.text.removeAttribute("aria-invalid");
    close(p);
    say(p, option.textContent);
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  var timers = new WeakMap();
  var composing = new WeakSet(); // boxes an input method is composing text in

  function later(p) {
    window.clearTimeout(timers.get(p.root));
    timers.set(
      p.root,
      window.setTimeout(function () {
        search(p);
      }, DELAY)
    );
  }

  function pickerBox(event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || !target.hasAttribute("data-picker-text")) {
      return null;
    }
    return parts(target);
  }

  document.addEventListener("compositionstart", function (event) {
    var p = pickerBox(event);
    if (!p) return;
    composing.add(p.text);
    // a search typed before would answer mid-way: none is sent, one on its way is not shown
    window.clearTimeout(timers.get(p.root));
    stale(p); // its matches are for text the reader is now changing
  });

  document.addEventListener("compositionend", function (event) {
    var p = pickerBox(event);
    if (!p) return;
    composing.delete(p.text);
    p.value.value = "";
    later(p); // the text the reader confirmed, searched once
  });

  document.addEventListener("input", function (event) {
    var p = pickerBox(event);
    if (!p) return;
    enhance(p.root.parentNode);
    // typed, not picked: the server resolves the text unless a match is picked
    p.value.value = "";
    stale(p);
    if (event.isComposing || composing.has(p.text)) return; // compositionend searches
    later(p);
  });

  document.addEventListener("keydown", function (event) {
    var p = pickerBox(event);
    if (!p) return;
    // a key the input method takes (229: Safari's Enter that ends a composition)
    if (event.isComposing || event.keyCode === 229 || composing.has(p.text)) return;
    var list = options(p);
    var current = active(p);
    var index = current ? list.indexOf(current) : -1;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (p.list.hidden) {
          if (list.length) open(p);
          else search(p);
          if (event.altKey) return;
        }
        if (list.length) setActive(p, list[(index + 1) % list.length]);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (p.list.hidden) {
          if (list.length) open(p);
          else search(p);
        }
        if (list.length) setActive(p, list[index <= 0 ? list.length - 1 : index - 1]);
        break;
      case "Enter":
        if (p.root.hasAttribute("data-picker-pending")) {
          // typed since the matches were listed: neither an old match nor half-typed text
          event.preventDefault();
        } else if (!p.list.hidden && current) {
          event.preventDefault(); // pick, do not submit the form yet
          pick(p, current);
        } else if (!p.list.hidden && list.length === 1) {
          event.preventDefault();
          pick(p, list[0]);
        } else {
          close(p);
        }
        break;
      case "Escape":
        if (!p.list.hidden) {
          event.preventDefault();
          event.stopPropagation();
          close(p);
        } else if (p.text.value) {
          event.preventDefault();
          p.text.value = "";
          p.value.value = "";
        }
        break;
      case "Tab":
        close(p);
        break;
      default:
        break;
    }
  });

  // mousedown: keep the focus in the box (a click on an option would blur it first)
  document.addEventListener("mousedown", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-picker] [role=listbox]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    var option = target instanceof Element ? target.closest("[data-picker] [role=option]") : null;
    if (!option) return;
    var p = parts(option);
    if (p) pick(p, option);
  });

  document.addEventListener("focusout", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || !target.hasAttribute("data-picker-text")) return;
    var p = parts(target);
    if (p) close(p);
  });

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target instanceof Element ? event.target : document);
    // a pick that redrew its own box (the impact page) leaves the focus where it was
    var box = picked ? document.getElementById(picked) : null;
    picked = "";
    if (box && (document.activeElement === document.body || !document.activeElement)) {
      box.focus();
    }
  });
})();
