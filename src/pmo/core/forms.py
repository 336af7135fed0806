"""Form fields and widgets every app uses."""

from __future__ import annotations

from typing import Any

from django import forms

from pmo.core.dates import FIRST_DATE, LAST_DATE, validate_date_in_range
from pmo.core.errors import DomainError
from pmo.core.sentences import join_sentences

__all__ = ["DateField", "DateInput", "add_service_error"]


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), whatever the page's language.

    The date picker only accepts ISO dates (``2026-12-29``); a plain ``DateInput`` renders its
    value in the active language's first input format, ``2026/12/29`` in Chinese, which the
    browser refuses, so every date field showed up empty on Chinese pages.

    The picker also offers only the dates the product accepts (:mod:`pmo.core.dates`); the
    form field still checks them, since a browser may ignore ``min``/``max``.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        bounds = {"min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()}
        super().__init__({**bounds, **(attrs or {})}, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date field with the browser's picker that refuses dates outside the accepted range
    (:mod:`pmo.core.dates`) with the range named at the field."""

    widget = DateInput
    default_validators = [validate_date_in_range]


def add_service_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a service's refusal on the form: each named field's error at that field (the
    service's ``resource_id`` is the form's ``resource`` when the form has no
    ``resource_id``), anything else above the fields."""
    unplaced = []
    for error in exc.errors:
        name = str(error.get("field", ""))
        if name not in form.fields:
            name = name.removesuffix("_id")
        if name in form.fields:
            form.add_error(name, str(error["message"]))
        else:
            unplaced.append(str(error["message"]))
    if unplaced or not exc.errors:
        form.add_error(None, join_sentences(unplaced) or exc.message)
