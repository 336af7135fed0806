"""Service errors read in the reader's language (the request's, active when services run)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.scheduling import services
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.planio import LinkData
from pmo.scheduling.tests.factories import small_plan


def test_a_cycle_is_refused_in_chinese(make_project: Any, users: Any) -> None:
    # given a plan whose links form a cycle
    data = small_plan()
    data.tasks[1].predecessors.append(LinkData(pred_uid=3))
    # when a Chinese reader imports it
    with translation.override("zh-hans"), pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    # then the sentence is Chinese, the UIDs as in the file
    assert err.value.message == "链接形成循环：UID 2 -> UID 3"


def test_a_draft_scenario_is_refused_in_chinese(make_project: Any, users: Any) -> None:
    from pmo.core.errors import ConflictError
    from pmo.resources.services import create_scenario
    from pmo.scheduling.scenario import apply_scenario_dates

    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    draft = create_scenario(actor=users["admin"], name="草案")
    with translation.override("zh-hans"), pytest.raises(ConflictError) as err:
        apply_scenario_dates(actor=users["pm"], plan=plan, scenario=draft)
    assert err.value.message == "情景“草案”为草稿：只有已采用情景的日期才能写入计划"
