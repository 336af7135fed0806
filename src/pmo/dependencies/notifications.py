"""Notifications of the dependency register and change control: one per recipient, read in
the recipient's language; who acted, named in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

from pmo.accounts.models import Person, User
from pmo.core.models import BilingualNameModel
from pmo.dependencies.models import Notification
from pmo.portfolio.models import Milestone, Project

__all__ = ["manager_user", "mark_notifications_read", "notify", "person_of"]


def notify(
    users: Iterable[User | None],
    message: Any,
    params: dict[str, Any] | None = None,
    *,
    url: str = "",
    change: Any = None,
) -> int:
    """One unread notification per distinct user (``None`` is skipped).

    ``message`` is a lazy translatable string with ``%(name)s`` placeholders; a parameter may
    be lazy too (a state label) or a person or project (its name in the reader's language).
    The message key and the parameters are stored, so the list reads in whatever language the
    recipient uses when they open it; ``message`` also keeps the text in the recipient's
    language (their setting, else the site default).
    """
    with translation.override(None):  # no catalogue: the English source texts
        message_id = str(message)
        stored = {k: _stored(v) for k, v in (params or {}).items()}
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            values = {k: str(v) for k, v in (params or {}).items()}
            text = str(message) % values
        rows.append(
            Notification(
                user=user,
                message=text[:300],
                message_id=message_id[:300],
                params=stored,
                url=url,
                change=change,
            )
        )
    Notification.objects.bulk_create(rows)
    return len(rows)


def _stored(value: Any) -> Any:
    """A notification parameter as stored: a lazy text by its key, a named thing by both
    its names (shown by the reader's language; a milestone too), anything else as text."""
    if isinstance(value, Promise):
        return {"msgid": str(value)}
    if isinstance(value, (BilingualNameModel, Milestone)):
        return {"name": value.name, "name_zh": value.name_zh}
    return str(value)


def person_of(user: User | None) -> Person | str:
    """Who acted, for a notification: their person (named in the reader's language), else
    their user name."""
    if user is None:
        return ""
    person = Person.objects.filter(user=user).first()
    return person if person is not None else user.get_username()


def mark_notifications_read(user: User, ids: list[int] | None = None) -> int:
    """Mark the unread notifications of ``user`` read: those of ``ids`` (the ones a page
    showed; older ones stay unread until shown), or every one with ``None``."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def manager_user(project: Project) -> User | None:
    """The user of ``project``'s manager (``None``: no manager, or one who does not sign in)."""
    manager = project.manager
    return manager.user if manager is not None else None
