"""A user's notifications."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from pmo.accounts.models import User
from pmo.dependencies.models import (
    Notification,
)

__all__ = ["notifications_shown", "unread_count"]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_shown(user: User, limit: int = 100) -> list[Notification]:
    """The notifications page: unread first, so none hides behind the latest ``limit``;
    newest first in each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return list(
        Notification.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")[:limit]
    )
