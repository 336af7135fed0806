"""A new status report offers periods from the project's start on: a project starting in W45
was offered W43 and W44."""

import datetime as dt
import re

from django.utils import timezone

from pmo.portfolio.forms import recent_periods
from pmo.portfolio.models import StatusReport

TODAY = dt.date(2026, 12, 2)  # a Wednesday of 2026-W49


def keys(project, today=TODAY):
    return [key for key, _label in recent_periods(project, today)]


def test_weeks_before_the_start_are_not_offered(make_project):
    # given a weekly project that starts on the Monday of W45
    project = make_project(cadence="weekly", start_date=dt.date(2026, 11, 2))
    # then W45 to W49 are offered, newest first, and W42-W44 are not
    assert keys(project) == ["2026-W49", "2026-W48", "2026-W47", "2026-W46", "2026-W45"]


def test_a_start_inside_a_week_offers_that_week(make_project):
    project = make_project(cadence="weekly", start_date=dt.date(2026, 11, 6))  # Friday of W45
    assert keys(project)[-1] == "2026-W45"


def test_monthly_periods_start_with_the_month_of_the_start(make_project):
    project = make_project(cadence="monthly", start_date=dt.date(2026, 10, 20))
    assert keys(project) == ["2026-12", "2026-11", "2026-10"]


def test_a_project_without_a_start_is_offered_eight_periods(make_project):
    project = make_project(cadence="weekly", start_date=None)
    assert len(keys(project)) == 8


def test_a_project_that_starts_later_can_report_the_current_period(make_project):
    project = make_project(cadence="weekly", start_date=dt.date(2027, 2, 1))
    assert keys(project) == ["2026-W49"]


def test_a_period_with_a_report_stays_offered(make_project):
    # given a report for W43 (before the start was moved to W45)
    project = make_project(cadence="weekly", start_date=dt.date(2026, 11, 2))
    StatusReport.objects.create(
        project=project,
        period="2026-W43",
        period_start=dt.date(2026, 10, 19),
        period_end=dt.date(2026, 10, 25),
        overall=1,
        schedule=1,
        cost=1,
        scope=1,
        resources=1,
        quality=1,
        summary="early",
    )
    # then W43 stays (a revision of it is possible); W44 and W42 do not come back
    assert keys(project)[-2:] == ["2026-W45", "2026-W43"]


def test_the_form_page_offers_only_weeks_from_the_start(client, users, make_project):
    # given a weekly project that started on this week's Monday less two weeks
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    start = monday - dt.timedelta(weeks=2)
    make_project(code="PER1", cadence="weekly", start_date=start)
    client.force_login(users["pm"])
    page = client.get("/projects/PER1/reports/new/").content.decode()
    select = re.search(r'<select name="period".*?</select>', page, re.S)
    assert select is not None
    offered = re.findall(r'<option value="([^"]+)"', select.group(0))
    assert len(offered) == 3  # this week and the two before, back to the start
    # and a week before the start is refused when posted
    before = (start - dt.timedelta(days=7)).isocalendar()
    refused = client.post(
        "/projects/PER1/reports/new/",
        {"period": f"{before.year}-W{before.week:02d}", "action": "submit"},
    )
    assert refused.status_code == 200
    assert not StatusReport.objects.filter(project__code="PER1").exists()
