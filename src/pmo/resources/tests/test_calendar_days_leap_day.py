"""The calendar days page on 29 February: it states the assumed years of this year and the
next (it failed with a server error on a leap day, asking for 29 February of the next year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.resources import calendars


@pytest.mark.parametrize("today", [dt.date(2028, 2, 29), dt.date(2027, 12, 31)])
def test_the_calendar_days_page_reads_on_any_day(
    client: Any, users: Any, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    client.force_login(users["member"])
    page = client.get("/resources/calendar-days/")
    assert page.status_code == 200
    next_year = today.year + 1
    expected = calendars.assumed_years(
        ["CN"], dt.date(today.year, 1, 1), dt.date(next_year, 1, 1), calendars.load_overrides()
    )
    assert page.context["assumed"] == expected
    assert next_year in expected  # the holiday source knows no year that far ahead
