"""Template context of the resources app: whether the top bar offers the capacity pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pmo.resources.access import can_view_capacity


def capacity(request: HttpRequest) -> dict[str, Any]:
    """``can_view_capacity``: viewers see no "Capacity" link (the pages would answer 403)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_view_capacity": False}
    return {"can_view_capacity": can_view_capacity(user)}
