"""The unread-notification badge of the top bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pmo.dependencies.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: how many unread notifications the signed-in user has.

    Lazy: fragments that never show the top bar (htmx) cost no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    }
