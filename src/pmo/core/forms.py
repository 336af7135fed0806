"""Form widgets every app uses."""

from __future__ import annotations

from typing import Any

from django import forms

__all__ = ["DateInput"]


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), whatever the page's language.

    The date picker only accepts ISO dates (``2026-12-29``); a plain ``DateInput`` renders its
    value in the active language's first input format, ``2026/12/29`` in Chinese, which the
    browser refuses, so every date field showed up empty on Chinese pages.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
