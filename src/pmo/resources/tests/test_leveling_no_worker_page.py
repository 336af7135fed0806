"""A leveling run no worker has taken for 30 s says so on the scenario page and in the run
panel it polls (leveling_runs.no_worker_hint, as the API's ``hint``); a fresh queued run and
a finished one say nothing of it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from pmo.resources import leveling, services
from pmo.resources.models import LevelingRun
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)


def _hint(page: Any) -> str | None:
    found = re.search(r'data-testid="run-no-worker">([^<]*)<', page.content.decode())
    return found.group(1) if found else None


def test_a_run_no_worker_takes_shows_the_hint_on_the_page_and_in_its_panel(
    client: Any, users: Any, org: Any, make_project: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    java = pool(org)  # 2 FTE, three projects wanting 1 FTE each in one week
    for priority in (1, 3, 5):
        allocate(java, make_project(priority=priority), MON, FRI, "1", status="committed")
    scenario = services.create_scenario(actor=users["admin"], name="Level")
    client.force_login(users["member"])
    page_url = f"/resources/scenarios/{scenario.pk}/"
    leveled = client.post(f"{page_url}level/", {"time_limit": "5"})
    assert leveled.status_code == 302
    run = LevelingRun.objects.get(scenario=scenario)
    assert run.state == "queued"
    assert _hint(client.get(page_url)) is None  # just queued: a worker may take it any moment

    LevelingRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=95)
    )
    page = client.get(page_url)
    hint = _hint(page)
    assert hint is not None and hint.startswith("Queued for 9")  # 95 s, or a second more
    assert "no worker has taken it: is the background worker" in hint
    panel = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1", headers={"HX-Request": "true"})
    assert "<html" not in panel.content.decode()  # the partial the page polls
    assert re.fullmatch(
        r"Queued for 9\d seconds and no worker has taken it: .*", _hint(panel) or ""
    )

    leveling.run_leveling(run.pk, today=MON)
    run.refresh_from_db()
    assert run.state == "done"
    assert _hint(client.get(page_url)) is None
