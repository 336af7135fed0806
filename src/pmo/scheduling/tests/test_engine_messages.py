"""The engine's English messages a plan can cause reach the reader in their language (a plan
file with a calendar without working time said "calendar 'Standard' has no working time"
on a Chinese page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.scheduling import services
from pmo.scheduling.adapters import errors
from pmo.scheduling.adapters.errors import ScheduleError
from pmo.scheduling.planio import CalendarData, LinkData, PlanData
from pmo.scheduling.tests.factories import small_plan


def _no_working_time() -> PlanData:
    data = small_plan()
    data.calendars[0] = CalendarData(uid=1, name="Standard", week=[[]] * 7)
    return data


def _link_from_a_summary() -> PlanData:
    data = small_plan()
    data.tasks[2].predecessors.append(LinkData(pred_uid=1, type="SF"))
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_no_working_time, "project calendar: calendar Standard has no working time"),
        (_link_from_a_summary, "Link UID 1 -> UID 3: a SF link cannot start at a summary task"),
    ],
)
def test_an_engine_refusal_reads_as_the_products_sentence(
    make_project: Any, users: Any, data: Any, message: str
) -> None:
    with translation.override("en"), pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=make_project(), data=data())
    assert err.value.message == message


def test_an_engine_refusal_goes_through_the_catalogue(
    make_project: Any, users: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(errors, "_", lambda text: f"«{text}»")
    with pytest.raises(ScheduleError) as err:
        services.replace_plan(
            actor=users["pm"], project=make_project(), data=_link_from_a_summary()
        )
    assert err.value.message == "«Link UID 1 -> UID 3: a SF link cannot start at a summary task»"
