"""Status-date and progress errors read as one sentence after the field's label, numbers
grouped by thousands (it read "状态日期：请输入…之间的日期：计划的排程范围…开始后 3660 天")."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import FieldError
from pmo.scheduling import services
from pmo.scheduling.tests.factories import small_plan

HX = {"HX-Request": "true"}


def _status_date_error(client: Any, plan: Any, typed: str, language: str) -> str:
    plan.refresh_from_db()
    response = client.post(
        f"/projects/{plan.project.code}/plan/status-date/",
        {"version": str(plan.version), "zoom": "week", "depth": "", "status_date": typed},
        headers={**HX, "Accept-Language": language},
    )
    assert response.status_code == 422
    found = re.search(r'id="status-date-error"[^>]*>([^<]*)<', response.content.decode())
    assert found
    return html.unescape(found[1])


def test_a_status_date_outside_the_horizon_reads_as_one_sentence(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    client.force_login(users["pm"])
    assert _status_date_error(client, plan, "2036-03-10", "en") == (
        "Status date: enter a date from 2025-03-01 to 2036-03-09 (the plan is scheduled from "
        "366 days before its start to 3,660 days after it)"
    )


def test_a_status_date_outside_the_horizon_reads_as_one_sentence_in_chinese(
    client: Any, make_project: Any, users: Any
) -> None:
    # needs the catalogue's entry for the new message (listed for the lead)
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    client.force_login(users["pm"])
    assert _status_date_error(client, plan, "2036-03-10", "zh-hans") == (
        "状态日期：请输入 2025-03-01 至 2036-03-09 之间的日期"
        "（计划的排程范围为开始前 366 天至开始后 3,660 天）"
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"actual_start": dt.datetime(2099, 1, 5, 8)}, "actual_start"),
        (
            {
                "actual_start": dt.datetime(2026, 3, 2, 8),
                "actual_finish": dt.datetime(2099, 1, 5, 17),
            },
            "actual_finish",
        ),
    ],
)
def test_an_actual_date_after_today_reads_as_one_sentence(
    make_project: Any, users: Any, data: dict[str, Any], field: str
) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    task = plan.tasks.get(uid=3)
    with translation.override("en"), pytest.raises(FieldError) as err:
        services.update_task(actor=users["pm"], task=task, data=data, version=task.version)
    assert err.value.field == field
    assert err.value.message.startswith("cannot be later than today (")
    assert ":" not in err.value.message  # the page puts "Actual start: " before it


def test_a_milestone_with_two_actual_dates_reads_as_one_sentence(
    make_project: Any, users: Any
) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    task = plan.tasks.get(uid=5)
    data = {
        "actual_start": dt.datetime(2026, 3, 11, 17),
        "actual_finish": dt.datetime(2026, 3, 12, 17),
    }
    with translation.override("en"), pytest.raises(FieldError) as err:
        services.update_task(actor=users["pm"], task=task, data=data, version=task.version)
    assert err.value.message == (
        "must be the same as the actual start for a milestone (give one date)"
    )
