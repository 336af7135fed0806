"""Working days at portfolio level: the plan calendar, else mainland China for projects under
a China region (holidays and make-up working weekends, 调休), else Monday to Friday."""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar

from pmo.dependencies import changes
from pmo.dependencies.adapters import WorkDays
from pmo.dependencies.tests.conftest import auth, link
from pmo.engine.calendars import china_calendar
from pmo.portfolio.models import Milestone

D = dt.date


def test_national_day_2026_per_the_holiday_source() -> None:
    # the source's 2026 schedule: 1-7 Oct off, make-up working days Sun 20 Sep and Sat 10 Oct,
    # Mid-autumn Fri 25 Sep off
    assert not any(chinese_calendar.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert chinese_calendar.is_workday(D(2026, 9, 20)) and chinese_calendar.is_workday(
        D(2026, 10, 10)
    )
    assert not chinese_calendar.is_workday(D(2026, 9, 25))
    days = WorkDays(china_calendar(), D(2026, 9, 1), D(2026, 12, 31))
    assert days.add(D(2026, 9, 30), 3) == D(2026, 10, 10)  # Thu 8, Fri 9, Sat 10 (make-up)
    assert days.add(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Fri -> the make-up Sunday
    assert days.add(D(2026, 10, 3), 0) == D(2026, 10, 8)  # a holiday rolls forward
    assert days.between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 30 Sep, 8, 9, 10 Oct
    weekdays = WorkDays(None, D(2026, 9, 1), D(2026, 12, 31))
    assert weekdays.add(D(2026, 9, 30), 3) == D(2026, 10, 5)
    assert weekdays.between(D(2026, 9, 30), D(2026, 10, 12)) == 8
    # past the precomputed range: Monday to Friday
    assert days.add(D(2026, 12, 30), 3) == D(2027, 1, 4)


def test_a_slip_across_national_day(client: Any, make_project: Any, users: Any, org: Any) -> None:
    # given CN1 and CN2 under the China region, UK1 under London
    cn1 = make_project(code="CN1", forecast_finish=D(2026, 11, 30))
    cn2 = make_project(code="CN2", forecast_finish=D(2026, 11, 30))
    uk1 = make_project(code="UK1", org_unit=org["it"], forecast_finish=D(2026, 12, 31))
    handover = Milestone.objects.create(project=cn1, name="Handover", forecast_date=D(2026, 9, 30))
    # CN2's Cutover (Mon 12 Oct) needs the handover: room = 30 Sep, 8, 9, 10 Oct less 1 = 3
    cutover = Milestone.objects.create(project=cn2, name="Cutover", forecast_date=D(2026, 10, 12))
    # UK1's Rollout (Mon 12 Oct) too: in Monday-to-Friday days the room is 7
    rollout = Milestone.objects.create(project=uk1, name="Rollout", forecast_date=D(2026, 10, 12))
    for consumer, milestone in (("CN2", cutover), ("UK1", rollout)):
        assert (
            link(
                client,
                users["pm"],
                supplier_project="CN1",
                supplier_milestone=handover.pk,
                consumer_project=consumer,
                consumer_milestone=milestone.pk,
            ).status_code
            == 201
        )
    # when the handover slips 4 working days
    result = changes.compute_impact(milestone=handover, days=4)
    moved = {i["name"]: (i["delay"], i["new_date"]) for i in result["items"]}
    # then it lands on Mon 12 Oct (8, 9, 10 Oct and 12 Oct), Cutover moves 1 day to Tue 13,
    # and UK1's week of room absorbs it all
    assert moved["Handover"] == (4, "2026-10-12")
    assert moved["Cutover"] == (1, "2026-10-13")
    assert "Rollout" not in moved
    assert result["assumed_years"] == []


def test_unknown_years_fall_back_to_weekdays_and_are_reported(
    client: Any, make_project: Any, users: Any
) -> None:
    year = next(
        y for y in range(2027, 2100) if china_calendar().unknown_years(D(y, 1, 1), D(y, 1, 1))
    )
    cn1 = make_project(code="CN1", forecast_finish=D(year, 6, 30))
    go = Milestone.objects.create(project=cn1, name="Go", forecast_date=D(year, 3, 1))
    client.force_login(users["pm"])
    body = client.post(
        "/api/v1/impact",
        {"project": "CN1", "milestone": go.pk, "days": 2},
        content_type="application/json",
        headers=auth(users["pm"]),
    ).json()
    assert body["assumed_years"] == [year]
    page = client.get(f"/impact/?project=CN1&milestone={go.pk}&days=2").content.decode()
    assert 'id="assumed-years"' in page and str(year) in page


def test_the_plan_calendar_comes_first(make_project: Any, users: Any, org: Any) -> None:
    from pmo.dependencies.adapters import load_network
    from pmo.scheduling import services as scheduling
    from pmo.scheduling.tests.factories import small_plan

    planned = make_project(code="PLAN1")  # under the China region, but its plan says Standard
    scheduling.replace_plan(actor=users["pm"], project=planned, data=small_plan())
    china = make_project(code="CN1")
    london = make_project(code="UK1", org_unit=org["it"])
    net = load_network()
    plan_days = net.calendars[planned.pk]
    assert plan_days.calendar is not None and plan_days.calendar.holidays is None
    assert plan_days.between(D(2026, 9, 30), D(2026, 10, 12)) == 8  # no holidays in that plan
    assert net.calendars[china.pk].calendar == china_calendar()
    assert net.calendars[london.pk].calendar is None


def test_an_item_dated_in_a_far_year_does_not_stretch_the_calendars(
    make_project: Any, users: Any, org: Any
) -> None:
    from pmo.dependencies import adapters

    # given a China project with a slipping milestone, and a stray milestone in year 100 (saved
    # before dates were bounded at input: an update bypasses the check, as old data did)
    cn1 = make_project(code="CN1", forecast_finish=D(2026, 11, 30))
    handover = Milestone.objects.create(project=cn1, name="Handover", forecast_date=D(2026, 9, 30))
    typo = Milestone.objects.create(project=cn1, name="Typo", forecast_date=D(2026, 1, 1))
    Milestone.objects.filter(pk=typo.pk).update(forecast_date=D(100, 1, 1))
    # then the calendars are built for the years around today only (they were built day by day
    # from year 100: 45 s per analysis), and the analysis still counts China's holidays
    network = adapters.load_network()
    calendar = network.workdays(cn1.pk)
    assert calendar.first > D(2000, 1, 1)
    assert len(calendar.days) < 366 * (
        adapters.CALENDAR_YEARS_BACK + adapters.CALENDAR_YEARS_AHEAD + 3
    )
    result = changes.compute_impact(milestone=handover, days=4)
    moved = {i["name"]: (i["delay"], i["new_date"]) for i in result["items"]}
    assert moved["Handover"] == (4, "2026-10-12")
