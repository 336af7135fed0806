"""The operator's case end to end: a worker process (``pmo serve``'s worker thread) takes a
leveling run and is killed with SIGKILL while solving; another process then sees the run
running while its heartbeat is fresh, and failed once it is older than the interval (set
short here), with its task row failed and the scenario free for a new run (ADR 0008).

The database is the test's own (PostgreSQL), or a file copy of the in-memory SQLite one that
both processes open; the solve is held until the kill (a real one is over in milliseconds).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from pmo.resources import leveling, services
from pmo.resources.models import LevelingRun
from pmo.resources.tests.factories import allocate, pool

SETUP = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
django.setup()
from django.conf import settings
settings.PMO_LEVELING_HEARTBEAT_SECONDS = 0.2
settings.PMO_LEVELING_LOST_AFTER_SECONDS = 2.0
"""

WORKER = (
    SETUP
    + """
from pmo.resources import adapters

def held(*args, stop, **kwargs):  # solving until killed (or stopped: then the test fails)
    stop.wait(120)
    raise RuntimeError("the worker was not killed")

adapters.solve_problem = held
from pmo.demo.management.commands.serve import start_task_worker
start_task_worker().join()
"""
)

READER = (
    SETUP
    + """
import json, time
from django_tasks_db.models import DBTaskResult
from pmo.accounts.models import User
from pmo.resources import leveling
from pmo.resources.models import LevelingRun

run_id = int(sys.argv[1])
seen = {"beats": set(), "live_reads": []}
deadline = time.monotonic() + 60
while time.monotonic() < deadline:  # running, heard of for longer than the interval
    stored = LevelingRun.objects.filter(pk=run_id).values("state", "heartbeat_at")[0]
    if stored["state"] == "running":
        seen["beats"].add(stored["heartbeat_at"])
        seen["live_reads"].append(leveling.get_leveling_run(run_id).state)
        run = LevelingRun.objects.get(pk=run_id)
        if (time.time() - run.started_at.timestamp()) > 3.0 and len(seen["beats"]) > 5:
            break
    time.sleep(0.1)
print("kill", flush=True)
sys.stdin.readline()  # killed
killed = time.monotonic()
while time.monotonic() < killed + 30 and leveling.get_leveling_run(run_id).state == "running":
    time.sleep(0.2)
run = LevelingRun.objects.get(pk=run_id)
again = leveling.start_leveling(
    actor=User.objects.get(username="member"), scenario=run.scenario, time_limit=5
)
task = DBTaskResult.objects.get(args_kwargs__args=[run_id])
print(json.dumps({
    "beats": len(seen["beats"]),
    "live_reads": sorted(set(seen["live_reads"])),
    "failed_after": round(time.monotonic() - killed, 1),
    "state": run.state,
    "error": run.error,
    "stored": LevelingRun.objects.filter(pk=run_id).values_list("state", flat=True)[0],
    "task": task.status,
    "again": again.state,
}), flush=True)
"""
)


def _database_url(tmp_path: Path) -> str:
    """An address the subprocesses open for the test's database (committed data)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
        return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"
    copy = tmp_path / "pmo.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _script(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_solving_leaves_a_run_that_reads_failed(
    tmp_path: Path, users: Any, org: Any, make_project: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    java = pool(org)  # 2 FTE, three projects wanting 1 FTE each next month
    first = timezone.localdate() + dt.timedelta(days=30)
    for priority in (1, 3, 5):
        allocate(java, make_project(priority=priority), first, first, "1", status="committed")
    scenario = services.create_scenario(actor=users["member"], name="Killed")
    run = leveling.start_leveling(actor=users["member"], scenario=scenario, time_limit=120)
    env = {**os.environ, "PMO_DATABASE_URL": _database_url(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("PMO_TEST_DATABASE_URL", None)
    worker = subprocess.Popen(
        [sys.executable, _script(tmp_path, "worker.py", WORKER)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    reader = subprocess.Popen(
        [sys.executable, _script(tmp_path, "reader.py", READER), str(run.pk)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "kill", reader.stderr and reader.stderr.read()
        assert worker.poll() is None, worker.stderr and worker.stderr.read()
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
        reader.stdin.write("killed\n")
        reader.stdin.flush()
        out, err = reader.communicate(timeout=90)
    finally:
        for process in (worker, reader):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert reader.returncode == 0, err
    seen = json.loads(out.strip().splitlines()[-1])
    # while the worker lived: heard of again and again, read running past the interval
    assert seen["beats"] > 5
    assert seen["live_reads"] == ["running"]
    # once killed: failed within the interval and a few polls, for good, task row too
    assert seen["failed_after"] < 10
    assert (seen["state"], seen["stored"], seen["task"], seen["again"]) == (
        "failed",
        "failed",
        "FAILED",
        "queued",
    )
    assert seen["error"] == "the worker stopped before the run finished; start it again"
    if connection.vendor == "postgresql":  # the same database: this process agrees
        assert LevelingRun.objects.get(pk=run.pk).state == "failed"
