"""Web pages of plans: the Gantt with its task table, edits by htmx, the milestone Gantt.

:mod:`.plan` draws the plan page and saves a task row, :mod:`.edits` the status date, links
and baselines, :mod:`.portfolio` a committed scenario's dates and the milestone Gantt.
"""

from pmo.scheduling.views.edits import baseline_create, link_update, status_date_update
from pmo.scheduling.views.plan import plan_detail, task_update
from pmo.scheduling.views.portfolio import milestone_gantt, scenario_apply

__all__ = [
    "baseline_create",
    "link_update",
    "milestone_gantt",
    "plan_detail",
    "scenario_apply",
    "status_date_update",
    "task_update",
]
