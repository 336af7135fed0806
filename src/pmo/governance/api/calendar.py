"""The gate calendar: gates due and overdue (part of the governance API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Converted, Date, Pages
from pmo.governance import calendar

router = Router()


class CalendarEntryOut(Schema):
    project: str
    gate: str
    name: str
    due: dt.date = Field(description="the forecast date")
    planned: dt.date
    overdue: bool
    review_id: int | None = Field(description="the open review of this (next) gate, if any")
    review_date: dt.date | None = Field(description="the date that review is scheduled for")
    state: Literal["scheduled", "requested", "not_requested", "later"] = Field(
        description="scheduled: its review has a date; requested: a review without a date; "
        "not_requested: the next gate, no review yet; later: a gate after the next one"
    )
    review_stage: Literal["preparing", "ready"] | None = Field(
        description="the open review's stage (as the review's own stage): preparing, or "
        "ready once submitted for decision; null without an open review"
    )
    review_ready: bool = Field(
        description="the open review is submitted for decision (ready for the deciders)"
    )

    @staticmethod
    def resolve_project(obj: Any) -> str:
        return obj.project.code

    @staticmethod
    def resolve_gate(obj: Any) -> str:
        return obj.gate.code

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.gate.name

    @staticmethod
    def resolve_review_id(obj: Any) -> int | None:
        return obj.review.pk if obj.review else None


@router.get(
    "/gate-calendar",
    response=list[CalendarEntryOut],
    summary="Gates due and overdue",
    operation_id="pmo_governance_api_gate_calendar",
)
@paginate(Pages)
def gate_calendar(request: HttpRequest, start: Date | None = None, days: int = 90):  # type: ignore[no-untyped-def]
    """Gates not yet passed whose forecast falls in ``days`` from ``start`` (today), and
    every overdue next gate; by date, a page at a time."""
    today = timezone.localdate()
    first = start or today
    days = max(1, min(days, 731))
    rows = calendar.gate_calendar_rows(user_of(request), first, first + dt.timedelta(days=days))
    return Converted(rows, lambda page: calendar.calendar_entries(page, today))
