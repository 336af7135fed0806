"""Small helpers for the apps' web views."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _

from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError
from pmo.core.models import as_id

__all__ = ["posted_version", "query_date"]


def posted_version(request: HttpRequest) -> int | None:
    """The ``version`` a page posted back for the optimistic-lock check.

    ``None`` when the form carried none (the service then skips the check); anything that is
    not a key-sized number (:func:`~pmo.core.models.as_id`) raises
    :class:`~pmo.core.errors.FieldError`, which the views show as a message instead of failing
    with a 500.
    """
    raw = request.POST.get("version", "").strip()
    if not raw:
        return None
    version = as_id(raw)
    if version is None:
        raise FieldError("version", _("This page is out of date or damaged: reload it and retry."))
    return version


def query_date(text: str | None, default: dt.date) -> dt.date:
    """A date of a query string (``?start=2026-12-07``): ``default`` when it is missing,
    garbled or outside the accepted range (:mod:`pmo.core.dates`). Links carry these, not
    forms, so a bad one shows the page as it would open rather than an error."""
    try:
        value = dt.date.fromisoformat(text.strip()) if text else default
    except ValueError:
        return default
    return default if date_out_of_range(value) else value
