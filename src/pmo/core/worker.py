"""The background task worker of ``pmo serve``: django-tasks' database worker, kept alive
through a busy or dropped database (ADR 0008, "Busy database").

django-tasks' own loop ends (and with it ``pmo serve``'s worker thread, for good) on a
database error it does not expect: SQLite's "database is locked" while a big import holds the
write lock past the busy timeout, when the worker begins its claim; a PostgreSQL connection
that dropped. Here such an error in a poll or around a task is logged as one line, the
connection is closed (the next query opens a new one), the worker sleeps with a capped
backoff and goes on. A task that was running keeps its own rules (a leveling run that could
not end is found lost by its heartbeat and failed, never run twice; ADR 0008, "A lost run").

:data:`STATE` tells what the worker of this process is doing (started, last error, backing
off), so a queued leveling run's hint can say the worker is waiting for the database instead
of asking whether one runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import threading
import time
from dataclasses import dataclass, field

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connections as db_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

__all__ = [
    "MAX_BACKOFF_SECONDS",
    "STATE",
    "SturdyWorker",
    "WorkerState",
    "backoff",
    "start_worker_thread",
]

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0  # a worker whose database keeps failing tries again this often


def backoff(failures: int, interval: float = 1.0) -> float:
    """Seconds to wait after ``failures`` database errors in a row: doubling from the poll
    interval, at most :data:`MAX_BACKOFF_SECONDS`."""
    doublings = min(max(failures - 1, 0), 16)  # hours of errors must not overflow a float
    return float(min(MAX_BACKOFF_SECONDS, max(interval, 0.5) * 2**doublings))


@dataclass
class WorkerState:
    """What the task worker of this process is doing (one per process; ``pmo serve``)."""

    thread: threading.Thread | None = None  # set when this process started a worker
    failures: int = 0  # errors in a row (0: the last poll worked)
    error: str = ""  # the last one, one line
    database: bool = False  # whether it was a database error (else a bug, logged in full)
    failing_since: dt.datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def started(self) -> bool:
        """Whether this process runs a worker thread (``pmo serve`` without ``--no-worker``)."""
        return self.thread is not None

    @property
    def alive(self) -> bool:
        """Whether this process's worker thread is running."""
        return self.thread is not None and self.thread.is_alive()

    def failed(self, exc: BaseException) -> None:
        with self.lock:
            self.failures += 1
            self.error = one_line(exc)
            self.database = isinstance(exc, DatabaseError)
            if self.failing_since is None:
                self.failing_since = timezone.now()

    def worked(self) -> None:
        with self.lock:
            self.failures, self.error, self.failing_since = 0, "", None
            self.database = False


STATE = WorkerState()


def one_line(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its text."""
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _reset_connections() -> None:
    """Close this thread's connections (a broken one is replaced by the next query)."""
    for conn in db_connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # a dropped one may fail to close: gone anyway
            conn.close()


class SturdyWorker(Worker):
    """django-tasks' database worker whose loop outlives database errors (see the module)."""

    def __init__(self, *args: object, state: WorkerState | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.state = state or STATE

    def poll(self) -> DBTaskResult | None:
        """Claim the next ready task (as django-tasks does), or ``None``; database errors
        propagate to :meth:`run`."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)  # no other worker takes it now
        return task_result

    def run(self) -> None:
        """Poll and run tasks until stopped; a database error costs a pause, not the loop."""
        logger.info("task worker %s started", self.worker_id)
        if self.startup_delay and self.interval:  # ``pmo db_worker``: no thundering herd
            time.sleep(random.random())  # a jitter, not a secret
        while self.running:
            task_result = None
            try:
                close_old_connections()
                task_result = self.poll()
                if task_result is not None:
                    self.run_task(task_result)
                close_old_connections()
            except (OperationalError, InterfaceError) as exc:
                self._pause(exc)
                continue
            except Exception as exc:  # a bug: keep its traceback, keep the worker
                logger.exception("task worker %s: unexpected error", self.worker_id)
                self._pause(exc, logged=True)
                continue
            self.state.worked()
            if self.batch and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _pause(self, exc: BaseException, *, logged: bool = False) -> None:
        self.state.failed(exc)
        pause = backoff(self.state.failures, self.interval)
        if not logged:
            logger.warning(
                "task worker %s: database error, trying again in %.0f s: %s",
                self.worker_id,
                pause,
                one_line(exc),
            )
        _reset_connections()
        time.sleep(pause)


def start_worker_thread() -> threading.Thread:
    """Run the worker in a daemon thread of this process (``pmo serve``); :data:`STATE`
    remembers it."""
    worker = SturdyWorker(
        queue_names=["default"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pmo-serve",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="pmo-task-worker", daemon=True)
    STATE.thread = thread
    thread.start()
    return thread
