"""What the status center's pages share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from pmo.accounts.models import user_of
from pmo.core.errors import NotFoundError
from pmo.portfolio.access import get_visible_project


def _project_or_404(request: HttpRequest, code: str) -> Any:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
