"""Fixtures of the capacity tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.resources.tests.factories import MON, allocate, pool


@pytest.fixture
def on_mon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is the Monday the fixtures book (pages mark overload before today as past)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MON)


@pytest.fixture
def queued(
    users: Any,
    org: Any,
    make_project: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> Any:
    """A leveling run queued in django-tasks' database queue (three projects of 1 FTE on a
    pool of 2 FTE), for the tests of the task workers."""
    from django_tasks_db.models import DBTaskResult

    from pmo.resources import leveling, services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    java = pool(org)
    for priority in (1, 3, 5):
        allocate(
            java,
            make_project(priority=priority),
            MON,
            MON + dt.timedelta(days=4),
            "1",
            status="committed",
        )
    scenario = services.create_scenario(actor=users["member"], name="Busy")
    with django_capture_on_commit_callbacks(execute=True):
        run = leveling.start_leveling(actor=users["member"], scenario=scenario, time_limit=5)
    assert DBTaskResult.objects.filter(args_kwargs__args=[run.pk], status="READY").count() == 1
    return run
