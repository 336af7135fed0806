"""``pmo serve`` runs the background-task worker beside the web server (unless told not to)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from pmo.demo.management.commands import serve


def test_serve_starts_the_task_worker_unless_no_worker(monkeypatch: Any) -> None:
    started: list[str] = []
    served: list[int] = []
    monkeypatch.setattr(serve, "start_task_worker", lambda: started.append("worker"))
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.append(kw["port"]))
    call_command("serve", "--port", "8799")
    call_command("serve", "--port", "8798", "--no-worker")
    assert (started, served) == (["worker"], [8799, 8798])


def test_the_worker_thread_is_a_daemon(monkeypatch: Any) -> None:
    runs: list[bool] = []

    class Worker:
        def __init__(self, **options: Any) -> None:
            assert options["queue_names"] == ["default"] and options["batch"] is False

        def run(self) -> None:
            runs.append(True)

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.Worker", Worker)
    thread = serve.start_task_worker()
    thread.join(timeout=5)
    assert thread.daemon and runs == [True]
