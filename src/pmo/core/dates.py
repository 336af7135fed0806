"""The range of dates PMO Hub accepts as input: 1 January 1984 to 31 December 2149.

That is Microsoft Project's range (its plans cannot hold a date outside it), so every plan
exchanged with it fits, and a mistyped year ("0202" for "2026" in a date picker, "9999" for
"no end") is refused with the range named instead of being stored and drawn decades away on
the milestone chart (or stalling an impact analysis that builds calendars up to it). Dates
the product computes itself (a forecast shifted by an analysis) are bounded where they are
computed; this module is for what people and files type in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["FIRST_DATE", "LAST_DATE", "date_out_of_range", "validate_date_in_range"]

FIRST_DATE = dt.date(1984, 1, 1)
LAST_DATE = dt.date(2149, 12, 31)


def date_out_of_range(value: dt.date | dt.datetime | None) -> str | None:
    """Why ``value`` is refused (a sentence in the active language), or ``None`` if it is
    fine (``None`` itself is fine: whether a date is required is the field's business)."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return str(
        _("enter a date from %(first)s to %(last)s (%(value)s is outside)")
        % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat(), "value": day.isoformat()}
    )


def validate_date_in_range(value: Any) -> None:
    """Django validator (model and form fields): a date outside the range is a field error."""
    if isinstance(value, dt.date):
        problem = date_out_of_range(value)
        if problem:
            raise ValidationError(problem, code="date_range")
