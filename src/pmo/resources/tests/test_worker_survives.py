"""The task worker of ``pmo serve`` outlives a busy or dropped database (ADR 0008, "Busy
database"): an error in its poll is one log line and a pause, then it finishes the queued
run; a run whose claim or end finds the database busy is tried again, never run twice; the
queued run's hint says what the worker of this process is doing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pmo.core import busy, worker
from pmo.resources import leveling, leveling_runs, services
from pmo.resources.models import LevelingRun
from pmo.resources.tests.factories import MON

FRI = MON + dt.timedelta(days=4)
LOCKED = "database is locked"


def _worker(state: worker.WorkerState) -> worker.SturdyWorker:
    return worker.SturdyWorker(
        queue_names=["default"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,  # run() returns after the one task
        worker_id="test",
        excluded_queue_names=[],
        state=state,
    )


@pytest.mark.django_db(transaction=True)  # the worker closes its connections for real
def test_a_locked_database_in_the_poll_costs_a_pause_and_the_run_is_done(
    queued: LevelingRun, monkeypatch: Any, caplog: Any
) -> None:
    state = worker.WorkerState()
    sturdy = _worker(state)
    real_poll = sturdy.poll
    seen: list[tuple[int, str, bool]] = []

    def poll() -> Any:
        seen.append((state.failures, state.error, state.database))
        if len(seen) == 1:
            raise OperationalError(LOCKED)
        if len(seen) > 3:  # a loop that never ends would hang the test
            sturdy.running = False
        return real_poll()

    pauses: list[float] = []
    reset = worker._reset_connections
    monkeypatch.setattr(sturdy, "poll", poll)
    monkeypatch.setattr(worker.time, "sleep", pauses.append)

    def reset_and_note() -> None:
        pauses.append(-1)
        reset()

    monkeypatch.setattr(worker, "_reset_connections", reset_and_note)
    caplog.set_level(logging.WARNING, logger="pmo.core.worker")

    sturdy.run()

    run = LevelingRun.objects.get(pk=queued.pk)
    assert (run.state, run.phase, run.progress) == ("done", "done", 100)
    assert DBTaskResult.objects.get(args_kwargs__args=[run.pk]).status == "SUCCESSFUL"
    assert seen == [(0, "", False), (1, f"OperationalError: {LOCKED}", True)]
    assert pauses == [-1, 1.0]  # connections reset, then one interval of backoff
    assert (state.failures, state.error, state.database, state.failing_since) == (
        0,
        "",
        False,
        None,
    )
    lines = [r for r in caplog.records if r.name == "pmo.core.worker"]
    assert [(r.levelname, r.getMessage(), r.exc_info) for r in lines] == [
        (
            "WARNING",
            f"task worker test: database error, trying again in 1 s: OperationalError: {LOCKED}",
            None,
        )
    ]


@pytest.mark.django_db(transaction=True)
def test_another_database_error_or_a_bug_does_not_end_the_loop_either(
    queued: LevelingRun, monkeypatch: Any
) -> None:
    state = worker.WorkerState()
    sturdy = _worker(state)
    real_poll = sturdy.poll
    errors = [
        OperationalError("server closed the connection unexpectedly"),
        RuntimeError("a bug"),
        OperationalError(LOCKED),
    ]
    seen: list[int] = []

    def poll() -> Any:
        if errors:
            seen.append(state.failures)
            raise errors.pop(0)
        return real_poll()

    pauses: list[float] = []
    monkeypatch.setattr(sturdy, "poll", poll)
    monkeypatch.setattr(worker.time, "sleep", pauses.append)
    sturdy.run()
    assert seen == [0, 1, 2]
    assert pauses == [1.0, 2.0, 4.0]  # doubling
    assert LevelingRun.objects.get(pk=queued.pk).state == "done"


def test_the_backoff_is_capped() -> None:
    assert [worker.backoff(n) for n in (1, 2, 3, 5, 6, 50, 5000)] == [
        1.0,
        2.0,
        4.0,
        16.0,
        30.0,
        30.0,
        30.0,  # hours of errors in a row: no overflow
    ]


def test_a_run_whose_claim_finds_the_database_busy_is_claimed_once_later(
    queued: LevelingRun, monkeypatch: Any
) -> None:
    real = leveling._claim
    tries: list[int] = []

    def claim(run_id: int) -> Any:
        tries.append(run_id)
        if len(tries) < 3:
            assert LevelingRun.objects.get(pk=run_id).state == "queued"
            raise OperationalError(LOCKED)
        return real(run_id)

    pauses: list[float] = []
    monkeypatch.setattr(leveling, "_claim", claim)
    monkeypatch.setattr(busy.time, "sleep", pauses.append)
    run = leveling.run_leveling(queued.pk, today=MON)
    assert run.state == "done" and tries == [queued.pk] * 3 and pauses == [1.0, 2.0]
    again = leveling.run_leveling(queued.pk, today=MON)  # the task again: not run twice
    assert again.state == "done" and len(tries) == 4


def test_a_run_that_stays_busy_fails_saying_so_and_the_scenario_is_unchanged(
    queued: LevelingRun, monkeypatch: Any
) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError(LOCKED)

    monkeypatch.setattr("pmo.resources.leveling._apply", locked)
    monkeypatch.setattr(busy.time, "sleep", lambda seconds: None)
    versions = queued.scenario.version
    run = leveling.run_leveling(queued.pk, today=MON)
    assert run.state == "failed"
    assert run.error == (
        "the database was busy with another long write (e.g. a capacity import) for too "
        "long; the scenario is unchanged, start the run again"
    )
    queued.scenario.refresh_from_db()
    assert queued.scenario.version == versions


def _waited(run: LevelingRun) -> LevelingRun:
    LevelingRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=95)
    )
    return LevelingRun.objects.get(pk=run.pk)


def test_the_queued_hint_says_what_the_worker_of_this_process_does(
    queued: LevelingRun, monkeypatch: Any
) -> None:
    run = _waited(queued)
    state = worker.WorkerState()
    monkeypatch.setattr(worker, "STATE", state)

    def hint() -> str:
        text = leveling_runs.no_worker_hint(run)
        assert text is not None
        return text.replace("95 ", "N ").replace("96 ", "N ")

    # no worker in this process (pmo serve --no-worker, or another server): the question
    assert hint() == (
        "queued for N seconds and no worker has taken it: is the background worker "
        "(pmo db_worker, or pmo serve without --no-worker) running?"
    )

    class Thread:
        alive = True

        def is_alive(self) -> bool:
            return self.alive

    thread = Thread()
    state.thread = thread  # type: ignore[assignment]
    assert hint() == (
        "queued for N seconds: the background worker of this server runs but has not "
        "taken it yet (busy with other background work)"
    )
    state.failed(OperationalError(LOCKED))
    assert hint() == (
        "queued for N seconds: the background worker cannot use the database at the moment "
        "(OperationalError: database is locked) and tries again by itself; a long write such "
        "as a capacity import may be holding it"
    )
    state.failed(RuntimeError("a bug"))
    assert hint() == (
        "queued for N seconds: the background worker of this server fails (RuntimeError: a "
        "bug) and tries again by itself; see the server's log"
    )
    thread.alive = False
    assert hint() == (
        "queued for N seconds: the background worker of this server has stopped; see the "
        "server's log and restart pmo serve"
    )


def test_the_queued_hint_names_the_run_a_worker_is_doing(
    queued: LevelingRun, users: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(worker, "STATE", worker.WorkerState())
    other = services.create_scenario(actor=users["member"], name="Other")
    ahead = leveling.start_leveling(actor=users["member"], scenario=other, time_limit=5)
    now = timezone.now()
    LevelingRun.objects.filter(pk=ahead.pk).update(
        state="running", started_at=now, heartbeat_at=now
    )
    run = _waited(queued)
    text = leveling_runs.no_worker_hint(run) or ""
    assert text.endswith(f"seconds behind leveling run {ahead.pk}, which a worker is doing now")
    # a lost one (its worker gone) does not count
    LevelingRun.objects.filter(pk=ahead.pk).update(heartbeat_at=now - dt.timedelta(hours=1))
    assert "no worker has taken it" in (leveling_runs.no_worker_hint(run) or "")
