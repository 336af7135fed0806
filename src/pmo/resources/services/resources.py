"""Resources (people and role pools), their capacity changes and the calendar days
entered by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import (
    diff,
    record,
    record_created,
    record_deleted,
    save_changed,
    snapshot,
)
from pmo.core.codes import case_clash
from pmo.core.errors import FieldError, NotFoundError, ValidationFailed
from pmo.core.sentences import quoted
from pmo.portfolio.currencies import check_currency, normalize
from pmo.resources import calendars
from pmo.resources.access import require_manage
from pmo.resources.models import (
    CalendarDay,
    CalendarYear,
    CapacityChange,
    Resource,
    Scenario,
    WorkingCalendar,
)
from pmo.resources.services.capacity import (
    Carved,
    carve_out,
    check_overlap,
    lock_resource_changes,
)
from pmo.resources.services.common import _assign, _check_dates, _clean, require_draft
from pmo.resources.services.roles import resolve_role

__all__ = [
    "OFF_WORDS",
    "RESOURCES_SCOPE",
    "RESOURCE_FIELDS",
    "WORK_WORDS",
    "add_calendar_days",
    "add_capacity_change",
    "create_resource",
    "delete_calendar_day",
    "delete_capacity_change",
    "get_resource",
    "parse_calendar_days",
    "set_calendar_year",
    "update_resource",
]


RESOURCE_FIELDS = [
    "code",
    "name",
    "name_zh",
    "kind",
    "role",
    "role_zh",
    "skills",
    "org_unit_id",
    "person_id",
    "fte",
    "hours_per_day",
    "cost_rate",
    "currency",
    "calendar",
    "available_from",
    "available_until",
    "active",
]
_RESOURCE_NAMES = {"org_unit": "org_unit_id", "person": "person_id"}
RESOURCES_SCOPE = "resources"


# --- resources -------------------------------------------------------------


@transaction.atomic
def create_resource(*, actor: User | None, data: dict[str, Any]) -> Resource:
    """Create a person or a role pool."""
    if actor is not None:
        require_manage(actor)
    resource = Resource()
    _assign(resource, data, RESOURCE_FIELDS)
    _check_currency(resource, stored=None)
    _check_dates(resource.available_from, resource.available_until, "available_until")
    _clean(resource, names=_RESOURCE_NAMES)
    _check_code(resource)
    _check_person_free(resource)
    resolve_role(actor=actor, resource=resource, role_zh_given=bool(data.get("role_zh")))
    resource.save()
    record_created(actor=actor, instance=resource, scope=RESOURCES_SCOPE)
    return resource


def _check_code(resource: Resource) -> None:
    """Another resource's code, also one that differs by case only, is refused (422 at
    ``code``): sheets, exports and the API name resources by code. A resource may change the
    case of its own."""
    existing = case_clash(Resource.objects.all(), resource.code, exclude_pk=resource.pk)
    if existing == resource.code:
        raise FieldError(
            "code", _("a resource with code %(code)s exists") % {"code": quoted(resource.code)}
        )
    if existing is not None:
        raise FieldError(
            "code",
            _("resource %(code)s exists already: codes may not differ by case only")
            % {"code": quoted(existing)},
        )


def _check_currency(resource: Resource, stored: str | None) -> None:
    """The cost rate's currency is ISO 4217 (a 422 naming ``currency``), trimmed and in upper
    case; a code stored before codes were checked is kept while it is not changed."""
    code = normalize(resource.currency)
    resource.currency = code if code == stored else check_currency(resource.currency)


def _check_person_free(resource: Resource) -> None:
    """A person is one resource: a second one for the same person is refused (422), not left
    to the database's unique constraint (a 500)."""
    if resource.person_id is None:
        return
    taken = (
        Resource.objects.filter(person_id=resource.person_id)
        .exclude(pk=resource.pk)
        .values_list("code", flat=True)
        .first()
    )
    if taken is not None:
        raise FieldError(
            "person_id",
            _("this person is already the resource %(code)s") % {"code": quoted(taken)},
        )


@transaction.atomic
def update_resource(
    *, actor: User, resource: Resource, data: dict[str, Any], version: int | None
) -> Resource:
    """Change a resource (version-checked)."""
    require_manage(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.check_version(version)
    before = snapshot(resource)
    _assign(resource, data, RESOURCE_FIELDS)
    _check_currency(resource, stored=before["currency"])
    _check_dates(resource.available_from, resource.available_until, "available_until")
    _clean(resource, names=_RESOURCE_NAMES)
    _check_code(resource)
    _check_person_free(resource)
    # a Chinese role left as it was is not given: the (new) role's own applies
    given = "role_zh" in data and str(data["role_zh"] or "").strip() != before["role_zh"]
    resolve_role(actor=actor, resource=resource, role_zh_given=given)
    save_changed(actor=actor, instance=resource, before=before, scope=RESOURCES_SCOPE)
    return resource


def get_resource(pk: int) -> Resource:
    """The resource ``pk`` or :class:`NotFoundError`."""
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        raise NotFoundError(_("no resource %(resource)s") % {"resource": pk})
    return resource


# --- capacity --------------------------------------------------------------


@transaction.atomic
def add_capacity_change(
    *,
    actor: User | None,
    resource: Resource,
    first: dt.date,
    last: dt.date,
    fte: Decimal,
    reason: str = "",
    scenario: Scenario | None = None,
    replace_overlap: bool = False,
    seen: dict[int, int] | None = None,
    carved: list[Carved] | None = None,
) -> CapacityChange:
    """Set a resource's capacity for a window (leave, part time, a pool growing). One that
    overlaps others of the resource in its plan is refused, unless ``replace_overlap``: then
    it takes those days from them (:func:`~pmo.resources.services.capacity.carve_out`, with
    ``seen`` the versions the user was shown), what it did appended to ``carved``."""
    if actor is not None:
        require_manage(actor)
    require_draft(scenario)
    lock_resource_changes(resource.pk, scenario.pk if scenario else None)
    _check_dates(first, last)
    change = CapacityChange(
        resource=resource, scenario=scenario, first=first, last=last, fte=fte, reason=reason
    )
    _clean(change, exclude=["resource", "scenario"])
    if replace_overlap:
        done = carve_out(
            actor=actor, resource=resource, scenario=scenario, first=first, last=last, seen=seen
        )
        if carved is not None:
            carved.extend(done)
    else:
        check_overlap(resource=resource, scenario=scenario, first=first, last=last)
    change.save()
    record_created(
        actor=actor,
        instance=change,
        scope=f"scenario:{scenario.pk}" if scenario else RESOURCES_SCOPE,
    )
    return change


@transaction.atomic
def delete_capacity_change(*, actor: User, change: CapacityChange) -> None:
    """Remove a capacity change (the standing capacity applies again)."""
    require_manage(actor)
    require_draft(change.scenario)
    record_deleted(
        actor=actor,
        instance=change,
        scope=f"scenario:{change.scenario_id}" if change.scenario_id else RESOURCES_SCOPE,
    )
    change.delete()


# --- calendar days entered by hand ------------------------------------------


WORK_WORDS = {"work", "working", "上班", "调休"}
OFF_WORDS = {"off", "holiday", "休", "休息", "放假"}


def parse_calendar_days(text: str) -> list[tuple[dt.date, bool, str]]:
    r"""Lines ``YYYY-MM-DD [off|work] [name]`` as ``(day, working, name)``.

    Raises :class:`ValidationFailed` at the field ``days`` naming every bad line (``line 3: ...``).

    Examples
    --------
    >>> for day in parse_calendar_days("2027-02-06 work 春节调休\n2027-02-11 off Spring Festival"):
    ...     print(day)
    (datetime.date(2027, 2, 6), True, '春节调休')
    (datetime.date(2027, 2, 11), False, 'Spring Festival')
    """
    days: list[tuple[dt.date, bool, str]] = []
    errors = []
    lines: dict[dt.date, int] = {}  # the line each day was first given on
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split()
        if not words:
            continue
        try:
            day = dt.date.fromisoformat(words[0])
        except ValueError:
            problem = _("line %(number)s: “%(text)s” is not a date")
            errors.append(
                {"field": "days", "message": problem % {"number": number, "text": words[0]}}
            )
            continue
        if day in lines:  # one answer per day: the last line would win silently
            problem = _("line %(number)s: %(day)s is already given on line %(first)s")
            values = {"number": number, "day": day.isoformat(), "first": lines[day]}
            errors.append({"field": "days", "message": problem % values})
            continue
        lines[day] = number
        kind = words[1].lower() if len(words) > 1 else ""
        working = kind in WORK_WORDS
        rest = words[2:] if kind in WORK_WORDS | OFF_WORDS else words[1:]
        days.append((day, working, " ".join(rest)[:100]))
    if errors:
        separator = pgettext("list of problems", "; ")
        raise ValidationFailed(separator.join(e["message"] for e in errors), errors=errors)
    return days


@transaction.atomic
def add_calendar_days(*, actor: User, calendar: str, text: str) -> int:
    """Enter days of a resource calendar (a year's official holidays and 调休 before the
    holiday library knows them, company days off); a day already entered is replaced.
    All lines or none; audited. Returns how many days were written."""
    require_manage(actor)
    if calendar not in {c.value for c in WorkingCalendar}:
        raise FieldError("calendar", _("unknown calendar %(code)s") % {"code": quoted(calendar)})
    days = parse_calendar_days(text)
    if not days:
        raise FieldError("days", _("enter at least one line: YYYY-MM-DD [off|work] [name]"))
    for day, working, name in days:
        # a day entered again is replaced: its event says what it was (before -> after)
        was = CalendarDay.objects.select_for_update().filter(calendar=calendar, day=day).first()
        before = snapshot(was) if was is not None else {}
        entry, created = CalendarDay.objects.update_or_create(
            calendar=calendar, day=day, defaults={"working": working, "name": name}
        )
        record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=entry,
            scope=RESOURCES_SCOPE,
            changes=diff(before, snapshot(entry)),
        )
    return len(days)


@transaction.atomic
def delete_calendar_day(*, actor: User, entry: CalendarDay) -> None:
    """Remove a hand-entered day (the holiday library and the weekday rule apply again)."""
    require_manage(actor)
    record_deleted(actor=actor, instance=entry, scope=RESOURCES_SCOPE)
    entry.delete()


@transaction.atomic
def set_calendar_year(
    *, actor: User, calendar: str, year: object, entered: bool, note: str = ""
) -> CalendarYear | None:
    """State (``entered``) or withdraw that the official holidays and 调休 of ``year`` are all
    entered as days of ``calendar``: until then the year's holidays count as assumed and the
    pages warn (ADR 0006). Only a year the holiday library does not know can be marked, and
    only on a calendar that has a library (``CN``). Audited; the mark, or ``None`` when
    withdrawn. Saying the same again changes nothing (no event)."""
    require_manage(actor)
    if calendar not in {c.value for c in WorkingCalendar}:
        raise FieldError("calendar", _("unknown calendar %(code)s") % {"code": quoted(calendar)})
    if calendar != WorkingCalendar.CHINA:
        raise FieldError(
            "calendar",
            _("only the mainland-China calendar takes holidays from a library; %(code)s has none")
            % {"code": quoted(calendar)},
        )
    try:
        number = int(str(year))
    except ValueError:
        number = 0
    if not 1900 <= number <= 2200:
        raise FieldError("year", _("%(year)s is not a year") % {"year": quoted(str(year))})
    first, last = dt.date(number, 1, 1), dt.date(number, 12, 31)
    if entered and not calendars.unknown_years(first, last):
        raise FieldError(
            "year",
            _("the holiday library knows %(year)s already: nothing to mark") % {"year": number},
        )
    mark = CalendarYear.objects.select_for_update().filter(calendar=calendar, year=number).first()
    if not entered:
        if mark is not None:
            record_deleted(actor=actor, instance=mark, scope=RESOURCES_SCOPE)
            mark.delete()
        return None
    note = note.strip()[:200]
    if mark is not None:
        if mark.note != note and note:
            before = snapshot(mark)
            mark.note = note
            mark.save(update_fields=["note", "updated_at"])
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=mark,
                scope=RESOURCES_SCOPE,
                changes=diff(before, snapshot(mark)),
            )
        return mark
    mark = CalendarYear.objects.create(calendar=calendar, year=number, note=note)
    record_created(actor=actor, instance=mark, scope=RESOURCES_SCOPE)
    return mark
