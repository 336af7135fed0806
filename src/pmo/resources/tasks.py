"""Background work of the app (Django's Tasks API, database backend)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

__all__ = ["fail_task_of", "level_scenario_task"]

LOST = "pmo.resources.leveling_runs.WorkerLost"  # the task row's "exception" of a lost run


@task()
def level_scenario_task(run_id: int) -> str:
    """Do a queued leveling run (:func:`pmo.resources.leveling.run_leveling`); its state."""
    from pmo.resources.leveling import run_leveling

    return str(run_leveling(run_id).state)


def fail_task_of(run_id: int, reason: str) -> int:
    """Mark the task row of a leveling run whose worker is gone as failed (the worker that
    claimed it can no longer): django-tasks' admin then agrees with the run. How many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=level_scenario_task.module_path,
        status=TaskResultStatus.RUNNING,
        args_kwargs__args=[run_id],
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=LOST,
        traceback=reason,
        return_value=None,
    )
