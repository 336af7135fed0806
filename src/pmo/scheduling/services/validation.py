"""Checks of an imported plan (:class:`PlanData`) before anything is written.

A dangling reference or a value out of range raises :class:`ScheduleError` naming the element.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pmo.core.sentences import quoted
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.models import MAX_BASELINES, MAX_MINUTES, LinkType
from pmo.scheduling.planio import PlanData

__all__ = ["MAX_OUTLINE_LEVEL", "MAX_UID"]


MAX_UID = 2**31 - 1  # Microsoft Project's UIDs are 32-bit integers
MAX_OUTLINE_LEVEL = 1000


def _check_uid(kind: str, uid: int) -> None:
    if not 0 <= uid <= MAX_UID:
        raise ScheduleError(
            _("%(kind)s UID %(uid)s: not in 0..%(max)s")
            % {"kind": kind, "uid": uid, "max": MAX_UID}
        )


def _validate(data: PlanData) -> None:
    """Refuse dangling references and bad values, naming the element."""
    cal_uids = {c.uid for c in data.calendars}
    if len(cal_uids) != len(data.calendars):
        raise ScheduleError(_("Calendars: two calendars have the same UID"))
    for c in data.calendars:
        if c.base_uid is not None and c.base_uid not in cal_uids:
            raise ScheduleError(
                _("Calendar UID %(uid)s: BaseCalendarUID %(base)s is unknown")
                % {"uid": c.uid, "base": c.base_uid}
            )
        if c.week is None and c.base_uid is None:
            raise ScheduleError(
                _("Calendar UID %(uid)s: has neither week days nor a base calendar")
                % {"uid": c.uid}
            )
    if data.calendar_uid is not None and data.calendar_uid not in cal_uids:
        raise ScheduleError(
            _("Project: CalendarUID %(calendar)s is unknown") % {"calendar": data.calendar_uid}
        )
    for c in data.calendars:
        _check_uid("Calendar", c.uid)
    for r in data.resources:
        _check_uid("Resource", r.uid)
    uids = {t.uid for t in data.tasks}
    seen: set[int] = set()
    for t in data.tasks:
        _check_uid("Task", t.uid)
        if t.uid in seen:
            raise ScheduleError(_("Task UID %(uid)s: UID is used twice") % {"uid": t.uid})
        seen.add(t.uid)
        if t.duration < 0:
            raise ScheduleError(_("Task UID %(uid)s: Duration is negative") % {"uid": t.uid})
        for label, minutes in (("Duration", t.duration), ("RemainingDuration", t.remaining)):
            if minutes is not None and minutes > MAX_MINUTES:
                raise ScheduleError(
                    _("Task UID %(uid)s: %(element)s is longer than 100 years")
                    % {"uid": t.uid, "element": label}
                )
        if not 0 <= t.outline_level <= MAX_OUTLINE_LEVEL:
            raise ScheduleError(
                _("Task UID %(uid)s: OutlineLevel %(level)s not in 0..%(max)s")
                % {"uid": t.uid, "level": t.outline_level, "max": MAX_OUTLINE_LEVEL}
            )

        if t.calendar_uid is not None and t.calendar_uid not in cal_uids:
            raise ScheduleError(
                _("Task UID %(uid)s: CalendarUID %(calendar)s is unknown")
                % {"uid": t.uid, "calendar": t.calendar_uid}
            )
        for p in t.predecessors:
            if p.pred_uid not in uids:
                raise ScheduleError(
                    _("Task UID %(uid)s: PredecessorLink to unknown UID %(pred)s")
                    % {"uid": t.uid, "pred": p.pred_uid}
                )
            if p.pred_uid == t.uid:
                raise ScheduleError(
                    _("Task UID %(uid)s: PredecessorLink to itself") % {"uid": t.uid}
                )
            if p.type not in LinkType.values:
                raise ScheduleError(
                    _("Task UID %(uid)s: unknown link type %(type)s")
                    % {"uid": t.uid, "type": quoted(p.type)}
                )
            if abs(p.lag) > MAX_MINUTES:
                raise ScheduleError(
                    _("Task UID %(uid)s: LinkLag to UID %(pred)s is longer than 100 years")
                    % {"uid": t.uid, "pred": p.pred_uid}
                )
        for b in t.baselines:
            if not 0 <= b.number < MAX_BASELINES:
                raise ScheduleError(
                    _("Task UID %(uid)s: Baseline Number %(number)s not in 0..10")
                    % {"uid": t.uid, "number": b.number}
                )
    res_uids = {r.uid for r in data.resources}
    for a in data.assignments:
        if a.task_uid not in seen:
            raise ScheduleError(_("Assignment: TaskUID %(uid)s is unknown") % {"uid": a.task_uid})
        if a.resource_uid not in res_uids:
            raise ScheduleError(
                _("Assignment: ResourceUID %(uid)s is unknown") % {"uid": a.resource_uid}
            )
