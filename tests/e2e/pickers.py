"""Browser steps for the searchable pickers (templates/pmo/picker.html, static/pmo/picker.js)."""

from __future__ import annotations

from typing import Any

from tests.e2e.helpers import expect


def pick(scope: Any, name: str, typed: str, label: str) -> None:
    """Type ``typed`` into the picker of the field ``name`` inside ``scope`` (a page or a
    locator), then choose the match ``label`` with the keyboard (arrow keys and Enter)."""
    box = scope.locator(f"input[name={name}_text]")
    box.fill("")
    box.press_sequentially(typed, delay=20)
    listbox = scope.locator(f"[data-testid=picker-{name}] [role=listbox]")
    option = listbox.locator("[role=option]", has_text=label)
    expect(option.first).to_be_visible()
    labels = listbox.locator("[role=option]").all_inner_texts()
    for _ in range(labels.index(label) + 1):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", option.first.get_attribute("id") or "")
    box.press("Enter")
    expect(box).to_have_value(label)
    expect(listbox).to_be_hidden()
