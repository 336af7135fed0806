"""``pmo db_worker``: django-tasks' database worker process with :mod:`pmo.core.worker`'s loop.

The command and every option are django_tasks_db's (``--queue-name``, ``--interval``,
``--batch``, ``--max-tasks``, ``--worker-id`` ...); only its worker is
:class:`~pmo.core.worker.SturdyWorker`, so a database error (SQLite "database is locked"
during a long import, a PostgreSQL connection dropped) costs a logged line and a pause
instead of ending the process (ADR 0008, "Busy database"). Django takes a command from the
first installed app that has one: ``pmo.core`` is listed before ``django_tasks_db``.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django_tasks_db.management.commands import db_worker as upstream

from pmo.core.worker import SturdyWorker


class Command(upstream.Command):
    help = (
        "Run a database background worker (it outlives database errors: logs one line, "
        "waits and goes on)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # django_tasks_db's handle() builds its module's ``Worker``: swap the class for the
        # call only, so its option handling stays its own. Not STATE.thread: that is
        # ``pmo serve``'s in-process worker, which the queued run's hint reads.
        with mock.patch.object(upstream, "Worker", SturdyWorker):
            super().handle(*args, **options)
