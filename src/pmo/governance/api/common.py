"""What the governance API's routers share."""

from django.http import HttpRequest

from pmo.accounts.models import user_of
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.models import Project

__all__ = ["visible_project"]


def visible_project(request: HttpRequest, code: str) -> Project:
    """The project ``code`` if the requesting user may read it (else 404)."""
    return get_visible_project(user_of(request), code)
