"""Web pages of governance: the gate calendar and its iCalendar feed. Thin: read via
selectors, write via services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.accounts.models import TokenScope, user_of
from pmo.accounts.services import authenticate_token, renew_calendar_token
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.http import query_date
from pmo.governance import calendar, ical

# --- gate calendar ----------------------------------------------------------------------------


def _window(request: HttpRequest) -> tuple[dt.date, dt.date]:
    start = query_date(request.GET.get("start"), timezone.localdate())  # 9999 + 90 days: overflow
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 731))
    except ValueError:
        days = 90
    return start, start + dt.timedelta(days=days)


CALENDAR_PAGE_SIZE = 200
"""Gates per page of the gate calendar (a big portfolio has thousands in 90 days)."""


@login_required
def gate_calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming and overdue gates across the portfolio, a week at a time and by day, each with
    its review's date and state (what a PMO plans steering meetings from); POST makes the user
    a new subscription link for calendar applications (shown once; the previous one stops
    working)."""
    subscription = ""
    if request.method == "POST":
        token = renew_calendar_token(user=user_of(request))
        feed = reverse("governance:calendar_ics")
        subscription = request.build_absolute_uri(f"{feed}?token={token}")
    start, end = _window(request)
    rows = calendar.gate_calendar_rows(user_of(request), start, end)
    page = Paginator(rows, CALENDAR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/gate_calendar.html",
        {
            "weeks": calendar.calendar_weeks(calendar.calendar_entries(page.object_list)),
            "start": start,
            "end": end,
            "days": (end - start).days,
            "count": page.paginator.count,
            "page": page,
            "query": urlencode({"start": start.isoformat(), "days": (end - start).days}),
            "subscription": subscription,
            "today": timezone.localdate(),
            "first_date": FIRST_DATE.isoformat(),
            "last_date": LAST_DATE.isoformat(),
        },
    )


def gate_calendar_ics(request: HttpRequest) -> HttpResponse:
    """The gate calendar as iCalendar; session, or ``?token=`` (a calendar token, which reads
    this feed and nothing else) for calendar applications."""
    user = user_of(request)
    if not user.is_authenticated:
        token = request.GET.get("token") or ""
        found = authenticate_token(token, scope=TokenScope.CALENDAR) if token else None
        if found is None:
            return HttpResponse(
                _("authentication required: the calendar link has no valid token"),
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        user = found
    start, end = _window(request)
    # a calendar application sends no session and its own Accept-Language: the feed speaks
    # the language its owner chose (the request's otherwise)
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        body = ical.gate_calendar_ics(
            calendar.gate_calendar(user, start - dt.timedelta(days=30), end),
            host=request.get_host().split(":")[0],
            name=_("Gate calendar"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gate-calendar.ics"'
    return response
