"""Small helpers for the apps' web views."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.translation import gettext as _

from pmo.core.errors import FieldError
from pmo.core.models import MAX_ID, as_id

__all__ = ["posted_id", "posted_version"]

_NUMBER = re.compile(r"[0-9]{1,19}")


def posted_version(request: HttpRequest) -> int | None:
    """The ``version`` a page posted back for the optimistic-lock check.

    ``None`` when the form carried none (the service then skips the check); anything that is
    not a key-sized number raises :class:`~pmo.core.errors.FieldError`, which the views show as
    a message instead of failing with a 500.
    """
    raw = request.POST.get("version", "").strip()
    if not raw:
        return None
    if not _NUMBER.fullmatch(raw) or int(raw) > MAX_ID:
        raise FieldError("version", _("This page is out of date or damaged: reload it and retry."))
    return int(raw)


def posted_id(request: HttpRequest, name: str) -> int | None:
    """The key a form posted in field ``name`` (a choice of template, person, ...), or ``None``
    when it is missing or not a key-sized number (the view then says nothing was chosen)."""
    return as_id(request.POST.get(name))
