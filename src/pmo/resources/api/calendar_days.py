"""Calendar days entered by hand (part of the resources API)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from pmo.accounts.models import user_of
from pmo.core.api import Body, known_query_only, refuse_body
from pmo.core.errors import NotFoundError
from pmo.resources import services
from pmo.resources.access import require_view
from pmo.resources.models import CalendarDay, CalendarYear

router = Router()


class CalendarDayOut(Schema):
    id: int
    calendar: str
    day: dt.date
    working: bool
    name: str


class CalendarDaysIn(Body):
    calendar: Literal["CN", ""] = "CN"
    days: str = Field(
        description="one per line: YYYY-MM-DD [off|work] [name], e.g. '2027-02-06 work 调休'",
        max_length=20000,
    )


class SavedOut(Schema):
    saved: int


@router.get(
    "/calendar-days",
    response=list[CalendarDayOut],
    summary="Calendar days by hand",
    operation_id="pmo_resources_api_list_calendar_days",
)
@known_query_only
def list_calendar_days(request: HttpRequest) -> object:
    require_view(user_of(request))
    return CalendarDay.objects.all()


@router.post(
    "/calendar-days",
    response={201: SavedOut},
    summary="Enter calendar days (all or none)",
    operation_id="pmo_resources_api_post_calendar_days",
)
def post_calendar_days(request: HttpRequest, payload: CalendarDaysIn) -> Status:
    saved = services.add_calendar_days(
        actor=user_of(request), calendar=payload.calendar, text=payload.days
    )
    return Status(201, {"saved": saved})


@router.delete(
    "/calendar-days/{pk}",
    response={204: None},
    summary="Remove a calendar day",
    operation_id="pmo_resources_api_delete_calendar_day",
)
def delete_calendar_day(request: HttpRequest, pk: int) -> Status:
    refuse_body(request)
    entry = CalendarDay.objects.filter(pk=pk).first()
    if entry is None:
        raise NotFoundError(_("no calendar day %(day)s") % {"day": pk})
    services.delete_calendar_day(actor=user_of(request), entry=entry)
    return Status(204, None)


class CalendarYearOut(Schema):
    calendar: str
    year: int
    entered: bool = Field(
        description="true: the PMO stated that all official holidays and adjusted working "
        "days of the year are entered (it is no longer among the heat map's assumed_years)"
    )
    note: str


class CalendarYearIn(Body):
    calendar: Literal["CN"] = "CN"
    year: int = Field(ge=1900, le=2200)
    entered: bool = Field(
        description="true: all official days of the year are entered (the warning goes); "
        "false: withdraw that statement (the year counts as assumed again)"
    )
    note: str = Field(default="", max_length=200, description="where the days come from")


@router.get(
    "/calendar-years",
    response=list[CalendarYearOut],
    summary="Years whose official days are marked entered",
    operation_id="pmo_resources_api_list_calendar_years",
)
@known_query_only
def list_calendar_years(request: HttpRequest) -> object:
    require_view(user_of(request))
    return [
        {"calendar": m.calendar, "year": m.year, "entered": True, "note": m.note}
        for m in CalendarYear.objects.all()
    ]


@router.put(
    "/calendar-years",
    response=CalendarYearOut,
    summary="Mark a year's official days entered, or withdraw the mark",
    description="Only a year the holiday library does not know can be marked (422 otherwise). "
    "Until a year is marked, the heat map lists it in assumed_years even when some of its "
    "days (a company day off) are entered. Audited; saying the same again changes nothing.",
    operation_id="pmo_resources_api_put_calendar_year",
)
def put_calendar_year(request: HttpRequest, payload: CalendarYearIn) -> object:
    mark = services.set_calendar_year(
        actor=user_of(request),
        calendar=payload.calendar,
        year=payload.year,
        entered=payload.entered,
        note=payload.note,
    )
    return {
        "calendar": payload.calendar,
        "year": payload.year,
        "entered": mark is not None,
        "note": mark.note if mark is not None else "",
    }
