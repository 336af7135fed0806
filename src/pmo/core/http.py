"""Small helpers for the apps' web views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.core.models import as_id

__all__ = ["posted_version", "query_date", "refuse_unless", "refused_as_403"]


def refuse_unless(
    request: HttpRequest, allowed: bool, message: str, back: str
) -> HttpResponse | None:
    """The one answer of every edit page to someone who may not use it: ``None`` when
    ``allowed``; otherwise a visit goes back to ``back`` (the page of what would be changed,
    a URL) with ``message`` (translated), and a post is a 403 page saying ``message``
    (raised, so nothing of the post is looked at, let alone saved)."""
    if allowed:
        return None
    if request.method == "POST":
        raise PermissionDenied(message)
    messages.error(request, message)
    return redirect(back)


@contextmanager
def refused_as_403() -> Iterator[None]:
    """A service's :class:`~pmo.core.errors.PermissionDeniedError` raised in the block is the
    403 page naming why, whatever the view does with its other refusals (a message, the form
    again): a post someone may not make is never answered as if it were merely wrong. For
    the edits whose right depends on what is posted (a dependency's projects, the project a
    change request is answered for), which only the service can tell."""
    try:
        yield
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None


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
