"""The audit trail as people read it: field labels, choice labels, local times, names.

Events store raw values (``state: ["draft", "submitted"]``, foreign keys as ids, times as ISO
text) so that the record never depends on today's labels or translations. Pages show them
through :func:`shown_events`, in the active language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.audit.models import AuditEvent

__all__ = ["ShownChange", "ShownEvent", "shown_events"]

EMPTY = "∅"
LONGEST = 200
SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class ShownChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ShownEvent:
    event: AuditEvent
    actor: str
    changes: list[ShownChange]


class _Names:
    """``str()`` of related rows, fetched once per model and page."""

    def __init__(self) -> None:
        self._found: dict[type[models.Model], dict[str, str]] = {}
        self._wanted: dict[type[models.Model], set[str]] = {}

    def want(self, model: type[models.Model], key: Any) -> None:
        self._wanted.setdefault(model, set()).add(str(key))

    def fetch(self) -> None:
        for model, keys in self._wanted.items():
            ids = [k for k in keys if k.isascii() and k.isdigit()]
            rows = model._default_manager.filter(pk__in=ids) if ids else []
            self._found[model] = {str(row.pk): str(row) for row in rows}

    def name(self, model: type[models.Model], key: Any) -> str:
        return self._found.get(model, {}).get(str(key), f"#{key}")


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _value(
    field: models.Field[Any, Any] | None, value: Any, names: _Names, *, wall_clock: bool = False
) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.is_relation and field.related_model is not None:
        return names.name(field.related_model, value)  # type: ignore[arg-type]
    if field is not None and field.flatchoices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment) and not wall_clock:
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if field is None and isinstance(value, str):
        value = _(value)
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _pair(recorded: Any) -> tuple[Any, Any]:
    """``[before, after]`` as recorded; anything else is shown as the new value."""
    if isinstance(recorded, list) and len(recorded) == 2:
        return recorded[0], recorded[1]
    return None, recorded


def shown_events(events: list[AuditEvent]) -> list[ShownEvent]:
    """``events`` with readable changes: one query per related model, whatever their number."""
    names = _Names()
    parsed: list[tuple[AuditEvent, dict[str, models.Field[Any, Any] | None], frozenset[str]]] = []
    for event in events:
        model = _model(event.object_type)
        fields = {name: _field(model, name) for name in event.changes}
        for name, pair in event.changes.items():
            field = fields[name]
            if field is not None and field.is_relation and field.related_model is not None:
                for value in pair:
                    if value not in (None, ""):
                        names.want(field.related_model, value)  # type: ignore[arg-type]
        # plans keep wall-clock times stored as if UTC: shown as they are, not converted
        parsed.append((event, fields, getattr(model, "WALL_CLOCK_FIELDS", frozenset())))
    names.fetch()
    shown = []
    for event, fields, wall_clock in parsed:
        changes = []
        for name, pair in event.changes.items():
            field = fields[name]
            before, after = _pair(pair)
            local = name in wall_clock
            # a pseudo-field of a service ("plan", "milestone") and its fixed words read through
            # the catalogue; names and numbers pass through unchanged
            words = name.replace("_", " ")
            label = str(field.verbose_name) if field is not None else (_(words) if words else name)
            change = ShownChange(
                label,
                _value(field, before, names, wall_clock=local),
                _value(field, after, names, wall_clock=local),
            )
            if change.before != change.after:  # "" → None reads "∅ → ∅": nothing to show
                changes.append(change)
        actor = event.actor_name or SYSTEM
        shown.append(ShownEvent(event, _("system") if actor == SYSTEM else actor, changes))
    return shown
