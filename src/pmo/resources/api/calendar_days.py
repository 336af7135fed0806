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
from pmo.resources.models import CalendarDay

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
