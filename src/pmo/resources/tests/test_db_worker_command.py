"""``pmo db_worker`` is django_tasks_db's command with the loop that outlives database errors
(ADR 0008, "Busy database"): a locked database when it begins its claim costs a pause, then
the queued leveling run is done; its options are django_tasks_db's."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.db import OperationalError, connections
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from pmo.core import worker
from pmo.resources.models import LevelingRun

LOCKED = "database is locked"


@pytest.mark.django_db(transaction=True)  # the worker's thread has its own connection
def test_db_worker_outlives_a_locked_database_and_does_the_queued_run(
    queued: LevelingRun, monkeypatch: Any
) -> None:
    real = worker.exclusive_transaction
    begun: list[str | None] = []

    @contextlib.contextmanager
    def busy_once(using: str | None = None) -> Iterator[None]:
        """SQLite's BEGIN IMMEDIATE finds a long import holding the write lock, once."""
        begun.append(using)
        if len(begun) == 1:
            raise OperationalError(LOCKED)
        with real(using):
            yield

    pauses: list[float] = []
    # both loops begin their claim with it: django-tasks' own would end on the error
    monkeypatch.setattr(worker, "exclusive_transaction", busy_once)
    monkeypatch.setattr(upstream, "exclusive_transaction", busy_once)
    monkeypatch.setattr(worker.time, "sleep", pauses.append)
    signals: list[str] = []  # signal handlers can only be set in the main thread
    monkeypatch.setattr(upstream.Worker, "configure_signals", lambda w: signals.append(w.worker_id))
    errors: list[BaseException] = []

    def command() -> None:
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.2",
                "--worker-id=cmd-test",
                verbosity=0,
            )
        except BaseException as exc:  # reported by the assertions below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=command, name="db-worker-test")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "pmo db_worker --batch did not end"
    assert errors == []
    assert signals == ["cmd-test"]
    assert len(begun) == 3  # the locked one, the claim of the run, the empty queue (--batch)
    assert pauses[:1] == [0.5]  # one backoff (the interval, at least 0.5 s), then on
    run = LevelingRun.objects.get(pk=queued.pk)
    assert (run.state, run.phase, run.progress) == ("done", "done", 100)
    task = DBTaskResult.objects.get(args_kwargs__args=[run.pk])
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["cmd-test"])


def test_db_worker_is_ours_with_django_tasks_db_options() -> None:
    assert get_commands()["db_worker"] == "pmo.core"
    command = load_command_class("pmo.core", "db_worker")
    assert isinstance(command, upstream.Command)
    text = command.create_parser("pmo", "db_worker").format_help()
    for option in (
        "--queue-name",
        "--exclude-queues",
        "--interval",
        "--batch",
        "--reload",
        "--backend",
        "--no-startup-delay",
        "--max-tasks",
        "--worker-id",
    ):
        assert option in text
    assert "outlives database errors" in text
