"""The project page's change history reads as text, not as stored field values (the history
spans apps: projects, plans, reports, so the test sits where every app may be imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.scheduling.models import Plan


@pytest.fixture
def history(make_project: Callable[..., Any], users: dict[str, Any]) -> Any:
    project = make_project()
    other = users["other_pm"].person
    record(
        actor=users["pm"],
        action=AuditAction.UPDATE,
        instance=project,
        scope=f"project:{project.pk}",
        changes={
            "state": ["active", "on_hold"],
            "manager": [project.manager_id, other.pk],
            "strategic": [False, True],
            "forecast_finish": [None, "2027-01-05"],
        },
    )
    plan = Plan.objects.create(project=project, start=dt.datetime(2026, 10, 5, tzinfo=dt.UTC))
    # plans store wall-clock times as if UTC: 09:00 in the plan is 09:00 on the page
    record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=plan,
        scope=f"project:{project.pk}",
        changes={"status_date": [None, "2026-12-01T09:00:00+00:00"]},
    )
    record(
        actor=None,
        action=AuditAction.DELETE,
        instance=project,
        scope=f"project:{project.pk}",
        changes={"milestone": ["Go-live", "replaced by the schedule"]},
    )
    return project


def _history_of(client: Client, project: Any) -> str:
    page = client.get(f"/projects/{project.code}/").content.decode()
    return page.split('id="audit"')[1]


def test_history_shows_labels_names_and_yes_no(client: Client, users: Any, history: Any) -> None:
    client.force_login(users["pm"])
    text = _history_of(client, history)
    assert "state</span>: Active → On hold" in text
    assert "project manager</span>: Zhang Wei → Emma Clarke" in text
    assert "strategic</span>: no → yes" in text
    assert "forecast finish</span>: ∅ → 2027-01-05" in text
    assert "status date</span>: ∅ → 2026-12-01 09:00" in text
    assert "<td>system</td>" in text
    assert "on_hold" not in text


def test_history_in_chinese(client: Client, users: Any, history: Any) -> None:
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    text = _history_of(client, history)
    assert "状态</span>：进行中 → 暂停" in text
    # a service's own words (not a model field) read through the catalogue too
    assert "里程碑</span>：Go-live → 已由进度计划取代" in text
    assert f"{history.code} 的进度计划" in text  # the object named in the reader's language
    assert "<td>系统</td>" in text
