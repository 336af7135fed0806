"""Who changed a row last and when, read back from the audit trail: what a conflict (409)
says of the other person, so two people working at once learn who and when, not only that
"someone else" did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from pmo.audit.display import actor_name, user_name
from pmo.audit.models import AuditEvent
from pmo.core.errors import StaleVersion

__all__ = ["LastChange", "last_change", "local_minute", "named_stale", "user_name"]


@dataclass(frozen=True)
class LastChange:
    """An audit event with its author's name as people know them and its local time."""

    event: AuditEvent
    who: str
    when: str  # local time, "Y-m-d H:i"

    def named(self) -> dict[str, str]:
        """``who`` and ``when``, for a sentence's ``%(who)s`` and ``%(when)s``."""
        return {"who": self.who, "when": self.when}


def local_minute(moment: dt.datetime) -> str:
    """``moment`` in the local time zone, to the minute ("2026-03-02 10:15")."""
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i")


def last_change(
    model: type[models.Model] | str, pk: Any, *, actions: Iterable[str] = ()
) -> LastChange | None:
    """The newest event of row ``pk`` of ``model`` (a model or its ``label_lower``), of one
    of ``actions`` when given; ``None`` when the trail has none."""
    label = model if isinstance(model, str) else model._meta.label_lower
    events = AuditEvent.objects.filter(object_type=label, object_id=str(pk))
    wanted = list(actions)
    if wanted:
        events = events.filter(action__in=wanted)
    event = events.select_related("actor__person").order_by("-timestamp", "-id").first()
    if event is None:
        return None
    return LastChange(event=event, who=actor_name(event), when=local_minute(event.timestamp))


def named_stale(exc: StaleVersion) -> str | None:
    """What the API's 409 of ``exc`` says (:attr:`StaleVersion.namer`): who changed the row
    last and when, with both versions; ``None`` when the trail has no event of the row."""
    change = last_change(exc.label, exc.pk)
    if change is None:
        return None
    return _(
        "%(model)s %(id)s was changed by %(who)s at %(when)s "
        "(your version %(yours)s, current version %(current)s); reload and retry."
    ) % {
        "model": exc.noun,
        "id": exc.pk,
        "yours": exc.yours,
        "current": exc.current,
        **change.named(),
    }
