"""A lost leveling run's reason is read in the reader's language, whoever started the run
(and a run failed before, its reason stored in the starter's language, too)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils import translation

from pmo.resources import leveling_runs
from pmo.resources.models import LevelingRun
from pmo.resources.tests.test_leveling_runs_lost import LOST, _auth, _scenario, _solving

LOST_ZH = "后台工作进程在运行完成前已停止；请重新开始运行"


def _start_in_chinese(client: Any, scenario: int, user: Any) -> int:
    started = client.post(
        f"/api/v1/scenarios/{scenario}/level",
        json.dumps({"time_limit": 120}),
        content_type="application/json",
        headers={**_auth(user), "Accept-Language": "zh-hans"},
    )
    assert started.status_code == 202, started.content
    return int(started.json()["id"])


def _api_error(client: Any, run: int, user: Any, language: str) -> str:
    client.cookies.pop("pmo_language", None)  # the page's language cookie goes first
    answer = client.get(
        f"/api/v1/leveling-runs/{run}", headers={**_auth(user), "Accept-Language": language}
    )
    assert answer.status_code == 200, answer.content
    return str(answer.json()["error"])


def _page_error(client: Any, scenario: int, language: str) -> str:
    client.cookies["pmo_language"] = language
    page = client.get(f"/resources/scenarios/{scenario}/").content.decode()
    found = re.search(r'data-testid="run-error">\s*([^<]*?)\s*<', page)
    assert found, page
    return found[1]


def test_a_lost_run_started_in_chinese_reads_in_each_readers_language(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a run started by a Chinese reader, whose worker is gone and which is failed
    scenario = _scenario(client, users, org, make_project)
    member = users["member"]
    run = _start_in_chinese(client, scenario, member)
    _solving(run, started=200, heard=100)
    client.force_login(member)
    # when it is read while lost, then once it was failed as lost
    while_lost = (_api_error(client, run, member, "en"), _page_error(client, scenario, "en"))
    leveling_runs.fail_lost_runs(run_id=run)  # (if reading it has not failed it already)
    stored = LevelingRun.objects.filter(pk=run).values_list("state", "error")[0]
    assert stored == ("failed", LOST)  # the catalogue's key, not the starter's words
    # then an English reader reads English, a Chinese one Chinese, in the API and the page
    assert while_lost == (LOST, LOST)
    assert _api_error(client, run, member, "en") == LOST
    assert _page_error(client, scenario, "en") == LOST
    assert _api_error(client, run, member, "zh-hans") == LOST_ZH
    assert _page_error(client, scenario, "zh-hans") == LOST_ZH


def test_a_run_failed_before_reads_in_the_readers_language_too(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a run failed as lost with its reason stored in Chinese (as before 2026-12-07)
    scenario = _scenario(client, users, org, make_project)
    member = users["member"]
    run = _start_in_chinese(client, scenario, member)
    LevelingRun.objects.filter(pk=run).update(state="failed", phase="failed", error=LOST_ZH)
    # then an English reader reads it in English; another error is read as written
    assert _api_error(client, run, member, "en") == LOST
    with translation.override("en"):
        other = LevelingRun(error="the solver ran out of memory")
        assert leveling_runs.shown_error(other) == "the solver ran out of memory"
