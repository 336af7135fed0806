"""The audit trail as people read it: field labels, choice labels, local times, names.

Events store raw values (``state: ["draft", "submitted"]``, foreign keys as ids, times as ISO
text) so that the record never depends on today's labels or translations. Pages show them
through :func:`shown_events`, in the active language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.recorded_keys import RecordedKeys
from pmo.core.i18n import pick

__all__ = ["ShownChange", "ShownEvent", "actor_name", "shown_events", "user_name"]

EMPTY = "∅"
LONGEST = 200
SYSTEM = "system"

# Words services and loaders record as values of pseudo-fields; pages read them through the
# catalogue (listed here so that makemessages finds them).
RECORDED_WORDS = (gettext_noop("demo loader"),)
# Values and object names recorded in English: numbers and codes are taken out of them and put
# back into a translated phrase.
TASK_COUNT = re.compile(r"^(?P<n>\d+) tasks$")
PLAN_REPR = re.compile(r"^plan of (?P<project>\S+)$")
ALLOCATION_REPR = re.compile(
    r"^(?P<resource>\d+) on \d+ (?P<first>[\d-]+)\.\.(?P<last>[\d-]+) (?P<fte>[\d.]+)$"
)
# since 2026-12-07 (``Allocation`` / ``CapacityChange.__str__``): names, days, FTE ("Ana Li ·
# P0017 · 2026-01-05–2026-03-27 · 0.5 FTE"; a capacity change's reason after its FTE)
_DAYS = r"(?P<first>\d{4}-\d\d-\d\d)(?:–(?P<last>\d{4}-\d\d-\d\d))?"
NAMED_ALLOCATION_REPR = re.compile(
    rf"^(?P<resource>.+) · (?P<project>[^·]+) · {_DAYS} · (?P<fte>[\d.]+) FTE$"
)
NAMED_CHANGE_REPR = re.compile(rf"^(?P<resource>.+?) · {_DAYS} · (?P<fte>[\d.]+) FTE(?: · .*)?$")
CURRENT_CAPACITY = "resources"  # the scope of the current plan's capacity changes
REPORT_REPR = re.compile(r"^\S+ (?P<period>\S+) r(?P<revision>\d+)$")
LIFECYCLE_REPR = re.compile(r"^\d+ (?P<template>\S+) r(?P<revision>\d+)$")
REVIEW_REPR = re.compile(r"^(?P<gate>\S+) #\d+$")
LIFECYCLE = "governance.projectlifecycle"
# Amounts of money, shown as the app shows them elsewhere ("1,200,000 CNY"): the field and the
# field of the same row that holds its currency.
MONEY_FIELDS: dict[str, dict[str, str]] = {
    "portfolio.project": {"budget": "currency"},
    "resources.resource": {"cost_rate": "currency"},
}
# Fields no form edits that readers ask about all the same: an integrator's key of a row
SHOWN_KEYS = {("resources.allocation", "external_ref")}
# Fields whose value is never shown (nor recorded: the admin records "changed").
SECRET_FIELDS = {("accounts.user", "password")}


@dataclass(frozen=True, slots=True)
class ShownChange:
    label: str
    before: str | None  # None: a value of an object created or deleted, not a change
    after: str


@dataclass(frozen=True, slots=True)
class ShownEvent:
    event: AuditEvent
    actor: str  # the person's name (the username when the user has no person)
    changes: list[ShownChange]
    label: str = ""  # the object in the active language (the recorded name when unknown)
    username: str = ""  # as recorded: shown on hover, the name people sign in with


# Objects whose ``str()`` is internal ("25 business r1"): the live row read with these
# relations, named by the function (in the active language).
LIVE_LABELS: dict[str, tuple[tuple[str, ...], Any]] = {
    "governance.projectlifecycle": (
        ("template",),
        # a template's name says "lifecycle" already ("Business initiative lifecycle")
        lambda row: (
            _("%(name)s (revision %(revision)s)")
            % {"name": row.template.display_name, "revision": row.template.revision}
        ),
    ),
}


# Rows named by a relation's value ("author: pm"): people by their name, not their username.
FIELD_LABELS: dict[str, tuple[tuple[str, ...], Any]] = {
    "accounts.user": (("person",), lambda row: _actor(row, row.username)),
}


# named in the reader's language (``display_name``; ``str()`` is the English name the trail
# records), as the object of an event and as a relation's value; once the row is gone, by the
# Chinese name the event recorded (if it did)
BILINGUAL = ("portfolio.milestone",)
for _name_zh_model in BILINGUAL:
    FIELD_LABELS[_name_zh_model] = ((), lambda row: row.display_name)


def _recorded_chinese_name(event: AuditEvent) -> str:
    before, after = _pair(event.changes.get("name_zh"))
    value = before if event.action == AuditAction.DELETE else after
    return value if isinstance(value, str) else ""


def actor_name(event: AuditEvent) -> str:
    """Who made ``event``, as people know them: their person's name in the active language,
    else the user's full name, else the recorded username (``system`` for none).

    Load the events with ``select_related("actor__person")`` to avoid a query per event.
    """
    return _actor(event.actor if event.actor_id else None, event.actor_name)


def user_name(user: Any) -> str:
    """``user`` named as :func:`actor_name` names an event's actor (``system`` for none)."""
    return _actor(user, user.get_username() if user is not None else "")


def _actor(user: Any, recorded: str) -> str:
    if user is not None:
        person = getattr(user, "person", None)  # none: RelatedObjectDoesNotExist, an AttributeError
        if person is not None:
            return str(person.display_name)
        if full := user.get_full_name():
            return str(full)
    name = recorded or SYSTEM
    return _("system") if name == SYSTEM else name


def _is_id(key: str) -> bool:
    return key.isascii() and key.isdigit()


class _Names:
    """``str()`` of related rows, fetched once per model and page."""

    def __init__(self) -> None:
        self._found: dict[type[models.Model], dict[str, str]] = {}
        self._wanted: dict[type[models.Model], set[str]] = {}
        self._shown: dict[type[models.Model], dict[str, str]] = {}
        self._rows: dict[type[models.Model], dict[str, models.Model]] = {}
        # the resource of each named allocation or capacity change, by event id
        self.named_resources: dict[int, str] = {}

    def want(self, model: type[models.Model], key: Any) -> None:
        self._wanted.setdefault(model, set()).add(str(key))

    def fetch(self) -> None:
        for model, keys in self._wanted.items():
            ids = [k for k in keys if _is_id(k)]
            rows: Any = model._default_manager.filter(pk__in=ids) if ids else []
            live = LIVE_LABELS.get(model._meta.label_lower)
            named = FIELD_LABELS.get(model._meta.label_lower)
            relations = [*(live[0] if live else ()), *(named[0] if named else ())]
            if ids and relations:
                rows = rows.select_related(*relations)
            self._found[model] = {str(row.pk): named[1](row) if named else str(row) for row in rows}
            self._shown[model] = {
                str(row.pk): live[1](row) if live else _shown_name(row) for row in rows
            }
            self._rows[model] = {str(row.pk): row for row in rows}

    def name(self, model: type[models.Model], key: Any) -> str:
        """The related row's name; a row that is gone by its id ("#12"), and a code a service
        recorded in place of the id ("G3", a gate) as it is."""
        key = str(key)
        return self._found.get(model, {}).get(key, f"#{key}" if _is_id(key) else key)

    def row(self, model: type[models.Model], key: Any) -> models.Model | None:
        """The live row, if it was wanted and still exists."""
        return self._rows.get(model, {}).get(str(key))

    def shown_name(self, model: type[models.Model], key: Any) -> str | None:
        """The row's name in the active language (``display_name``), None if it is gone."""
        return self._shown.get(model, {}).get(str(key))


def _shown_name(row: models.Model) -> str:
    name = getattr(row, "display_name", None)
    if not isinstance(name, str) or not name:
        return str(row)
    code = getattr(row, "code", "")
    return f"{code} {name}" if code else name


def _translated_name(model: type[models.Model] | None) -> bool:
    """Rows of ``model`` have a name in each language (``display_name``), or are named by
    :data:`LIVE_LABELS`."""
    return model is not None and (
        isinstance(getattr(model, "display_name", None), property)
        or model._meta.label_lower in LIVE_LABELS
    )


def _want_label(event: AuditEvent, model: type[models.Model] | None, names: _Names) -> None:
    if _translated_name(model) or event.object_type in MONEY_FIELDS:
        names.want(model, event.object_id)  # type: ignore[arg-type]
    elif event.object_type == "resources.allocation":
        match = ALLOCATION_REPR.match(event.object_repr)
        resource = _model("resources.resource")
        if match and resource is not None:
            names.want(resource, match["resource"])


def _label(event: AuditEvent, model: type[models.Model] | None, names: _Names) -> str:
    """The object of ``event`` as the page names it: the current name in the active language
    where the row has one, else the recorded name with its English words translated."""
    shown = names.shown_name(model, event.object_id) if model is not None else None
    if shown and _translated_name(model):
        return _recorded_name(event, model, names) or shown
    if event.object_type in BILINGUAL:
        return pick(event.object_repr, _recorded_chinese_name(event))
    if event.object_type == "scheduling.plan" and (match := PLAN_REPR.match(event.object_repr)):
        return _("plan of %(project)s") % {"project": match["project"]}
    if event.object_type == "portfolio.statusreport" and (
        match := REPORT_REPR.match(event.object_repr)
    ):
        if match["revision"] == "1":
            return _("status report %(period)s") % {"period": match["period"]}
        return _("status report %(period)s, revision %(revision)s") % {
            "period": match["period"],
            "revision": match["revision"],
        }
    if event.object_type == "governance.projectlifecycle" and (
        match := LIFECYCLE_REPR.match(event.object_repr)
    ):  # the lifecycle is gone: its template's code
        return _("lifecycle %(name)s (revision %(revision)s)") % {
            "name": match["template"],
            "revision": match["revision"],
        }
    if event.object_type == "governance.gatereview" and (
        match := REVIEW_REPR.match(event.object_repr)
    ):
        return _("review of gate %(gate)s") % {"gate": match["gate"]}
    if event.object_type == "resources.allocation" and (
        match := ALLOCATION_REPR.match(event.object_repr)
    ):
        resource = _model("resources.resource")
        who = names.name(resource, match["resource"]) if resource else f"#{match['resource']}"
        return _("allocation of %(resource)s, %(first)s – %(last)s, %(fte)s FTE") % {
            "resource": who,
            "first": match["first"],
            "last": match["last"],
            "fte": match["fte"],
        }
    return _named_label(event, names) or event.object_repr


def _read_on_resource_page(event: AuditEvent) -> bool:
    """A named capacity change of the current plan: its resource's page reads it, and names
    the resource already (neither the label nor the values repeat it)."""
    return (
        event.object_type == "resources.capacitychange"
        and event.scope == CURRENT_CAPACITY
        and NAMED_CHANGE_REPR.match(event.object_repr) is not None
    )


NAMED_REPRS = {
    "resources.allocation": NAMED_ALLOCATION_REPR,
    "resources.capacitychange": NAMED_CHANGE_REPR,
}


def _named_resource(event: AuditEvent) -> Any:
    """The id of the resource a named allocation or capacity change records in its changes
    (None when this event did not record it)."""
    before, after = _pair(event.changes.get("resource"))
    sides = (before, after) if event.action == AuditAction.DELETE else (after, before)
    key = next((side for side in sides if side not in (None, "")), None)
    return key if isinstance(key, int) or (isinstance(key, str) and _is_id(key)) else None


def _want_named_resources(events: list[AuditEvent], names: _Names) -> dict[int, str]:
    """The resource ids of the named allocations and capacity changes among ``events``, by
    event id: recorded in the event, else the live row's (one query per model), each wanted
    from ``names`` so that their names are read with the page's other names."""
    resource = _model("resources.resource")
    named = [
        e
        for e in events
        if (pattern := NAMED_REPRS.get(e.object_type)) and pattern.match(e.object_repr)
    ]
    if resource is None or not named:
        return {}
    found: dict[int, str] = {}
    missing: dict[str, set[str]] = {}
    for event in named:
        if (key := _named_resource(event)) is not None:
            found[event.pk] = str(key)
        elif _is_id(event.object_id):
            missing.setdefault(event.object_type, set()).add(event.object_id)
    for label, ids in missing.items():
        model = _model(label)
        if model is None:
            continue
        rows = dict(model._default_manager.filter(pk__in=ids).values_list("pk", "resource_id"))
        for event in named:
            if event.pk not in found and event.object_type == label:
                key = rows.get(int(event.object_id)) if _is_id(event.object_id) else None
                if key is not None:
                    found[event.pk] = str(key)
    for key in found.values():
        names.want(resource, key)
    return found


def _resource_name(event: AuditEvent, recorded: str, names: _Names) -> str:
    """The resource of a named allocation or capacity change in the reader's language: the
    live resource's, else (the resource is gone) the name the trail recorded."""
    resource = _model("resources.resource")
    key = names.named_resources.get(event.pk)
    row = names.row(resource, key) if resource is not None and key is not None else None
    name = getattr(row, "display_name", None)
    return name if isinstance(name, str) and name else recorded


def _named_label(event: AuditEvent, names: _Names) -> str:
    """An allocation or capacity change named as its ``str()`` records it since 2026-12-07,
    in the reader's words, its resource by its name in the reader's language ("" for other
    objects)."""
    if event.object_type == "resources.allocation" and (
        match := NAMED_ALLOCATION_REPR.match(event.object_repr)
    ):
        return _("allocation of %(resource)s to %(project)s, %(first)s – %(last)s, %(fte)s FTE") % {
            "resource": _resource_name(event, match["resource"], names),
            "project": match["project"],
            "first": match["first"],
            "last": match["last"] or match["first"],
            "fte": match["fte"],
        }
    if event.object_type == "resources.capacitychange" and (
        match := NAMED_CHANGE_REPR.match(event.object_repr)
    ):
        values = {
            "resource": _resource_name(event, match["resource"], names),
            "first": match["first"],
            "last": match["last"] or match["first"],
            "fte": match["fte"],
        }
        if _read_on_resource_page(event):
            return _("capacity change %(first)s – %(last)s, %(fte)s FTE") % values
        return _("capacity change of %(resource)s, %(first)s – %(last)s, %(fte)s FTE") % values
    return ""


def _recorded(event: AuditEvent, name: str) -> Any:
    """The value of field ``name`` the event left the object with (had, for a deletion), or
    None when the event does not carry it."""
    if name not in event.changes:
        return None
    before, after = _pair(event.changes[name])
    return before if event.action == AuditAction.DELETE else after


def _recorded_name(event: AuditEvent, model: type[models.Model] | None, names: _Names) -> str:
    """The object's name as the event recorded it ("" when it carries none): a project
    renamed since is named in its old entries as it was named then (its code too)."""
    if model is None or model._meta.label_lower in LIVE_LABELS:
        return ""
    name = _recorded(event, "name")
    if not isinstance(name, str) or not name:
        return ""
    row = names.row(model, event.object_id)
    name_zh = _recorded(event, "name_zh") if "name_zh" in event.changes else None
    if name_zh is None:  # not changed by this event: the row's
        name_zh = getattr(row, "name_zh", "") if row is not None else ""
    shown = pick(name, name_zh if isinstance(name_zh, str) else "")
    if _field(model, "code") is None:
        return shown
    code = _recorded(event, "code")
    if not isinstance(code, str) or not code:
        # not changed by this event: the code the object bore then, where its recorded name
        # begins with it ("P1 Name", a project's ``str()``)
        first, _space, rest = event.object_repr.partition(" ")
        code = first if rest and rest in (name, name_zh) else ""
    if not code and row is not None:
        code = str(getattr(row, "code", ""))
    return f"{code} {shown}" if code else shown


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
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if (
        isinstance(value, list)
        and field is not None
        and field.is_relation
        and field.related_model is not None
    ):  # many-to-many: the names of the rows
        return ", ".join(names.name(field.related_model, v) for v in value)  # type: ignore[arg-type]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        value = ", ".join(str(v) for v in value)  # codes and names, not a Python list
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.is_relation and field.related_model is not None:
        return names.name(field.related_model, value)  # type: ignore[arg-type]
    if field is not None and field.flatchoices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.DecimalField | models.FloatField) and not isinstance(value, bool):
        # grouped, decimals only where there are any, as the pages show amounts
        places = field.decimal_places if isinstance(field, models.DecimalField) else 2
        return str(floatformat(value, f"-{places}g")) or str(value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment) and not wall_clock:
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if field is None and isinstance(value, str) and (count := TASK_COUNT.match(value)):
        n = int(count["n"])
        value = ngettext("%(n)d task", "%(n)d tasks", n) % {"n": n}
    elif field is None and isinstance(value, str):
        value = _(value)
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _pair(recorded: Any) -> tuple[Any, Any]:
    """``[before, after]`` as recorded; anything else is shown as the new value."""
    if isinstance(recorded, list) and len(recorded) == 2:
        return recorded[0], recorded[1]
    return None, recorded


def _hidden(field: models.Field[Any, Any] | None) -> bool:
    """Bookkeeping no reader asks about: the row's id and fields no form edits (counters,
    denormalised pointers), but for those :data:`SHOWN_KEYS` names."""
    if field is None or (field.model._meta.label_lower, field.name) in SHOWN_KEYS:
        return False
    return field.primary_key or not field.editable


def _loaded(event: AuditEvent) -> bool:
    """The actor and their person came with the event (``select_related("actor__person")``)."""
    if not AuditEvent.actor.is_cached(event):  # type: ignore[attr-defined]
        return False
    user = event.actor
    return user is not None and type(user).person.is_cached(user)  # type: ignore[attr-defined]


def _default(field: models.Field[Any, Any] | None, names: _Names) -> str | None:
    """The field's default as shown: a created or deleted object's defaults say nothing."""
    if field is None or not field.has_default() or callable(field.default):
        return None
    return _value(field, field.default, names)


def _users(events: list[AuditEvent]) -> dict[int, Any]:
    """The actors of ``events`` with their person, in one query (none if already loaded)."""
    found = {e.actor_id: e.actor for e in events if e.actor_id and _loaded(e)}
    wanted = {e.actor_id for e in events if e.actor_id and e.actor_id not in found}
    if wanted:
        user_model = AuditEvent._meta.get_field("actor").related_model
        rows = user_model._default_manager.filter(pk__in=wanted).select_related("person")  # type: ignore[union-attr]
        found.update({row.pk: row for row in rows})
    return found


def _in_field_order(model: type[models.Model] | None, changes: dict[str, Any]) -> list[str]:
    """The recorded fields in the model's order (its forms'), then the others as recorded."""
    if model is None:
        return list(changes)
    order = {
        f.name: i for i, f in enumerate([*model._meta.concrete_fields, *model._meta.many_to_many])
    }
    return sorted(changes, key=lambda name: order.get(name, len(order)))


def _label_of(field: models.Field[Any, Any] | None, name: str) -> str:
    # a pseudo-field of a service ("plan", "milestone") reads through the catalogue
    words = name.replace("_", " ")
    return str(field.verbose_name) if field is not None else (_(words) if words else name)


def _with_currency(
    shown: str,
    event: AuditEvent,
    currency_field: str,
    side: int,
    model: type[models.Model] | None,
    names: _Names,
) -> str:
    """An amount with its currency ("1,200,000 CNY"): the one the event recorded on the same
    side, else the row's."""
    if shown == EMPTY:
        return shown
    recorded = event.changes.get(currency_field)
    currency = _pair(recorded)[side] if recorded is not None else None
    if not currency and model is not None:
        row = names.row(model, event.object_id)
        currency = getattr(row, currency_field, None) if row is not None else None
    return f"{shown}\u00a0{currency}" if isinstance(currency, str) and currency else shown


def shown_events(events: list[AuditEvent]) -> list[ShownEvent]:
    """``events`` with readable changes: one query per related model, whatever their number.

    Created and deleted objects list their values (not "∅ → value") and leave out the empty
    ones; ids and fields no form edits are left out; actors are named as people know them.
    """
    names = _Names()
    keys = RecordedKeys()  # a lifecycle's template and phase, recorded by key
    users = _users(events)
    parsed: list[
        tuple[
            AuditEvent,
            type[models.Model] | None,
            dict[str, models.Field[Any, Any] | None],
            frozenset[str],
        ]
    ] = []
    for event in events:
        model = _model(event.object_type)
        _want_label(event, model, names)
        keys.want(event)
        fields = {name: _field(model, name) for name in event.changes}
        for name, pair in event.changes.items():
            field = fields[name]
            if field is not None and field.is_relation and field.related_model is not None:
                for value in _pair(pair):
                    for key in value if isinstance(value, list) else [value]:
                        if key not in (None, ""):
                            names.want(field.related_model, key)  # type: ignore[arg-type]
        # plans keep wall-clock times stored as if UTC: shown as they are, not converted
        parsed.append((event, model, fields, getattr(model, "WALL_CLOCK_FIELDS", frozenset())))
    names.named_resources = _want_named_resources(events, names)
    names.fetch()
    keys.fetch()
    shown = []
    for event, model, fields, wall_clock in parsed:
        if event.object_type == LIFECYCLE and event.action == AuditAction.CREATE:
            # recorded as "created" before lifecycles were started by name: read (in memory,
            # never saved) as what it was, the project starting it
            event.action = AuditAction.START
        changes = []
        whole = event.action in (AuditAction.CREATE, AuditAction.DELETE, AuditAction.START)
        for name in _in_field_order(model, event.changes):
            field = fields[name]
            if _hidden(field) or (name == "resource" and _read_on_resource_page(event)):
                continue
            before, after = _pair(event.changes[name])
            if (event.object_type, name) in SECRET_FIELDS:  # never a value, not even a hash
                changes.append(ShownChange(_label_of(field, name), None, _("changed")))
                continue
            local = name in wall_clock
            # a pseudo-field of a service ("plan", "milestone") and its fixed words read through
            # the catalogue; names and numbers pass through unchanged
            label = _label_of(field, name)
            shown_before = keys.shown(event, name, before) or _value(
                field, before, names, wall_clock=local
            )
            shown_after = keys.shown(event, name, after) or _value(
                field, after, names, wall_clock=local
            )
            if currency := MONEY_FIELDS.get(event.object_type, {}).get(name):
                shown_before = _with_currency(shown_before, event, currency, 0, model, names)
                shown_after = _with_currency(shown_after, event, currency, 1, model, names)
            gone = shown_after if event.action == AuditAction.DELETE else shown_before
            if whole and gone == EMPTY:  # the object's value, the side that is not empty
                value = shown_before if event.action == AuditAction.DELETE else shown_after
                if value != EMPTY and value != _default(field, names):
                    changes.append(ShownChange(label, None, value))
            elif shown_before != shown_after:  # "" → None reads "∅ → ∅": nothing to show
                changes.append(ShownChange(label, shown_before, shown_after))
        user = users.get(event.actor_id) if event.actor_id else None
        shown.append(
            ShownEvent(
                event,
                _actor(user, event.actor_name),
                changes,
                _label(event, model, names),
                event.actor_name if event.actor_name != SYSTEM else "",
            )
        )
    return shown
