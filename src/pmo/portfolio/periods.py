"""Reporting periods: ISO weeks (``2026-W40``) and months (``2026-10``), and their deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from pmo.core.errors import FieldError
from pmo.core.sentences import quoted

__all__ = ["Period", "due_period", "parse_period", "period_of", "previous_period"]

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: its key, cadence and first / last day."""

    key: str
    cadence: str
    start: dt.date
    end: dt.date

    def deadline(self, grace_days: int) -> dt.date:
        """Last day on which a report for this period is on time."""
        return self.end + dt.timedelta(days=grace_days)


YEARS = (1970, 2999)
"""The years a period may be in (far earlier or later ones overflow the date arithmetic of
trends and deadlines)."""


def _week(year: int, week: int) -> Period:
    start = dt.date.fromisocalendar(year, week, 1)
    return Period(f"{year}-W{week:02d}", "weekly", start, start + dt.timedelta(days=6))


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(
        f"{year}-{month:02d}", "monthly", dt.date(year, month, 1), dt.date(year, month, last)
    )


def parse_period(key: str, field: str = "period") -> Period:
    """Parse ``2026-W40`` or ``2026-10``; a bad key raises :class:`FieldError` naming ``field``."""
    if (m := _WEEK.match(key) or _MONTH.match(key)) and not YEARS[0] <= int(m[1]) <= YEARS[1]:
        raise FieldError(
            field,
            gettext("%(key)s: the year must be %(first)s to %(last)s")
            % {"key": quoted(key), "first": YEARS[0], "last": YEARS[1]},
        )
    if m := _WEEK.match(key):
        try:
            return _week(int(m[1]), int(m[2]))
        except ValueError:
            raise FieldError(
                field,
                gettext("%(key)s is not an ISO week of %(year)s")
                % {"key": quoted(key), "year": m[1]},
            ) from None
    if m := _MONTH.match(key):
        if not 1 <= int(m[2]) <= 12:
            raise FieldError(
                field,
                gettext("%(key)s has no month %(month)s") % {"key": quoted(key), "month": m[2]},
            )
        return _month(int(m[1]), int(m[2]))
    raise FieldError(
        field,
        gettext("%(key)s is not a period like 2026-W40 (week) or 2026-10 (month)")
        % {"key": quoted(key)},
    )


def period_of(day: dt.date, cadence: str) -> Period:
    """The period of ``cadence`` containing ``day``."""
    if cadence == "monthly":
        return _month(day.year, day.month)
    year, week, _ = day.isocalendar()
    return _week(year, week)


def previous_period(period: Period) -> Period:
    """The period just before ``period``."""
    return period_of(period.start - dt.timedelta(days=1), period.cadence)


def due_period(today: dt.date, cadence: str, grace_days: int) -> Period:
    """The latest period whose deadline has passed on ``today`` (its report must exist)."""
    period = previous_period(period_of(today, cadence))
    while period.deadline(grace_days) >= today:
        period = previous_period(period)
    return period
