"""Scheduling use-cases: replace a plan, recompute it, baselines, task and link edits.

Every write checks the permission (``require_edit``), the version, records an
audit event in the project's scope and runs in one transaction.

``plans`` replaces a plan by an imported one (after ``validation``), ``recompute`` schedules a
plan and syncs the project, ``edits`` changes the status date, a task or a link (``progress``
keeps a task's % complete and actual dates consistent), ``baselines`` saves a baseline,
``plan_fit`` warns of an imported plan's dates far from the project's, ``common`` holds what
they share; the names other code imports are imported here. A test
that patches a module-level name patches it where the function reads it (the submodule), not
here.
"""

from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.services.baselines import set_baseline
from pmo.scheduling.services.common import scope_of
from pmo.scheduling.services.edits import set_status_date, update_link, update_task
from pmo.scheduling.services.plan_fit import plan_date_warnings
from pmo.scheduling.services.plans import (
    PlanReplaced,
    outline_numbers,
    replace_plan,
    replace_plan_reporting,
)
from pmo.scheduling.services.progress import worked_percent
from pmo.scheduling.services.recompute import (
    Moved,
    recompute_plan,
    recompute_plans,
    request_recompute,
)
from pmo.scheduling.services.validation import MAX_OUTLINE_LEVEL, MAX_UID

__all__ = [
    "MAX_OUTLINE_LEVEL",
    "MAX_UID",
    "Moved",
    "PlanReplaced",
    "ScheduleError",
    "outline_numbers",
    "plan_date_warnings",
    "recompute_plan",
    "recompute_plans",
    "replace_plan",
    "replace_plan_reporting",
    "request_recompute",
    "scope_of",
    "set_baseline",
    "set_status_date",
    "update_link",
    "update_task",
    "worked_percent",
]
