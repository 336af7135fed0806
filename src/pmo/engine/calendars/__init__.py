"""Working calendars and exact working-time <-> datetime conversion."""

from pmo.engine.calendars.axis import (
    CalendarAxis,
    WorkingCalendar,
    add_working_time,
    next_working_start,
    previous_working_finish,
    working_time_between,
)
from pmo.engine.calendars.model import (
    NINE_TO_FIVE,
    STANDARD_HOURS,
    Calendar,
    CalendarException,
    Hours,
    WorkWeek,
    china_calendar,
    hours,
    standard_calendar,
    western_calendar,
)
from pmo.engine.calendars.stack import CalendarStack, CombinedCalendar, around_the_clock

__all__ = [
    "NINE_TO_FIVE",
    "STANDARD_HOURS",
    "Calendar",
    "CalendarAxis",
    "CalendarException",
    "CalendarStack",
    "CombinedCalendar",
    "Hours",
    "WorkWeek",
    "WorkingCalendar",
    "add_working_time",
    "around_the_clock",
    "china_calendar",
    "hours",
    "next_working_start",
    "previous_working_finish",
    "standard_calendar",
    "western_calendar",
    "working_time_between",
]
