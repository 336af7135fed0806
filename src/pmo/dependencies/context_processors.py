"""The unread-notification badge of the top bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pmo.dependencies.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: how many unread notifications the signed-in user has."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()
    }
