"""Small helpers for the apps' web views."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from pmo.core.errors import FieldError
from pmo.core.models import as_id

__all__ = ["posted_version"]


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
