"""The notifications page marks read what it shows, and shows every unread one first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pmo.dependencies.models import Notification


def _note(user: Any, text: str, *, days_ago: int, read: bool) -> Notification:
    note = Notification.objects.create(user=user, message=text)
    when = timezone.now() - dt.timedelta(days=days_ago)
    Notification.objects.filter(pk=note.pk).update(created_at=when, read_at=when if read else None)
    return note


def test_an_old_unread_notification_is_shown_before_newer_read_ones(client: Any, users: Any):
    member = users["member"]
    old = _note(member, "Old but unread", days_ago=400, read=False)
    for day in range(120):
        _note(member, f"Read {day}", days_ago=day, read=True)
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert page.index("Old but unread") < page.index("Read 0<")
    assert page.count('class="unread"') == 1
    old.refresh_from_db()
    assert old.read_at is not None


def test_only_the_notifications_shown_are_marked_read(client: Any, users: Any):
    member = users["member"]
    for day in range(105):
        _note(member, f"Unread {day}", days_ago=day, read=False)
    client.force_login(member)
    first = client.get("/notifications/").content.decode()
    assert first.count('class="unread"') == 100
    assert "Unread 0<" in first and "Unread 104<" not in first
    # the five oldest stay unread: the badge still counts them, and the next visit shows them
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 5
    second = client.get("/notifications/").content.decode()
    assert second.count('class="unread"') == 5
    assert second.index("Unread 104<") < second.index("Unread 0<")
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
