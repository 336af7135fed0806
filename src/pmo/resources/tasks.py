"""Background work of the app (Django's Tasks API, database backend)."""

from __future__ import annotations

from django_tasks import task

__all__ = ["level_scenario_task"]


@task()
def level_scenario_task(run_id: int) -> str:
    """Do a queued leveling run (:func:`pmo.resources.leveling.run_leveling`); its state."""
    from pmo.resources.leveling import run_leveling

    return str(run_leveling(run_id).state)
