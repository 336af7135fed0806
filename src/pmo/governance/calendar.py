"""The gate calendar's reads: gates due (and overdue) across the portfolio, the open review
of each, and the page's grouping into weeks and days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from pmo.accounts.models import User
from pmo.governance.ended import closure_gates
from pmo.governance.models import (
    GateDefinition,
    GateReview,
    LifecycleState,
    ProjectGate,
    ReviewState,
)
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.portfolio.periods import period_of

__all__ = [
    "CalendarDay",
    "CalendarEntry",
    "CalendarWeek",
    "calendar_entries",
    "calendar_weeks",
    "gate_calendar",
    "gate_calendar_rows",
]


@dataclass
class CalendarEntry:
    """A gate of a project that is due (forecast) and not passed yet."""

    project: Project
    gate: GateDefinition
    due: dt.date
    planned: dt.date
    overdue: bool
    next: bool
    review: GateReview | None

    @property
    def review_date(self) -> dt.date | None:
        """The date the open review is scheduled for, if any."""
        return self.review.scheduled_for if self.review else None

    @property
    def review_stage(self) -> str | None:
        """The open review's stage, as the review list and the agenda read it: ``ready``
        (submitted for decision) or ``preparing``; ``None`` without an open review."""
        return self.review.stage if self.review is not None else None

    @property
    def review_ready(self) -> bool:
        """The open review is submitted for decision: its checklist was complete when the
        PM handed it over to the deciders."""
        return self.review is not None and self.review.ready_for_decision

    @property
    def state(self) -> str:
        """Where the gate stands for the PMO planning steering: ``scheduled`` (its review has
        a date), ``requested`` (a review without a date), ``not_requested`` (the next gate,
        no review yet) or ``later`` (a gate after the next one: it waits for that one)."""
        if self.review is not None:
            return "scheduled" if self.review.scheduled_for else "requested"
        return "not_requested" if self.next else "later"


def gate_calendar_rows(
    user: User, start: dt.date, end: dt.date, today: dt.date | None = None
) -> QuerySet[ProjectGate]:
    """The gates :func:`gate_calendar` lists, as a query (a page can slice it): not passed,
    forecast in ``[start, end]`` or overdue as the next gate, of projects ``user`` may read,
    by date."""
    today = today or timezone.localdate()
    return (
        ProjectGate.objects.filter(
            lifecycle__project__in=visible_projects(user).values("pk"),
            lifecycle__state=LifecycleState.ACTIVE,
            actual__isnull=True,
            gate__order__gt=0,
        )
        # passed before a recycle reset is not possible; defensive
        .filter(gate__order__gt=F("lifecycle__current_phase__order"))
        # a project closed by hand keeps its lifecycle for its closure gate only, once that
        # is its next gate (ADR 0002): nothing else of it will be reviewed
        .exclude(
            Q(lifecycle__project__state__in=ENDED_STATES)
            & ~Q(
                gate_id__in=closure_gates().values("pk"),
                gate__order=F("lifecycle__current_phase__order") + 1,
            )
        )
        .filter(forecast__lte=end)
        .filter(
            Q(forecast__gte=start)
            | Q(forecast__lt=today, gate__order=F("lifecycle__current_phase__order") + 1)
        )
        .select_related("gate", "lifecycle__project", "lifecycle__current_phase")
        .order_by("forecast", "lifecycle__project__code", "pk")
    )


def calendar_entries(
    rows: Iterable[ProjectGate], today: dt.date | None = None
) -> list[CalendarEntry]:
    """Rows of :func:`gate_calendar_rows` as calendar entries, with the open review of each
    next gate (one query for all of them)."""
    today = today or timezone.localdate()
    rows = list(rows)
    open_reviews = {
        r.lifecycle_id: r
        for r in GateReview.objects.filter(
            lifecycle_id__in={row.lifecycle_id for row in rows}, state=ReviewState.REQUESTED
        )
    }
    result = []
    for row in rows:
        lifecycle = row.lifecycle
        is_next = row.gate.order == lifecycle.current_phase.order + 1
        result.append(
            CalendarEntry(
                project=lifecycle.project,
                gate=row.gate,
                due=row.forecast,
                planned=row.planned,
                overdue=is_next and row.forecast < today,
                next=is_next,
                review=open_reviews.get(lifecycle.pk) if is_next else None,
            )
        )
    return result


def gate_calendar(
    user: User, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[CalendarEntry]:
    """Gates not yet passed whose forecast falls in ``[start, end]``, plus every overdue
    next gate, across the projects ``user`` may read; by date."""
    return calendar_entries(gate_calendar_rows(user, start, end, today), today)


@dataclass
class CalendarDay:
    """The gates of one day of the calendar."""

    date: dt.date
    entries: list[CalendarEntry] = field(default_factory=list)


@dataclass
class CalendarWeek:
    """One week of the calendar (Monday to Sunday), or the overdue gates (``overdue``)."""

    overdue: bool
    year: int
    week: int
    first: dt.date | None
    last: dt.date | None
    days: list[CalendarDay] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(day.entries) for day in self.days)

    @property
    def label(self) -> str:
        """The ISO week as the one-page board and the heat map print it (``2026-W50``, the
        same in both languages); empty for the overdue gates."""
        return "" if self.first is None else period_of(self.first, "weekly").key


def calendar_weeks(entries: Iterable[CalendarEntry]) -> list[CalendarWeek]:
    """Entries (in date order) by week and day as the calendar page shows them: the overdue
    gates first, then each ISO week (Monday to Sunday) with its days."""
    weeks: list[CalendarWeek] = []
    for entry in entries:
        year, number, weekday = entry.due.isocalendar()
        if entry.overdue:
            key: tuple[bool, int, int] = (True, 0, 0)
        else:
            key = (False, year, number)
        if not weeks or (weeks[-1].overdue, weeks[-1].year, weeks[-1].week) != key:
            monday = entry.due - dt.timedelta(days=weekday - 1)
            weeks.append(
                CalendarWeek(
                    overdue=entry.overdue,
                    year=key[1],
                    week=key[2],
                    first=None if entry.overdue else monday,
                    last=None if entry.overdue else monday + dt.timedelta(days=6),
                )
            )
        days = weeks[-1].days
        if not days or days[-1].date != entry.due:
            days.append(CalendarDay(entry.due))
        days[-1].entries.append(entry)
    return weeks
