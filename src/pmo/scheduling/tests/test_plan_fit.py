"""An imported plan far from the project's dates is stored with a warning (ADR 0003): a plan
starting in 2003 was imported into a project planned from 2026-11-02 without a word."""

import datetime as dt

import pytest

from pmo.scheduling.models import Plan
from pmo.scheduling.services import replace_plan_reporting
from pmo.scheduling.tests.factories import small_plan

# small_plan: starts 2026-03-02, finishes 2026-03-11


@pytest.mark.parametrize(
    ("start", "planned_finish", "warned"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 11), []),  # the plan's own dates
        (dt.date(2026, 5, 31), None, []),  # the plan starts 90 days early: fine
        (dt.date(2026, 6, 1), None, ["start"]),  # 91 days early
        (None, dt.date(2025, 3, 11), []),  # finishes 365 days late: fine
        (None, dt.date(2025, 3, 10), ["finish"]),  # 366 days late
        (dt.date(2030, 1, 1), dt.date(2020, 1, 1), ["start", "finish"]),
        (None, None, []),  # nothing to compare with
    ],
)
def test_plan_dates_far_from_the_project_s_are_warned(
    users, make_project, start, planned_finish, warned
):
    project = make_project(start_date=start, planned_finish=planned_finish)
    result = replace_plan_reporting(actor=None, project=project, data=small_plan())
    # the plan is stored all the same
    assert Plan.objects.filter(project=project, pk=result.plan.pk).exists()
    said = [
        "start" if "starts on 2026-03-02" in w else "finish" if "finishes on 2026-03-11" in w else w
        for w in result.warnings
    ]
    assert said == warned


def test_the_warning_names_both_dates(users, make_project):
    project = make_project(start_date=dt.date(2026, 11, 2), planned_finish=dt.date(2027, 6, 30))
    (warning,) = replace_plan_reporting(actor=None, project=project, data=small_plan()).warnings
    assert warning == (
        "The plan starts on 2026-03-02, more than 90 days before the project's planned start "
        "(2026-11-02): check that this is the right plan, or correct the project's dates."
    )
